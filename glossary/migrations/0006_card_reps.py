from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery


def count_reviews(apps, schema_editor):
    Card = apps.get_model("glossary", "Card")
    Review = apps.get_model("glossary", "Review")
    reviews = (
        Review.objects.filter(card=OuterRef("pk")).values("card").annotate(n=Count("pk")).values("n")
    )
    Card.objects.filter(reviews__isnull=False).distinct().update(reps=Subquery(reviews))


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0005_drill_modes_and_stats"),
    ]

    operations = [
        migrations.AddField(
            model_name="card",
            name="reps",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="Answers recorded on this card (its reviews)."
            ),
        ),
        migrations.RunPython(count_reviews, migrations.RunPython.noop),
    ]

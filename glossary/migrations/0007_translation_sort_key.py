from django.db import migrations, models

from home.text import sort_key


def fill_sort_keys(apps, schema_editor):
    TermTranslation = apps.get_model("glossary", "TermTranslation")
    rows = list(TermTranslation.objects.only("pk", "text", "language"))
    for row in rows:
        row.sort_key = sort_key(row.text, row.language)
    TermTranslation.objects.bulk_update(rows, ["sort_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0006_card_reps"),
    ]

    operations = [
        migrations.AddField(
            model_name="termtranslation",
            name="sort_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=360),
            preserve_default=False,
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]

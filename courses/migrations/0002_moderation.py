"""Trainers write and edit pages and submit them for moderation; Administrators approve and
publish. (Without this, Wagtail lets anyone who may publish skip the workflow.)"""

from django.db import migrations


def require_approval(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    GroupPagePermission.objects.filter(
        group__name="Trainers", permission__codename="publish_page"
    ).delete()
    Workflow.objects.filter(name="Moderators approval").update(name="Administrator approval")
    Task.objects.filter(name="Moderators approval").update(name="Administrator approval")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("learners", "0002_roles"),
    ]

    operations = [migrations.RunPython(require_approval, migrations.RunPython.noop)]

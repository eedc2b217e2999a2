"""Trainers and Administrators see the progress reports; Learners never do."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="learners", model="user")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_reports",
        defaults={"name": "Can see learners' progress reports"},
    )
    for group in Group.objects.filter(name__in=["Trainers", "Administrators"]):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("learners", "0005_cohort_permissions")]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "permissions": [("view_reports", "Can see learners' progress reports")],
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]

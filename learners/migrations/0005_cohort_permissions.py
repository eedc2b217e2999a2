"""Trainers and Administrators run cohorts in the admin (members join by themselves)."""

from django.db import migrations

CODENAMES = [f"{action}_cohort" for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="learners", model="cohort")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": codename.replace("_", " ").capitalize()},
        )[0]
        for codename in CODENAMES
    ]
    for group in Group.objects.filter(name__in=["Trainers", "Administrators"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="learners", codename__in=CODENAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("learners", "0004_cohorts"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant, revoke)]

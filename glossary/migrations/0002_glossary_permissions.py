"""Trainers add, edit and approve terms and import glossary files; Administrators may also
delete them."""

from django.db import migrations

TRAINER_PERMISSIONS = [
    ("term", "add_term"),
    ("term", "change_term"),
    ("term", "view_term"),
    ("glossaryimport", "add_glossaryimport"),
    ("glossaryimport", "view_glossaryimport"),
]
ADMINISTRATOR_PERMISSIONS = [*TRAINER_PERMISSIONS, ("term", "delete_term")]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, permissions in (
        ("Trainers", TRAINER_PERMISSIONS),
        ("Administrators", ADMINISTRATOR_PERMISSIONS),
    ):
        group = Group.objects.get(name=group_name)
        for model, codename in permissions:
            content_type, _ = ContentType.objects.get_or_create(app_label="glossary", model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0001_initial"),
        ("learners", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

"""The three roles. Trainers author content in the Wagtail admin but cannot manage users, groups
or site settings; Administrators can; Learners have no admin access at all."""

from django.db import migrations

TRAINER_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("home", "subsector", "view_subsector"),
]
ADMINISTRATOR_PERMISSIONS = [
    *TRAINER_PERMISSIONS,
    *(("home", "subsector", f"{action}_subsector") for action in ("add", "change", "delete")),
    *(("learners", "user", f"{action}_user") for action in ("add", "change", "delete", "view")),
    *(("auth", "group", f"{action}_group") for action in ("add", "change", "delete", "view")),
    *(("wagtailcore", "site", f"{action}_site") for action in ("add", "change", "delete")),
    *(("wagtailcore", "locale", f"{action}_locale") for action in ("add", "change", "delete")),
    *(("wagtailcore", "workflow", f"{action}_workflow") for action in ("add", "change", "delete")),
    *(("wagtailcore", "task", f"{action}_task") for action in ("add", "change", "delete")),
    *(("wagtailcore", "collection", f"{a}_collection") for a in ("add", "change", "delete")),
    *(("wagtailredirects", "redirect", f"{a}_redirect") for a in ("add", "change", "delete")),
    ("home", "sitesettings", "change_sitesettings"),
]
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
ADMINISTRATOR_PAGE_PERMISSIONS = [*TRAINER_PAGE_PERMISSIONS, "delete_page", "bulk_delete_page"]
TRAINER_MEDIA_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
]
ADMINISTRATOR_MEDIA_PERMISSIONS = [
    (app, model, [*codenames, f"delete_{model}"]) for app, model, codenames in TRAINER_MEDIA_PERMISSIONS
]


def get_permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    Group.objects.get_or_create(name="Learners")
    trainers, _ = Group.objects.get_or_create(name="Trainers")
    administrators, _ = Group.objects.get_or_create(name="Administrators")
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)

    for group, permissions, page_permissions, media_permissions in (
        (trainers, TRAINER_PERMISSIONS, TRAINER_PAGE_PERMISSIONS, TRAINER_MEDIA_PERMISSIONS),
        (
            administrators,
            ADMINISTRATOR_PERMISSIONS,
            ADMINISTRATOR_PAGE_PERMISSIONS,
            ADMINISTRATOR_MEDIA_PERMISSIONS,
        ),
    ):
        group.permissions.add(*(get_permission(apps, *spec) for spec in permissions))
        for codename in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=get_permission(apps, "wagtailcore", "page", codename),
            )
        for app_label, model, codenames in media_permissions:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=get_permission(apps, app_label, model, codename),
                )

    # Wagtail's default groups are replaced by these roles; its default moderation task is
    # handed to the Administrators.
    for task in GroupApprovalTask.objects.filter(groups__name="Moderators"):
        task.groups.add(administrators)
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0001_initial"),
        ("home", "0003_locales_and_sub_sectors"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

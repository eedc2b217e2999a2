from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site core")

    def ready(self):
        from django.core.exceptions import PermissionDenied

        from wagtail.admin import auth

        def permission_denied(request):
            """A trainer who opens an admin area they may not use (users, groups, sites,
            settings) gets a plain 403 instead of Wagtail's redirect to the dashboard, so the
            refusal is unambiguous to people, scripts and tests alike."""
            raise PermissionDenied

        # Wagtail's admin decorators look this function up in their module at call time.
        auth.permission_denied = permission_denied

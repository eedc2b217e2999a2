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

        send_to_log_in = auth.reject_request

        def reject_request(request):
            """A signed-in learner who opens the admin gets the same 403. Wagtail would send
            them to log in, and the login page sends a signed-in visitor straight back: an
            endless redirect."""
            if request.user.is_authenticated:
                raise PermissionDenied
            return send_to_log_in(request)

        # Wagtail's admin decorators look these functions up in their module at call time.
        auth.permission_denied = permission_denied
        auth.reject_request = reject_request

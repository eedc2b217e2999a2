"""View decorators shared by the apps."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login


def login_required_for_action(page_url):
    """`login_required` for a POST-only action: a visitor is sent to log in and then to the page
    the action belongs to, `page_url(request, *args, **kwargs)`. Coming back to the action
    itself would be a GET, which an action refuses (405)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(page_url(request, *args, **kwargs))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView

from home.decorators import login_required_for_action

from .dashboard import dashboard_context
from .forms import (
    DeleteAccountForm,
    JoinCohortForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    SetPasswordForm,
    SignUpForm,
)
from .models import Cohort, Language
from .mydata import delete_account, export_zip


def _safe_next(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _redirect_in_language(request, url, language):
    """Redirect to `url` in `language` and remember the choice in the language cookie."""
    target = f"/{language}/" if url in ("", "/") else translate_url(url, language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_POST
def switch_language(request):
    """The language switcher: a plain form, so it works without JavaScript. A signed-in learner's
    choice is saved on their profile and follows them to every device."""
    language = request.POST.get("language", "")
    next_url = _safe_next(request)
    if language not in Language.values:
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated and request.user.interface_language != language:
        request.user.interface_language = language
        request.user.save(update_fields=["interface_language"])
    return _redirect_in_language(request, next_url, language)


class SignUpView(CreateView):
    form_class = SignUpForm
    extra_context = {"page_title": gettext_lazy("Create your account")}
    template_name = "learners/signup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("/")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.save()
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _("Welcome to Sheber, %(name)s! Your account is ready.") % {"name": user.display_name},
        )
        return HttpResponseRedirect(_safe_next(self.request))


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    extra_context = {"page_title": gettext_lazy("Log in")}
    template_name = "learners/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        super().form_valid(form)
        user = form.get_user()
        return _redirect_in_language(self.request, self.get_success_url(), user.interface_language)


class LogoutView(auth_views.LogoutView):
    template_name = "learners/logged_out.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    extra_context = {"page_title": gettext_lazy("Change your password")}
    template_name = "learners/password_change.html"
    success_url = reverse_lazy("learners:settings")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    extra_context = {"page_title": gettext_lazy("Forgotten your password?")}
    template_name = "learners/password_reset.html"
    email_template_name = "learners/email/password_reset.txt"
    subject_template_name = "learners/email/password_reset_subject.txt"
    success_url = reverse_lazy("learners:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "learners/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    extra_context = {"page_title": gettext_lazy("Choose a new password")}
    template_name = "learners/password_reset_confirm.html"
    success_url = reverse_lazy("learners:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "learners/password_reset_complete.html"


@login_required
def settings_view(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your settings have been saved."))
        return _redirect_in_language(request, request.path, user.interface_language)
    return render(
        request,
        "learners/settings.html",
        {
            "form": form,
            "page_title": _("Your settings"),
            "cohorts": request.user.cohorts.order_by("name"),
            "join_form": JoinCohortForm(),
        },
    )


@login_required
def dashboard(request):
    """The learner's own progress: only ever the signed-in learner's."""
    context = dashboard_context(request.user, request.LANGUAGE_CODE)
    return render(request, "learners/dashboard.html", context)


@login_required
def export_data(request):
    """Everything Sheber holds about the signed-in learner, as a ZIP."""
    response = HttpResponse(export_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="sheber-my-data.zip"'
    return response


@login_required
def delete_account_view(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account and everything in it have been deleted."))
        return redirect("/")
    return render(
        request,
        "learners/delete_account.html",
        {"form": form, "page_title": _("Delete my account")},
    )


@login_required
def join_cohort(request, code=None):
    """Join a cohort: from its link (a confirmation first: a GET changes nothing) or with its
    code typed on the settings page."""
    if code is not None:
        if not (code.isascii() and code.isalnum()):  # e.g. NUL, which PostgreSQL refuses
            raise Http404
        cohort = get_object_or_404(Cohort, code=code.upper())
        if request.method == "POST":
            return _joined(request, cohort)
        return render(request, "learners/join_cohort.html", {"cohort": cohort})
    if request.method != "POST":
        return redirect("learners:settings")
    form = JoinCohortForm(request.POST)
    if form.is_valid():
        return _joined(request, form.cleaned_data["code"])
    messages.error(request, form.errors["code"][0])
    return redirect(reverse("learners:settings") + "#cohorts")


def _joined(request, cohort):
    cohort.members.add(request.user)
    messages.success(request, _("You have joined “%(cohort)s”.") % {"cohort": cohort})
    return redirect(reverse("learners:settings") + "#cohorts")


@require_POST
@login_required_for_action(lambda request, pk: reverse("learners:settings"))
def leave_cohort(request, pk):
    cohort = get_object_or_404(request.user.cohorts, pk=pk)
    cohort.members.remove(request.user)
    messages.success(request, _("You have left “%(cohort)s”.") % {"cohort": cohort})
    return redirect(reverse("learners:settings") + "#cohorts")

from django.urls import include, path, reverse
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.admin.widgets import Button

from . import question_import
from .models import QuizPage


@hooks.register("register_admin_urls")
def register_question_import_urls():
    urls = [
        path("", question_import.QuestionImportView.as_view(), name="upload"),
        path("<int:pk>/", question_import.QuestionImportPreviewView.as_view(), name="preview"),
    ]
    return [path("quizzes/<int:quiz_id>/import/", include((urls, "question_import")))]


def _import_button(page, user, priority):
    if isinstance(page.specific_deferred, QuizPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Import questions"),
            reverse("question_import:upload", args=[page.pk]),
            icon_name="upload",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def quiz_header_buttons(page, user, view_name, next_url=None):
    yield from _import_button(page, user, priority=35)


@hooks.register("register_page_listing_more_buttons")
def quiz_listing_buttons(page, user, next_url=None):
    yield from _import_button(page, user, priority=25)

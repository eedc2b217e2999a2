"""The trainer's question import in the Wagtail admin: upload a Moodle XML or GIFT file for a
quiz, see what it holds and what cannot be imported (by line), then add its questions to a new
draft of the quiz, all of them or none. Trainers then submit the draft for approval as usual."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import QuestionImport, QuizPage
from .question_formats import IMPORT_EXTENSIONS, MAX_BYTES, parse_question_file
from .quiz_blocks import QuestionStreamBlock


class QuestionFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question bank"),
        help_text=gettext_lazy("Moodle XML (.xml) or GIFT (.gift, .txt), at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
        error_messages={"required": gettext_lazy("Choose a file to import.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(_("Sheber imports Moodle XML (.xml) and GIFT files."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("This file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)}
            )
        return upload


def bank_of(upload):
    return parse_question_file(upload.file_name, bytes(upload.content))


@transaction.atomic
def add_questions(quiz, bank, user):
    """A new draft revision of `quiz` with the bank's questions after its own (new keys)."""
    draft = quiz.get_latest_revision_as_object()
    stream = list(draft.questions.raw_data)
    stream += [
        {"type": question.block_type, "value": question.value, "id": str(uuid.uuid4())}
        for question in bank.questions
    ]
    draft.questions = stream
    return draft.save_revision(user=user, log_action=True)


class QuizImportMixin(WagtailAdminTemplateMixin):
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        self.quiz = get_object_or_404(QuizPage, pk=kwargs["quiz_id"])
        if not self.quiz.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.quiz.pk]),
                "label": self.quiz.title,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(quiz=self.quiz, **kwargs)


class QuestionImportView(QuizImportMixin, FormView):
    form_class = QuestionFileForm
    template_name = "courses/admin/question_import.html"
    page_title = gettext_lazy("Import questions")

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        record = QuestionImport.objects.create(
            quiz=self.quiz,
            file_name=upload.name,
            content=upload.read(),
            uploaded_by=self.request.user,
        )
        return redirect("question_import:preview", quiz_id=self.quiz.pk, pk=record.pk)


class QuestionImportPreviewView(QuizImportMixin, TemplateView):
    template_name = "courses/admin/question_import_preview.html"
    page_title = gettext_lazy("Check the questions")

    def get_upload(self):
        return get_object_or_404(QuestionImport, pk=self.kwargs["pk"], quiz=self.quiz)

    def get_context_data(self, **kwargs):
        upload = self.get_upload()
        bank = bank_of(upload)
        labels = {name: block.label for name, block in QuestionStreamBlock().child_blocks.items()}
        rows = [
            (question.line, labels[question.block_type], question.title or question.value["prompt"])
            for question in bank.questions
        ]
        return super().get_context_data(upload=upload, bank=bank, rows=rows, **kwargs)

    def post(self, request, quiz_id, pk):
        upload = self.get_upload()
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.quiz.pk])
        if upload.applied_at:
            messages.info(request, _("This file has already been imported."))
            return redirect(edit_url)
        bank = bank_of(upload)
        if bank.errors or not bank.questions:
            messages.error(
                request, _("Nothing was imported: the file has questions that cannot be imported.")
            )
            return redirect("question_import:preview", quiz_id=self.quiz.pk, pk=pk)
        add_questions(self.quiz, bank, request.user)
        upload.applied_at = timezone.now()
        upload.questions_added = len(bank.questions)
        upload.save(update_fields=["applied_at", "questions_added"])
        messages.success(
            request,
            _(
                "%(count)d questions added to a draft of “%(quiz)s”. Check them, then submit "
                "the quiz for approval."
            )
            % {"count": len(bank.questions), "quiz": self.quiz.title},
        )
        return redirect(edit_url)

"""The trainer's glossary import in the Wagtail admin: upload, preview, confirm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .formats import format_for
from .forms import ImportForm
from .importer import apply_import, plan_import
from .models import GlossaryImport


def can_import(user):
    return user.has_perms(["glossary.add_term", "glossary.change_term"])


def plan_for(upload):
    records, problems = format_for(upload.file_name).parse(bytes(upload.content))
    return plan_import(records, problems)


class ImportMixin(WagtailAdminTemplateMixin):
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailsnippets_glossary_term:list"), "label": _("Terms")},
            {"url": "", "label": self.get_page_title()},
        ]


class ImportView(ImportMixin, FormView):
    form_class = ImportForm
    template_name = "glossary/admin/import.html"
    page_title = gettext_lazy("Import terms")

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        record = GlossaryImport.objects.create(
            file_name=upload.name, content=upload.read(), uploaded_by=self.request.user
        )
        return redirect("glossary_import:preview", pk=record.pk)


class ImportPreviewView(ImportMixin, TemplateView):
    template_name = "glossary/admin/import_preview.html"
    page_title = gettext_lazy("Check the import")

    def get_context_data(self, **kwargs):
        upload = get_object_or_404(GlossaryImport, pk=self.kwargs["pk"])
        return super().get_context_data(upload=upload, plan=plan_for(upload), **kwargs)

    def post(self, request, pk):
        upload = get_object_or_404(GlossaryImport, pk=pk)
        if upload.applied_at:
            messages.info(request, _("This file has already been imported."))
            return redirect("wagtailsnippets_glossary_term:list")
        plan = plan_for(upload)
        if not plan.can_apply:
            messages.error(request, _("Nothing was imported: the file has rejected lines."))
            return redirect("glossary_import:preview", pk=pk)
        written = apply_import(plan)
        upload.applied_at = timezone.now()
        upload.terms_written = len(written)
        upload.save(update_fields=["applied_at", "terms_written"])
        messages.success(
            request,
            _("Imported %(created)d new and %(updated)d changed terms from %(name)s.")
            % {
                "created": len(plan.created),
                "updated": len(plan.updated),
                "name": upload.file_name,
            },
        )
        return redirect("wagtailsnippets_glossary_term:list")

import django_filters

from django import forms
from django.contrib import messages
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from home.forms import IdChoicesMixin
from home.models import SubSector
from home.text import mixed_script_words

from . import admin_views
from .formats import csv_format
from .models import Term, TermStatus, TranslationLanguage


class SubSectorsField(IdChoicesMixin, django_filters.fields.ModelMultipleChoiceField):
    pass


class SubSectorsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SubSectorsField


class TermFilterSet(WagtailFilterSet):
    sub_sectors = SubSectorsFilter(
        queryset=SubSector.objects.all(),
        label=gettext_lazy("Sub-sectors"),
        widget=forms.CheckboxSelectMultiple,
    )
    status = django_filters.ChoiceFilter(choices=TermStatus.choices, label=gettext_lazy("Status"))
    missing = django_filters.MultipleChoiceFilter(
        choices=TranslationLanguage.choices,
        label=gettext_lazy("Missing an equivalent in"),
        widget=forms.CheckboxSelectMultiple,
        method="filter_missing",
    )

    class Meta:
        model = Term
        fields = ["sub_sectors", "status"]

    def filter_missing(self, queryset, name, languages):
        for language in languages:
            queryset = queryset.exclude(translations__language=language)
        return queryset


class TermIndexView(IndexView):
    def search_queryset(self, queryset):
        """The learners' search (any letter case, ё/е and stress marks ignored) for trainers too."""
        if not self.is_searching:
            return queryset
        return queryset.search(self.search_query)

    def preprocess_field_value(self, field, value, export_format):
        """Wagtail neutralises formulas in XLSX exports; CSV cells get a leading apostrophe."""
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return csv_format.neutralise(value)
        return value

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if admin_views.can_import(self.request.user):
            buttons.append(
                HeaderButton(_("Import"), url=reverse("glossary_import:upload"), icon_name="upload")
            )
        return buttons


class MixedScriptWarningMixin:
    """Saves as usual, then warns about words that mix Latin and Cyrillic letters."""

    def save_instance(self):
        instance = super().save_instance()
        texts = [instance.headword, *(t.text for t in instance.translations.all())]
        words = [word for text in texts for word in mixed_script_words(text)]
        if words:
            messages.warning(
                self.request,
                _("These words mix Latin and Cyrillic letters, so searches will miss them: %(w)s")
                % {"w": ", ".join(words)},
            )
        return instance


class TermCreateView(MixedScriptWarningMixin, CreateView):
    pass


class TermEditView(MixedScriptWarningMixin, EditView):
    pass


def _translations(language):
    def text(term):
        return ", ".join(t.text for t in term.translations_in(language)) or "—"

    return text


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "doc-full"
    menu_label = gettext_lazy("Glossary")
    menu_order = 200
    add_to_admin_menu = True
    index_view_class = TermIndexView
    add_view_class = TermCreateView
    edit_view_class = TermEditView
    filterset_class = TermFilterSet
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    ordering = ["headword_key"]
    list_display = [
        "headword",
        "part_of_speech",
        Column("ru", label="Русский", accessor=_translations("ru")),
        Column("kk", label="Қазақша", accessor=_translations("kk")),
        "status",
        "updated_at",
    ]
    list_export = [
        "headword",
        "part_of_speech",
        "pronunciation",
        "definition",
        "example",
        "variants",
        "status",
        "source",
        "updated_at",
    ]
    export_filename = "sheber-glossary"
    inspect_view_fields = [
        "headword",
        "part_of_speech",
        "pronunciation",
        "definition",
        "example",
        "variants",
        "sub_sectors",
        "status",
        "source",
    ]

    def get_queryset(self, request):
        return Term.objects.prefetch_related("translations")


register_snippet(TermViewSet)


@hooks.register("register_admin_urls")
def register_import_urls():
    urls = [
        path("", admin_views.ImportView.as_view(), name="upload"),
        path("<int:pk>/", admin_views.ImportPreviewView.as_view(), name="preview"),
    ]
    return [path("glossary/import/", include((urls, "glossary_import")))]

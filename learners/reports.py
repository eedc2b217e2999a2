"""Trainer reports in the Wagtail admin (Reports menu): learners, module funnel, quiz item
analysis and hard terms. Each filters by cohort, exports CSV and XLSX with numbers as numbers and
text that a spreadsheet cannot run as a formula, and runs a fixed number of queries whatever the
number of learners, attempts and reviews. Trainers and Administrators see them (the
`learners.view_reports` permission); they are read-only."""

import django_filters

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from courses.models import (
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModulePage,
    QuizAttempt,
    QuizPage,
)
from glossary.formats.csv_format import neutralise
from glossary.models import Card, Review, Term
from glossary.stats import MASTERED_DAYS
from home.forms import IdChoiceField, IdChoiceMixin
from home.models import SubSector
from home.text import number_or_none

from .analysis import item_analysis
from .models import Cohort, User


class IdChoiceFilterField(IdChoiceMixin, django_filters.fields.ModelChoiceField):
    pass


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter by one row's id that refuses an id no database integer can hold."""

    field_class = IdChoiceFilterField


class ReportAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("learners.view_reports"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise(value) if isinstance(value, str) else value


def _count(model, **filters):
    """A correlated count of the learner's rows (a subquery, so counts never multiply)."""
    rows = (
        model.objects.filter(learner=OuterRef("pk"), **filters)
        .order_by()
        .values("learner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _latest(model, field):
    rows = (
        model.objects.filter(learner=OuterRef("pk"))
        .order_by()
        .values("learner")
        .annotate(at=Max(field))
        .values("at")
    )
    return Subquery(rows)


def learners_with_figures():
    """Learners with what the Learners report shows, in one query."""
    quiz_average = (
        QuizAttempt.objects.filter(learner=OuterRef("pk"), submitted_at__isnull=False)
        .order_by()
        .values("learner")
        .annotate(average=Avg("percent"))
        .values("average")
    )
    return (
        User.objects.filter(groups__name="Learners")
        .annotate(
            lessons_completed=_count(LessonCompletion),
            modules_completed=_count(Enrolment, completed_at__isnull=False),
            quiz_average=Subquery(quiz_average),
            terms_mastered=_count(Card, stability__gte=MASTERED_DAYS),
            last_review=_latest(Review, "reviewed_at"),
            last_lesson=_latest(LessonCompletion, "completed_at"),
        )
        .annotate(
            last_active=Greatest(
                Coalesce("last_login", "date_joined"),
                Coalesce("last_review", "date_joined"),
                Coalesce("last_lesson", "date_joined"),
            )
        )
    )


def module_choices():
    return [
        (str(page.translation_key), page.title)
        for page in ModulePage.objects.live().filter(locale__language_code="en").order_by("title")
    ]


class LearnersFilterSet(WagtailFilterSet):
    cohort = IdChoiceFilter(
        label=_("Cohort"), queryset=Cohort.objects.order_by("name"), field_name="cohorts"
    )
    sub_sector = IdChoiceFilter(
        label=_("Sub-sector"), queryset=SubSector.objects.all(), field_name="sub_sectors"
    )
    city = django_filters.CharFilter(label=_("City"), lookup_expr="icontains")
    module = django_filters.ChoiceFilter(
        label=_("Module"), choices=module_choices, method="filter_module"
    )
    active_since = django_filters.DateFilter(
        label=_("Active since"),
        field_name="last_active",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = User
        fields = []

    def filter_module(self, queryset, name, value):
        return queryset.filter(enrolments__module_key=value)


class LearnersReportView(ReportAccessMixin, ReportView):
    page_title = _("Learners")
    header_icon = "group"
    index_url_name = "learner_reports:learners"
    index_results_url_name = "learner_reports:learners_results"
    filterset_class = LearnersFilterSet
    columns = [
        TitleColumn("display_name", label=_("Learner"), url_name="learner_reports:learner"),
        Column("city", label=_("City")),
        Column("lessons_completed", label=_("Lessons completed")),
        Column("modules_completed", label=_("Modules completed")),
        Column(
            "quiz_average_display", label=_("Quiz average (%)"), accessor="quiz_average_display"
        ),
        Column("terms_mastered", label=_("Terms mastered")),
        Column("last_active", label=_("Last active")),
    ]
    list_export = [
        "display_name",
        "email",
        "city",
        "lessons_completed",
        "modules_completed",
        "quiz_average",
        "terms_mastered",
        "last_active",
    ]
    export_headings = {
        "display_name": _("Learner"),
        "email": _("Email"),
        "city": _("City"),
        "lessons_completed": _("Lessons completed"),
        "modules_completed": _("Modules completed"),
        "quiz_average": _("Quiz average (%)"),
        "terms_mastered": _("Terms mastered"),
        "last_active": _("Last active"),
    }

    def get_filename(self):
        return "sheber-learners"

    def get_queryset(self):
        return learners_with_figures().order_by("display_name", "pk")

    def decorate_paginated_queryset(self, object_list):
        for learner in object_list:
            average = learner.quiz_average
            learner.quiz_average_display = "—" if average is None else round(average)
        return object_list


class HardTermsFilterSet(WagtailFilterSet):
    cohort = IdChoiceFilter(
        label=_("Cohort"), queryset=Cohort.objects.order_by("name"), method="filter_cohort"
    )
    sub_sector = IdChoiceFilter(
        label=_("Sub-sector"), queryset=SubSector.objects.all(), field_name="sub_sectors"
    )

    class Meta:
        model = Term
        fields = []

    def filter_cohort(self, queryset, name, value):
        return queryset  # the figures count the cohort's cards only: see get_queryset


def _term_figures(cards):
    return {
        "lapses": Coalesce(Sum("cards__lapses", filter=cards), Value(0)),
        "learners": Count("cards", filter=cards & Q(cards__lapses__gt=0), distinct=True),
        "suspended": Count("cards", filter=cards & Q(cards__suspended=True), distinct=True),
    }


class HardTermsReportView(ReportAccessMixin, ReportView):
    page_title = _("Hard terms")
    header_icon = "warning"
    index_url_name = "learner_reports:hard_terms"
    index_results_url_name = "learner_reports:hard_terms_results"
    results_template_name = "learners/reports/hard_terms_results.html"
    filterset_class = HardTermsFilterSet
    columns = [
        Column("headword", label=_("Term")),
        Column("lapses", label=_("Times forgotten")),
        Column("learners", label=_("Learners who forgot it")),
        Column("suspended", label=_("Set aside as hard")),
    ]
    list_export = ["headword", "lapses", "learners", "suspended"]
    export_headings = {
        "headword": _("Term"),
        "lapses": _("Times forgotten"),
        "learners": _("Learners who forgot it"),
        "suspended": _("Set aside as hard"),
    }

    def get_filename(self):
        return "sheber-hard-terms"

    def get_context_data(self, **kwargs):
        """A bar for each of the ten terms forgotten most on this page."""
        context = super().get_context_data(**kwargs)
        top = list(context["object_list"])[:10]
        most = max((term.lapses for term in top), default=0) or 1
        context["chart"] = [
            {"label": term.headword, "y": 14 * index, "width": round(240 * term.lapses / most)}
            for index, term in enumerate(top)
        ]
        context["chart_height"] = 14 * len(top)
        return context

    def get_queryset(self):
        cards = Q()
        cohort = self.request.GET.get("cohort", "")
        if (pk := number_or_none(cohort)) is not None:
            cards = Q(cards__learner__cohorts=pk)
        return (
            Term.objects.annotate(**_term_figures(cards))
            .filter(lapses__gt=0)
            .order_by("-lapses", "headword_key")
        )


class QuizFilterForm(forms.Form):
    quiz = IdChoiceField(
        label=_("Quiz"),
        queryset=QuizPage.objects.live().filter(locale__language_code="en").order_by("title"),
        required=False,
    )
    cohort = IdChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.order_by("name"), required=False
    )


class QuizItemAnalysisView(ReportAccessMixin, ReportView):
    page_title = _("Quiz item analysis")
    header_icon = "help"
    index_url_name = "learner_reports:quiz_items"
    index_results_url_name = "learner_reports:quiz_items_results"
    results_template_name = "learners/reports/quiz_items_results.html"
    paginate_by = None
    list_export = ["number", "kind", "attempts", "facility", "discrimination", "common_wrong"]
    export_headings = {
        "number": _("Question"),
        "kind": _("Type"),
        "attempts": _("Attempts"),
        "facility": _("Facility index (%)"),
        "discrimination": _("Discrimination index (%)"),
        "common_wrong": _("Most chosen wrong answer"),
    }

    def get_filename(self):
        return "sheber-quiz-items"

    @property
    def filter_form(self):
        return QuizFilterForm(self.request.GET or None)

    def get_queryset(self):
        form = QuizFilterForm(self.request.GET)
        form.is_valid()
        quiz = form.cleaned_data.get("quiz") if form.is_bound else None
        self.quiz = quiz or QuizPage.objects.live().filter(locale__language_code="en").first()
        if self.quiz is None:
            return []
        attempts = QuizAttempt.objects.filter(
            quiz_key=self.quiz.translation_key, submitted_at__isnull=False
        )
        if cohort := form.cleaned_data.get("cohort"):
            attempts = attempts.filter(learner__cohorts=cohort)
        data = list(attempts.values_list("scores", "responses"))
        return item_analysis(self.quiz.questions, data)

    def filter_queryset(self, queryset):
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [item for item in context["object_list"] if item.facility is not None]
        chart = [
            {"label": f"Q{item.number}", "y": 12 * index, "width": round(2.6 * item.facility)}
            for index, item in enumerate(rows)
        ]
        context.update(
            quiz=self.quiz,
            quiz_form=QuizFilterForm(self.request.GET or None),
            chart=chart,
            chart_height=12 * len(chart),
        )
        return context


def funnel(module, cohort=None):
    """Enrolled, each lesson completed, module completed, quiz passed: learners at each step of
    a module (all its languages), and the share lost since the step before."""
    learners = Q(learner__cohorts=cohort) if cohort else Q()
    lessons = list(LessonPage.objects.child_of(module).live().order_by("path"))
    quiz = QuizPage.objects.child_of(module).live().first()
    key = module.translation_key
    enrolled = Enrolment.objects.filter(learners, module_key=key)
    done = dict(
        LessonCompletion.objects.filter(learners, module_key=key)
        .values_list("lesson_key")
        .annotate(n=Count("learner", distinct=True))
        .values_list("lesson_key", "n")
    )
    steps = [(_("Enrolled"), enrolled.count())]
    steps += [(lesson.title, done.get(lesson.translation_key, 0)) for lesson in lessons]
    steps.append((_("Completed the module"), enrolled.filter(completed_at__isnull=False).count()))
    if quiz:
        passed = (
            QuizAttempt.objects.filter(learners, quiz_key=quiz.translation_key, passed=True)
            .values("learner")
            .distinct()
            .count()
        )
        steps.append((_("Passed the final quiz"), passed))
    rows, previous = [], None
    top = steps[0][1] or 1
    for name, count in steps:
        drop = None if not previous else round(100 * (previous - count) / previous)
        rows.append(
            {
                "step": name,
                "learners": count,
                "drop_off": drop,
                "y": 12 * len(rows),
                "width": round(300 * count / top),
            }
        )
        previous = count
    return rows


class FunnelFilterForm(forms.Form):
    module = forms.ChoiceField(label=_("Module"), choices=module_choices, required=False)
    cohort = IdChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.order_by("name"), required=False
    )


class ModuleFunnelView(ReportAccessMixin, ReportView):
    page_title = _("Module funnel")
    header_icon = "order"
    index_url_name = "learner_reports:funnel"
    index_results_url_name = "learner_reports:funnel_results"
    results_template_name = "learners/reports/funnel_results.html"
    paginate_by = None
    list_export = ["step", "learners", "drop_off"]
    export_headings = {"step": _("Step"), "learners": _("Learners"), "drop_off": _("Drop-off (%)")}

    def get_filename(self):
        return "sheber-module-funnel"

    def get_queryset(self):
        form = FunnelFilterForm(self.request.GET)
        form.is_valid()
        modules = ModulePage.objects.live().filter(locale__language_code="en")
        chosen = form.cleaned_data.get("module") if form.is_bound else None
        self.module = (modules.filter(translation_key=chosen).first() if chosen else None) or (
            modules.order_by("title").first()
        )
        if self.module is None:
            return []
        return funnel(self.module, form.cleaned_data.get("cohort"))

    def filter_queryset(self, queryset):
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            module=self.module,
            funnel_form=FunnelFilterForm(self.request.GET or None),
            chart_height=12 * len(context["object_list"]),
        )
        return context


class LearnerDetailView(ReportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """One learner, read-only: modules, recent quiz attempts with their answers, drill figures."""

    template_name = "learners/reports/learner_detail.html"
    header_icon = "user"
    recent_attempts = 10

    def dispatch(self, request, *args, **kwargs):
        self.learner = get_object_or_404(
            User.objects.filter(groups__name="Learners"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.learner.display_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learner_reports:learners"), "label": _("Learners")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        from courses.quizzes import reviewed_questions, snapshot, terms_of
        from glossary.stats import drill_stats

        from .dashboard import started_modules

        attempts = []
        for attempt in (
            QuizAttempt.objects.filter(learner=self.learner, submitted_at__isnull=False)
            .select_related("quiz")
            .order_by("-submitted_at")[: self.recent_attempts]
        ):
            quiz = snapshot(attempt, attempt.quiz)
            questions = reviewed_questions(attempt, quiz, terms_of(attempt.layout), revealed=True)
            attempts.append((attempt, questions))
        return super().get_context_data(
            learner=self.learner,
            cohorts=self.learner.cohorts.order_by("name"),
            modules=started_modules(self.learner, self.request.LANGUAGE_CODE),
            stats=drill_stats(self.learner),
            attempts=attempts,
            **kwargs,
        )

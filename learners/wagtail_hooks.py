from django.db.models import Count
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import reports
from .models import Cohort


class CohortViewSet(SnippetViewSet):
    """Cohorts in the admin: trainers name them and share the code; learners join themselves,
    so members are listed, never edited here."""

    model = Cohort
    icon = "group"
    menu_label = gettext_lazy("Cohorts")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "name",
        Column("code", label=gettext_lazy("Join code")),
        Column("member_count", label=gettext_lazy("Members"), accessor="member_count"),
        "created_at",
    ]
    inspect_view_fields = ["name", "description", "code", "join_link", "members", "created_at"]
    panels = [FieldPanel("name"), FieldPanel("description")]

    def get_queryset(self, request):
        return Cohort.objects.annotate(member_count=Count("members"))


register_snippet(CohortViewSet)


@hooks.register("register_admin_urls")
def register_report_urls():
    views = [
        ("learners", reports.LearnersReportView),
        ("funnel", reports.ModuleFunnelView),
        ("quiz_items", reports.QuizItemAnalysisView),
        ("hard_terms", reports.HardTermsReportView),
    ]
    urls = []
    for name, view in views:
        urls += [
            path(f"{name.replace('_', '-')}/", view.as_view(), name=name),
            path(
                f"{name.replace('_', '-')}/results/",
                view.as_view(results_only=True),
                name=f"{name}_results",
            ),
        ]
    urls.append(path("learners/<int:pk>/", reports.LearnerDetailView.as_view(), name="learner"))
    return [path("reports/sheber/", include((urls, "learner_reports")))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("learners.view_reports")


REPORT_MENU = [
    ("learners", gettext_lazy("Learners"), "group", 100),
    ("funnel", gettext_lazy("Module funnel"), "order", 110),
    ("quiz_items", gettext_lazy("Quiz item analysis"), "help", 120),
    ("hard_terms", gettext_lazy("Hard terms"), "warning", 130),
]


def _menu_item(name, label, icon, order):
    @hooks.register("register_reports_menu_item")
    def register():
        return ReportMenuItem(
            label,
            reverse(f"learner_reports:{name}"),
            name=f"sheber-{name}",
            icon_name=icon,
            order=order,
        )


for item in REPORT_MENU:
    _menu_item(*item)

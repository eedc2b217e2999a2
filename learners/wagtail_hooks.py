from django.db.models import Count
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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

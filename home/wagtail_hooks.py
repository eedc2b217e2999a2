from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SubSector


class SubSectorViewSet(SnippetViewSet):
    model = SubSector
    icon = "tag"
    menu_label = _("Sub-sectors")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "name_ru", "name_kk", "slug"]
    search_fields = ["name", "name_ru", "name_kk"]
    sort_order_field = "sort_order"
    copy_view_enabled = False


register_snippet(SubSectorViewSet)

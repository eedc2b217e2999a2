from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
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


@hooks.register("insert_global_admin_css")
def admin_css():
    """Sheber's corrections to the admin's own styles (static/css/admin.css)."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))

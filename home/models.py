from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock


class SubSectorQuerySet(models.QuerySet):
    def sectors(self):
        """The seven sub-sectors, without the cross-cutting "all sectors" entry."""
        return self.exclude(slug=SubSector.ALL_SECTORS)


class SubSector(index.Indexed, models.Model):
    """A sub-sector of the cultural industries; terms, modules and learners are tagged with them.

    Names are stored in the three interface languages so that listings need no extra query."""

    ALL_SECTORS = "all-sectors"

    name = models.CharField(_("name (English)"), max_length=80, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=80)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Used in URLs."))
    description = models.CharField(_("description (English)"), max_length=255, blank=True)
    description_ru = models.CharField(_("description (Russian)"), max_length=255, blank=True)
    description_kk = models.CharField(_("description (Kazakh)"), max_length=255, blank=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f5f8b",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour such as #1f5f8b."))],
        help_text=_("Accent colour of the sector's tiles, as #rrggbb. Never the only cue."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0, editable=False)

    objects = SubSectorQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_ru"),
        index.SearchField("name_kk"),
        index.AutocompleteField("name"),
    ]

    panels = [
        FieldPanel("name"),
        FieldPanel("name_ru"),
        FieldPanel("name_kk"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("description_ru"),
        FieldPanel("description_kk"),
        FieldPanel("colour"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("sub-sector")
        verbose_name_plural = _("sub-sectors")

    def __str__(self):
        return self.name

    def _localized(self, field):
        language = (get_language() or "en").split("-")[0]
        value = getattr(self, f"{field}_{language}", "") if language != "en" else ""
        return value or getattr(self, field)

    @property
    def localized_name(self):
        return self._localized("name")

    @property
    def localized_description(self):
        return self._localized("description")


class HomePage(Page):
    """The front door: tells a practitioner what Sheber teaches and why, in their language."""

    hero_heading = models.CharField(
        _("hero heading"), max_length=120, help_text=_("The first line visitors read.")
    )
    hero_text = models.TextField(
        _("hero text"), max_length=600, help_text=_("Two or three sentences under the heading.")
    )
    sectors_heading = models.CharField(
        _("sectors heading"),
        max_length=120,
        help_text=_("Heading above the tiles of the sub-sectors."),
    )
    sectors_intro = models.TextField(_("sectors introduction"), max_length=400, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("hero_heading"), FieldPanel("hero_text")], heading=_("Hero")),
        MultiFieldPanel(
            [FieldPanel("sectors_heading"), FieldPanel("sectors_intro")], heading=_("Sectors")
        ),
        FieldPanel("body"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("hero_text"), index.SearchField("body")]

    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sectors"] = SubSector.objects.all()
        return context


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Shown in the footer for learners' questions."),
    )

    panels = [FieldPanel("contact_email")]

    class Meta:
        verbose_name = _("site settings")


class SheberImage(AbstractImage):
    """Sheber's image model, in place from the first migration so that fields can be added later
    without a data migration of every image."""

    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class SheberRendition(AbstractRendition):
    image = models.ForeignKey(SheberImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class UploadedImport(models.Model):
    """A file a trainer uploaded to import (glossary terms, quiz questions): kept between the
    preview and the confirmation, so that any worker can apply it, and as a record of who
    imported what."""

    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.file_name

"""Loads the home page copy from home/data/home_page.yaml into an English home page and its
Russian and Kazakh translations. Running it again updates the pages in place."""

from pathlib import Path

import yaml

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import Locale, Page, Site

from .models import HomePage

HOME_PAGE_DATA = Path(__file__).resolve().parent / "data" / "home_page.yaml"
COPY_FIELDS = ("title", "hero_heading", "hero_text", "sectors_heading", "sectors_intro", "body")


def translation_of(page, locale):
    """The page's translation in `locale`, copied from `page` when it does not exist yet."""
    existing = page.get_translation_or_none(locale)
    return existing.specific if existing else page.copy_for_translation(locale).specific


def _apply(page, copy):
    for field in COPY_FIELDS:
        setattr(page, field, copy[field])
    page.save_revision().publish()


@transaction.atomic
def load_home_page(path=HOME_PAGE_DATA):
    """Create or update the home page in every language of the data file; return the English one."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    english = Locale.objects.get(language_code="en")
    home = HomePage.objects.filter(locale=english).first()
    if home is None:
        # Wagtail's welcome page (and the site that points at it) gives way to ours.
        Page.objects.filter(depth=2, content_type=ContentType.objects.get_for_model(Page)).delete()
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(locale=english, live=False, **data["en"]))
    _apply(home, data["en"])
    # The site serves the English home page; Wagtail picks the translation for /ru/ and /kk/.
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "site_name": "Sheber", "root_page": home},
    )

    for language_code, copy in data.items():
        if language_code == "en":
            continue
        locale = Locale.objects.get(language_code=language_code)
        _apply(translation_of(home, locale), copy)
    return home

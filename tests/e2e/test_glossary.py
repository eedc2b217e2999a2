import re

import pytest
from playwright.sync_api import expect

from glossary.factories import TermFactory
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def glossary(site):
    fresnel = TermFactory(
        headword="Fresnel", ru="линзовый прожектор Френеля", kk="Френель прожекторы"
    )
    gel = TermFactory(headword="gel", ru="светофильтр", kk="жарық сүзгісі")
    fresnel.related_links.create(related=gel)
    fresnel.save()
    TermFactory(headword="clapperboard", ru="хлопушка", kk="хлопушка", sectors=("film",))
    return fresnel


PAGES = [
    "/{lang}/glossary/",
    "/{lang}/glossary/?q=прожектор",
    "/{lang}/glossary/?q=fresnell",
    "/{lang}/glossary/?q=nothing-like-this",
    "/{lang}/glossary/?letter=f&sector=performing-arts",
    "/{lang}/glossary/fresnel/",
    "/{lang}/sectors/performing-arts/",
]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_glossary_pages_pass_axe(page, glossary, language, viewport):
    page.set_viewport_size(viewport)
    for path in PAGES:
        page.goto(path.format(lang=language))
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_search_by_keyboard_in_kazakh_and_follow_a_term(page, glossary):
    page.goto("/kk/glossary/")
    page.get_by_role("searchbox").focus()
    page.keyboard.type("ФРЕНЕЛЬ")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"q=%D0%A4%D0%A0%D0%95%D0%9D%D0%95%D0%9B%D0%AC"))
    link = page.get_by_role("link", name="Fresnel")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Fresnel")
    equivalents = page.locator(".term__equivalent")
    expect(equivalents.first).to_have_text("Френель прожекторы")
    expect(page.get_by_role("link", name="gel")).to_be_visible()


def test_did_you_mean_leads_to_the_term(page, glossary):
    page.goto("/en/glossary/?q=fresnell")
    page.get_by_role("link", name="Fresnel").click()

    expect(page).to_have_url(re.compile("/en/glossary/fresnel/$"))

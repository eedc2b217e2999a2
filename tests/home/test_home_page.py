import pytest

from django.test import Client
from django.urls import reverse
from django.utils import translation

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.content import load_home_page
from home.models import HomePage, SubSector
from tests.home.forms import home_page_form_data
from tests.html_text import visible_texts

pytestmark = pytest.mark.django_db


class TestHomePageType(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = load_home_page()

    def test_lives_at_the_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_renders_and_is_editable(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsEditable(self.home, post_data=home_page_form_data(self.home))
        self.assertPageIsPreviewable(self.home, post_data=home_page_form_data(self.home))


@pytest.mark.parametrize(
    ("language", "heading", "sector"),
    [
        ("en", "Master the skills and the English of your craft", "Performing arts"),
        ("ru", "Освойте навыки и английский язык своей профессии", "Исполнительские искусства"),
        ("kk", "Кәсібіңіздің дағдылары мен ағылшын тілін меңгеріңіз", "Орындаушылық өнер"),
    ],
)
def test_home_page_speaks_each_language(client, home_page, language, heading, sector):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert heading in html
    assert sector in html
    assert html.count('class="card"') == SubSector.objects.count()


def test_root_redirects_to_a_language(client, home_page):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="kk").headers["Location"] == "/kk/"


def test_unknown_address_is_a_friendly_404(client, home_page):
    response = client.get("/ru/no-such-page/")

    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


# Words that are the same in every language of the interface: the brand, language names,
# the demo addresses and the Latin terms that the copy quotes on purpose.
SAME_IN_EVERY_LANGUAGE = {"Sheber", "English", "Русский", "Қазақша", "·"}


def learner_pages(learner):
    """Every learner-facing page of the foundation, as (url name, needs login)."""
    return [
        ("home", False),
        ("learners:signup", False),
        ("learners:login", False),
        ("learners:password_reset", False),
        ("learners:password_reset_done", False),
        ("learners:password_reset_complete", False),
        ("learners:settings", True),
        ("learners:password_change", True),
    ]


def page_texts(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return set(visible_texts(response.content.decode()))


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_no_english_interface_text_is_left_in_russian_or_kazakh(home_page, learner, language):
    """Compares each page with its English version: any text that is identical in both, except
    names that are the same in every language, is a string that escaped translation."""
    for name, needs_login in learner_pages(learner):
        client = Client()
        if needs_login:
            client.force_login(learner)
        paths = {}
        for code in ("en", language):
            with translation.override(code):
                paths[code] = f"/{code}/" if name == "home" else reverse(name)
        english = page_texts(client, paths["en"])
        translated = page_texts(client, paths[language])
        untranslated = (english & translated) - SAME_IN_EVERY_LANGUAGE
        untranslated = {text for text in untranslated if learner.email not in text}
        assert not untranslated, f"{paths[language]}: {sorted(untranslated)}"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_form_errors_are_translated_too(client, language):
    with translation.override("en"):
        english = set(visible_texts(client.post(reverse("learners:signup"), {}).content.decode()))
    with translation.override(language):
        path = reverse("learners:signup")
    translated = set(visible_texts(client.post(path, {}).content.decode()))

    assert not (english & translated) - SAME_IN_EVERY_LANGUAGE

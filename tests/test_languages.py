"""Russian and Kazakh beyond the catalogues: plurals, dates and numbers as each language writes
them, and the Wagtail admin in Russian for trainers."""

import json
import re
import uuid
from datetime import date

import pytest

from django.template import Context, Template
from django.utils import formats, translation

from wagtail.users.models import UserProfile

from courses.models import Certificate
from glossary.factories import TermFactory

pytestmark = pytest.mark.django_db


def heading_count(client, path):
    html = client.get(path).content.decode()
    start = html.index('id="results-heading">') + len('id="results-heading">')
    return " ".join(html[start : html.index("</h2>", start)].split())


@pytest.mark.parametrize(
    ("terms", "russian", "kazakh"),
    [
        (1, "1 термин", "1 термин"),
        (3, "3 термина", "3 термин"),
        (5, "5 терминов", "5 термин"),
        (11, "11 терминов", "11 термин"),
        (21, "21 термин", "21 термин"),
    ],
)
def test_counts_take_the_plural_form_of_each_language(client, terms, russian, kazakh):
    for number in range(terms):
        TermFactory(headword=f"lantern {number:02d}")

    assert heading_count(client, "/ru/glossary/") == russian
    assert heading_count(client, "/kk/glossary/") == kazakh
    assert heading_count(client, "/en/glossary/") == f"{terms} term" + "s" * (terms != 1)


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "28 November 2026"), ("ru", "28 ноября 2026"), ("kk", "28 қараша 2026")],
)
def test_dates_name_the_month_as_the_language_does(client, learner, language, written):
    certificate = Certificate.objects.create(
        code=uuid.uuid4(),
        learner=learner,
        module_key=uuid.uuid4(),
        learner_name="Әлия Қайратқызы",
        module_title="Negotiation",
        language=language,
    )
    Certificate.objects.filter(pk=certificate.pk).update(issued_at="2026-11-28T10:00:00+05:00")

    html = client.get(f"/{language}/certificates/{certificate.code}/").content.decode()

    assert written in html


@pytest.mark.parametrize(
    ("language", "long_date", "number"),
    [
        ("en", "Nov. 28, 2026", "1234.5"),
        ("ru", "28 ноября 2026 г.", "1234,5"),
        ("kk", "2026 ж. 28 қараша", "1234,5"),
    ],
)
def test_default_date_and_number_formats(language, long_date, number):
    with translation.override(language):
        assert formats.date_format(date(2026, 11, 28)) == long_date
        assert Template("{{ value|floatformat:1 }}").render(Context({"value": 1234.5})) == number


def menu_labels(html):
    """Every label of the admin's sidebar menu (Wagtail sends the menu as JSON)."""
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    labels = set()

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("label"), str):
                labels.add(value["label"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(props))
    return labels


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("ru", ["Страницы", "Глоссарий", "Воронка модуля", "Слушатели", "Трудные термины"]),
        ("en", ["Pages", "Glossary", "Module funnel", "Learners", "Hard terms"]),
    ],
)
def test_trainers_use_the_admin_in_russian_or_english(client, trainer, language, texts):
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = language
    profile.save()
    client.force_login(trainer)

    html = client.get("/admin/").content.decode()

    assert f'<html lang="{language}"' in html
    assert set(texts) <= menu_labels(html)

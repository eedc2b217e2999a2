"""The glossary listed by its Russian or Kazakh equivalents, in dictionary order, the same on
SQLite and PostgreSQL (neither database's collation knows where ә or қ belong)."""

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.factories import TermFactory
from glossary.models import TermTranslation
from home.text import sort_key

pytestmark = pytest.mark.django_db

KAZAKH_IN_ORDER = [
    "ағаш",
    "әуен",
    "жарық",
    "кулиса",
    "қараңғылау",
    "нота",
    "ою",
    "өнер",
    "ұйым",
    "үн",
    "һәм",
    "ықылас",
    "іс-шара",
]
ALPHABET_QUERIES = 5  # initials, count, a page of equivalents with their terms, sectors, settings


def listed(html, language):
    return re.findall(rf'<span lang="{language}">([^<]+)</span> —', html)


@pytest.fixture
def kazakh_terms(db):
    # Made in reverse so that neither insertion order nor primary keys give the answer.
    for number, word in enumerate(reversed(KAZAKH_IN_ORDER)):
        TermFactory(headword=f"term {number:02d}", kk=word, ru=None)


def test_kazakh_words_are_in_kazakh_dictionary_order(client, kazakh_terms):
    html = client.get("/kk/glossary/in/kk/").content.decode()

    assert listed(html, "kk") == KAZAKH_IN_ORDER


def test_a_letter_lists_only_its_words_and_the_alphabet_marks_empty_letters(client, kazakh_terms):
    html = client.get("/kk/glossary/in/kk/?letter=қ").content.decode()

    assert listed(html, "kk") == ["қараңғылау"]
    assert 'href="?letter=%D2%9B" aria-current="true"' in html
    # к and қ are different letters: кулиса is not under қ, and Ё is no heading of its own.
    assert '<span class="letters__empty" lang="kk">Ф</span>' in html
    assert ">Ё<" not in html


def test_russian_puts_yo_with_ye_and_ignores_letter_case(client, db):
    for word in ("Ёлочный свет", "ель", "Еда", "ящик", "жюри"):
        TermFactory(headword=f"t {word}", ru=word, kk=None)

    html = client.get("/ru/glossary/in/ru/").content.decode()

    # ё is filed as е, and о comes before ь: ёлочный (елочный) before ель.
    assert listed(html, "ru") == ["Еда", "Ёлочный свет", "ель", "жюри", "ящик"]


def test_sort_key_orders_spaces_and_digits_before_letters():
    words = ["ән салу", "әнші", "2 ән", "ән"]

    assert sorted(words, key=lambda w: sort_key(w, "kk")) == ["2 ән", "ән", "ән салу", "әнші"]


def test_sort_key_is_kept_when_an_equivalent_is_edited(kazakh_terms):
    row = TermTranslation.objects.get(text="ою")
    row.text = "әуез"
    row.save()

    assert TermTranslation.objects.get(pk=row.pk).sort_key == sort_key("әуез", "kk")


@pytest.mark.parametrize("path", ["/kk/glossary/in/kk/", "/ru/glossary/in/ru/?letter=т"])
def test_query_count_does_not_grow_with_the_glossary(client, kazakh_terms, path):
    def queries():
        client.get(path)
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context.captured_queries)

    TermFactory(headword="timbre", ru="тембр", kk="тембр")
    small = queries()
    for number in range(60):
        TermFactory(headword=f"extra {number:03d}")
    assert small == queries() == ALPHABET_QUERIES


@pytest.mark.parametrize("path", ["/en/glossary/in/en/", "/en/glossary/in/xx/"])
def test_other_languages_are_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("query", ["?letter=%00", "?letter=abc", "?page=-1", "?sector=%00"])
def test_odd_parameters_never_fail(client, kazakh_terms, query):
    assert client.get("/ru/glossary/in/kk/" + query).status_code == 200

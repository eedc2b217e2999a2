"""Wagtail search on PostgreSQL: the database backend picks PostgreSQL full-text search, finds
Russian and Kazakh words in lessons, modules and glossary terms, ranks title matches first and
follows every save."""

from io import StringIO

import pytest

from django.core.management import call_command
from django.db import connection

from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.database.postgres.postgres import PostgresSearchBackend
from wagtail.test.utils.form_data import inline_formset

from courses.models import LessonPage, ModulePage
from glossary.factories import TermFactory
from glossary.models import Term, TermTranslation
from tests.courses.conftest import build_module, publish
from tests.glossary.test_admin import LIST as TERMS
from tests.glossary.test_admin import term_form

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL full-text search: set DATABASE_URL=postgres://… (make test-postgres)",
    ),
    pytest.mark.django_db,
]


def lesson(module, title, text):
    return publish(
        module.add_child(
            instance=LessonPage(
                title=title, minutes=10, body=[{"type": "paragraph", "value": f"<p>{text}</p>"}]
            )
        )
    )


def titles(results):
    return [item.title for item in results]


def test_the_search_backend_is_postgresql_full_text_search():
    assert isinstance(get_search_backend(), PostgresSearchBackend)


def test_lessons_and_modules_are_found_by_russian_and_kazakh_words_title_first(catalogue):
    module = build_module(catalogue, slug="sahna", lessons=0)
    module.title = "Сахна техникасы"
    publish(module)
    lesson(module, "Свет: сцена и фильтры", "Художник по свету ставит фильтр на прожектор.")
    lesson(module, "Звук", "Монитор ставят там, где сцена кончается и начинается зал.")
    lesson(module, "Жарық", "Сахна жарығы: қойылымның әр көрінісіне өз жарығы керек.")

    assert titles(LessonPage.objects.live().search("сцена")) == ["Свет: сцена и фильтры", "Звук"]
    assert titles(LessonPage.objects.live().search("ФИЛЬТР")) == ["Свет: сцена и фильтры"]
    assert titles(LessonPage.objects.live().search("қойылымның")) == ["Жарық"]
    assert titles(Page.objects.live().type(ModulePage).search("сахна")) == ["Сахна техникасы"]


def add_term(client, headword, ru, kk, **fields):
    """A term as a trainer adds it in the admin (Glossary > Add)."""
    translations = inline_formset(
        [
            {"language": language, "text": text, "preferred": "on", "definition": "", "note": ""}
            for language, text in (("ru", ru), ("kk", kk))
        ]
    )
    form = term_form(headword=headword, translations=translations, status="approved", **fields)
    assert client.post(TERMS + "add/", form).status_code == 302


def test_glossary_terms_are_found_by_russian_and_kazakh_equivalents_headword_first(client, trainer):
    client.force_login(trainer)
    add_term(client, "safety curtain", "противопожарный занавес", "өртке қарсы шымылдық")
    add_term(
        client,
        "fly system",
        "штанкетная система",
        "іліп көтеру жүйесі",
        definition="Ropes and pulleys that lift scenery and the curtain above the stage.",
    )
    backend = get_search_backend()

    assert headwords(backend.search("curtain", Term)) == ["safety curtain", "fly system"]
    assert headwords(backend.search("ЗАНАВЕС", Term)) == ["safety curtain"]
    assert headwords(backend.search("шымылдық", Term)) == ["safety curtain"]
    assert headwords(backend.search("жүйесі", Term)) == ["fly system"]


def headwords(terms):
    return [term.headword for term in terms]


def test_the_index_follows_each_save(catalogue):
    term = TermFactory(headword="batten", ru="штанкет", kk="штанкет")
    page = lesson(build_module(catalogue, lessons=0), "Подвеска", "Штанкет опускают вниз.")
    backend = get_search_backend()
    assert headwords(backend.search("ілгіш", Term)) == []

    TermTranslation.objects.filter(term=term, language="kk").update(text="ілгіш")
    Term.objects.get(pk=term.pk).save()  # saved again, as the admin saves a term
    page.title = "Подвеска декораций"
    publish(page)

    assert headwords(backend.search("ілгіш", Term)) == ["batten"]
    assert titles(LessonPage.objects.live().search("декораций")) == ["Подвеска декораций"]


def test_update_index_indexes_imported_terms_with_their_equivalents():
    """The nightly job of docs/deploy.md: an import saves a term before its equivalents."""
    TermFactory(headword="counterweight", ru="противовес", kk="қарсы салмақ")

    call_command("update_index", stdout=StringIO())

    assert headwords(get_search_backend().search("противовес", Term)) == ["counterweight"]
    assert headwords(get_search_backend().search("салмақ", Term)) == ["counterweight"]

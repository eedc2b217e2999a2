"""Search behaves the same on SQLite and PostgreSQL: the suite runs on both."""

import pytest

from glossary.models import Term
from glossary.search import suggestion
from home.text import mixed_script_words, normalise

pytestmark = pytest.mark.django_db


def found(query):
    return [term.headword for term in Term.objects.approved().search(query)]


@pytest.mark.parametrize(
    ("query", "headword"),
    [
        ("Сахна", "stage"),
        ("САХНА", "stage"),
        ("ЁЛКА", "set tree"),
        ("елка", "set tree"),
        ("ҚОЙЫЛЫМ", "production"),
        ("қойылым", "production"),
        ("фре́нель", "Fresnel"),
        ("FRESNEL", "Fresnel"),
        ("theater", "theatre"),
        ("ПОСТАНОВКА", "production"),
    ],
)
def test_matches_every_language_in_any_letter_case(stage_terms, query, headword):
    assert headword in found(query)


def test_exact_and_prefix_matches_come_first(stage_terms):
    assert found("gel")[:2] == ["gel", "gels"]
    assert found("прожектор") == ["Fresnel"]


def test_draft_terms_are_not_found(stage_terms):
    assert found("черновик") == []


def test_kazakh_letters_are_not_folded_into_russian_ones(stage_terms):
    assert found("кОйылым") == []  # к is not қ
    assert normalise("й") != normalise("и")
    assert normalise("ә") != normalise("а")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("fresnell", "Fresnel"), ("fresnl", "Fresnel"), ("theatr", "theatre"), ("xyzzy", None)],
)
def test_did_you_mean(stage_terms, query, expected):
    term = suggestion(query)

    assert (term.headword if term else None) == expected


def test_search_key_drops_stress_and_yo_but_keeps_other_marks():
    assert normalise("Заво́д ЁЖИК") == "завод ежик"
    assert normalise("Йогурт") == "йогурт"
    assert normalise("café") == "café"


def test_mixed_scripts_are_spotted():
    # The first word has a Latin "a"; the second a Latin "c".
    assert mixed_script_words("сценa cцена сцена") == ["сценa", "cцена"]

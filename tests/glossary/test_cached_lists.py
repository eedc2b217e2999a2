"""The glossary's term lists are cached (they are the same for every learner with the same native
language), yet a learner never sees a list older than the glossary, nor one made for another
language."""

import pytest

from glossary.factories import TermFactory
from home.models import SubSector
from learners.factories import LearnerFactory

pytestmark = pytest.mark.django_db

LISTS = ["/en/glossary/", "/en/glossary/?letter=s", "/en/sectors/performing-arts/"]


@pytest.mark.parametrize("path", LISTS)
def test_a_changed_term_shows_at_once(client, path):
    term = TermFactory(headword="spotlight", definition="A lamp with a narrow beam.")
    assert "A lamp with a narrow beam." in client.get(path).text

    term.definition = "A lamp that lights one performer."
    term.save()

    page = client.get(path).text
    assert "A lamp that lights one performer." in page
    assert "A lamp with a narrow beam." not in page


@pytest.mark.parametrize("path", LISTS)
def test_a_new_term_shows_at_once(client, path):
    TermFactory(headword="spotlight")
    client.get(path)

    TermFactory(headword="scrim")

    assert ">scrim</a>" in client.get(path).text


@pytest.mark.parametrize("path", LISTS)
def test_each_learner_reads_their_own_language(client, path):
    TermFactory(headword="spotlight", ru="прожектор", kk="прожектор шамы")
    client.force_login(LearnerFactory(native_language="ru"))
    assert "прожектор шамы" not in client.get(path).text

    client.force_login(LearnerFactory(native_language="kk"))

    assert "прожектор шамы" in client.get(path).text


@pytest.mark.parametrize("path", LISTS)
def test_a_changed_equivalent_shows_at_once(client, path):
    term = TermFactory(headword="spotlight", ru="прожектор")
    assert "прожектор" in client.get(path).text

    translation = term.translations.get(language="ru")
    translation.text = "пушка"
    translation.save()

    page = client.get(path).text
    assert "пушка" in page
    assert "прожектор" not in page


def test_a_term_taken_off_a_sector_leaves_its_page_at_once(client):
    term = TermFactory(headword="spotlight", sectors=("performing-arts", "film"))
    assert ">spotlight</a>" in client.get("/en/sectors/performing-arts/").text

    term.sub_sectors = [SubSector.objects.get(slug="film")]
    term.save()

    assert ">spotlight</a>" not in client.get("/en/sectors/performing-arts/").text

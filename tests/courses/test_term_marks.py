"""The glossary terms marked in a lesson's text are cached (they are the same for every learner
with the same native language), yet always show the glossary as it is now, in the reader's
language."""

import pytest

from glossary.factories import TermFactory
from learners.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def test_a_changed_definition_shows_at_once(client, lessons, stage_terms):
    gel = stage_terms["gel"]
    gel.definition = "A coloured filter."
    gel.save()
    assert "A coloured filter." in client.get(lessons[0].url).text

    gel.definition = "A sheet of coloured plastic in front of a lantern."
    gel.save()

    page = client.get(lessons[0].url).text
    assert "A sheet of coloured plastic in front of a lantern." in page
    assert "A coloured filter." not in page


def test_a_new_term_is_marked_at_once(client, lessons, stage_terms):
    assert 'lang="en">focus call</button>' not in client.get(lessons[0].url).text

    TermFactory(headword="focus call", ru="фокусировка", kk="фокус қою")

    assert 'lang="en">focus call</button>' in client.get(lessons[0].url).text


def test_each_learner_reads_the_marks_in_their_language(client, lessons, stage_terms):
    client.force_login(LearnerFactory(native_language="ru"))
    assert "светофильтр" in client.get(lessons[0].url).text

    client.force_login(LearnerFactory(native_language="kk"))

    page = client.get(lessons[0].url).text
    assert "жарық сүзгісі" in page
    assert "светофильтр" not in page

import pytest

from django.utils import timezone

from glossary.models import Card, CardState
from learners.factories import LearnerFactory

pytestmark = pytest.mark.django_db

ADD = "/en/glossary/{slug}/drill/"


def test_a_learner_adds_a_term_once(client, learner, stage_terms):
    client.force_login(learner)
    before = timezone.now()

    first = client.post(ADD.format(slug="fresnel"), follow=True)
    client.post(ADD.format(slug="fresnel"))

    card = Card.objects.get()
    assert (card.learner, card.term) == (learner, stage_terms["fresnel"])
    assert card.state == CardState.LEARNING
    assert card.due >= before
    assert "is in your drills now" in first.content.decode()
    assert "In your drills" in client.get("/en/glossary/fresnel/").content.decode()


def test_each_learner_has_their_own_drills(client, learner, stage_terms):
    client.force_login(learner)
    client.post(ADD.format(slug="gel"))

    client.force_login(LearnerFactory())
    html = client.get("/en/glossary/gel/").content.decode()

    assert "Add to my drills" in html
    assert "In your drills" not in html


def test_refusals(client, learner, stage_terms):
    assert client.post(ADD.format(slug="gel"))["Location"].startswith("/en/accounts/login/")
    client.force_login(learner)
    assert client.get(ADD.format(slug="gel")).status_code == 405
    assert client.post(ADD.format(slug="draft-term")).status_code == 404
    assert client.post(ADD.format(slug="nope")).status_code == 404
    response = client.post(ADD.format(slug="gel"), {"next": "https://evil.example/"})
    assert response["Location"] == "/en/glossary/gel/"
    assert Card.objects.count() == 1


def test_lessons_offer_their_key_terms_for_drills(client, learner, stage_terms):
    from courses.models import CatalogueIndexPage, LessonPage
    from home.content import load_home_page
    from tests.courses.conftest import build_module, publish

    home = load_home_page()
    catalogue = publish(
        home.add_child(instance=CatalogueIndexPage(title="Modules", slug="modules"))
    )
    module = build_module(catalogue, lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    lesson.body.append(("key_terms", {"terms": [stage_terms["gel"], stage_terms["fresnel"]]}))
    publish(lesson)
    client.force_login(learner)
    client.post(ADD.format(slug="gel"))

    html = client.get(lesson.url).content.decode()

    assert html.count("In your drills") == 1
    assert html.count("Add to my drills") == 1
    assert "жарық сүзгісі" in html  # the learner reads Kazakh first

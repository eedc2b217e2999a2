import pytest

from django.utils import timezone

from courses.content import load_catalogue
from courses.models import LessonPage
from glossary.factories import TermFactory
from glossary.models import Card, CardState
from tests.courses.conftest import build_module, build_quiz
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def progress(site, learner, client):
    """A learner part-way through a module, with a quiz taken and terms in their drills."""
    module = build_module(load_catalogue(), lessons=2)
    quiz = build_quiz(module)
    client.force_login(learner)
    client.post(LessonPage.objects.child_of(module).order_by("path").first().url + "complete/")
    client.post(quiz.url + "start/")
    client.post(quiz.url + "attempts/1/", {"action": "submit"})
    for number, stability in enumerate([30.0, 2.0]):
        Card.objects.create(
            learner=learner,
            term=TermFactory(headword=f"dashboard term {number}"),
            due=timezone.now(),
            state=CardState.REVIEW,
            stability=stability,
        )
    return module


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_dashboard_passes_axe(page, log_in, learner, progress, language, viewport):
    log_in(learner)
    page.set_viewport_size(viewport)

    page.goto(f"/{language}/me/")

    assert page.locator("svg.activity rect").count() > 0
    assert page.locator(".bars__table tbody tr").count() == 1
    page.locator(".dashboard__table summary").click()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from glossary.factories import TermFactory
from glossary.models import Card, CardState, Review
from tests.e2e.conftest import PHONE, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def card(learner, term, *, minutes_overdue, state=CardState.LEARNING, stability=None, days=None):
    now = timezone.now()
    return Card.objects.create(
        learner=learner,
        term=term,
        state=state,
        step=None if state == CardState.REVIEW else 0,
        stability=stability,
        difficulty=5.0 if days is not None else None,
        last_review=now - timedelta(days=days) if days is not None else None,
        due=now - timedelta(minutes=minutes_overdue),
    )


@pytest.fixture
def session(site, learner):
    """Four cards due, one per mode, in the order the session serves them."""
    terms = {
        "fresnel": TermFactory(headword="Fresnel", ru="прожектор Френеля", kk="Френель прожекторы"),
        "gel": TermFactory(headword="gel", ru="светофильтр", kk="жарық сүзгісі"),
        "wing": TermFactory(headword="wing", ru="кулиса", kk="кулиса"),
        "stage": TermFactory(headword="stage", ru="сцена", kk="сахна"),
    }
    for headword, ru, kk in [("batten", "штанкет", "штанга"), ("cue", "реплика", "белгі")]:
        TermFactory(headword=headword, ru=ru, kk=kk)
    card(
        learner,
        terms["fresnel"],
        minutes_overdue=40,
        state=CardState.REVIEW,
        stability=12.0,
        days=9,
    )
    card(learner, terms["gel"], minutes_overdue=30, state=CardState.REVIEW, stability=3.0, days=2)
    card(learner, terms["wing"], minutes_overdue=20, stability=0.5, days=0)
    card(learner, terms["stage"], minutes_overdue=10)
    return terms


def choose(page, label):
    """Pick the option with `label` by its number key, then submit with Enter."""
    options = page.locator(".choice span").all_inner_texts()
    page.keyboard.press(str(options.index(label) + 1))
    page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_whole_session_by_keyboard(page, log_in, learner, session, language):
    learner.interface_language = language
    learner.native_language = language
    learner.save()
    log_in(learner)
    page.set_viewport_size(PHONE)
    page.goto(f"/{language}/drill/")
    feedback = page.locator("[data-drill-feedback]")
    progress = page.locator("#drill-progress-label + .progress__figures, .progress__figures")
    assert_accessible(page)

    # 1. typing: the prompt is in the learner's language; the field has focus
    expect(page.locator("#drill-answer")).to_be_focused()
    page.keyboard.type("Fresnel")
    page.keyboard.press("Enter")
    expect(feedback).to_have_attribute("data-result", "right")
    expect(feedback).to_contain_text("Fresnel")

    # 2. multiple choice, in English
    expect(page.locator("[data-mode=choice] #drill-prompt")).to_be_focused()
    expect(progress).to_contain_text("1")
    assert_accessible(page)
    choose(page, "gel")
    expect(feedback).to_contain_text("gel")

    # 3. multiple choice, the learner's equivalent: a wrong one this time
    expect(page.locator("#drill-prompt")).to_have_text("wing")
    wrong = next(
        label for label in page.locator(".choice span").all_inner_texts() if label != "кулиса"
    )
    choose(page, wrong)
    expect(feedback).to_have_attribute("data-result", "wrong")

    # 4. a new term: Space shows the answer, 3 grades it Good
    expect(page.locator("#drill-prompt")).to_have_text("stage")
    page.keyboard.press("Space")
    expect(page.locator(".drill-card__answer").first).to_be_visible()
    expect(page.locator("[data-drill-back]")).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("3")

    summary = page.locator("[data-drill-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("4")
    expect(summary).to_contain_text("3")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ratings = dict(Review.objects.values_list("card__term__headword", "rating"))
    assert ratings == {"Fresnel": 3, "gel": 3, "wing": 1, "stage": 3}
    assert sorted(Review.objects.values_list("mode", flat=True)) == [
        "choice",
        "choice",
        "flashcard",
        "typing",
    ]


def test_an_answer_survives_a_dropped_connection(page, context, log_in, learner, session):
    log_in(learner)
    page.goto("/en/drill/")
    connection = page.locator("[data-drill-connection]")

    context.set_offline(True)
    page.keyboard.type("Fresnel")
    page.keyboard.press("Enter")
    expect(connection).to_be_visible()
    expect(connection).to_contain_text("Answers waiting on this device: 1")
    assert not Review.objects.exists()

    context.set_offline(False)
    expect(connection).to_be_hidden()
    expect(page.locator("[data-drill-feedback]")).to_contain_text("Connection back")
    expect(page.locator("[data-mode=choice]")).to_be_visible()
    assert Review.objects.get().given_answer == "Fresnel"


def test_a_lost_reply_is_retried_with_the_same_key_and_counted_once(page, log_in, learner, session):
    log_in(learner)
    replies = []

    def lose_the_first_reply(route):
        if not replies:
            replies.append(route.fetch())  # the server records the answer...
            route.abort()  # ...and the reply never arrives
        else:
            route.continue_()

    page.route("**/drill/answer/", lose_the_first_reply)
    page.goto("/en/drill/")
    expect(page.locator("[data-mode=typing] input[name=answer]")).to_be_focused()
    page.keyboard.type("Fresnel")
    page.keyboard.press("Enter")

    expect(page.locator("[data-mode=choice]")).to_be_visible()
    assert replies[0].status == 200
    assert Review.objects.count() == 1
    card = Card.objects.get(term=session["fresnel"])
    assert card.reviews.count() == 1

import json
from datetime import timedelta

import pytest

from django.utils import timezone

from glossary.factories import TermFactory
from glossary.models import Card, CardState, Review
from learners.factories import LearnerFactory
from tests.conftest import SESSION_QUERY

from .conftest import make_card

pytestmark = pytest.mark.django_db

DRILL = "/en/drill/"
ANSWER = "/en/drill/answer/"
JSON = {"HTTP_ACCEPT": "application/json"}


def known(learner, term, stability=10.0):
    """A card in review, due now: typed once a term is known for a week or more."""
    return make_card(
        learner, term, state=CardState.REVIEW, stability=stability, reviewed=timedelta(days=6)
    )


def test_needs_login(client):
    for response in (
        client.get(DRILL),
        client.post(ANSWER, {"card": "1"}),
        client.get("/en/drill/hard/"),
        client.post("/en/drill/hard/1/reset/"),
    ):
        assert response["Location"].startswith("/en/accounts/login/")


def test_a_sector_deck_starts_new_terms_up_to_the_daily_limit(client, learner, stage_terms):
    learner.new_terms_per_day = 2
    learner.save()
    client.force_login(learner)

    page = client.get(DRILL, {"deck": "sector:performing-arts"})

    assert page.context["counts"] == {"due": 0, "new": 2}
    assert "Due now: 0 · New today: 2" in page.content.decode()
    exercise = page.context["exercise"]
    assert exercise.mode == "flashcard"
    assert exercise.card.term.status == "approved"
    assert "Show the answer" in page.content.decode()
    # the allowance is spent once two new terms have started today
    card = exercise.card
    client.post(ANSWER, {"card": card.pk, "key": "a", "mode": "flashcard", "rating": "3"})
    second = client.get(DRILL, {"deck": "sector:performing-arts"}).context["exercise"].card
    client.post(ANSWER, {"card": second.pk, "key": "b", "mode": "flashcard", "rating": "3"})
    third = client.get(DRILL, {"deck": "sector:performing-arts"})
    assert third.context["counts"]["new"] == 0
    assert {card.term_id for card in Card.objects.filter(learner=learner)} == {
        card.term_id,
        second.term_id,
    }


def test_flashcard_reveal_and_grade_without_javascript(client, learner, stage_terms):
    card = Card.objects.create(learner=learner, term=stage_terms["stage"], due=timezone.now())
    client.force_login(learner)

    hidden = client.get(DRILL).content.decode()
    revealed = client.get(DRILL, {"reveal": "1"}).content.decode()
    assert "data-drill-back hidden" in hidden
    assert "data-drill-back hidden" not in revealed
    assert "сахна" in revealed  # the learner reads Kazakh first
    response = client.post(
        ANSWER, {"card": card.pk, "key": "k1", "mode": "flashcard", "rating": "3", "deck": "due"}
    )
    client.post(ANSWER, {"card": card.pk, "key": "k1", "mode": "flashcard", "rating": "3"})

    assert response.status_code == 302
    assert response["Location"] == "/en/drill/?deck=due&done=1&right=1"
    assert "“stage” comes back" in client.get(response["Location"]).content.decode()
    review = Review.objects.get()
    assert (review.rating, review.mode, review.card_state) == (3, "flashcard", CardState.LEARNING)
    card.refresh_from_db()
    assert card.due > timezone.now()


@pytest.mark.parametrize(
    ("typed", "rating", "message"),
    [
        ("Fresnel", 3, "Right: “Fresnel” is “Френель прожекторы”."),
        ("fresnell", 2, "Accepted, with a typo: it is spelt “Fresnel”."),
        ("gel", 1, "Not quite: “Fresnel” is “Френель прожекторы”."),
        ("", 1, "Not quite"),
    ],
)
def test_typing_is_judged_on_the_server(client, learner, stage_terms, typed, rating, message):
    card = known(learner, stage_terms["fresnel"])
    client.force_login(learner)
    page = client.get(DRILL)
    assert page.context["exercise"].mode == "typing"

    response = client.post(
        ANSWER, {"card": card.pk, "key": "k", "mode": "typing", "answer": typed}, follow=True
    )

    assert Review.objects.get().rating == rating
    assert message in response.content.decode()


def test_the_typing_prompt_does_not_give_the_answer_away(client, learner):
    term = TermFactory(
        headword="fly bar",
        ru="штанкет",
        kk="штанкет",
        definition="A fly bar hangs from the grid; fly bars carry lights.",
    )
    known(learner, term)
    client.force_login(learner)

    html = client.get(DRILL).content.decode()

    assert "штанкет" in html
    assert "hangs from the grid" in html
    assert "fly bar" not in html.lower()


def test_the_script_gets_json_and_the_next_exercise_as_a_fragment(client, learner, stage_terms):
    card = known(learner, stage_terms["gel"])
    known(learner, stage_terms["stage"])
    client.force_login(learner)

    response = client.post(
        ANSWER,
        {"card": card.pk, "key": "j1", "mode": "typing", "answer": "gel", "deck": "due"},
        **JSON,
    )
    body = json.loads(response.content)
    assert body == {
        "result": "right",
        "message": "Right: “gel” is “жарық сүзгісі”.",
        "next": "/en/drill/?deck=due&done=1&right=1",
    }
    fragment = client.get(body["next"] + "&fragment=1").content.decode()
    assert "<html" not in fragment
    assert 'name="done" value="1"' in fragment
    assert "сахна" in fragment  # the next card, typed from Kazakh

    refused = client.post(ANSWER, {"card": card.pk, "mode": "flashcard"}, **JSON)
    assert refused.status_code == 400
    assert json.loads(refused.content)["message"] == "Choose an answer first."


def test_the_session_ends_with_a_summary(client, learner, stage_terms):
    card = Card.objects.create(learner=learner, term=stage_terms["gel"], due=timezone.now())
    client.force_login(learner)
    client.post(ANSWER, {"card": card.pk, "key": "s", "mode": "flashcard", "rating": "3"})

    html = client.get(DRILL, {"done": "3", "right": "2"}).content.decode()

    assert "Session complete" in html
    assert "You answered 3 terms, 2 right." in html
    assert "The next term is due" in html


def test_another_learners_cards_are_out_of_reach(client, learner, stage_terms):
    card = Card.objects.create(learner=learner, term=stage_terms["gel"], due=timezone.now())
    card.suspended = True
    card.save()
    mine = Card.objects.create(learner=LearnerFactory(), term=stage_terms["stage"], due=card.due)
    client.force_login(mine.learner)

    answer = {"card": card.pk, "key": "x", "mode": "flashcard", "rating": "3"}
    assert client.post(ANSWER, answer).status_code == 404
    both = {"card": [mine.pk, card.pk], "key": "y", "mode": "matching"}
    assert client.post(ANSWER, both).status_code == 404
    assert client.post(f"/en/drill/hard/{card.pk}/reset/").status_code == 404
    assert "gel" not in client.get("/en/drill/hard/").content.decode()
    assert client.get(DRILL).context["exercise"].card == mine
    assert not Review.objects.exists()
    card.refresh_from_db()
    assert card.suspended


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"card": "abc"},
        {"card": "1", "rating": "9"},
        {"card": "99999999999999999999"},
        {"card": "1", "mode": "choice", "choice": "x"},
        {"card": "1", "mode": "matching"},
        {"card": "1", "mode": "typing", "answer": "a\x00b"},
        {"card": "1", "mode": "nonsense", "rating": "3", "done": "-5", "right": "x"},
    ],
)
def test_bad_posts_never_fail(client, learner, stage_terms, data):
    card = Card.objects.create(learner=learner, term=stage_terms["gel"], due=timezone.now())
    client.force_login(learner)
    data = {key: (str(card.pk) if value == "1" else value) for key, value in data.items()}

    response = client.post(ANSWER, data)

    assert response.status_code in {302, 404}
    assert Review.objects.count() <= 1  # only a well-formed answer is recorded
    if response.status_code == 302 and not Review.objects.exists():
        page = client.get(response["Location"]).content.decode()
        assert "first." in page  # "Choose an answer first." / "Match every term first."


def test_nothing_due_says_when(client, learner, stage_terms):
    Card.objects.create(
        learner=learner, term=stage_terms["gel"], due=timezone.now() + timezone.timedelta(days=2)
    )
    client.force_login(learner)

    assert "The next term is due" in client.get(DRILL).content.decode()


def test_my_terms_holds_the_terms_the_learner_added(client, learner, stage_terms):
    Card.objects.create(learner=learner, term=stage_terms["gel"], due=timezone.now())
    client.force_login(learner)
    client.post("/en/glossary/stage/drill/")

    page = client.get(DRILL, {"deck": "mine"})

    assert page.context["counts"] == {"due": 1, "new": 0}
    assert page.context["exercise"].card.term == stage_terms["stage"]
    assert client.get(DRILL, {"deck": "due"}).context["counts"]["due"] == 2


@pytest.mark.parametrize("cards", [10, 60])
def test_the_drill_page_runs_a_fixed_number_of_queries(
    client, learner, django_assert_num_queries, cards
):
    terms = TermFactory.create_batch(cards)
    for term in terms[: cards // 2]:
        known(learner, term)
    for term in terms[cards // 2 :]:
        known(learner, term, stability=3.0)  # young reviews: multiple choice
    Review.objects.bulk_create(
        Review(
            learner=learner,
            card=card,
            rating=3,
            mode="typing",
            card_state=CardState.REVIEW,
            reviewed_at=timezone.now() - timedelta(days=number % 5),
            idempotency_key=f"seed-{number}",
        )
        for number, card in enumerate(Card.objects.all())
    )
    client.force_login(learner)
    client.get(DRILL)  # the session row exists from now on

    # session and user 2 · deck's sector 1 · stats 5 · counts 3 · due cards and translations 2 ·
    # sectors 1 · modules 1 · the menu's permissions 2 · site settings 1
    with django_assert_num_queries(QUERIES_DRILL):
        page = client.get(DRILL, {"deck": "sector:performing-arts"})
    assert page.context["exercise"] is not None


@pytest.mark.parametrize("cards", [10, 60])
def test_the_answer_endpoint_runs_a_fixed_number_of_queries(
    client, learner, django_assert_num_queries, cards
):
    made = [known(learner, term) for term in TermFactory.create_batch(cards)]
    client.force_login(learner)
    first = {"card": made[0].pk, "key": "p", "mode": "typing", "answer": "?"}
    client.post(ANSWER, first)  # the session row and the cached headwords exist from now on

    # session and user 2 · cards and their translations 2 · usual time 1 · savepoints 2, card
    # locked, key looked up, card saved, review added, releases 2 (whether the headwords changed
    # is a cache entry, glossary.search.glossary_version, no longer a query)
    with django_assert_num_queries(QUERIES_ANSWER):
        response = client.post(
            ANSWER,
            {"card": made[-1].pk, "key": "q", "mode": "typing", "answer": made[-1].term.headword},
            **JSON,
        )
    assert json.loads(response.content)["result"] == "right"


QUERIES_DRILL = 17 + SESSION_QUERY
QUERIES_ANSWER = 12 + SESSION_QUERY

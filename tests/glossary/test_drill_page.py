import pytest

from django.utils import timezone

from glossary.models import Card, CardState, Review
from learners.factories import LearnerFactory

pytestmark = pytest.mark.django_db

DRILL = "/en/drill/"
ANSWER = "/en/drill/answer/"


def test_needs_login(client):
    assert client.get(DRILL)["Location"].startswith("/en/accounts/login/")
    assert client.post(ANSWER, {"card": "1"})["Location"].startswith("/en/accounts/login/")


def test_a_sector_deck_starts_new_terms_up_to_the_daily_limit(client, learner, stage_terms):
    learner.new_terms_per_day = 2
    learner.save()
    client.force_login(learner)

    page = client.get(DRILL, {"deck": "sector:performing-arts"})

    assert page.context["counts"] == {"due": 0, "new": 2}
    card = page.context["card"]
    assert page.context["mode"] == "flashcard"
    assert card.term.status == "approved"
    assert "Show the answer" in page.content.decode()


def test_flashcard_reveal_and_grade_without_javascript(client, learner, stage_terms):
    card = Card.objects.create(learner=learner, term=stage_terms["stage"], due=timezone.now())
    client.force_login(learner)

    revealed = client.get(DRILL, {"reveal": "1"}).content.decode()
    assert "сахна" in revealed  # the learner reads Kazakh first
    response = client.post(
        ANSWER, {"card": card.pk, "key": "k1", "mode": "flashcard", "rating": "3"}
    )
    client.post(ANSWER, {"card": card.pk, "key": "k1", "mode": "flashcard", "rating": "3"})

    assert response.status_code == 302
    assert Review.objects.get().rating == 3
    card.refresh_from_db()
    assert card.due > timezone.now()


@pytest.mark.parametrize(
    ("typed", "rating", "message"),
    [
        ("Fresnel", 3, "Right"),
        ("fresnell", 2, "Accepted, with a typo"),
        ("gel", 1, "Not quite"),
    ],
)
def test_typing_is_judged_on_the_server(client, learner, stage_terms, typed, rating, message):
    card = Card.objects.create(
        learner=learner,
        term=stage_terms["fresnel"],
        due=timezone.now(),
        state=CardState.REVIEW,
        stability=5.0,
        difficulty=5.0,
        step=None,
        last_review=timezone.now() - timezone.timedelta(days=5),
    )
    client.force_login(learner)
    assert client.get(DRILL).context["mode"] == "typing"

    response = client.post(
        ANSWER, {"card": card.pk, "key": "k", "mode": "typing", "answer": typed}, follow=True
    )

    assert Review.objects.get().rating == rating
    assert message in response.content.decode()


def test_another_learners_card_is_404(client, learner, stage_terms):
    card = Card.objects.create(learner=learner, term=stage_terms["gel"], due=timezone.now())
    client.force_login(LearnerFactory())

    response = client.post(
        ANSWER, {"card": card.pk, "key": "x", "mode": "flashcard", "rating": "3"}
    )

    assert response.status_code == 404
    assert not Review.objects.exists()


@pytest.mark.parametrize("data", [{}, {"card": "abc"}, {"card": "1", "rating": "9"}])
def test_bad_posts_never_fail(client, learner, stage_terms, data):
    Card.objects.create(learner=learner, term=stage_terms["gel"], due=timezone.now())
    client.force_login(learner)

    assert client.post(ANSWER, data).status_code in {302, 404}
    assert not Review.objects.exists()


def test_nothing_due_says_when(client, learner, stage_terms):
    Card.objects.create(
        learner=learner, term=stage_terms["gel"], due=timezone.now() + timezone.timedelta(days=2)
    )
    client.force_login(learner)

    assert "The next term is due" in client.get(DRILL).content.decode()

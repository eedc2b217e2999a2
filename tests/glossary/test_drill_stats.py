from datetime import UTC, date, datetime, timedelta

import pytest

from glossary.factories import TermFactory
from glossary.models import Card, CardState, Review
from glossary.reviews import LEECH_LAPSES
from glossary.stats import drill_stats, streak_length

from .conftest import make_card

pytestmark = pytest.mark.django_db

# 14:00 in Almaty (UTC+5)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def review(card, when, rating=3, state=CardState.REVIEW, key=None):
    return Review.objects.create(
        learner=card.learner,
        card=card,
        rating=rating,
        mode="typing",
        card_state=state,
        reviewed_at=when,
        idempotency_key=key or f"{card.pk}-{when.isoformat()}-{rating}",
    )


def test_a_streak_counts_days_in_a_row_up_to_today_or_yesterday():
    today = date(2026, 11, 28)
    days = [today - timedelta(days=n) for n in (0, 1, 2, 4)]
    assert streak_length(days, today) == 3
    assert streak_length(days[1:], today) == 2  # nothing yet today: yesterday's streak holds
    assert streak_length(days[2:], today) == 0
    assert streak_length([], today) == 0


def test_the_drill_stats(learner):
    performing = TermFactory.create_batch(3, sectors=("performing-arts",))
    film = TermFactory(sectors=("film",))
    cards = [
        make_card(
            learner,
            performing[0],
            state=CardState.REVIEW,
            stability=30.0,
            due=NOW + timedelta(days=30),
        ),
        make_card(
            learner,
            performing[1],
            state=CardState.REVIEW,
            stability=3.0,
            due=NOW - timedelta(days=2),
        ),
        make_card(learner, performing[2], due=NOW + timedelta(days=2, hours=1)),
        make_card(
            learner, film, state=CardState.REVIEW, stability=25.0, due=NOW + timedelta(hours=12)
        ),
    ]
    Card.objects.filter(pk=cards[3].pk).update(suspended=True)
    # reviews on the 28th (twice), 27th and 26th, and one on the 23rd; 3 of 4 recalled in review
    review(cards[0], NOW - timedelta(hours=1))
    review(cards[1], NOW - timedelta(hours=2), rating=1)
    review(cards[1], NOW - timedelta(days=1))
    review(cards[2], NOW - timedelta(days=2), state=CardState.LEARNING, rating=1)
    review(cards[0], NOW - timedelta(days=5))
    review(cards[0], NOW - timedelta(days=40), rating=1)  # too old for the retention

    stats = drill_stats(learner, NOW)

    assert stats.due_today == 1  # the overdue card; the suspended one is left out
    assert stats.reviewed_today == 2
    assert stats.streak == 3
    assert stats.retention == 75
    assert stats.hard == 1
    assert stats.forecast[0] == (date(2026, 11, 28), 1)
    assert stats.forecast[2] == (date(2026, 11, 30), 1)
    assert len(stats.forecast) == 7
    assert sum(count for _day, count in stats.forecast) == 2
    sectors = {pk: (mastered, total) for pk, mastered, total in stats.mastered}
    performing_arts = performing[0].sub_sectors.get().pk
    assert sectors[performing_arts] == (1, 3)
    assert sectors[film.sub_sectors.get().pk] == (1, 1)


def test_the_drill_page_shows_the_stats(client, learner):
    term = TermFactory(sectors=("performing-arts",))
    card = make_card(learner, term, state=CardState.REVIEW, stability=30.0)
    review(card, card.due - timedelta(minutes=5))
    client.force_login(learner)

    html = client.get("/en/drill/").content.decode()

    assert "Reviewed today</dt><dd>1</dd>" in html
    assert "1 day</dd>" in html
    assert "Remembered, last 30 days</dt><dd>100%</dd>" in html
    assert "Performing arts: 1 of 1" in html
    assert html.count('<th scope="row">') == 7


class TestHardTerms:
    @pytest.fixture
    def leech(self, learner, stage_terms):
        card = make_card(
            learner, stage_terms["gel"], state=CardState.REVIEW, reviewed=timedelta(days=1)
        )
        card.lapses, card.suspended = LEECH_LAPSES, True
        card.save()
        return card

    def test_a_leech_waits_in_the_hard_terms_list(self, client, learner, leech):
        client.force_login(learner)

        assert client.get("/en/drill/").context["exercise"] is None
        html = client.get("/en/drill/hard/").content.decode()
        assert "gel" in html
        assert "Forgotten 8 times" in html

    def test_reset_puts_it_back_as_a_new_term(self, client, learner, leech):
        client.force_login(learner)

        response = client.post(f"/en/drill/hard/{leech.pk}/reset/", follow=True)

        leech.refresh_from_db()
        assert (leech.suspended, leech.lapses, leech.state, leech.last_review) == (
            False,
            0,
            CardState.LEARNING,
            None,
        )
        assert "is back in your drills" in response.content.decode()
        assert client.get("/en/drill/").context["exercise"].mode == "flashcard"

    def test_reset_needs_a_post(self, client, learner, leech):
        client.force_login(learner)
        assert client.get(f"/en/drill/hard/{leech.pk}/reset/").status_code == 405

import threading
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from django.db import connection

from glossary.answers import judge_typed_answer
from glossary.models import Card, CardState, Review
from glossary.reviews import LEECH_LAPSES, record_review
from glossary.scheduling import rating_for
from home.text import normalise
from learners.factories import LearnerFactory

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def card(db, learner, stage_terms):
    return Card.objects.create(learner=learner, term=stage_terms["fresnel"], due=NOW)


def answer(card, rating, key, when=NOW):
    return record_review(card.learner, card.pk, rating, mode="typing", key=key, now=when)


class TestScheduler:
    def test_good_is_due_later_than_hard_and_again_comes_back_the_same_day(
        self, card, learner, stage_terms
    ):
        other = Card.objects.create(learner=learner, term=stage_terms["gel"], due=NOW)
        third = Card.objects.create(learner=learner, term=stage_terms["stage"], due=NOW)
        answer(card, Rating.Good, "a")
        answer(other, Rating.Hard, "b")
        answer(third, Rating.Again, "c")
        card.refresh_from_db(), other.refresh_from_db(), third.refresh_from_db()

        assert card.due > other.due > NOW
        assert third.due.date() == NOW.date()

    def test_intervals_grow_with_successive_good_answers(self, card):
        when, intervals = NOW, []
        for number in range(6):
            answer(card, Rating.Good, f"k{number}", when)
            card.refresh_from_db()
            intervals.append(card.due - when)
            when = card.due
        assert card.state == CardState.REVIEW
        review_intervals = intervals[-4:]
        assert review_intervals == sorted(review_intervals)
        assert review_intervals[-1] > review_intervals[0]

    def test_state_round_trips_through_the_database(self, card):
        from glossary.scheduling import to_fsrs

        answer(card, Rating.Good, "a")
        card.refresh_from_db()
        first = to_fsrs(card)
        card.save()
        card.refresh_from_db()
        second = to_fsrs(card)

        assert first.to_dict() == second.to_dict()
        assert first.card_id == card.pk


class TestReliability:
    def test_the_same_key_three_times_counts_once(self, card):
        answer(card, Rating.Good, "same")
        card.refresh_from_db()
        due = card.due
        for _ in range(2):
            _review, created = answer(card, Rating.Again, "same")
            assert not created

        card.refresh_from_db()
        assert Review.objects.count() == 1
        assert card.due == due

    def test_another_learners_card_is_out_of_reach(self, card):
        with pytest.raises(Card.DoesNotExist):
            record_review(LearnerFactory(), card.pk, Rating.Good, mode="typing", key="x")

    def test_eight_lapses_suspend_a_card(self, card):
        when = NOW
        for number in range(LEECH_LAPSES * 3):
            rating = Rating.Good if card.state != CardState.REVIEW else Rating.Again
            answer(card, rating, f"k{number}", when)
            card.refresh_from_db()
            when = card.due + timedelta(minutes=1)
            if card.suspended:
                break
        assert card.lapses == LEECH_LAPSES
        assert card.suspended


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tabs_sending_one_answer_make_one_review(django_db_setup, learner, stage_terms):
    connection._test_serialized_contents = django_db_setup
    connection.creation.deserialize_db_from_string(django_db_setup)
    card = Card.objects.create(learner=learner, term=stage_terms["fresnel"], due=NOW)
    start, errors = threading.Barrier(2), []

    def tab():
        from django.db import connection as thread_connection

        try:
            start.wait()
            answer(card, Rating.Good, "one-key")
        except Exception as error:
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=tab) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Review.objects.count() == 1
    card.refresh_from_db()
    assert card.last_review == NOW


class TestTolerance:
    others = frozenset({normalise("gel"), normalise("gels"), normalise("stage")})

    def test_a_typo_is_accepted_as_hard(self):
        judgement = judge_typed_answer("fresnell", ["Fresnel"], self.others)
        assert (judgement.correct, judgement.typo) == (True, True)
        assert rating_for(judgement.correct, typo=judgement.typo) == Rating.Hard

    def test_another_term_is_wrong_not_a_typo(self):
        assert not judge_typed_answer("gel", ["gels"], self.others).correct

    def test_listed_variants_are_correct(self):
        judgement = judge_typed_answer("theater", ["theatre", "theater"], self.others)
        assert (judgement.correct, judgement.typo) == (True, False)

    def test_numbers_have_no_typos(self):
        assert not judge_typed_answer("13", ["12"]).correct
        assert not judge_typed_answer("DMX 513", ["DMX 512"]).correct
        assert judge_typed_answer("dmx512", ["DMX512"]).correct

    def test_cyrillic_ignores_letter_case_but_not_letters(self):
        assert judge_typed_answer("СЦЕНА", ["сцена"]).correct
        assert judge_typed_answer("ЁЛКА", ["елка"]) == judge_typed_answer("елка", ["елка"])
        exact = judge_typed_answer("мои", ["мой"])
        assert not (exact.correct and not exact.typo)  # й is not и

    def test_longer_words_allow_two_edits(self):
        assert judge_typed_answer("cyclorma", ["cyclorama"]).typo
        assert judge_typed_answer("cyclroma", ["cyclorama"]).typo
        assert not judge_typed_answer("cycloid", ["cyclorama"]).correct

    def test_rating_rule(self):
        assert rating_for(False) == Rating.Again
        assert rating_for(True, hinted=True) == Rating.Hard
        assert rating_for(True) == Rating.Good
        assert rating_for(True, duration_ms=1500, usual_ms=4000) == Rating.Easy
        assert rating_for(True, duration_ms=3000, usual_ms=4000) == Rating.Good

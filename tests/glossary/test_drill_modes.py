import re
from datetime import timedelta

import pytest

from django.utils import timezone

from glossary.drills import exercise_for
from glossary.factories import TermFactory
from glossary.models import Card, CardState, Review
from glossary.reviews import record_review, shown_token

from .conftest import make_card

pytestmark = pytest.mark.django_db

DRILL = "/en/drill/"
ANSWER = "/en/drill/answer/"


def reviewed_at_parity(card, odd):
    """Set the card's last review to an odd or even second (modes alternate on it)."""
    moment = card.last_review.replace(microsecond=0)
    if (int(moment.timestamp()) % 2 == 1) != odd:
        moment -= timedelta(seconds=1)
    card.last_review = moment
    return card


class TestModesFollowHowWellACardIsKnown:
    def test_a_new_term_is_a_flashcard(self, learner, stage_terms):
        card = make_card(learner, stage_terms["stage"])
        assert exercise_for(card, "kk").mode == "flashcard"

    def test_a_term_being_learnt_is_recognised_among_equivalents(self, learner, stage_terms):
        card = make_card(learner, stage_terms["stage"], reviewed=timedelta(minutes=10))
        exercise = exercise_for(card, "kk")
        assert (exercise.mode, exercise.direction) == ("choice", "to_native")
        assert "сахна" in [label for _pk, label in exercise.options]

    @pytest.mark.parametrize(
        ("voice", "odd", "mode"),
        [(False, True, "choice"), (True, False, "choice"), (True, True, "listening")],
    )
    def test_a_young_review_is_chosen_in_english_or_heard(
        self, learner, stage_terms, voice, odd, mode
    ):
        card = make_card(
            learner, stage_terms["stage"], state=CardState.REVIEW, reviewed=timedelta(days=2)
        )
        exercise = exercise_for(reviewed_at_parity(card, odd), "kk", voice=voice)
        assert exercise.mode == mode
        if mode == "choice":
            assert exercise.direction == "to_english"
            assert "stage" in [label for _pk, label in exercise.options]
        else:
            assert exercise.speak == "stage"
            assert exercise.options

    @pytest.mark.parametrize(
        ("voice", "odd", "mode"), [(False, True, "typing"), (True, True, "listening")]
    )
    def test_a_known_term_is_typed_or_heard_and_typed(self, learner, stage_terms, voice, odd, mode):
        card = make_card(
            learner,
            stage_terms["stage"],
            state=CardState.REVIEW,
            stability=12.0,
            reviewed=timedelta(days=9),
        )
        exercise = exercise_for(reviewed_at_parity(card, odd), "kk", voice=voice)
        assert exercise.mode == mode
        assert not exercise.options

    def test_listening_is_never_asked_of_a_page_without_a_voice(self, client, learner, stage_terms):
        card = make_card(
            learner, stage_terms["stage"], state=CardState.REVIEW, reviewed=timedelta(days=2)
        )
        reviewed_at_parity(card, odd=True).save()
        client.force_login(learner)
        assert client.get(DRILL).context["exercise"].mode == "choice"
        heard = client.get(DRILL, {"voice": "1"})
        assert heard.context["exercise"].mode == "listening"
        assert 'data-speak="stage"' in heard.content.decode()


class TestMultipleChoice:
    def test_distractors_come_from_the_same_sector_and_part_of_speech(self, learner):
        term = TermFactory(headword="cyclorama", kk="циклорама", sectors=("performing-arts",))
        near = TermFactory.create_batch(4, sectors=("performing-arts",))
        TermFactory.create_batch(4, sectors=("performing-arts",), part_of_speech="verb")
        TermFactory.create_batch(6, sectors=("publishing",))
        card = make_card(learner, term, reviewed=timedelta(minutes=5))

        for _attempt in range(5):
            exercise = exercise_for(card, "kk")
            values = {pk for pk, _label in exercise.options}
            assert len(exercise.options) == 4
            assert term.pk in values
            assert values - {term.pk} <= {other.pk for other in near}

    def test_equivalents_never_repeat_among_the_options(self, learner):
        term = TermFactory(headword="wing", kk="кулиса")
        TermFactory(headword="wings", kk="кулиса")
        TermFactory.create_batch(3)
        card = make_card(learner, term, reviewed=timedelta(minutes=5))

        labels = [label for _pk, label in exercise_for(card, "kk").options]

        assert labels.count("кулиса") == 1
        assert len(labels) == 4

    def test_a_choice_is_judged_on_the_server(self, client, learner, stage_terms):
        card = make_card(learner, stage_terms["stage"], reviewed=timedelta(minutes=5))
        client.force_login(learner)
        html = client.get(DRILL).content.decode()
        values = re.findall(r'name="choice" value="(\d+)"', html)
        assert len(values) == 4
        assert str(stage_terms["stage"].pk) in values
        assert "correct" not in html.lower()
        wrong = next(value for value in values if value != str(stage_terms["stage"].pk))

        response = client.post(
            ANSWER,
            {"card": card.pk, "key": "c1", "mode": "choice", "choice": wrong},
            follow=True,
        )

        assert Review.objects.get().rating == 1
        assert "Not quite: “stage” is “сахна”." in response.content.decode()

    def test_no_choice_is_refused_and_nothing_is_recorded(self, client, learner, stage_terms):
        card = make_card(learner, stage_terms["stage"], reviewed=timedelta(minutes=5))
        client.force_login(learner)

        response = client.post(ANSWER, {"card": card.pk, "key": "c", "mode": "choice"}, follow=True)

        assert "Choose an answer first." in response.content.decode()
        assert not Review.objects.exists()


class TestMatching:
    @pytest.fixture
    def five(self, learner):
        terms = TermFactory.create_batch(5)
        cards = [
            make_card(learner, term, state=CardState.REVIEW, reviewed=timedelta(days=3))
            for term in terms
        ]
        # five answers already today: the sixth exercise is a matching round
        for number in range(5):
            record_review(learner, cards[0].pk, 3, mode="typing", key=f"earlier-{number}")
        Card.objects.update(due=timezone.now() - timedelta(minutes=1))
        return cards

    def test_every_sixth_exercise_matches_five_pairs(self, client, learner, five):
        client.force_login(learner)

        page = client.get(DRILL)

        assert page.context["exercise"].mode == "matching"
        html = page.content.decode()
        assert html.count('<select id="match-') == 5
        assert html.count('<option value="') >= 25 + 7  # five choices in each, and the decks

    def test_pairs_are_judged_one_by_one_and_counted_once(self, client, learner, five):
        client.force_login(learner)
        data = {"card": [card.pk for card in five], "key": "m1", "mode": "matching"}
        for card in five:
            data[f"match-{card.pk}"] = str(card.term_id)
        data[f"match-{five[0].pk}"] = str(five[1].term_id)  # one pair wrong

        response = client.post(ANSWER, data, follow=True)
        client.post(ANSWER, data)  # sent again: nothing more

        matched = Review.objects.filter(mode="matching")
        assert matched.count() == 5
        assert sorted(matched.values_list("rating", flat=True)) == [1, 3, 3, 3, 3]
        assert "4 of 5 pairs right." in response.content.decode()

    def test_an_unmatched_term_is_refused(self, client, learner, five):
        client.force_login(learner)
        data = {"card": [card.pk for card in five], "key": "m2", "mode": "matching"}
        data[f"match-{five[0].pk}"] = str(five[0].term_id)

        response = client.post(ANSWER, data, follow=True)

        assert "Match every term first." in response.content.decode()
        assert not Review.objects.filter(mode="matching").exists()


class TestQuickAnswersAreEasy:
    def typed(self, client, learner, term, key, shown):
        card = Card.objects.get(learner=learner, term=term)
        data = {"card": card.pk, "key": key, "mode": "typing", "answer": term.headword}
        if shown:
            data["shown"] = shown
        client.post(ANSWER, data)
        return Review.objects.get(idempotency_key=key).rating

    def test_quick_for_this_learner_means_easy(self, client, learner, stage_terms):
        term = stage_terms["stage"]
        card = make_card(
            learner, term, state=CardState.REVIEW, stability=12.0, reviewed=timedelta(days=9)
        )
        client.force_login(learner)
        # no usual time yet: a right answer is Good however quick
        assert self.typed(client, learner, term, "first", shown_token()) == 3
        for number in range(10):
            Review.objects.create(
                learner=learner,
                card=card,
                rating=3,
                mode="typing",
                card_state=CardState.REVIEW,
                reviewed_at=timezone.now() - timedelta(days=1),
                duration_ms=8000,
                idempotency_key=f"history-{number}",
            )

        assert self.typed(client, learner, term, "quick", shown_token()) == 4
        assert self.typed(client, learner, term, "untimed", None) == 3
        assert self.typed(client, learner, term, "forged", "12345:forged") == 3


def test_the_learners_desired_retention_sets_the_interval(learner, stage_terms):
    from learners.factories import LearnerFactory

    cautious = LearnerFactory(desired_retention=97)
    relaxed = LearnerFactory(desired_retention=80)
    dues = []
    for person in (cautious, relaxed):
        card = make_card(
            person,
            stage_terms["stage"],
            state=CardState.REVIEW,
            stability=10.0,
            reviewed=timedelta(days=10),
        )
        record_review(person, card.pk, 3, mode="typing", key="r")
        card.refresh_from_db()
        dues.append(card.due)

    assert dues[0] < dues[1]

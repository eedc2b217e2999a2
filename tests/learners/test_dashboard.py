import datetime
from datetime import timedelta

import pytest

from django.utils import timezone, translation

from courses.models import Certificate, QuizAttempt
from glossary.factories import TermFactory
from glossary.models import Card, CardState, Review
from learners.dashboard import activity
from learners.factories import LearnerFactory
from tests.conftest import SESSION_QUERY
from tests.courses.conftest import build_module, build_quiz

pytestmark = pytest.mark.django_db

DASHBOARD = "/en/me/"


def complete(client, lesson):
    client.post(lesson.url + "complete/")


def test_needs_login(client):
    assert client.get(DASHBOARD)["Location"].startswith("/en/accounts/login/")


def test_a_new_learner_is_told_where_to_begin(client, learner):
    client.force_login(learner)

    html = client.get(DASHBOARD).content.decode()

    assert "You are up to date" in html
    assert "You have not started a module yet." in html
    assert "No quiz taken yet." in html
    assert "Complete a module to earn its certificate." in html


def test_continue_leads_to_the_next_lesson_of_the_module_worked_on_last(
    client, learner, catalogue, module, lessons
):
    other = build_module(catalogue, slug="other", lessons=2)
    client.force_login(learner)
    complete(client, lessons[0])
    from courses.models import LessonPage

    complete(client, LessonPage.objects.child_of(other).order_by("path").first())

    page = client.get(DASHBOARD)
    html = page.content.decode()

    assert page.context["next_step"]["target"].title == "Lesson 2"
    assert page.context["next_step"]["module"].slug == "other"
    assert html.count('class="progress__bar"') == 2
    assert "1 of 3" in html
    assert "1 of 2" in html


def test_due_terms_lead_to_the_drill_when_no_module_waits(client, learner):
    term = TermFactory()
    Card.objects.create(learner=learner, term=term, due=timezone.now())
    client.force_login(learner)

    page = client.get(DASHBOARD)

    assert page.context["next_step"] == {"kind": "drill"}
    assert "1 term is due today." in page.content.decode()


def test_quiz_results_certificates_and_mastered_terms(client, learner, module, lessons):
    quiz = build_quiz(module)
    client.force_login(learner)
    client.post(quiz.url + "start/")
    client.post(quiz.url + "attempts/1/", {"action": "submit"})
    Certificate.objects.create(
        code="7f0c1c2e-3d4b-4d6a-9b1e-2f3a4b5c6d7e",
        learner=learner,
        module_key=module.translation_key,
        learner_name="Әлия",
        module_title="Stage basics",
        language="en",
    )
    for number, stability in enumerate([30.0, 25.0, 3.0]):
        Card.objects.create(
            learner=learner,
            term=TermFactory(headword=f"mastery {number}"),
            due=timezone.now() + timedelta(days=5),
            state=CardState.REVIEW,
            stability=stability,
        )

    page = client.get(DASHBOARD)
    html = page.content.decode()

    assert f"{quiz.title}</a>: 0% ✗ not passed" in html
    assert "Stage basics</a>" in html
    assert '<th scope="row">Performing arts</th><td>2</td><td>3</td>' in html
    bars = page.context["mastered"]["bars"]
    assert (bars[0]["mastered_width"], bars[0]["total_width"]) == (133.3, 200)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_charts_draw_in_languages_that_write_a_decimal_comma(client, learner, language):
    for number, stability in enumerate([30.0, 25.0, 3.0]):
        Card.objects.create(
            learner=learner,
            term=TermFactory(headword=f"mastery {number}"),
            due=timezone.now() + timedelta(days=5),
            state=CardState.REVIEW,
            stability=stability,
        )
    client.force_login(learner)

    html = client.get(f"/{language}/me/").content.decode()

    assert '<rect class="bars__done" x="0" y="0" width="133.3" height="20"' in html  # not 133,3


def test_the_activity_calendar_counts_each_day(learner):
    today = datetime.date(2026, 11, 28)  # a Saturday
    card = Card.objects.create(learner=learner, term=TermFactory(), due=timezone.now())
    noon = timezone.make_aware(datetime.datetime(2026, 11, 27, 12, 0))
    for number in range(12):
        Review.objects.create(
            learner=learner,
            card=card,
            rating=3,
            mode="typing",
            card_state=CardState.REVIEW,
            reviewed_at=noon,
            idempotency_key=f"k{number}",
        )

    with translation.override("en"):
        calendar = activity(learner, today)

    assert len(calendar["days"]) == 84
    assert calendar["days"][0]["date"] == datetime.date(2026, 9, 7)  # a Monday, 12 weeks back
    friday = next(day for day in calendar["days"] if day["date"] == datetime.date(2026, 11, 27))
    assert (friday["reviews"], friday["level"]) == (12, 2)
    assert calendar["days"][-1]["level"] is None  # Sunday the 29th has not come yet
    assert calendar["active_days"] == 1
    assert calendar["weeks"][-1] == {
        "start": datetime.date(2026, 11, 23),
        "label": "23 November",
        "active": 1,
        "reviews": 12,
        "lessons": 0,
        "quizzes": 0,
    }
    with translation.override("ru"):  # the month as a date reads in Russian: "of November"
        assert activity(learner, today)["weeks"][-1]["label"] == "23 ноября"


def test_only_the_learners_own_data_appears(client, learner, module, lessons):
    other = LearnerFactory(display_name="Someone Else")
    client.force_login(other)
    complete(client, lessons[0])
    quiz = build_quiz(module)
    client.post(quiz.url + "start/")
    client.post(quiz.url + "attempts/1/", {"action": "submit"})
    client.force_login(learner)

    page = client.get(DASHBOARD)

    assert page.context["modules"] == []
    assert list(page.context["attempts"]) == []
    assert QuizAttempt.objects.count() == 1


@pytest.mark.parametrize("size", [1, 4])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, learner, catalogue, django_assert_num_queries, size
):
    client.force_login(learner)
    for number in range(size):
        module = build_module(catalogue, slug=f"m{number}", lessons=2)
        from courses.models import LessonPage

        complete(client, LessonPage.objects.child_of(module).order_by("path").first())
        quiz = build_quiz(module, slug=f"q{number}")
        client.post(quiz.url + "start/")
        client.post(quiz.url + "attempts/1/", {"action": "submit"})
        card = Card.objects.create(learner=learner, term=TermFactory(), due=timezone.now())
        Review.objects.create(
            learner=learner,
            card=card,
            rating=3,
            mode="typing",
            card_state=CardState.REVIEW,
            reviewed_at=timezone.now(),
            idempotency_key=f"q{number}",
        )
    client.get(DASHBOARD)

    with django_assert_num_queries(DASHBOARD_QUERIES + SESSION_QUERY):
        client.get(DASHBOARD)


DASHBOARD_QUERIES = 23

import csv
import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from django.utils import timezone

from courses.models import QuizAttempt
from glossary.factories import TermFactory
from glossary.models import Card, CardState
from learners.analysis import correlation, item_analysis
from learners.factories import LearnerFactory
from learners.models import Cohort
from tests.courses.conftest import build_quiz

pytestmark = pytest.mark.django_db

REPORTS = "/admin/reports/sheber/"
NAMES = ["learners", "funnel", "quiz-items", "hard-terms"]


@pytest.fixture
def seminar(client, module, lessons, trainer):
    """Three learners; two in the cohort. Aliya finished two lessons and passed the quiz;
    Bolat finished one lesson and failed it; Dana (no cohort) did nothing but forget terms."""
    quiz = build_quiz(module)
    cohort = Cohort.objects.create(name="Astana stage technicians", created_by=trainer)
    aliya = LearnerFactory(display_name="Aliya", city="Astana")
    bolat = LearnerFactory(display_name="=Bolat", city="Almaty")
    dana = LearnerFactory(display_name="Dana", city="Astana")
    cohort.members.add(aliya, bolat)
    for person, done in ((aliya, 2), (bolat, 1)):
        client.force_login(person)
        for lesson in lessons[:done]:
            client.post(lesson.url + "complete/")
    QuizAttempt.objects.bulk_create(
        QuizAttempt(
            learner=person,
            quiz_key=quiz.translation_key,
            quiz=quiz,
            revision_id=quiz.live_revision_id,
            number=1,
            started_at=timezone.now(),
            submitted_at=timezone.now(),
            percent=percent,
            passed=percent >= 70,
            scores={},
        )
        for person, percent in ((aliya, 90), (bolat, 40))
    )
    gel, batten = TermFactory(headword="gel"), TermFactory(headword="batten")
    for person, term, lapses, stability in (
        (aliya, gel, 2, 30.0),
        (bolat, gel, 3, 1.0),
        (dana, gel, 8, 1.0),
        (dana, batten, 1, 25.0),
    ):
        Card.objects.create(
            learner=person,
            term=term,
            due=timezone.now(),
            state=CardState.REVIEW,
            stability=stability,
            lapses=lapses,
            suspended=lapses >= 8,
        )
    client.logout()
    return SimpleNamespace(cohort=cohort, quiz=quiz, people=(aliya, bolat, dana))


def test_learners_never_reach_the_reports(client, learner, seminar):
    client.force_login(learner)
    for name in NAMES:
        assert client.get(f"{REPORTS}{name}/").status_code in (302, 403)


@pytest.mark.parametrize("name", NAMES)
def test_trainers_see_every_report(client, trainer, seminar, name):
    client.force_login(trainer)
    assert client.get(f"{REPORTS}{name}/").status_code == 200


def test_the_learners_report_figures_and_cohort_filter(client, trainer, seminar):
    client.force_login(trainer)

    everyone = client.get(f"{REPORTS}learners/")
    cohort = client.get(f"{REPORTS}learners/", {"cohort": seminar.cohort.pk})

    rows = {
        learner.display_name: (
            learner.lessons_completed,
            learner.modules_completed,
            learner.quiz_average,
            learner.terms_mastered,
        )
        for learner in everyone.context["object_list"]
    }
    assert rows == {
        "Aliya": (2, 0, 90, 1),
        "=Bolat": (1, 0, 40, 0),
        "Dana": (0, 0, None, 1),
    }
    assert {learner.display_name for learner in cohort.context["object_list"]} == {
        "Aliya",
        "=Bolat",
    }
    city = client.get(f"{REPORTS}learners/", {"city": "astana"})
    assert {learner.display_name for learner in city.context["object_list"]} == {"Aliya", "Dana"}


def test_exports_keep_numbers_as_numbers_and_neutralise_formulas(client, trainer, seminar):
    client.force_login(trainer)

    response = client.get(f"{REPORTS}learners/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    xlsx = client.get(f"{REPORTS}learners/", {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))

    assert rows[0][:4] == ["Learner", "Email", "City", "Lessons completed"]
    bolat = next(row for row in rows if "Bolat" in row[0])
    assert bolat[0] == "'=Bolat"
    assert bolat[3] == "1"
    sheet = workbook.active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert cells["Aliya"][3].value == 2
    assert cells["Aliya"][3].data_type == "n"
    assert "'=Bolat" in cells


def test_the_module_funnel(client, trainer, seminar, module, lessons):
    client.force_login(trainer)

    page = client.get(f"{REPORTS}funnel/", {"module": str(module.translation_key)})

    steps = [(row["learners"], row["drop_off"]) for row in page.context["object_list"]]
    # enrolled 2 · lesson 1: 2 · lesson 2: 1 (50% lost) · lesson 3: 0 · completed 0 · passed 1
    assert steps == [(2, None), (2, 0), (1, 50), (0, 100), (0, None), (1, None)]


def test_hard_terms_add_up_lapses_and_filter_by_cohort(client, trainer, seminar):
    client.force_login(trainer)

    everyone = client.get(f"{REPORTS}hard-terms/")
    cohort = client.get(f"{REPORTS}hard-terms/", {"cohort": seminar.cohort.pk})

    rows = [
        (t.headword, t.lapses, t.learners, t.suspended) for t in everyone.context["object_list"]
    ]
    assert rows == [("gel", 13, 3, 1), ("batten", 1, 1, 0)]
    assert [bar["width"] for bar in everyone.context["chart"]] == [240, 18]
    assert 'class="report-chart"' in everyone.content.decode()
    rows = [(t.headword, t.lapses, t.learners) for t in cohort.context["object_list"]]
    assert rows == [("gel", 5, 2)]


class TestItemAnalysis:
    def test_correlation(self):
        assert correlation([1, 0], [1, 0]) == pytest.approx(1)
        assert correlation([1, 1], [1, 0]) is None
        assert correlation([1], [1]) is None

    def test_facility_and_discrimination_on_a_known_set(self, module):
        # Four attempts at three one-point questions:
        #   q1: 1 1 1 0   q2: 1 1 0 0   q3: 1 0 0 0   totals: 3 2 1 0
        # q1: facility 3/4 = 75 %; rest = totals - q1 = 2 1 0 0;
        #   deviations x: .25 .25 .25 -.75, y: 1.25 .25 -.75 -.75
        #   Σxy = .3125 + .0625 - .1875 + .5625 = .75; Σx² = .75; Σy² = 2.75
        #   r = .75 / √(.75 × 2.75) = .5222 → 52.2 %
        # q3: facility 25 %; rest = 2 2 1 0; by symmetry with q1, r = 52.2 %
        # q2: facility 50 %; rest = 2 1 1 0; x: .5 .5 -.5 -.5, y: 1 0 0 -1;
        #   r = 1 / √(1 × 2) = .7071 → 70.7 %
        quiz = build_quiz(
            module,
            questions=[
                {
                    "type": "true_false",
                    "id": key,
                    "value": {
                        "prompt": "<p>?</p>",
                        "points": 1,
                        "answer": True,
                        "feedback_right": "",
                        "feedback_wrong": "",
                    },
                }
                for key in ("q1", "q2", "q3")
            ],
        )
        marks = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 0, 0)]
        attempts = [
            (
                {key: [mark, 1] for key, mark in zip(("q1", "q2", "q3"), row, strict=True)},
                {
                    key: "true" if mark else "false"
                    for key, mark in zip(("q1", "q2", "q3"), row, strict=True)
                },
            )
            for row in marks
        ]

        rows = item_analysis(quiz.questions, attempts)

        assert [(row.attempts, row.facility, row.discrimination) for row in rows] == [
            (4, 75.0, 52.2),
            (4, 50.0, 70.7),
            (4, 25.0, 52.2),
        ]
        assert [row.common_wrong for row in rows] == ["false", "false", "false"]

    def test_the_report_shows_the_quiz_questions(self, client, trainer, seminar):
        client.force_login(trainer)
        page = client.get(f"{REPORTS}quiz-items/", {"quiz": seminar.quiz.pk})
        assert len(page.context["object_list"]) == 7
        assert "Facility index" in page.content.decode()


def queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_reports_run_a_fixed_number_of_queries(client, trainer, seminar):
    client.force_login(trainer)
    paths = [f"{REPORTS}{name}/" for name in NAMES]
    for path in paths:
        client.get(path)
    before = [queries(client, path) for path in paths]

    for number in range(12):
        person = LearnerFactory(display_name=f"Learner {number}")
        seminar.cohort.members.add(person)
        Card.objects.create(
            learner=person, term=TermFactory(), due=timezone.now(), lapses=1, stability=2.0
        )
        QuizAttempt.objects.create(
            learner=person,
            quiz_key=seminar.quiz.translation_key,
            quiz=seminar.quiz,
            revision_id=seminar.quiz.live_revision_id,
            number=1,
            started_at=timezone.now(),
            submitted_at=timezone.now(),
            percent=50,
            passed=False,
            scores={"single": [1, 1]},
            responses={"single": "i1"},
        )

    assert [queries(client, path) for path in paths] == before


def test_a_trainer_reads_one_learners_detail(client, trainer, seminar, module):
    aliya = seminar.people[0]
    client.force_login(aliya)
    client.post(seminar.quiz.url + "start/")
    QuizAttempt.objects.filter(learner=aliya, submitted_at__isnull=True).update(
        responses={"short": "cyclorama"}
    )
    client.post(seminar.quiz.url + "attempts/2/", {"action": "submit"})
    client.force_login(trainer)

    listing = client.get(f"{REPORTS}learners/").content.decode()
    page = client.get(f"{REPORTS}learners/{aliya.pk}/")

    assert f"{REPORTS}learners/{aliya.pk}/" in listing
    html = page.content.decode()
    assert "Astana stage technicians" in html
    assert "2 / 3" in html  # lessons completed
    assert "cyclorama" in html  # the answer given
    assert "Hard terms: 0" in html


def test_learner_detail_is_read_only_and_for_trainers(client, trainer, learner, seminar):
    aliya = seminar.people[0]
    client.force_login(learner)
    assert client.get(f"{REPORTS}learners/{aliya.pk}/").status_code in (302, 403)
    client.force_login(trainer)
    assert client.post(f"{REPORTS}learners/{aliya.pk}/").status_code == 405
    assert client.get(f"{REPORTS}learners/{trainer.pk}/", follow=True).status_code == 404

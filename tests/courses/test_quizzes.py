import json
import re
from datetime import timedelta

import pytest

from django.utils import timezone

from courses.models import QuizAttempt
from learners.factories import LearnerFactory

from .conftest import QUESTIONS, build_quiz, choice, items, question

pytestmark = pytest.mark.django_db

LEAKS = [
    "correct",
    "cyclorama",
    "spigot",
    "yoke",
    "stepped lens",
    "hard edge",
    "softens the edge",
    "Think of the lens",
    'value="i1"',
    'value="i2"',
]


@pytest.fixture
def quiz(module):
    return build_quiz(module)


def start(client, quiz):
    response = client.post(quiz.url + "start/")
    assert response.status_code == 302
    return QuizAttempt.objects.filter(quiz_key=quiz.translation_key).order_by("-number").first()


def entry(attempt, key):
    return next(item for item in attempt.layout if item["key"] == key)


def position(attempt, key, item, field="choices"):
    return str(entry(attempt, key)[field].index(item))


def right_answers(attempt):
    """A form with every question answered right."""
    matching = entry(attempt, "matching")
    data = {
        "q-single": position(attempt, "single", "i1"),
        "q-multiple": [
            position(attempt, "multiple", "i1"),
            position(attempt, "multiple", "i2"),
        ],
        "q-truefalse": "true",
        "q-short": "Cyclorama",
        "q-ordering": [
            position(attempt, "ordering", pk, "items") for pk in ("i1", "i2", "i3", "i4")
        ],
        "q-gaps-0": "pin",
        "q-gaps-1": "yoke",
    }
    for row, pk in enumerate(matching["items"]):
        data[f"q-matching-{row}"] = str(matching["matches"].index(pk))
    return data


class TestTakingAQuiz:
    def test_starting_fixes_the_layout_and_a_second_start_resumes(self, client, learner, quiz):
        client.force_login(learner)

        attempt = start(client, quiz)
        again = start(client, quiz)

        assert again.pk == attempt.pk
        assert QuizAttempt.objects.count() == 1
        assert [item["key"] for item in attempt.layout] == [q["id"] for q in QUESTIONS]
        ordering = entry(attempt, "ordering")["items"]
        assert sorted(ordering) == ["i1", "i2", "i3", "i4"]
        assert ordering != ["i1", "i2", "i3", "i4"]  # never shown in the right order
        quiz.refresh_from_db()
        assert attempt.revision_id == quiz.live_revision_id

    def test_no_right_answer_reaches_the_browser_before_submission(self, client, learner, quiz):
        client.force_login(learner)
        overview = client.get(quiz.url).content.decode()
        attempt = start(client, quiz)
        page = client.get(quiz.url + "attempts/1/").content.decode()
        saved = client.post(
            quiz.url + "attempts/1/",
            {**right_answers(attempt), "action": "save"},
            HTTP_ACCEPT="application/json",
        )
        reloaded = client.get(quiz.url + "attempts/1/").content.decode()

        assert json.loads(saved.content) == {"saved": True}
        for html in (overview, page):
            for leak in LEAKS:
                assert leak not in html, leak
        typed = {"cyclorama", "spigot", "yoke"}  # the learner's own answers come back
        for leak in set(LEAKS) - typed:
            assert leak not in reloaded, leak
        assert "Fresnel" in page  # the choices are there, not which is right
        assert "Fit the" in page
        assert page.count('type="text"') == 3  # the short answer and two gaps

    def test_answers_are_kept_as_the_learner_goes(self, client, learner, quiz):
        client.force_login(learner)
        attempt = start(client, quiz)
        form = {"q-single": position(attempt, "single", "i2"), "q-short": "cyc", "action": "save"}

        response = client.post(quiz.url + "attempts/1/", form, follow=True)

        assert "Your answers are saved." in response.content.decode()
        page = client.get(quiz.url + "attempts/1/").content.decode()
        assert f'value="{form["q-single"]}" checked' in page
        assert 'value="cyc"' in page
        attempt.refresh_from_db()
        assert attempt.responses == {"single": "i2", "short": "cyc"}

    def test_ordering_buttons_work_without_javascript(self, client, learner, quiz):
        client.force_login(learner)
        attempt = start(client, quiz)
        shown = entry(attempt, "ordering")["items"]
        form = {"q-ordering": [str(n) for n in range(4)], "move": "ordering:1:up"}

        response = client.post(quiz.url + "attempts/1/", form)

        assert response["Location"].endswith("#question-ordering")
        attempt.refresh_from_db()
        assert attempt.responses["ordering"] == [shown[1], shown[0], shown[2], shown[3]]

    def test_all_right_scores_full_marks(self, client, learner, quiz):
        client.force_login(learner)
        attempt = start(client, quiz)

        response = client.post(
            quiz.url + "attempts/1/", {**right_answers(attempt), "action": "submit"}, follow=True
        )

        attempt.refresh_from_db()
        assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (
            8,
            8,
            100,
            True,
        )
        html = response.content.decode()
        assert "Passed" in html
        assert "8 of 8 points: 100%" in html
        assert "Yes: its stepped lens." in html  # revealed after each submission (the default)

    def test_nothing_answered_scores_zero(self, client, learner, quiz):
        client.force_login(learner)
        start(client, quiz)

        client.post(quiz.url + "attempts/1/", {"action": "submit"})

        attempt = QuizAttempt.objects.get()
        assert (attempt.score, attempt.passed) == (0, False)
        assert set(attempt.scores) == {q["id"] for q in QUESTIONS}

    @pytest.mark.parametrize(
        "form",
        [
            {"q-single": "99"},
            {"q-single": "-1", "q-multiple": ["x", "7", "0.5"]},
            {"q-short": "x" * 100_000},
            {"q-ordering": ["0", "0", "0", "0"]},
            {"q-matching-0": "abc", "q-matching-9": "0"},
            {"q-gaps-5": "yoke", "q-nonsense": "1", "q-truefalse": "maybe"},
            {"q-single\x00": "0", "move": "ordering:99:sideways"},
        ],
    )
    def test_bad_input_is_dropped_or_scores_zero(self, client, learner, quiz, form):
        client.force_login(learner)
        start(client, quiz)

        saved = client.post(quiz.url + "attempts/1/", {**form, "action": "save"})
        submitted = client.post(quiz.url + "attempts/1/", {"action": "submit"})

        assert saved.status_code == 302
        assert submitted.status_code == 302
        attempt = QuizAttempt.objects.get()
        assert attempt.score == 0
        assert all(len(str(value)) < 1000 for value in attempt.responses.values())


class TestPartialCredit:
    @pytest.mark.parametrize(
        ("ticked", "points"),
        [
            (["i1", "i2"], 2),
            (["i1"], 1),
            (["i1", "i2", "i3"], 1),
            (["i1", "i3"], 0),
            (["i1", "i2", "i3", "i4"], 0),
            ([], 0),
        ],
    )
    def test_multiple_choice(self, client, learner, quiz, ticked, points):
        client.force_login(learner)
        attempt = start(client, quiz)
        form = {"q-multiple": [position(attempt, "multiple", pk) for pk in ticked]}

        client.post(quiz.url + "attempts/1/", {**form, "action": "submit"})

        attempt.refresh_from_db()
        assert attempt.scores["multiple"] == [points, 2]

    def test_matching_ordering_and_gaps_earn_their_share(self, client, learner, quiz):
        client.force_login(learner)
        attempt = start(client, quiz)
        entry(attempt, "ordering")["items"] = ["i4", "i3", "i2", "i1"]  # as shown to the learner
        attempt.save()
        matching = entry(attempt, "matching")
        form = {f"q-matching-{matching['items'].index('i1')}": str(matching["matches"].index("i1"))}
        order = ["i1", "i2", "i4", "i3"]
        form["q-ordering"] = [position(attempt, "ordering", pk, "items") for pk in order]
        form["q-gaps-0"] = "spigott"  # a typo, accepted as in drills
        form["q-gaps-1"] = "bracket"

        client.post(quiz.url + "attempts/1/", {**form, "action": "submit"})

        attempt.refresh_from_db()
        assert attempt.scores["matching"] == [0.33, 1]
        assert attempt.scores["ordering"] == [0.5, 1]
        assert attempt.scores["gaps"] == [0.5, 1]


class TestLimits:
    def test_the_attempt_limit_holds_when_the_browser_is_bypassed(self, client, learner, module):
        quiz = build_quiz(module, attempt_limit=1)
        client.force_login(learner)
        start(client, quiz)
        client.post(quiz.url + "attempts/1/", {"action": "submit"})

        refused = client.post(quiz.url + "start/", follow=True)

        assert "You have used every attempt this quiz allows." in refused.content.decode()
        assert QuizAttempt.objects.count() == 1

    def test_answers_after_the_time_limit_do_not_count(self, client, learner, module):
        quiz = build_quiz(module, time_limit=10)
        client.force_login(learner)
        attempt = start(client, quiz)
        client.post(quiz.url + "attempts/1/", {"q-truefalse": "true", "action": "save"})
        QuizAttempt.objects.filter(pk=attempt.pk).update(
            deadline=timezone.now() - timedelta(minutes=1)
        )

        late = client.post(
            quiz.url + "attempts/1/", {**right_answers(attempt), "action": "submit"}, follow=True
        )

        attempt.refresh_from_db()
        assert attempt.submitted_at is not None
        assert attempt.responses == {"truefalse": "true"}
        assert attempt.score == 1
        assert "Time is up" in late.content.decode()

    def test_an_attempt_left_open_past_its_time_is_submitted_on_the_next_visit(
        self, client, learner, module
    ):
        quiz = build_quiz(module, time_limit=5)
        client.force_login(learner)
        attempt = start(client, quiz)
        QuizAttempt.objects.filter(pk=attempt.pk).update(
            deadline=timezone.now() - timedelta(seconds=30)
        )

        page = client.get(quiz.url + "attempts/1/").content.decode()

        assert "Not passed" in page
        attempt.refresh_from_db()
        assert attempt.submitted_at is not None

    def test_the_page_shows_the_time_left(self, client, learner, module):
        quiz = build_quiz(module, time_limit=10)
        client.force_login(learner)
        start(client, quiz)

        page = client.get(quiz.url + "attempts/1/").content.decode()

        remaining = int(re.search(r'data-remaining="(\d+)"', page).group(1))
        assert 590 <= remaining <= 600


class TestReveal:
    def submit(self, client, quiz, right):
        attempt = start(client, quiz)
        data = right_answers(attempt) if right else {}
        return client.post(
            quiz.url + f"attempts/{attempt.number}/", {**data, "action": "submit"}, follow=True
        ).content.decode()

    def test_never(self, client, learner, module):
        quiz = build_quiz(module, reveal="never")
        client.force_login(learner)
        html = self.submit(client, quiz, right=True)
        assert "Right answer:" not in html
        assert "stepped lens" not in html
        assert "This quiz does not show the right answers." in html

    def test_after_passing(self, client, learner, module):
        quiz = build_quiz(module, reveal="after_passing")
        client.force_login(learner)
        failed = self.submit(client, quiz, right=False)
        passed = self.submit(client, quiz, right=True)
        assert "Right answer:" not in failed
        assert "cyclorama" not in failed
        assert "Right answer:" in passed
        assert "Think of the lens" not in passed  # feedback for a wrong answer, not given
        assert "The Fresnel lens softens the edge." in passed

    def test_after_the_last_attempt(self, client, learner, module):
        quiz = build_quiz(module, reveal="after_last", attempt_limit=2)
        client.force_login(learner)
        first = self.submit(client, quiz, right=False)
        last = self.submit(client, quiz, right=False)
        assert "cyclorama" not in first
        assert "cyclorama" in last
        assert client.get(quiz.url + "attempts/1/").content.decode().count("cyclorama") == 1


class TestPrivacy:
    def test_another_learners_attempt_is_404(self, client, learner, quiz):
        client.force_login(learner)
        start(client, quiz)
        client.force_login(LearnerFactory())

        assert client.get(quiz.url + "attempts/1/").status_code == 404
        assert client.post(quiz.url + "attempts/1/", {"action": "submit"}).status_code == 404
        assert QuizAttempt.objects.get().submitted_at is None

    def test_visitors_must_log_in(self, client, quiz):
        assert client.post(quiz.url + "start/")["Location"].startswith("/en/accounts/login/")
        assert client.get(quiz.url + "attempts/1/")["Location"].startswith("/en/accounts/login/")
        assert client.get(quiz.url + "start/").status_code == 405


def test_a_quiz_edited_during_an_attempt_grades_what_the_learner_saw(client, learner, quiz):
    client.force_login(learner)
    attempt = start(client, quiz)
    quiz.questions = [
        question("single_choice", "single", choices=items(choice("A"), choice("B", True)))
    ]
    quiz.save_revision().publish()

    client.post(quiz.url + "attempts/1/", {**right_answers(attempt), "action": "submit"})

    attempt.refresh_from_db()
    assert attempt.percent == 100


GLOSSARY_QUESTIONS = [
    {
        "type": "glossary",
        "id": "translate",
        "value": {"kind": "translation", "count": 3, "points": 3},
    },
    {"type": "glossary", "id": "define", "value": {"kind": "definition", "count": 2, "points": 2}},
    {"type": "glossary", "id": "match", "value": {"kind": "match", "count": 5, "points": 5}},
]


@pytest.fixture
def terms(db):
    from glossary.factories import TermFactory

    film = TermFactory.create_batch(3, sectors=("film",))
    stage = [
        TermFactory(headword=f"stage term {number}", kk=f"сахна {number}", ru=f"сцена {number}")
        for number in range(12)
    ]
    return {"film": film, "stage": stage}


class TestGlossaryQuestions:
    @pytest.fixture
    def quiz(self, module, terms):
        from home.models import SubSector

        quiz = build_quiz(module, slug="terms", questions=GLOSSARY_QUESTIONS)
        quiz.sub_sectors = [SubSector.objects.get(slug="performing-arts")]
        quiz.save_revision().publish()
        return quiz

    def test_terms_are_drawn_from_the_quizs_sub_sectors_once_per_attempt(
        self, client, learner, quiz, terms
    ):
        client.force_login(learner)
        attempt = start(client, quiz)

        drawn = [pk for item in attempt.layout for pk in item["terms"]]
        assert len(drawn) == len(set(drawn)) == 10
        assert set(drawn) <= {term.pk for term in terms["stage"]}
        for pk in entry(attempt, "translate")["terms"]:
            options = entry(attempt, "translate")["options"][str(pk)]
            assert pk in options
            assert len(options) == 4
        page = client.get(quiz.url + "attempts/1/").content.decode()
        assert "сахна" in page  # the learner reads Kazakh

    def test_glossary_answers_are_graded(self, client, learner, quiz, terms):
        from glossary.models import Term

        client.force_login(learner)
        attempt = start(client, quiz)
        form = {"action": "submit"}
        translate, define, match = (entry(attempt, key) for key in ("translate", "define", "match"))
        for row, pk in enumerate(translate["terms"]):
            form[f"q-translate-{row}"] = str(translate["options"][str(pk)].index(pk))
        for row, pk in enumerate(define["terms"]):
            form[f"q-define-{row}"] = Term.objects.get(pk=pk).headword.upper()
        for row, pk in enumerate(match["terms"][:3]):
            form[f"q-match-{row}"] = str(match["matches"].index(pk))

        client.post(quiz.url + "attempts/1/", form)

        attempt.refresh_from_db()
        assert attempt.scores == {"translate": [3, 3], "define": [2, 2], "match": [3, 5]}


@pytest.mark.parametrize("extra", [0, 14])
def test_the_quiz_pages_run_a_fixed_number_of_queries(
    client, learner, module, terms, django_assert_num_queries, extra
):
    from glossary.search import approved_headwords
    from tests.conftest import SESSION_QUERY

    questions = (
        QUESTIONS
        + GLOSSARY_QUESTIONS
        + [question("true_false", f"more-{number}", answer=True) for number in range(extra)]
    )
    quiz = build_quiz(module, slug=f"size-{extra}", questions=questions)
    client.force_login(learner)
    for _earlier in range(extra // 7):
        start(client, quiz)
        client.post(quiz.url + "attempts/1/".replace("1", str(_earlier + 1)), {"action": "submit"})
    attempt = start(client, quiz)
    url = quiz.url + f"attempts/{attempt.number}/"
    client.get(url)  # the site settings row exists from now on
    approved_headwords()  # and the glossary's headwords are cached

    # site, locale and routing 10 · session and user 2 · the attempt 1 · terms and their
    # translations 2 · menu permissions 2 · site settings 1
    with django_assert_num_queries(18 + SESSION_QUERY):
        client.get(url)
    # ... the attempt saved, then locked, graded against the cached headwords and closed 10 (the
    # glossary's version is a cache entry, glossary.search.glossary_version, no longer a query)
    with django_assert_num_queries(23 + SESSION_QUERY):
        client.post(url, {"action": "submit"})
    # the quiz's own page, with the attempts so far: routing, session and user, the attempts,
    # the menu and the footer
    with django_assert_num_queries(OVERVIEW_QUERIES + SESSION_QUERY):
        client.get(quiz.url)


OVERVIEW_QUERIES = 16


def test_a_modules_final_quiz_completes_it(client, learner, module, lessons):
    from courses.models import Certificate

    quiz = build_quiz(module)
    client.force_login(learner)
    for lesson in lessons:
        client.post(lesson.url + "complete/")
    assert not Certificate.objects.exists()  # every lesson done, the quiz not yet passed
    assert "Take the final quiz" in client.get(module.url).content.decode()
    attempt = start(client, quiz)
    client.post(quiz.url + "attempts/1/", {"action": "submit"})  # failed: still incomplete
    assert not Certificate.objects.exists()

    attempt = start(client, quiz)
    response = client.post(
        quiz.url + "attempts/2/", {**right_answers(attempt), "action": "submit"}, follow=True
    )

    certificate = Certificate.objects.get()
    assert response.redirect_chain[-1][0] == f"/en/certificates/{certificate.code}/"
    assert "You have completed this module" in response.content.decode()

"""Access control: one learner never reads or changes another's data, visitors are sent to log
in, trainers are refused user, group and site management, every POST needs a CSRF token, and no
right answer reaches the browser before it may.

Two learners share one world: Alice has data of every kind, Bob signs in and asks for it by
swapping ids, attempt numbers, card keys, cohort ids and codes. Whatever he asks, the answer
is a 404 (a 403 in the admin), none of Alice's text is in it, and the database is as it was."""

import io
import re
import uuid
import zipfile
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from wagtail.models import Page

from courses.models import (
    Certificate,
    Enrolment,
    ExerciseAnswer,
    LessonCompletion,
    LessonPage,
    QuestionImport,
    QuizAttempt,
)
from courses.quizzes import start_attempt, submit_attempt
from glossary.factories import TermFactory
from glossary.models import Card, GlossaryImport, Review, Term
from home.models import SiteSettings, SubSector
from learners.factories import LearnerFactory
from learners.models import Cohort, User
from tests.courses import conftest as course_fixtures
from tests.courses.conftest import build_quiz, choice, items, question

# The module and its lessons, as tests/courses builds them.
catalogue = course_fixtures.catalogue
module = course_fixtures.module
lessons = course_fixtures.lessons

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
CSRF_SECRET = "a" * 32  # any 32 letters make a valid CSRF cookie


def request(client, method, path, data=None):
    """The response to a request, after LocaleMiddleware's redirect of a 404 outside the
    language prefix to the same path inside it (where Wagtail's pages answer 404 in turn)."""
    response = getattr(client, method)(path, data or {})
    if response.status_code == 302 and response["Location"] == "/en" + path:
        response = getattr(client, method)(response["Location"], data or {})
    return response


def snapshot():
    """Every row a request could change, so a refused request can be shown to change none."""
    models = [
        User,
        Group,
        Cohort,
        Cohort.members.through,
        Card,
        Review,
        Term,
        ExerciseAnswer,
        LessonCompletion,
        Enrolment,
        QuizAttempt,
        Certificate,
        GlossaryImport,
        QuestionImport,
        SiteSettings,
    ]
    rows = {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}
    rows["pages"] = list(Page.objects.order_by("pk").values("pk", "title", "live", "locked"))
    return rows


@pytest.fixture
def quiz(module):
    return build_quiz(module)


@pytest.fixture
def alice(db):
    return LearnerFactory(display_name="Alice Zhanbolatova", email="alice@example.kz")


@pytest.fixture
def bob(db):
    return LearnerFactory(display_name="Bob Serikov", email="bob@example.kz")


@pytest.fixture
def world(alice, bob, module, lessons, quiz):
    """Alice's data of every kind, and a little of Bob's own (so that his ids exist too)."""
    SiteSettings.load()  # pages create it on first use: here, before any snapshot
    lesson = lessons[0]
    ExerciseAnswer.objects.create(
        learner=alice, lesson_key=lesson.translation_key, block_id="ex-1", text="ALICE-DIARY"
    )
    LessonCompletion.objects.create(
        learner=alice, module_key=module.translation_key, lesson_key=lesson.translation_key
    )
    Enrolment.objects.create(learner=alice, module_key=module.translation_key)
    first, _refusal = start_attempt(quiz, alice)
    first.responses = {"short": "alicesubmitted"}
    first.save()
    submit_attempt(first, quiz)
    second, _refusal = start_attempt(quiz, alice)
    second.responses = {"short": "aliceopen"}
    second.save()
    bobs, _refusal = start_attempt(quiz, bob)
    secret_term = TermFactory(headword="pyrotechnic cue", ru="пиротехника", kk="пиротехника")
    card = Card.objects.create(learner=alice, term=secret_term, due=timezone.now(), saved=True)
    hard = Card.objects.create(
        learner=alice, term=TermFactory(headword="counterweight"), due=timezone.now()
    )
    hard.suspended = True
    hard.save()
    Card.objects.create(learner=bob, term=TermFactory(headword="batten"), due=timezone.now())
    cohort = Cohort.objects.create(name="ALICE-COHORT")
    cohort.members.add(alice)
    certificate = Certificate.objects.create(
        code=uuid.uuid4(),
        learner=alice,
        module_key=module.translation_key,
        learner_name=alice.display_name,
        module_title=module.title,
        language="en",
    )
    return {
        "lesson": lesson,
        "attempts": (first, second),
        "bobs_attempt": bobs,
        "card": card,
        "hard": hard,
        "cohort": cohort,
        "certificate": certificate,
    }


# Alice's text that Bob must never see.
ALICE_SECRETS = [
    "Alice",
    "alice@example.kz",
    "ALICE-DIARY",
    "alicesubmitted",
    "aliceopen",
    "pyrotechnic",
    "counterweight",
    "ALICE-COHORT",
]


def assert_nothing_of_alice(response):
    body = response.content.decode(errors="replace")
    for secret in ALICE_SECRETS:
        assert secret not in body, secret


class TestOneLearnerCannotReachAnother:
    """Bob, signed in, asks for Alice's objects by every identifier a URL takes."""

    def requests(self, world, quiz, alice):
        second = world["attempts"][1]  # Bob has an attempt 1 of his own: see the next test
        attempt_url = quiz.url + "attempts/{}/"
        return [
            ("get", attempt_url.format(second.number), {}),
            ("post", attempt_url.format(second.number), {"q-short": "bob", "action": "save"}),
            ("post", attempt_url.format(second.number), {"action": "submit"}),
            ("post", "/en/drill/answer/", {"card": world["card"].pk, "rating": "4", "key": "b"}),
            (
                "post",
                "/en/drill/answer/",
                {"card": world["card"].pk, "mode": "typing", "answer": "pyrotechnic cue"},
            ),
            ("post", f"/en/drill/hard/{world['hard'].pk}/reset/", {}),
            ("post", f"/en/me/cohorts/{world['cohort'].pk}/leave/", {}),
            ("get", f"/admin/reports/sheber/learners/{alice.pk}/", {}),
            ("get", f"/en/certificates/{uuid.uuid4()}/", {}),
            ("get", "/en/certificates/not-a-code/", {}),
        ]

    def test_every_identifier_of_alices_is_refused_and_nothing_changes(
        self, client, world, quiz, alice, bob
    ):
        client.force_login(bob)
        before = snapshot()

        for method, path, data in self.requests(world, quiz, alice):
            response = request(client, method, path, data)
            refused = response.status_code in {403, 404}
            assert refused, (method, path, response.status_code)
            assert_nothing_of_alice(response)

        assert snapshot() == before

    def test_bobs_own_attempt_number_shows_only_his_answers(self, client, world, quiz, bob):
        client.force_login(bob)
        number = world["bobs_attempt"].number
        assert number == world["attempts"][0].number  # the same number as Alice's first

        client.post(quiz.url + f"attempts/{number}/", {"q-short": "bobs-answer", "action": "save"})
        response = client.get(quiz.url + f"attempts/{number}/")

        assert "bobs-answer" in response.content.decode()
        assert_nothing_of_alice(response)
        first = QuizAttempt.objects.get(pk=world["attempts"][0].pk)
        assert first.responses == {"short": "alicesubmitted"}

    def test_an_exercise_answer_is_keyed_to_the_learner_not_the_block(
        self, client, world, alice, bob
    ):
        lesson = world["lesson"]
        client.force_login(bob)

        client.post(lesson.url + "exercise/ex-1/", {"answer": "bob-diary"})
        page = client.get(lesson.url)

        assert "bob-diary" in page.content.decode()
        assert_nothing_of_alice(page)
        assert ExerciseAnswer.objects.get(learner=alice).text == "ALICE-DIARY"

    @pytest.mark.parametrize(
        "path",
        [
            "/en/me/",
            "/en/me/settings/",
            "/en/drill/",
            "/en/drill/?deck=mine",
            "/en/drill/hard/",
            "/en/me/export/",
        ],
    )
    def test_the_learners_own_pages_ignore_someone_elses_id(self, client, world, alice, bob, path):
        """No page takes a learner from the query string: Alice's id there changes nothing."""
        client.force_login(bob)
        separator = "&" if "?" in path else "?"

        response = client.get(f"{path}{separator}learner={alice.pk}&user={alice.pk}")

        assert response.status_code == 200
        body = response.content
        if response["Content-Type"] == "application/zip":
            archive = zipfile.ZipFile(io.BytesIO(body))
            body = b"".join(archive.read(name) for name in archive.namelist())
        for secret in ALICE_SECRETS:
            assert secret.encode() not in body, secret

    def test_a_certificate_is_open_to_anyone_with_its_code_and_shows_only_the_certificate(
        self, client, world, alice
    ):
        """The code is a random UUID (122 bits): knowing it is the permission, as with a shared
        link; that is how an employer verifies it. It shows the name and module, nothing else."""
        certificate = world["certificate"]
        assert certificate.code.version == 4

        response = client.get(f"/en/certificates/{certificate.code}/")

        assert response.status_code == 200
        body = response.content.decode()
        assert alice.display_name in body
        assert alice.email not in body
        for secret in ("ALICE-DIARY", "alicesubmitted", "pyrotechnic", "ALICE-COHORT"):
            assert secret not in body

    def test_guessed_slugs_of_drafts_are_not_found(self, client, bob, module, lessons):
        draft_term = TermFactory(headword="draft secret", status="draft")
        draft_lesson = module.add_child(
            instance=LessonPage(title="Draft lesson", slug="draft-lesson", live=False, body=[])
        )
        client.force_login(bob)

        assert client.get(f"/en/glossary/{draft_term.slug}/").status_code == 404
        assert client.post(f"/en/glossary/{draft_term.slug}/drill/").status_code == 404
        assert client.get(module.url + "draft-lesson/").status_code == 404
        assert client.post(module.url + "draft-lesson/complete/").status_code == 404
        assert not Card.objects.filter(term=draft_term).exists()
        assert not LessonCompletion.objects.filter(lesson_key=draft_lesson.translation_key)

    def test_a_question_import_is_reached_only_through_its_own_quiz(
        self, client, trainer, module, quiz
    ):
        other = build_quiz(module, slug="other-quiz")
        upload = QuestionImport.objects.create(
            quiz=quiz, file_name="bank.gift", content=b"::Q:: Gel? {=yes ~no}", uploaded_by=trainer
        )
        client.force_login(trainer)

        assert client.get(f"/admin/quizzes/{quiz.pk}/import/{upload.pk}/").status_code == 200
        elsewhere = f"/admin/quizzes/{other.pk}/import/{upload.pk}/"
        assert request(client, "get", elsewhere).status_code == 404
        assert request(client, "post", elsewhere).status_code == 404
        upload.refresh_from_db()
        assert upload.applied_at is None

    def test_a_trainer_reads_learners_only_not_other_staff(
        self, client, trainer, administrator, world, alice
    ):
        client.force_login(trainer)

        detail = client.get(f"/admin/reports/sheber/learners/{alice.pk}/")
        assert detail.status_code == 200
        assert "alicesubmitted" in detail.content.decode()  # submitted quiz answers, yes
        # Exercise answers, no: the lesson tells the learner "Only you can see it."
        assert "ALICE-DIARY" not in detail.content.decode()
        for staff in (administrator, trainer):
            detail = f"/admin/reports/sheber/learners/{staff.pk}/"
            assert request(client, "get", detail).status_code == 404


def learner_only_requests(world, quiz):
    """(method, path, where `next` should lead) for every page and action that needs a learner."""
    lesson = world["lesson"]
    code = world["cohort"].code
    return [
        ("get", "/en/me/", "/en/me/"),
        ("get", "/en/me/settings/", "/en/me/settings/"),
        ("post", "/en/me/settings/", "/en/me/settings/"),
        ("get", "/en/me/export/", "/en/me/export/"),
        ("get", "/en/me/delete/", "/en/me/delete/"),
        ("post", "/en/me/delete/", "/en/me/delete/"),
        ("get", "/en/me/cohorts/join/", "/en/me/cohorts/join/"),
        ("post", "/en/me/cohorts/join/", "/en/me/cohorts/join/"),
        ("get", f"/en/me/cohorts/join/{code}/", f"/en/me/cohorts/join/{code}/"),
        ("post", f"/en/me/cohorts/join/{code}/", f"/en/me/cohorts/join/{code}/"),
        ("post", f"/en/me/cohorts/{world['cohort'].pk}/leave/", "/en/me/settings/"),
        ("get", "/en/accounts/password/change/", "/en/accounts/password/change/"),
        ("post", "/en/accounts/password/change/", "/en/accounts/password/change/"),
        ("get", "/en/drill/", "/en/drill/"),
        ("post", "/en/drill/answer/", "/en/drill/"),
        ("get", "/en/drill/hard/", "/en/drill/hard/"),
        ("post", f"/en/drill/hard/{world['hard'].pk}/reset/", "/en/drill/hard/"),
        ("post", "/en/glossary/pyrotechnic-cue/drill/", "/en/glossary/pyrotechnic-cue/"),
        ("post", lesson.url + "complete/", lesson.url),
        ("post", lesson.url + "exercise/ex-1/", lesson.url),
        ("post", quiz.url + "start/", quiz.url),
        ("get", quiz.url + "attempts/1/", quiz.url),
        ("post", quiz.url + "attempts/1/", quiz.url),
    ]


class TestVisitors:
    def test_every_learner_page_and_action_sends_a_visitor_to_log_in(self, client, world, quiz):
        before = snapshot()

        for method, path, expected_next in learner_only_requests(world, quiz):
            data = {"answer": "x", "card": "1", "code": "X"} if method == "post" else {}
            response = getattr(client, method)(path, data)
            assert response.status_code == 302, (method, path)
            location = urlsplit(response["Location"])
            assert location.path == LOGIN, (method, path)
            # After logging in, a POST-only action sends the visitor to the page it belongs to:
            # coming back to the action itself would be a GET, which it refuses.
            assert parse_qs(location.query)["next"] == [expected_next], (method, path)

        assert snapshot() == before

    def test_a_get_on_an_action_does_nothing_for_anyone(self, client, world, quiz, bob):
        """Actions answer GET with 405, before and after logging in: a link or a prefetch
        never completes a lesson, starts a quiz or spends a card."""
        lesson = world["lesson"]
        actions = [
            f"/en/me/cohorts/{world['cohort'].pk}/leave/",
            "/en/drill/answer/",
            f"/en/drill/hard/{world['hard'].pk}/reset/",
            "/en/glossary/batten/drill/",
            lesson.url + "complete/",
            lesson.url + "exercise/ex-1/",
            quiz.url + "start/",
        ]

        for user in (None, bob):
            if user:
                client.force_login(user)
            before = snapshot()
            for path in actions:
                assert client.get(path).status_code == 405, (user, path)
            assert snapshot() == before

    def test_the_admin_sends_a_visitor_to_the_same_login(self, client):
        response = client.get("/admin/users/")

        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == LOGIN


def admin_paths(world, alice, quiz):
    upload = GlossaryImport.objects.create(file_name="t.csv", content=b"headword\n")
    return [
        "/admin/",
        "/admin/reports/sheber/learners/",
        f"/admin/reports/sheber/learners/{alice.pk}/",
        "/admin/reports/sheber/funnel/",
        "/admin/reports/sheber/quiz-items/",
        "/admin/reports/sheber/hard-terms/",
        "/admin/reports/sheber/learners/results/",
        "/admin/glossary/import/",
        f"/admin/glossary/import/{upload.pk}/",
        f"/admin/quizzes/{quiz.pk}/import/",
        "/admin/snippets/learners/cohort/",
        f"/admin/snippets/learners/cohort/inspect/{world['cohort'].pk}/",
        "/admin/snippets/glossary/term/",
        "/admin/users/",
    ]


class TestRoles:
    def test_a_learner_reaches_nothing_in_the_admin(self, client, world, alice, bob, quiz):
        client.force_login(bob)

        for path in admin_paths(world, alice, quiz):
            response = client.get(path)
            # Not a redirect to log in: a signed-in learner would be sent straight back.
            assert response.status_code == 403, path
            assert_nothing_of_alice(response)

    @pytest.mark.parametrize(
        "path",
        [
            "/admin/users/delete/{learner}/",
            "/admin/groups/new/",
            "/admin/groups/edit/{group}/",
            "/admin/sites/new/",
            "/admin/locales/new/",
            "/admin/workflows/list/",
            "/admin/workflows/add/",
            "/admin/workflows/tasks/index/",
            "/admin/collections/",
            "/admin/redirects/",
            "/admin/snippets/home/subsector/add/",
        ],
    )
    def test_a_trainer_gets_a_real_403_on_management(self, client, trainer, learner, path):
        """Beyond tests/learners/test_roles.py: deleting users, groups, sites, locales,
        workflows, collections, redirects and the sub-sector taxonomy."""
        client.force_login(trainer)
        group = Group.objects.get(name="Learners")

        response = client.get(path.format(learner=learner.pk, group=group.pk))

        assert response.status_code == 403

    def test_a_trainers_management_posts_are_refused_and_change_nothing(
        self, client, trainer, learner
    ):
        client.force_login(trainer)
        trainers = Group.objects.get(name="Trainers")
        settings = SiteSettings.load()
        before = snapshot()

        posts = [
            (f"/admin/users/delete/{learner.pk}/", {}),
            ("/admin/groups/new/", {"name": "Superusers"}),
            (f"/admin/groups/edit/{trainers.pk}/", {"name": "Trainers", "permissions": []}),
            (f"/admin/settings/home/sitesettings/{settings.pk}/", {"contact_email": "x@evil.kz"}),
            ("/admin/users/new/", {"email": "mole@example.kz", "is_superuser": "on"}),
        ]
        for path, data in posts:
            assert client.post(path, data).status_code == 403, path

        assert snapshot() == before
        assert not trainer.is_superuser


def post_endpoints(world, quiz, trainer, alice):
    """(who, path, data) for every POST endpoint of our own code, and Wagtail's that change
    users, pages and settings. Data is valid, so that with a token each would go through."""
    lesson = world["lesson"]
    upload = GlossaryImport.objects.create(
        file_name="t.csv",
        content=b"headword,part_of_speech,definition\nfly bar,noun,A bar for hanging lights.\n",
        uploaded_by=trainer,
    )
    bank = QuestionImport.objects.create(
        quiz=quiz, file_name="b.gift", content=b"::Q:: Gel? {=yes ~no}\n", uploaded_by=trainer
    )
    second = world["attempts"][1]
    password = "correct-horse-battery"
    new = "a-whole-new-passphrase"
    return [
        (None, "/i18n/setlang/", {"language": "kk", "next": "/en/"}),
        (None, "/en/accounts/login/", {"username": "alice@example.kz", "password": password}),
        (None, "/admin/login/", {"username": "alice@example.kz", "password": password}),
        (None, "/en/accounts/signup/", {"email": "new@example.kz", "display_name": "New"}),
        (None, "/en/accounts/password/reset/", {"email": "alice@example.kz"}),
        (None, lesson.url + "check/kc-1/", {"choice": "0"}),
        (alice, "/en/accounts/logout/", {}),
        (
            alice,
            "/en/accounts/password/change/",
            {"old_password": password, "new_password1": new, "new_password2": new},
        ),
        (alice, "/en/me/settings/", {"display_name": "Renamed", "interface_language": "kk"}),
        (alice, "/en/me/delete/", {"password": password, "confirm": "on"}),
        (alice, "/en/me/cohorts/join/", {"code": world["cohort"].code}),
        (alice, f"/en/me/cohorts/join/{world['cohort'].code}/", {}),
        (alice, f"/en/me/cohorts/{world['cohort'].pk}/leave/", {}),
        (alice, "/en/glossary/batten/drill/", {}),
        (alice, "/en/drill/answer/", {"card": world["card"].pk, "rating": "3", "key": "k"}),
        (alice, f"/en/drill/hard/{world['hard'].pk}/reset/", {}),
        (alice, lesson.url + "complete/", {}),
        (alice, lesson.url + "exercise/ex-1/", {"answer": "changed"}),
        (alice, quiz.url + "start/", {}),
        (alice, quiz.url + f"attempts/{second.number}/", {"q-short": "x", "action": "submit"}),
        (trainer, "/admin/glossary/import/", {}),
        (trainer, f"/admin/glossary/import/{upload.pk}/", {}),
        (trainer, f"/admin/quizzes/{quiz.pk}/import/", {}),
        (trainer, f"/admin/quizzes/{quiz.pk}/import/{bank.pk}/", {}),
        (trainer, "/admin/snippets/learners/cohort/add/", {"name": "Evening group"}),
        (trainer, f"/admin/snippets/learners/cohort/delete/{world['cohort'].pk}/", {}),
        (trainer, f"/admin/pages/{quiz.pk}/lock/", {}),
        (
            trainer,
            f"/admin/api/main/pages/{quiz.pk}/action/copy/",
            {"slug": "copied", "keep_live": "false"},
        ),
    ]


class TestCsrf:
    def test_no_view_is_exempt_from_csrf(self):
        """The middleware guards every view that does not opt out. Only Wagtail's admin API
        opts out, as every Django REST framework view does: its session authentication checks
        the token itself (the page action posted below proves it)."""

        def callbacks(patterns, prefix=""):
            for pattern in patterns:
                if isinstance(pattern, URLResolver):
                    yield from callbacks(pattern.url_patterns, prefix + str(pattern.pattern))
                elif isinstance(pattern, URLPattern):
                    yield prefix + str(pattern.pattern), pattern.callback

        exempt = [
            route
            for route, callback in callbacks(get_resolver().url_patterns)
            if getattr(callback, "csrf_exempt", False) and not route.startswith("admin/api/main/")
        ]
        assert exempt == []

    def test_every_post_without_a_token_is_refused_and_changes_nothing(
        self, world, quiz, trainer, alice
    ):
        from django.test import Client

        for user, path, data in post_endpoints(world, quiz, trainer, alice):
            client = Client(enforce_csrf_checks=True)
            if user:
                client.force_login(user)
            before = snapshot()

            refused = client.post(path, data)

            assert refused.status_code == 403, path
            # Our page for a refused token, or Django REST framework's message (the admin API).
            templates = [template.name for template in refused.templates]
            assert "403_csrf.html" in templates or b"CSRF Failed" in refused.content, path
            assert snapshot() == before, path
            # The same post with a token is not refused: the 403 above was the token's.
            client.cookies["csrftoken"] = CSRF_SECRET
            accepted = client.post(path, {**data, "csrfmiddlewaretoken": CSRF_SECRET})
            assert accepted.status_code != 403, (path, accepted.content[:300])


def leak_question(kind, key, **fields):
    """A question whose feedback texts are found nowhere else: QUIZ-<KEY>-RIGHT/-WRONG."""
    return question(
        kind,
        key,
        prompt=f"<p>Question {key}</p>",
        feedback_right=f"QUIZ-{key.upper()}-RIGHT",
        feedback_wrong=f"QUIZ-{key.upper()}-WRONG",
        **fields,
    )


# One question of every type, with what only its right answer says.
LEAKS = {
    "single_choice": (
        leak_question(
            "single_choice",
            "single",
            choices=items(choice("Fresnel", True, "CHOSE-RIGHT"), choice("Profile", False, "NO")),
        ),
        ["CHOSE-RIGHT", "correct"],
    ),
    "multiple_choice": (
        leak_question(
            "multiple_choice",
            "multiple",
            choices=items(
                choice("Power", True, "TICK-RIGHT"), choice("Menu", False), choice("Size", True)
            ),
        ),
        ["TICK-RIGHT", "correct"],
    ),
    "true_false": (leak_question("true_false", "truefalse", answer=False), []),
    "short_answer": (
        leak_question("short_answer", "short", answers=["proscenium", "pros arch"]),
        ["proscenium", "pros arch"],
    ),
    "matching": (
        leak_question(
            "matching",
            "matching",
            pairs=items(
                {"item": "gel", "match": "светофильтр"},
                {"item": "batten", "match": "штанкет"},
                {"item": "wing", "match": "кулиса"},
            ),
        ),
        [],
    ),
    "ordering": (
        leak_question("ordering", "ordering", items=items("Get-in", "Focus", "Show")),
        [],
    ),
    "gap_fill": (
        leak_question("gap_fill", "gaps", text="Fit the [[spigot|pin]] to the [[trunnion]]."),
        ["spigot", "trunnion"],
    ),
}


def scripts_of(html):
    """The text of every script the page loads from our static files."""
    texts = []
    for src in re.findall(r'<script[^>]+src="/static/([^"?]+)', html):
        found = finders.find(src)
        assert found, src
        with open(found, encoding="utf-8") as script:
            texts.append(script.read())
    return texts


class TestNoAnswerBeforeSubmission:
    @pytest.mark.parametrize("kind", list(LEAKS))
    def test_nothing_that_gives_the_answer_reaches_the_browser(self, client, bob, module, kind):
        block, secrets = LEAKS[kind]
        key = block["id"]
        quiz = build_quiz(module, slug=f"leak-{key}", questions=[block])
        secrets = [*secrets, f"QUIZ-{key.upper()}-RIGHT", f"QUIZ-{key.upper()}-WRONG"]
        client.force_login(bob)
        url = quiz.url + "attempts/1/"

        overview = client.get(quiz.url).content.decode()
        client.post(quiz.url + "start/")
        page = client.get(url).content.decode()
        saved = client.post(url, {"action": "save"}, HTTP_ACCEPT="application/json")

        assert saved.json() == {"saved": True}
        scripts = scripts_of(page)
        assert scripts  # quiz.js at least
        for text in [overview, page, *scripts]:
            for secret in secrets:
                assert secret not in text, secret
        attempt = QuizAttempt.objects.get(learner=bob)
        entry = attempt.layout[0]
        # Form values are positions in the attempt's shuffled lists, never the items' ids.
        assert not re.search(r'value="i\d"', page)
        if kind == "matching":  # one list of options, the same for every row
            selects = re.findall(r"<select.*?</select>", page, re.DOTALL)
            assert len(selects) == 3
            options = {tuple(re.findall(r"<option[^>]*>([^<]*)<", s)) for s in selects}
            assert len(options) == 1
        if kind == "ordering":
            assert entry["items"] != ["i1", "i2", "i3"]
        # Submitted with nothing answered, the quiz (reveal after each) shows what was right.
        result = client.post(url, {"action": "submit"}, follow=True).content.decode()
        assert f"QUIZ-{key.upper()}-WRONG" in result
        assert all(secret in result for secret in secrets if secret in ("proscenium", "spigot"))

    def test_glossary_questions_hide_the_term_to_type(self, client, bob, module):
        terms = [
            TermFactory(headword=f"riggingword{n}", ru=f"такелаж {n}", kk=f"такелаж {n}")
            for n in range(8)
        ]
        questions = [
            {"type": "glossary", "id": "define", "value": {"kind": "definition", "count": 3}},
            {"type": "glossary", "id": "match", "value": {"kind": "match", "count": 5}},
        ]
        quiz = build_quiz(module, slug="leak-glossary", questions=questions)
        quiz.sub_sectors = [SubSector.objects.get(slug="performing-arts")]
        quiz.save_revision().publish()
        client.force_login(bob)

        client.post(quiz.url + "start/")
        page = client.get(quiz.url + "attempts/1/").content.decode()

        attempt = QuizAttempt.objects.get(learner=bob)
        define, match = attempt.layout
        assert set(define["terms"] + match["terms"]) <= {term.pk for term in terms}
        for term in terms:
            if term.pk in define["terms"]:
                assert term.headword not in page, term.headword
            else:
                assert term.headword in page  # matched, so named


class TestDrillsBeforeAnswering:
    """The typing exercise shows equivalents and the definition with the term blanked out; the
    listening one carries the English only for the browser to speak (docs/decisions.md)."""

    @pytest.fixture
    def card(self, bob):
        term = TermFactory(
            headword="fly bar",
            variants="flybar",
            ru="штанкет",
            kk="штанкет",
            definition="A fly bar hangs from the grid.",
        )
        now = timezone.now().replace(microsecond=0)
        return Card.objects.create(
            learner=bob,
            term=term,
            state=2,  # review
            step=None,
            stability=10.0,
            difficulty=5.0,
            last_review=now - timedelta(days=6, seconds=now.second % 2),  # even second
            due=now,
        )

    @pytest.mark.parametrize("fragment", ["", "&fragment=1"])
    def test_typing_shows_no_form_of_the_term(self, client, bob, card, fragment):
        client.force_login(bob)

        html = client.get(f"/en/drill/?voice=0{fragment}").content.decode()

        assert 'value="typing"' in html
        assert "штанкет" in html
        for form in ("fly bar", "flybar", "fly-bar"):
            assert form not in html.lower(), form

    def test_listening_carries_the_term_only_to_be_spoken(self, client, bob, card):
        card.last_review += timedelta(seconds=1)  # odd: heard, not read
        card.save()
        client.force_login(bob)

        html = client.get("/en/drill/?voice=1").content.decode()

        assert 'value="listening"' in html
        assert html.count('data-speak="fly bar"') == 1
        rest = html.replace('data-speak="fly bar"', "").lower()
        for form in ("fly bar", "flybar", "fly-bar", "штанкет", "hangs from the grid"):
            assert form not in rest, form

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import (
    CatalogueIndexPage,
    Certificate,
    Enrolment,
    ExerciseAnswer,
    LessonCompletion,
    LessonPage,
    ModulePage,
)
from home.models import HomePage
from learners.factories import LearnerFactory
from tests.conftest import SESSION_QUERY
from tests.courses.conftest import build_module

pytestmark = pytest.mark.django_db


class TestPageTypes(WagtailPageTestCase):
    def test_the_tree_is_catalogue_module_lesson(self):
        self.assertCanCreateAt(HomePage, CatalogueIndexPage)
        self.assertCanCreateAt(CatalogueIndexPage, ModulePage)
        self.assertCanCreateAt(ModulePage, LessonPage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanNotCreateAt(CatalogueIndexPage, LessonPage)
        self.assertCanNotCreateAt(LessonPage, LessonPage)
        self.assertCanNotCreateAt(Page, ModulePage)


def complete(client, lesson):
    return client.post(lesson.url + "complete/")


def test_anonymous_visitors_read_modules_and_lessons(client, module, lessons):
    page = client.get(module.url)
    assert page.status_code == 200
    assert "Start the module" in page.content.decode()
    lesson = client.get(lessons[0].url)
    assert lesson.status_code == 200
    assert "Log in to save your progress." in lesson.content.decode()
    assert complete(client, lessons[0]).status_code == 302
    assert not LessonCompletion.objects.exists()


def test_opening_a_lesson_enrols_and_completing_moves_on(client, learner, module, lessons):
    client.force_login(learner)

    client.get(lessons[0].url)
    assert Enrolment.objects.filter(learner=learner, module_key=module.translation_key).exists()

    response = complete(client, lessons[0])
    assert response["Location"] == lessons[1].url
    page = client.get(module.url)
    assert page.context["progress"].completed == 1
    assert page.context["progress"].next_lesson == lessons[1]
    assert "Continue" in page.content.decode()


def test_completing_twice_leaves_one_row(client, learner, lessons):
    client.force_login(learner)

    complete(client, lessons[0])
    complete(client, lessons[0])

    assert LessonCompletion.objects.filter(learner=learner).count() == 1


def test_marking_complete_needs_a_post(client, learner, lessons):
    client.force_login(learner)

    assert client.get(lessons[0].url + "complete/").status_code == 405
    assert not LessonCompletion.objects.exists()


def test_the_last_lesson_issues_a_certificate_that_does_not_change(
    client, learner, module, lessons
):
    client.force_login(learner)
    for lesson in lessons[:-1]:
        complete(client, lesson)
    response = complete(client, lessons[-1])

    certificate = Certificate.objects.get(learner=learner)
    assert response["Location"] == f"/en/certificates/{certificate.code}/"
    assert Enrolment.objects.get(learner=learner).completed_at is not None
    module.title = "Renamed module"
    module.save_revision().publish()
    learner.display_name = "Someone else"
    learner.save()
    client.logout()

    page = client.get(f"/en/certificates/{certificate.code}/")
    html = page.content.decode()
    assert "Әлия Қайратқызы" in html
    assert "Stage basics stage-basics" in html
    assert "Renamed module" not in html
    assert client.get("/en/certificates/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_switching_to_russian_keeps_progress(client, learner, lessons, russian_module):
    client.force_login(learner)
    complete(client, lessons[0])

    page = client.get(russian_module.url)

    assert russian_module.url.startswith("/ru/")
    assert page.context["progress"].completed == 1
    russian_second = page.context["progress"].next_lesson
    assert russian_second.locale.language_code == "ru"
    assert russian_second.translation_key == lessons[1].translation_key


class TestExercises:
    def test_answers_are_saved_edited_and_private(self, client, learner, lessons):
        client.force_login(learner)
        url = lessons[0].url + "exercise/ex-1/"

        client.post(url, {"answer": "We loaded in at six."})
        client.post(url, {"answer": "We loaded in at seven."})
        assert ExerciseAnswer.objects.get(learner=learner).text == "We loaded in at seven."
        assert "We loaded in at seven." in client.get(lessons[0].url).content.decode()

        other = LearnerFactory()
        client.force_login(other)
        assert "We loaded in at seven." not in client.get(lessons[0].url).content.decode()

    @pytest.mark.parametrize(
        ("block", "answer", "message"),
        [
            ("ex-1", "   ", "Write your answer before saving it."),
            ("ex-1", "x" * 10_240, "Please shorten your answer to 5000 characters."),
            ("nope", "Hello", "This exercise is no longer part of the lesson."),
        ],
    )
    def test_bad_answers_are_refused_clearly(
        self, client, learner, lessons, block, answer, message
    ):
        client.force_login(learner)

        response = client.post(
            lessons[0].url + f"exercise/{block}/", {"answer": answer}, follow=True
        )

        assert response.status_code == 200
        assert message in response.content.decode()
        assert not ExerciseAnswer.objects.exists()

    def test_anonymous_answers_go_to_log_in(self, client, lessons):
        response = client.post(lessons[0].url + "exercise/ex-1/", {"answer": "Hi"})

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


class TestKnowledgeCheck:
    @pytest.mark.parametrize(
        ("choice", "text"),
        [
            ("0", "Yes: its stepped lens."),
            ("1", "It gives a hard edge."),
            ("", "Choose an answer first."),
            ("9", "Choose an answer first."),
        ],
    )
    def test_feedback_without_javascript(self, client, lessons, choice, text):
        response = client.post(lessons[0].url + "check/kc-1/", {"choice": choice})

        assert response.status_code == 200
        assert text in response.content.decode()

    def test_correct_answers_are_not_in_the_page_before_answering(self, client, lessons):
        html = client.get(lessons[0].url).content.decode()

        assert "Yes: its stepped lens." not in html
        assert "correct" not in html.lower().replace("correct the following", "")

    def test_unknown_question_and_get(self, client, lessons):
        response = client.post(lessons[0].url + "check/zz/", {"choice": "0"}, follow=True)
        assert "no longer part" in response.content.decode()
        assert client.get(lessons[0].url + "check/kc-1/").status_code == 405


def queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


# A signed-in learner with progress. Besides the page's own queries, each includes Wagtail's
# routing (one per URL segment, the specific page, aliases, privacy), the session and user,
# the user's permissions (the admin link in the menu) and the footer's site settings.
# Sessions in the database cost a query; in Redis (the PostgreSQL suite) they do not.
CATALOGUE_QUERIES = 17 + SESSION_QUERY
MODULE_QUERIES = 18 + SESSION_QUERY  # ... and the final quiz
LESSON_QUERIES = 21 + SESSION_QUERY  # ... and enrolment, exercise answers, glossary marks, quiz


def test_query_counts_do_not_grow(client, learner, catalogue, module, lessons):
    client.force_login(learner)
    complete(client, lessons[0])
    paths = [catalogue.url, module.url, lessons[1].url]
    before = [queries(client, path) for path in paths]

    for number in range(6):
        build_module(catalogue, slug=f"more-{number}", lessons=5)
    for _ in range(5):
        other = LearnerFactory()
        LessonCompletion.objects.create(
            learner=other, module_key=module.translation_key, lesson_key=lessons[0].translation_key
        )

    after = [queries(client, path) for path in paths]
    assert before == after == [CATALOGUE_QUERIES, MODULE_QUERIES, LESSON_QUERIES]


def test_term_page_lists_the_modules_that_teach_it(client, module, stage_terms):
    module.key_terms = [stage_terms["fresnel"]]
    module.save_revision().publish()

    html = client.get("/en/glossary/fresnel/").content.decode()

    assert "Modules that teach it" in html
    assert f'href="{module.url}"' in html

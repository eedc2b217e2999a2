"""Importing a question bank into a quiz from the admin: preview, then all or nothing."""

from pathlib import Path

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import QuestionImport, QuizPage

from .conftest import QUESTIONS, build_quiz

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture
def quiz(module):
    return build_quiz(module)


def upload(client, quiz, name):
    content = (DATA / name).read_bytes()
    return client.post(
        f"/admin/quizzes/{quiz.pk}/import/", {"file": SimpleUploadedFile(name, content)}
    )


def test_a_trainer_previews_then_adds_a_gift_bank_to_a_draft(client, trainer, quiz):
    client.force_login(trainer)

    preview = client.get(upload(client, quiz, "gift_all_types.gift")["Location"])
    html = preview.content.decode()
    assert "Soft edge" in html
    assert "Single choice" in html
    assert "problem" in html

    bank_size = html.count("<tr><td>") - html.count("help-critical")
    response = client.post(preview.wsgi_request.path, follow=True)

    assert "questions added to a draft" in response.content.decode()
    quiz.refresh_from_db()
    live = QuizPage.objects.get(pk=quiz.pk)
    draft = live.get_latest_revision_as_object()
    assert len(live.questions) == len(QUESTIONS)  # the live quiz is unchanged until approval
    assert len(draft.questions) > len(QUESTIONS)
    assert bank_size >= len(draft.questions) - len(QUESTIONS)
    assert QuestionImport.objects.get().applied_at is not None
    # applying twice adds nothing
    client.post(preview.wsgi_request.path)
    assert len(QuizPage.objects.get(pk=quiz.pk).get_latest_revision_as_object().questions) == len(
        draft.questions
    )


def test_a_moodle_export_imports(client, trainer, quiz):
    client.force_login(trainer)

    preview = client.get(upload(client, quiz, "moodle_export_nested_categories.xml")["Location"])

    assert "True or false" in preview.content.decode()


@pytest.mark.parametrize("name", ["moodle_mixed.xml", "unclosed_brace.gift", "billion_laughs.xml"])
def test_a_file_with_problems_imports_nothing(client, trainer, quiz, name):
    client.force_login(trainer)
    revisions = quiz.revisions.count()
    preview_url = upload(client, quiz, name)["Location"]

    html = client.get(preview_url).content.decode()
    response = client.post(preview_url, follow=True)

    assert "Nothing can be imported until these problems are corrected" in html
    assert "Line" in html
    assert "Nothing was imported" in response.content.decode()
    assert quiz.revisions.count() == revisions


def test_the_form_rejects_other_files(client, trainer, quiz):
    client.force_login(trainer)
    response = client.post(
        f"/admin/quizzes/{quiz.pk}/import/", {"file": SimpleUploadedFile("bank.docx", b"PK")}
    )
    assert "Sheber imports Moodle XML (.xml) and GIFT files." in response.content.decode()
    assert not QuestionImport.objects.exists()


def test_learners_cannot_import(client, learner, quiz):
    client.force_login(learner)
    assert client.get(f"/admin/quizzes/{quiz.pk}/import/").status_code in (302, 403)

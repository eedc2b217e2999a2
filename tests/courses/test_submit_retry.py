"""A quiz submission whose answer never reached the learner (the worker died after grading) is
sent again with the same answers: the attempt stays graded once, and passing the module's
final quiz still issues the certificate. So does a pass submitted because time ran out."""

from datetime import timedelta

import pytest

from django.utils import timezone

from courses import quiz_views
from courses.models import Certificate, QuizAttempt

from .conftest import build_quiz
from .test_quizzes import right_answers, start

pytestmark = pytest.mark.django_db


class WorkerKilled(Exception):
    pass


def test_a_submission_sent_again_after_a_crash_still_completes_the_module(
    client, learner, module, lessons, monkeypatch
):
    quiz = build_quiz(module)
    client.force_login(learner)
    for lesson in lessons:
        client.post(lesson.url + "complete/")
    attempt = start(client, quiz)
    data = {**right_answers(attempt), "action": "submit"}

    def killed(*args):
        raise WorkerKilled  # after the grading was committed, before the certificate

    with monkeypatch.context() as patch:
        patch.setattr(quiz_views, "finish_module", killed)
        with pytest.raises(WorkerKilled):
            client.post(quiz.url + "attempts/1/", data)
    graded = QuizAttempt.objects.get(pk=attempt.pk)
    assert graded.passed
    assert not Certificate.objects.exists()

    response = client.post(quiz.url + "attempts/1/", data, HTTP_ACCEPT="application/json")

    assert response.status_code == 409
    assert response.json()["submitted"] is True
    assert Certificate.objects.filter(learner=learner).count() == 1
    assert QuizAttempt.objects.get(pk=attempt.pk).submitted_at == graded.submitted_at


def test_a_passing_attempt_submitted_when_its_time_runs_out_still_completes_the_module(
    client, learner, module, lessons
):
    quiz = build_quiz(module, time_limit=5)
    client.force_login(learner)
    for lesson in lessons:
        client.post(lesson.url + "complete/")
    attempt = start(client, quiz)
    client.post(quiz.url + "attempts/1/", {**right_answers(attempt), "action": "save"})
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=30)
    )

    page = client.get(quiz.url + "attempts/1/").content.decode()

    assert "Time is up" in page
    assert QuizAttempt.objects.get(pk=attempt.pk).passed
    assert Certificate.objects.filter(learner=learner).count() == 1

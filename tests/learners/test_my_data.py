import csv
import io
import json
import zipfile

import pytest

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from courses.models import Certificate, ExerciseAnswer
from glossary.factories import TermFactory
from glossary.models import Card, Review
from glossary.reviews import record_review
from learners.factories import LearnerFactory
from learners.models import User
from tests.courses.conftest import build_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(client, module, lessons):
    """Two learners who have done a bit of everything; returns the first."""
    quiz = build_quiz(module)
    people = [LearnerFactory(display_name=name) for name in ("Әлия", "=cmd|' /C calc'!A0")]
    term = TermFactory(headword="gel")
    for number, person in enumerate(people):
        client.force_login(person)
        client.post(lessons[0].url + "complete/")
        ExerciseAnswer.objects.create(
            learner=person,
            lesson_key=lessons[0].translation_key,
            block_id="ex",
            text=f"=1+{number}",
        )
        client.post(quiz.url + "start/")
        client.post(quiz.url + "attempts/1/", {"q-short": f"answer {number}", "action": "submit"})
        card = Card.objects.create(learner=person, term=term, due=timezone.now())
        record_review(person, card.pk, 3, mode="flashcard", key=f"k{number}")
        Certificate.objects.create(
            code=f"00000000-0000-0000-0000-00000000000{number}",
            learner=person,
            module_key=module.translation_key,
            learner_name=person.display_name,
            module_title="Stage basics",
            language="en",
        )
    client.logout()
    return people


def read(archive, name):
    return archive.read(name).decode("utf-8-sig")


def test_the_export_holds_everything_of_the_learner_and_nothing_of_others(client, busy):
    learner, other = busy
    client.force_login(learner)

    response = client.get("/en/me/export/")

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert json.loads(read(archive, "profile.json"))["display_name"] == "Әлия"
    counts = {
        name: len(list(csv.reader(io.StringIO(read(archive, name))))) - 1
        for name in archive.namelist()
        if name.endswith(".csv")
    }
    assert counts == {
        "enrolments.csv": 1,
        "lessons_completed.csv": 1,
        "exercise_answers.csv": 1,
        "certificates.csv": 1,
        "drill_cards.csv": 1,
        "drill_reviews.csv": 1,
    }
    attempts = json.loads(read(archive, "quiz_attempts.json"))
    assert [attempt["responses"] for attempt in attempts] == [{"short": "answer 0"}]
    everything = " ".join(read(archive, name) for name in archive.namelist())
    assert "answer 1" not in everything
    assert other.email not in everything
    assert "'=1+0" in read(archive, "exercise_answers.csv")  # never a live formula


def test_export_needs_login(client):
    assert client.get("/en/me/export/")["Location"].startswith("/en/accounts/login/")


def rows_referencing(user_pk):
    """Every row of every table that points at the user."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model
                and field.related_model._meta.label == settings.AUTH_USER_MODEL
            ):
                count = model.objects.filter(**{field.name: user_pk}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


def test_deleting_the_account_leaves_no_row_that_references_it(client, busy, password):
    learner, other = busy
    client.force_login(learner)
    client.post("/en/accounts/logout/")
    client.post("/en/accounts/login/", {"username": learner.email, "password": "wrong"})
    client.force_login(learner)
    assert rows_referencing(learner.pk)

    refused = client.post("/en/me/delete/", {"password": "wrong", "confirm": "on"})
    assert "That is not your password." in refused.content.decode()
    response = client.post("/en/me/delete/", {"password": password, "confirm": "on"}, follow=True)

    assert "Your account and everything in it have been deleted." in response.content.decode()
    assert not User.objects.filter(pk=learner.pk).exists()
    assert rows_referencing(learner.pk) == {}
    from axes.models import AccessAttempt, AccessLog

    assert not AccessAttempt.objects.filter(username=learner.email).exists()
    assert not AccessLog.objects.filter(username=learner.email).exists()
    assert Review.objects.filter(learner=other).count() == 1  # the other learner keeps theirs
    assert client.get("/en/me/")["Location"].startswith("/en/accounts/login/")


def test_deletion_must_be_confirmed(client, learner, password):
    client.force_login(learner)

    response = client.post("/en/me/delete/", {"password": password})

    assert "Tick the box to confirm." in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()

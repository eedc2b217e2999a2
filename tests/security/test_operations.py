"""Operations: security headers on every kind of response, HSTS under production settings, and
logs that never hold a password, a reset token, a session key or a quiz answer. The deploy check
itself is tests/test_settings.py::test_deploy_check_is_clean_with_production_settings."""

import json
import logging
import os
import re
import subprocess
import sys

import pytest

from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from courses.models import QuizAttempt
from glossary.factories import TermFactory
from glossary.models import Card
from tests.courses.conftest import build_quiz, catalogue, lessons, module  # noqa: F401
from tests.test_settings import PRODUCTION_ENV

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "Wrong-Secret-Passw0rd-9431"
NEW_PASSWORD = "Fresh-Secret-Passw0rd-7712"
QUIZ_ANSWER = "cycloramaSecretAnswer"
EXERCISE_ANSWER = "ExercisePrivateThought-5521"
DRILL_ANSWER = "DrillTypedAnswer-8830"


def assert_headers(response, *, frame="DENY", csp=True):
    headers = response.headers
    where = f"{response.status_code} {response.request['PATH_INFO']}"
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    if frame:
        assert headers.get("X-Frame-Options") == frame, where
    if csp:
        policy = headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy, where
        assert "frame-ancestors" in policy, where


@pytest.fixture
def site(home_page, module, lessons):  # noqa: F811
    quiz = build_quiz(module)
    term = TermFactory(headword="Fresnel", ru="прожектор Френеля", kk="Френель прожекторы")
    return quiz, term


def test_learner_responses_of_every_kind_carry_the_headers(client, learner, site):
    quiz, term = site
    client.force_login(learner)
    card = Card.objects.create(learner=learner, term=term, due="2020-01-01T00:00:00Z")
    responses = {
        "page": client.get("/en/glossary/"),
        "wagtail page": client.get(quiz.url),
        "not found": client.get("/en/no-such-page/"),
        "not allowed": client.get("/en/drill/answer/"),
        "redirect": client.post("/en/glossary/fresnel/drill/"),
        "json": client.post(
            "/en/drill/answer/",
            {"card": card.pk, "mode": "flashcard", "rating": "3"},
            headers={"Accept": "application/json"},
        ),
        "json error": client.post(
            "/en/drill/answer/",
            {"card": card.pk, "mode": "flashcard"},
            headers={"Accept": "application/json"},
        ),
        "zip download": client.get("/en/me/export/"),
        "deck download": client.get("/en/sectors/performing-arts/anki/"),
    }
    assert responses["json"]["Content-Type"] == "application/json"
    assert responses["zip download"]["Content-Type"] == "application/zip"
    assert {name: r.status_code for name, r in responses.items()} == {
        "page": 200,
        "wagtail page": 200,
        "not found": 404,
        "not allowed": 405,
        "redirect": 302,
        "json": 200,
        "json error": 400,
        "zip download": 200,
        "deck download": 200,
    }
    for response in responses.values():
        assert_headers(response)


def test_anonymous_refusals_carry_the_headers(client, home_page):
    login_redirect = client.get("/en/me/")
    csrf_refusal = Client(enforce_csrf_checks=True).post("/en/accounts/login/", {})

    assert login_redirect.status_code == 302
    assert csrf_refusal.status_code == 403
    for response in (login_redirect, csrf_refusal):
        assert_headers(response)


def test_admin_responses_carry_the_headers(client, trainer, learner, administrator):
    client.force_login(trainer)
    refused = client.get("/admin/users/")
    admin_page = client.get("/admin/")
    export = client.get("/admin/reports/sheber/learners/?export=csv")
    client.force_login(learner)
    learner_refused = client.get("/admin/")

    assert (refused.status_code, admin_page.status_code, export.status_code) == (403, 200, 200)
    assert learner_refused.status_code in (302, 403)
    for response in (refused, admin_page, export, learner_refused):
        assert_headers(response, frame=None)
        # Wagtail frames some of its own admin views (previews), never another site's.
        assert response.headers["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


def test_static_files_carry_the_headers(client):
    response = client.get("/static/css/sheber.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    # WhiteNoise answers before the frame and CSP middleware: a stylesheet is never framed or
    # run, so the headers that matter for it are those below.
    assert_headers(response, frame=None, csp=False)


def production_security_settings():
    """The HTTPS settings that sheber.settings.production makes from PRODUCTION_ENV."""
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    ]
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "sheber.settings.production",
            **PRODUCTION_ENV,
        },
        check=True,
    )
    values = json.loads(result.stdout)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_production_redirects_to_https_and_sends_hsts_on_every_response(home_page, administrator):
    production = production_security_settings()
    assert production["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365

    with override_settings(**production):
        client = Client()
        plain = client.get("/en/")
        proxied = {"headers": {"X-Forwarded-Proto": "https"}}
        responses = [
            client.get("/en/", **proxied),
            client.get("/en/no-such-page/", **proxied),
            client.get("/en/me/", **proxied),
            client.get("/static/css/sheber.css", **proxied),
        ]
        client.force_login(administrator)
        responses.append(client.get("/admin/", **proxied))

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/en/"
    assert [r.status_code for r in responses] == [200, 404, 302, 200, 200]
    for response in responses:
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert f"max-age={production['SECURE_HSTS_SECONDS']}" in hsts
        assert "includeSubDomains" in hsts
        assert "preload" in hsts


# Logs


@pytest.fixture
def all_logs(caplog):
    """Every record any logger emits, at every level."""
    caplog.set_level(logging.DEBUG)
    return caplog


def logged_text(caplog):
    return "\n".join(
        f"{record.name} {record.getMessage()} {record.__dict__}" for record in caplog.records
    )


def test_logs_hold_no_password_token_session_key_or_answer(
    client,
    all_logs,
    learner,
    password,
    site,
    lessons,  # noqa: F811
):
    quiz, term = site
    secrets = [WRONG_PASSWORD, password, NEW_PASSWORD, QUIZ_ANSWER, EXERCISE_ANSWER, DRILL_ANSWER]

    client.post("/en/accounts/login/", {"username": learner.email, "password": WRONG_PASSWORD})
    client.post("/en/accounts/login/", {"username": learner.email, "password": password})
    secrets.append(client.session.session_key)

    lesson = lessons[0]
    client.post(lesson.url + "exercise/ex-1/", {"answer": EXERCISE_ANSWER})
    client.post(lesson.url + "exercise/no-such-block/", {"answer": EXERCISE_ANSWER})
    card = Card.objects.create(learner=learner, term=term, due="2020-01-01T00:00:00Z")
    client.post("/en/drill/answer/", {"card": card.pk, "mode": "typing", "answer": DRILL_ANSWER})
    client.post(quiz.url + "start/")
    attempt = QuizAttempt.objects.get(learner=learner)
    attempt_url = quiz.url + f"attempts/{attempt.number}/"
    client.post(attempt_url, {"q-short": QUIZ_ANSWER})
    client.post(attempt_url, {"q-short": QUIZ_ANSWER, "action": "submit"})
    client.post(attempt_url, {"q-short": QUIZ_ANSWER}, headers={"Accept": "application/json"})
    client.post("/en/accounts/logout/")

    client.post("/en/accounts/password/reset/", {"email": learner.email})
    link = re.search(r"/en/accounts/password/reset/(\S+)/(\S+)/", mail.outbox[-1].body)
    uid, token = link.groups()
    secrets.append(token)
    form_url = client.get(link.group(0))["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.get(f"/en/accounts/password/reset/{uid}/{token}/")  # a used token: refused

    # Every step did what it should, so its logging (if any) ran.
    attempt.refresh_from_db()
    learner.refresh_from_db()
    assert QUIZ_ANSWER in str(attempt.responses)
    assert attempt.submitted_at
    assert learner.exercise_answers.get().text == EXERCISE_ANSWER
    assert learner.check_password(NEW_PASSWORD)
    assert Card.objects.get(pk=card.pk).reviews.get().given_answer == DRILL_ANSWER
    assert all_logs.records  # e.g. django.request's warnings about the refused requests
    text = logged_text(all_logs)
    leaked = [secret for secret in secrets if secret in text]
    assert leaked == []


def test_import_logs_hold_no_file_content(client, all_logs, trainer):
    client.force_login(trainer)
    content = (
        "headword,part_of_speech,definition,ru\n"
        f"gel,noun,{QUIZ_ANSWER} coloured film,светофильтр\n"
        f"{DRILL_ANSWER},noun,broken\n"
    )
    upload = SimpleUploadedFile("terms.csv", content.encode(), content_type="text/csv")
    preview = client.post("/admin/glossary/import/", {"file": upload})
    client.get(preview["Location"])
    client.post(preview["Location"])

    assert preview.status_code == 302
    text = logged_text(all_logs)
    assert QUIZ_ANSWER not in text
    assert DRILL_ANSWER not in text

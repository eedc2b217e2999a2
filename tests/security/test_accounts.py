"""Accounts under attack: a planted or stolen session key is worthless after login, logout and
a password change; a password-reset link dies when it expires, once used and once its account
logs in; failed logins lock the account from that address for every worker, whichever process
counted them (tests/learners/test_accounts.py has the single-process basics)."""

import re
import subprocess
import sys
from datetime import datetime, timedelta
from importlib import import_module

import pytest
from axes.models import AccessAttempt

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from learners.factories import LearnerFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
ME = "/en/me/"
NEW_PASSWORD = "lantern-over-the-steppe"


def log_in(client, user, password, **extra):
    return client.post(LOGIN, {"username": user.email, "password": password}, **extra)


def signed_in(client):
    return client.get(ME).status_code == 200


def session_key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def session_exists(key):
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def with_session(key):
    """Another browser presenting a session cookie it stole or planted."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


class TestSessions:
    def test_a_session_planted_before_login_is_worthless_after_it(self, client, learner, password):
        """Session fixation: the key a visitor had (or was given) is not the signed-in one."""
        session = client.session
        session["visited"] = True
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = planted = session.session_key

        assert log_in(client, learner, password).status_code == 302

        assert session_key(client) != planted
        assert not session_exists(planted)
        assert not signed_in(with_session(planted))
        assert signed_in(client)

    def test_signing_up_starts_a_new_session(self, client):
        session = client.session
        session["visited"] = True
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = planted = session.session_key

        response = client.post(
            "/en/accounts/signup/",
            {
                "display_name": "Аружан",
                "email": "aruzhan@example.kz",
                "native_language": "kk",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

        assert response.status_code == 302
        assert session_key(client) != planted
        assert not signed_in(with_session(planted))
        assert signed_in(client)

    def test_logging_out_ends_the_session_everywhere_it_was_copied(self, client, learner, password):
        log_in(client, learner, password)
        stolen = session_key(client)
        assert signed_in(with_session(stolen))

        client.post("/en/accounts/logout/")

        assert not session_exists(stolen)
        assert not signed_in(with_session(stolen))
        assert not signed_in(client)

    def test_changing_the_password_signs_out_every_other_session(self, learner, password):
        laptop, phone = Client(), Client()
        log_in(laptop, learner, password)
        log_in(phone, learner, password)

        response = laptop.post(
            "/en/accounts/password/change/",
            {
                "old_password": password,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )

        assert response.status_code == 302
        assert signed_in(laptop)  # the one that changed it stays in
        assert not signed_in(phone)


def reset_link(client, learner):
    client.post("/en/accounts/password/reset/", {"email": learner.email})
    return re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)


def set_new_password(client, link):
    """Follow a reset link and choose a new password; the response to the choice, or None when
    the link was refused."""
    form = client.get(link, follow=True)
    if not form.context["validlink"]:
        return None
    return client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )


def travel(monkeypatch, seconds):
    """Move the token generator's clock `seconds` after now."""
    moment = datetime.now() + timedelta(seconds=seconds)
    monkeypatch.setattr(default_token_generator, "_now", lambda: moment)


class TestPasswordReset:
    def test_a_link_works_until_the_timeout_and_not_after(self, client, learner, monkeypatch):
        link = reset_link(client, learner)

        travel(monkeypatch, settings.PASSWORD_RESET_TIMEOUT + 60)
        assert set_new_password(Client(), link) is None
        travel(monkeypatch, settings.PASSWORD_RESET_TIMEOUT - 60)
        assert set_new_password(Client(), link).status_code == 302

        learner.refresh_from_db()
        assert learner.check_password(NEW_PASSWORD)
        assert settings.PASSWORD_RESET_TIMEOUT <= 24 * 60 * 60

    def test_a_link_works_once_and_leaves_the_address_bar_at_once(self, client, learner):
        """Following the link swaps the token for the session's copy, so the page where the
        password is typed (and any address it links to) never carries the token."""
        link = reset_link(client, learner)
        token = link.rstrip("/").rsplit("/", 1)[1]

        browser = Client()
        form = browser.get(link, follow=True)
        assert form.redirect_chain[-1][0].endswith("/set-password/")
        assert token not in form.content.decode()
        assert set_new_password(browser, link).status_code == 302
        assert set_new_password(Client(), link) is None

    def test_a_link_dies_when_the_account_logs_in(self, client, learner, password):
        """Someone who reads the mailbox later cannot use a link the learner no longer needs."""
        link = reset_link(client, learner)

        log_in(Client(), learner, password)

        assert set_new_password(Client(), link) is None

    def test_a_link_is_for_its_own_account_only(self, client, learner):
        other = LearnerFactory()
        token = reset_link(client, learner).rstrip("/").rsplit("/", 1)[1]
        other_link = reset_link(client, other)
        uid = other_link.rstrip("/").rsplit("/", 2)[1]

        swapped = f"/en/accounts/password/reset/{uid}/{token}/"

        assert set_new_password(Client(), swapped) is None
        other.refresh_from_db()
        assert not other.check_password(NEW_PASSWORD)

    def test_a_reset_signs_out_every_session(self, client, learner, password):
        phone = Client()
        log_in(phone, learner, password)
        link = reset_link(client, learner)

        set_new_password(Client(), link)

        assert not signed_in(phone)


def fail(client, user, times, address="10.0.0.1", path=LOGIN):
    """Log in with a wrong password `times` times; the status of the last answer (the failure
    that reaches the limit is answered with the lockout page, 429)."""
    for _ in range(times):
        response = client.post(
            path, {"username": user.email, "password": "not-it"}, REMOTE_ADDR=address
        )
        assert response.status_code in {200, 429}
    return response.status_code


def locked_out(client, user, password, address="10.0.0.1"):
    response = log_in(client, user, password, REMOTE_ADDR=address)
    if response.status_code == 429:
        assert "_auth_user_id" not in client.session
        return True
    assert response.status_code == 302
    return False


class TestLoginThrottling:
    """django-axes with its database handler: five failures for one account from one address
    lock that pair for 15 minutes (docs/decisions.md)."""

    def test_failures_from_several_browsers_add_up_and_survive_an_empty_cache(
        self, learner, password
    ):
        statuses = [fail(Client(), learner, 1) for _ in range(5)]  # a new browser each time
        assert statuses == [200, 200, 200, 200, 429]
        cache.clear()  # nothing of the count lives in a worker's memory or the cache

        assert locked_out(Client(), learner, password)
        # The database holds the count; the refused right password counted as a sixth try.
        assert AccessAttempt.objects.get(username=learner.email).failures_since_start == 6

    def test_the_lock_is_per_account_and_address(self, client, learner, password):
        other = LearnerFactory()
        fail(client, learner, 5)

        assert locked_out(Client(), learner, password)
        assert not locked_out(Client(), learner, password, address="10.0.0.2")
        assert not locked_out(Client(), other, password)

    def test_the_admin_login_counts_and_is_locked_too(self, client, learner, password):
        fail(client, learner, 3)
        fail(client, learner, 2, path="/admin/login/")

        assert locked_out(Client(), learner, password)
        response = Client().post(
            "/admin/login/",
            {"username": learner.email, "password": password},
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == 429

    def test_a_success_clears_the_count_and_the_lock_lifts_after_the_cool_off(
        self, client, learner, password
    ):
        fail(client, learner, 4)
        assert not locked_out(Client(), learner, password)
        fail(client, learner, 4)
        assert not locked_out(Client(), learner, password)  # the count restarted at zero

        fail(client, learner, 5)
        assert locked_out(Client(), learner, password)
        AccessAttempt.objects.update(
            attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * timedelta(hours=1, minutes=1)
        )
        assert not locked_out(Client(), learner, password)


WORKER = """
import sys
import django
django.setup()
from django.test import Client
email, failures, password = sys.argv[1:]
client = Client()
for _ in range(int(failures)):
    client.post("/en/accounts/login/", {"username": email, "password": "not-it"})
response = client.post("/en/accounts/login/", {"username": email, "password": password})
print(response.status_code)
"""


def database_url():
    """The test database as a URL another process can open."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}@{host}/{db['NAME']}"


@pytest.fixture
def reference_data(django_db_setup):
    """Migration data for a database that transactional tests empty (see tests/e2e/conftest)."""
    connection._test_serialized_contents = django_db_setup
    connection.creation.deserialize_db_from_string(django_db_setup)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_lock_holds_across_worker_processes(reference_data, password, monkeypatch):
    """Two failures here, three in another process with its own memory (and the same Redis, in
    the PostgreSQL run): the other process is then locked out, and so is this one."""
    learner = LearnerFactory()
    fail(Client(), learner, 2, address="127.0.0.1")
    monkeypatch.setenv("DATABASE_URL", database_url())
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "sheber.settings.test")

    worker = subprocess.run(
        [sys.executable, "-c", WORKER, learner.email, "3", password],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=settings.BASE_DIR,
    )

    assert worker.stdout.split()[-1] == "429"
    assert locked_out(Client(), learner, password, address="127.0.0.1")

import os
import subprocess
import sys

import pytest

from django.conf import settings
from django.db import connection

PRODUCTION_ENV = {
    "SECRET_KEY": "k3x!9v" * 10,
    "ALLOWED_HOSTS": "sheber.kz",
    "DATABASE_URL": "sqlite:////tmp/sheber-deploy-check.sqlite3",
}


def run_manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], **(env or {})},
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level=WARNING",
        "--settings=sheber.settings.production",
        env=PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}

    result = run_manage("check", "--settings=sheber.settings.production", env=env)

    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment." in result.stderr


def settings_value(expression, env):
    """Evaluate an expression on the settings module that the environment produces."""
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "sheber.settings.dev", **env},
        check=True,
    )
    return result.stdout.strip()


def test_redis_serves_cache_and_sessions_when_configured():
    env = {"REDIS_URL": "redis://127.0.0.1:6379/3"}

    assert settings_value("settings.CACHES['default']['BACKEND']", env) == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert (
        settings_value("settings.SESSION_ENGINE", env) == "django.contrib.sessions.backends.cache"
    )


def test_postgresql_from_the_environment_brings_contrib_postgres():
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/sheber"}

    assert settings_value("'django.contrib.postgres' in settings.INSTALLED_APPS", env) == "True"
    assert settings_value("settings.DATABASES['default']['CONN_MAX_AGE']", env) == "600"


@pytest.mark.django_db
def test_database_is_tuned_for_concurrent_requests():
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] == 600
    if connection.vendor == "sqlite":
        assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert database["OPTIONS"]["timeout"] >= 5
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    else:
        assert "django.contrib.postgres" in settings.INSTALLED_APPS


def test_static_root_is_not_the_source_folder():
    assert settings.STATIC_ROOT != settings.BASE_DIR / "static"
    assert settings.BASE_DIR / "static" in settings.STATICFILES_DIRS


@pytest.mark.django_db
class TestHeaders:
    def test_learner_pages_forbid_inline_script_and_style(self, client, home_page):
        response = client.get("/en/")

        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "style-src 'self';" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy

    def test_security_headers_on_every_response(self, client, home_page):
        for path in ("/en/", "/en/accounts/login/", "/en/missing/"):
            response = client.get(path)
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Referrer-Policy"] == "same-origin"
            assert response.headers["X-Frame-Options"] == "DENY"
            assert "Content-Security-Policy" in response.headers

    def test_admin_gets_its_own_policy(self, client, trainer):
        client.force_login(trainer)

        policy = client.get("/admin/").headers["Content-Security-Policy"]

        assert "frame-ancestors 'self'" in policy
        assert "object-src 'none'" in policy

    def test_csrf_is_enforced_on_login(self, home_page, learner, password):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        response = strict.post(
            "/en/accounts/login/", {"username": learner.email, "password": password}
        )

        assert response.status_code == 403
        assert "Please try again" in response.content.decode()

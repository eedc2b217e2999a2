"""Backup and restore as docs/deploy.md describes them: `pg_dump -Fc` of a site holding a
learner's progress, `pg_restore` into a new, empty database, and the restored site serves the
learner the same dashboard. Redis is not backed up: the restored site starts with an empty
cache, so the learner logs in again and nothing else is lost."""

import shutil
import subprocess

import pytest

from django.conf import settings

from bench.server import Gunicorn, environment, postgres_database

from .site import (
    CACHE_KEY_PREFIX,
    DASHBOARD,
    DRILL,
    MODULE,
    QUIZ,
    Browser,
    dashboard_texts,
    database_url,
    first_lesson,
    free_port,
    needs_postgres_and_redis,
    this_week,
)

pytestmark = [
    needs_postgres_and_redis,
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="needs pg_dump and pg_restore (Debian package postgresql-client)",
    ),
]


def make_progress(browser, server):
    """Two drill answers, the module's first lesson and a submitted attempt at its quiz."""
    for _answer in range(2):
        card = browser.get(server, DRILL).form("/drill/answer/", attribute="data-drill-form")
        assert browser.post(server, card.action, card.data(rating="3")).status == 302
    lesson = browser.get(server, first_lesson(browser.get(server, MODULE)))
    complete = lesson.form("/complete/")
    assert browser.post(server, complete.action, complete.fields).status == 302
    start = browser.get(server, QUIZ).form("/start/")
    attempt = browser.post(server, start.action, start.fields).location
    answers = browser.get(server, attempt).form(attribute="data-quiz-form")
    assert browser.post(server, answers.action, answers.data(action="submit")).status == 302


def test_a_restored_backup_serves_the_same_progress(bench_site, tmp_path):
    email, password = bench_site.people["restored learner"], bench_site.password
    browser = Browser()
    with Gunicorn(free_port(), bench_site.env, workers=1, log=tmp_path / "site.log") as site:
        browser.log_in(site, email, password)
        make_progress(browser, site)
        before = browser.get(site, DASHBOARD)
    assert this_week(before)[1:] == (2, 1, 1)  # drill answers, lessons, quizzes
    assert "1 of 5" in dashboard_texts(before)

    backup = tmp_path / "sheber.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={backup}", bench_site.database_url],
        check=True,
    )
    with postgres_database(database_url("restore_bench")) as restored_url:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_url}", backup],
            check=True,
        )
        # A Redis without the site's keys: the session is gone, as after losing Redis.
        env = environment(
            restored_url, settings.REDIS_URL, CACHE_KEY_PREFIX=f"{CACHE_KEY_PREFIX}-restored"
        )
        with Gunicorn(free_port(), env, workers=1, log=tmp_path / "restored.log") as restored:
            assert browser.get(restored, DASHBOARD).location.startswith("/en/accounts/login/")
            browser.log_in(restored, email, password)
            after = browser.get(restored, DASHBOARD)

    assert dashboard_texts(after) == dashboard_texts(before)
    assert this_week(after) == this_week(before)

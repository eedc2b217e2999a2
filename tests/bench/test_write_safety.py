"""bench/write_safety.py, briefly: eight learners for five seconds under gunicorn on the
suite's kind of database (SQLite, or PostgreSQL with Redis), one worker killed with SIGKILL
midway; every accepted drill answer, quiz save and submission and lesson completion is stored
exactly once, and no response is a 5xx. Correctness only: timings depend on the machine."""

from django.conf import settings

from bench.write_safety import run

KIND = "postgres" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"


def test_nothing_is_lost_or_written_twice_when_a_worker_is_killed():
    result = run(KIND, learners=8, seconds=5, kill_every=3)

    assert result.problems == []
    assert result.kills == 1
    assert result.log.server_errors == 0
    assert result.log.actions["drill answers"] > 0
    assert result.counts["reviews"] >= result.log.actions["drill answers"]
    assert result.ok

from dataclasses import dataclass

import pytest

from django.conf import settings

from bench.server import environment, manage, postgres_database, prepare
from learners.factories import DEFAULT_PASSWORD
from tests.courses.conftest import catalogue  # noqa: F401 - shared fixture

from .site import CACHE_KEY_PREFIX, CONTENT, database_url

PEOPLE = {
    "learner": "aliya@example.kz",
    "restored learner": "dana@example.kz",
    "trainer": "dmitriy@example.kz",
    "throttled learner": "saule@example.kz",
}
ACCOUNTS = f"""
from learners.factories import LearnerFactory, TrainerFactory

LearnerFactory(email="{PEOPLE["learner"]}", display_name="Әлия Қайратқызы", native_language="kk")
LearnerFactory(email="{PEOPLE["restored learner"]}", display_name="Дана Омарова")
TrainerFactory(email="{PEOPLE["trainer"]}", display_name="Дмитрий Ким")
LearnerFactory(email="{PEOPLE["throttled learner"]}", display_name="Сәуле Ахметова")
"""


@dataclass
class BenchSite:
    database_url: str
    env: dict  # of gunicorn and manage.py: production settings on this database, Redis
    people: dict  # role: email
    password: str = DEFAULT_PASSWORD


@pytest.fixture(scope="session")
def bench_site():
    """A bench database, migrated, with a module, its final quiz and its glossary terms, two
    learners and a trainer; dropped at the end of the session."""
    with postgres_database(database_url("ops_bench")) as url:
        env = environment(
            url,
            settings.REDIS_URL,
            CACHE_KEY_PREFIX=CACHE_KEY_PREFIX,
            CLIENT_IP_HEADER="X-Real-IP",  # what the nginx of docs/deploy.md sends
        )
        prepare(env)
        manage(env, "shell", "-c", CONTENT + ACCOUNTS)
        yield BenchSite(url, env, PEOPLE)

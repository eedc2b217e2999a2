import pytest

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from home.content import load_home_page
from learners.factories import (
    DEFAULT_PASSWORD,
    AdministratorFactory,
    LearnerFactory,
    TrainerFactory,
)

# A signed-in request reads its session: a query with sessions in the database, none with
# sessions in Redis (the PostgreSQL suite). Query counts of signed-in pages add this.
SESSION_QUERY = int(settings.SESSION_ENGINE == "django.contrib.sessions.backends.db")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """What the migrations put in the test database (Wagtail's root page, locales, sub-sectors,
    roles), kept so that tests on a flushed database can restore it (see tests/e2e)."""
    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (Redis outlives the test database)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def home_page(db):
    return load_home_page()


@pytest.fixture
def learner(db):
    return LearnerFactory(display_name="Әлия Қайратқызы", native_language="kk")


@pytest.fixture
def trainer(db):
    return TrainerFactory(display_name="Дмитрий Ким")


@pytest.fixture
def administrator(db):
    return AdministratorFactory(display_name="Сәуле Ахметова")

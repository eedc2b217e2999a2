import pytest

from django.core.cache import cache

from home.content import load_home_page
from learners.factories import (
    DEFAULT_PASSWORD,
    AdministratorFactory,
    LearnerFactory,
    TrainerFactory,
)


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

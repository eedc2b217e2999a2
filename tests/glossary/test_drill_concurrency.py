"""bench/drill_concurrency.py, briefly: eight learners answering drills at once for three
seconds, with retries and two tabs sending the same answer, leave exactly one review per
accepted answer and no failed request. Correctness only: timings depend on the machine."""

import pytest

from django.db import connection

from bench.drill_concurrency import run

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def reference_data(django_db_setup):
    """Migration data for a database that transactional tests empty (see tests/e2e/conftest)."""
    connection._test_serialized_contents = django_db_setup
    connection.creation.deserialize_db_from_string(django_db_setup)


def test_no_answer_is_lost_or_counted_twice(reference_data):
    result = run(learners=8, seconds=3)

    assert result.failures == []
    assert result.problems == []
    assert result.server_errors == 0
    assert result.rejected == 0
    assert result.accepted > 0
    assert result.repeats > 0
    assert result.ok

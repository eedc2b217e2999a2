import threading

import pytest

from django.db import connection

from courses.models import Certificate, LessonCompletion
from courses.progress import complete_lesson

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def reference_data(django_db_setup):
    """Migration data for a database that transactional tests empty (see tests/e2e/conftest)."""
    connection._test_serialized_contents = django_db_setup
    connection.creation.deserialize_db_from_string(django_db_setup)


def test_two_tabs_completing_the_same_lesson_leave_one_row(reference_data, learner, lessons):
    start = threading.Barrier(2)
    errors = []

    def tab(lesson):
        from django.db import connection as thread_connection

        try:
            start.wait()
            complete_lesson(learner, lesson)
        except Exception as error:
            errors.append(error)
        finally:
            thread_connection.close()

    for lesson in lessons:  # both tabs on each lesson, the last one completing the module
        threads = [threading.Thread(target=tab, args=(lesson,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert LessonCompletion.objects.filter(learner=learner).count() == len(lessons)
    assert Certificate.objects.filter(learner=learner).count() == 1

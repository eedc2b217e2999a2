import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REPORTS = {
    "learners": "Learners",
    "funnel": "Module funnel",
    "quiz-items": "Quiz item analysis",
    "hard-terms": "Hard terms",
}


def test_a_trainer_opens_each_report(page, log_in, trainer, site):
    log_in(trainer)
    page.set_viewport_size(DESKTOP)
    for path, title in REPORTS.items():
        page.goto(f"/admin/reports/sheber/{path}/")
        expect(page.locator("h1")).to_contain_text(title)

"""axe-core (WCAG 2.2 AA) over every learner page of the foundation, in each interface
language, on a phone and on a desktop."""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/login/",
    "/{lang}/accounts/password/reset/",
    "/{lang}/accounts/password/reset/sent/",
    "/{lang}/accounts/password/reset/complete/",
    "/{lang}/no-such-page/",
]
PRIVATE_PAGES = ["/{lang}/me/settings/", "/{lang}/accounts/password/change/"]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_passes_axe(page, log_in, learner, language, viewport):
    page.set_viewport_size(viewport)
    for path in PUBLIC_PAGES:
        page.goto(path.format(lang=language))
        assert_accessible(page)

    log_in(learner)
    for path in PRIVATE_PAGES:
        page.goto(path.format(lang=language))
        assert_accessible(page)
        # The same page with every error showing.
        page.locator("form.form button[type=submit]").click()
        assert_accessible(page)

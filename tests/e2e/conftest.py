"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against the
live test server; axe-core audits each page against WCAG 2.2 AA."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from django.db import connection

from home.content import load_home_page

# Playwright's synchronous API runs an event loop in the test thread; Django's ORM calls from
# the same thread (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db, django_db_setup):
    """The live server with its content, on a database that is emptied after each test.

    The reference data of the migrations (Wagtail's root page, locales, sub-sectors, roles) is
    put back first. Django's serialized rollback would do it, but Playwright's event loop gives
    the test a fresh connection object that lacks Django's snapshot; handing the snapshot to that
    object also keeps the emptying from recreating content types under new ids."""
    connection._test_serialized_contents = django_db_setup
    connection.creation.deserialize_db_from_string(django_db_setup)
    load_home_page()
    return live_server


@pytest.fixture
def context(browser, site):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", base_url=site.url)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def log_in(context, site, client):
    """Sign a user in by giving the browser a session made on the server."""

    def log_in(user):
        client.force_login(user)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}]
        )

    return log_in


_axe = Axe()


def assert_accessible(page):
    """axe-core finds no WCAG 2.2 A or AA violation on the page as it is now."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    report = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in violations
    ]
    assert not violations, f"{page.url}:\n" + "\n".join(report)


def axe_violations(page):
    """axe-core's WCAG 2.2 A and AA violations on the page as it is now, one line each (rule,
    impact, help and the first elements). axe is injected once per document, so auditing a page
    again (another viewport, a new state) costs only the audit."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    response = page.evaluate(
        "(options) => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]},
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(str(node["target"][0]) for node in violation["nodes"][:5])
        for violation in response["violations"]
    ]

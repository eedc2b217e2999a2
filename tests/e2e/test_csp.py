"""The Content-Security-Policy at work in a real browser: an inline script or style that got
into a learner page (say, through a stored markup injection) is blocked and reported, while
the page's own scripts still run."""

import pytest

from glossary.factories import TermFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Runs before the page's own code, outside the policy (Playwright injects it): it records every
# violation the browser reports.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push({directive: event.effectiveDirective, sample: event.sample});
});
"""
INJECTED = (
    '<script>document.documentElement.dataset.injected = "script";</script>'
    '<p id="injected-style" style="color: rgb(255, 0, 0)">Injected</p>'
)


@pytest.fixture
def learner_page(page, learner, log_in, site):
    TermFactory(headword="Fresnel", ru="линзовый прожектор Френеля", kk="Френель прожекторы")
    log_in(learner)
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def violations(page, directive):
    return [v for v in page.evaluate("window.__violations") if v["directive"] == directive]


def test_inline_script_and_style_in_the_served_html_are_blocked(learner_page):
    def inject(route):
        response = route.fetch()
        body = response.text().replace("</main>", INJECTED + "</main>", 1)
        route.fulfill(response=response, body=body)

    learner_page.route("**/en/glossary/", inject)
    learner_page.goto("/en/glossary/")

    assert learner_page.locator("#injected-style").is_visible()
    assert learner_page.evaluate("document.documentElement.dataset.injected") is None
    assert violations(learner_page, "script-src-elem")
    colour = learner_page.evaluate(
        "getComputedStyle(document.getElementById('injected-style')).color"
    )
    assert colour != "rgb(255, 0, 0)"
    assert violations(learner_page, "style-src-attr")


def test_script_added_at_run_time_is_blocked(learner_page):
    learner_page.goto("/en/me/")

    learner_page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__ran = true;";
            document.body.append(script);
        }"""
    )

    assert learner_page.evaluate("window.__ran") is None
    assert violations(learner_page, "script-src-elem")


def test_the_pages_own_scripts_run_without_violations(learner_page):
    learner_page.goto("/en/glossary/?q=Fresnel")

    # static/js/sheber.js, a module from the site's own origin, marks the page as scripted.
    assert learner_page.evaluate("document.documentElement.classList.contains('js')")
    assert learner_page.get_by_role("link", name="Fresnel").is_visible()
    assert learner_page.evaluate("window.__violations") == []

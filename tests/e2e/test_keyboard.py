"""The whole learner journey with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrows and
the drill's number keys; never the mouse): sign up, a lesson, drills, a quiz, the dashboard.
Every stop of the focus must show a focus indicator, and every page passes the checks axe
cannot make alone: target sizes, heading levels, labels. Also: reduced motion, and no sideways
scrolling at 200% and 400% zoom."""

import itertools
import re

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from courses.content import load_catalogue
from glossary.factories import TermFactory
from glossary.models import Card, CardState
from learners.models import User
from tests.courses.conftest import build_module, build_quiz, translate
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_drills import card

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "lanterns-over-the-steppe"

INTERACTIVE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[tabindex]:not([tabindex='-1'])"
)

# The focused element's own indicator: an outline or a box shadow (static/css/sheber.css draws
# a two-colour ring with box-shadow).
FOCUS_INDICATOR = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    name: (element.innerText || element.value || element.getAttribute("aria-label") || "")
      .trim().slice(0, 60),
    tag: element.tagName.toLowerCase(),
    visible: outline || style.boxShadow !== "none",
  };
}"""

# Targets under 24 x 24 CSS px (WCAG 2.2, 2.5.8). A radio button or check box counts with its
# label, which selects it too; a card's link with its card, which an absolutely placed ::after
# covers; a link inside a sentence is the "inline" exception.
SMALL_TARGETS = """selector => {
  const inSentence = (element) => {
    if (element.tagName !== "A" || getComputedStyle(element).display !== "inline") return false;
    const text = element.parentElement.textContent.trim();
    return text.length > element.textContent.trim().length;
  };
  const small = [];
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(element).visibility === "hidden") continue;
    if (element.closest("[hidden], [popover]:not(:popover-open)")) continue;
    const label = element.labels && element.labels[0];
    const overlay = getComputedStyle(element, "::after").position === "absolute";
    const area = label || (overlay && element.offsetParent);
    const target = area ? area.getBoundingClientRect() : box;
    if ((target.width >= 24 && target.height >= 24) || inSentence(element)) continue;
    small.push(`${element.tagName.toLowerCase()} "${element.textContent.trim().slice(0, 40)}" ` +
      `${Math.round(target.width)}x${Math.round(target.height)}`);
  }
  return small;
}"""

HEADINGS = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
  .filter((heading) => heading.getClientRects().length)
  .map((heading) => Number(heading.tagName[1]))"""

UNLABELLED = """() => [...document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea")]
  .filter((control) => !(control.labels && control.labels.length)
    && !control.getAttribute("aria-label") && !control.getAttribute("aria-labelledby"))
  .map((control) => control.outerHTML.slice(0, 120))"""


def tab(page, key="Tab"):
    """Move the focus one stop and check that the stop shows it."""
    page.keyboard.press(key)
    focus = page.evaluate(FOCUS_INDICATOR)
    assert focus is not None, f"{page.url}: {key} left the focus nowhere"
    assert focus["visible"], f"{page.url}: no visible focus on {focus}"
    return focus


def tab_to(page, target, limit=120):
    """Tab, or Shift+Tab when `target` (a locator) comes earlier in the page, checking each
    stop, until `target` has the focus."""
    where = """element => element === document.activeElement ? 0
      : document.activeElement.compareDocumentPosition(element)
        & Node.DOCUMENT_POSITION_PRECEDING ? -1 : 1"""
    for _step in range(limit):
        direction = target.evaluate(where)
        if direction == 0:
            return
        tab(page, "Shift+Tab" if direction < 0 else "Tab")
    raise AssertionError(f"{page.url}: Tab never reached {target}")


def press_on(page, target, key="Enter"):
    tab_to(page, target)
    page.keyboard.press(key)


def follow(page, target):
    """Press Enter on `target`, reached with Tab, and wait for the page it leads to."""
    with page.expect_navigation():
        press_on(page, target)


def follow_nav(page, name):
    """Follow a main navigation link, opening the menu first where it is folded (phones)."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        press_on(page, menu)
    follow(page, page.locator(".site-nav").get_by_role("link", name=name))


def page_problems(page):
    """What every page must get right beyond axe: targets, headings, labels, no sideways
    scrolling. Returns the problems found, one line each."""
    problems = [
        f"target under 24 x 24 px: {small}" for small in page.evaluate(SMALL_TARGETS, INTERACTIVE)
    ]
    levels = page.evaluate(HEADINGS)
    if levels[:1] != [1] or any(b > a + 1 for a, b in itertools.pairwise(levels)):
        problems.append(f"heading levels {levels}: not from h1, or skipping")
    problems += [f"no label: {control}" for control in page.evaluate(UNLABELLED)]
    if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
        problems.append("scrolls sideways")
    return [f"{page.url}: {problem}" for problem in problems]


def check_page(page):
    problems = page_problems(page)
    assert problems == [], "\n".join(problems)


@pytest.fixture
def course(site):
    module = build_module(load_catalogue(), lessons=2)
    quiz = build_quiz(module)
    translate(module, "ru")
    terms = [
        TermFactory(headword=headword, ru=ru, kk=kk)
        for headword, ru, kk in [
            ("Fresnel", "прожектор Френеля", "Френель прожекторы"),
            ("gel", "светофильтр", "жарық сүзгісі"),
            ("wing", "кулиса", "кулиса"),
            ("stage", "сцена", "сахна"),
            ("batten", "штанкет", "штанга"),
            ("cue", "реплика", "белгі"),
        ]
    ]
    return {"module": module, "quiz": quiz, "terms": terms}


def drills_due(learner, terms):
    """The four cards of tests/e2e/test_drills.py: a typing exercise, two choices and a new
    term's flashcard, in that order."""
    card(learner, terms[0], minutes_overdue=40, state=CardState.REVIEW, stability=12.0, days=9)
    card(learner, terms[1], minutes_overdue=30, state=CardState.REVIEW, stability=3.0, days=2)
    card(learner, terms[2], minutes_overdue=20, stability=0.5, days=0)
    card(learner, terms[3], minutes_overdue=10)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_whole_journey_by_keyboard(page, course, viewport):
    page.set_viewport_size(viewport)
    page.goto("/en/")

    # The skip link comes first and leads to the content; then the brand and the navigation.
    assert tab(page)["name"] == "Skip to main content"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.goto("/en/")
    expected = ["Skip to main content", "Sheber"] + (["Menu"] if viewport is PHONE else [])
    assert [tab(page)["name"] for _stop in expected] == expected
    if viewport is PHONE:  # the navigation folds behind its button
        page.keyboard.press("Enter")
    assert [tab(page)["name"] for _stop in range(4)] == ["Home", "Modules", "Quizzes", "Glossary"]
    assert tab(page, "Shift+Tab")["name"] == "Quizzes"
    check_page(page)

    # Sign up: an empty form first, whose errors are announced and take the focus.
    follow(page, page.get_by_role("link", name="Sign up"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    check_page(page)
    follow(page, page.get_by_role("button", name="Create my account"))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Email address")
    assert page.title().startswith("Error:")
    check_page(page)
    # The summary's links lead to the fields.
    press_on(page, summary.get_by_role("link").first)
    expect(page.get_by_label("Display name")).to_be_focused()
    page.keyboard.type("Ерлан Жұмабеков")
    tab_to(page, page.get_by_label("Email address"))
    page.keyboard.type("erlan@example.kz")
    tab_to(page, page.get_by_label("Password", exact=True))
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_label("Password again"))
    page.keyboard.type(PASSWORD)
    follow(page, page.get_by_role("button", name="Create my account"))
    expect(page.get_by_role("status")).to_contain_text("Your account is ready.")
    check_page(page)
    learner = User.objects.get(email="erlan@example.kz")

    # A module and its first lesson, a knowledge check, "Mark as complete".
    follow_nav(page, "Modules")
    check_page(page)
    follow(page, page.get_by_role("link", name=re.compile("Stage basics")))
    check_page(page)
    follow(page, page.get_by_role("link", name="Start the module"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 1")
    check_page(page)
    # Tab stops once in a radio group; the arrow keys choose within it.
    tab_to(page, page.get_by_label("Fresnel"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Profile spot")).to_be_checked()
    press_on(page, page.get_by_role("button", name="Check my answer"))
    announcement = page.get_by_role("status").filter(has_text="Not quite.")
    expect(announcement).to_be_visible()
    follow(page, page.get_by_role("button", name="Mark as complete"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 2")
    expect(page.locator("progress")).to_have_attribute("value", "1")
    check_page(page)

    # Drills: typing, two choices, a flashcard; each result is announced in a status region.
    drills_due(learner, course["terms"])
    follow_nav(page, "Drills")
    feedback = page.get_by_role("status").and_(page.locator("[data-drill-feedback]"))
    expect(page.locator("#drill-answer")).to_be_focused()
    check_page(page)
    page.keyboard.type("Fresnel")
    page.keyboard.press("Enter")
    expect(feedback).to_contain_text("Fresnel")
    expect(page.locator("[data-mode=choice] #drill-prompt")).to_be_focused()
    check_page(page)
    # Nothing chosen: the browser refuses the form, says why, and puts the focus on the options.
    press_on(page, page.get_by_role("button", name="Check"))
    first = page.locator(".choice input").first
    expect(first).to_be_focused()
    assert first.evaluate("input => input.validationMessage")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(page.locator(".choice input").first).to_be_checked()
    page.keyboard.press("Enter")
    expect(feedback).not_to_contain_text("Fresnel")
    expect(feedback).not_to_be_empty()
    expect(page.locator("#drill-prompt")).to_have_text("wing")
    expect(page.locator("#drill-prompt")).to_be_focused()
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    expect(page.locator("[data-mode=flashcard]")).to_be_visible()
    check_page(page)
    page.keyboard.press("Space")
    expect(page.locator("[data-drill-back]")).to_be_focused()
    check_page(page)
    tab_to(page, page.get_by_role("button", name="Good"))
    page.keyboard.press("Enter")
    expect(page.locator("[data-drill-summary]")).to_be_focused()
    check_page(page)
    reviewed = Card.objects.filter(learner=learner, last_review__date=timezone.now().date())
    assert reviewed.count() == 4

    # The module's quiz: an answer with the arrow keys, then submit; the result is in the
    # title and the first heading after it, so it is what a screen reader reads first.
    follow_nav(page, "Modules")
    follow(page, page.get_by_role("link", name=re.compile("Stage basics")))
    follow(page, page.get_by_role("link", name="Quiz final-quiz"))
    check_page(page)
    follow(page, page.locator("form[action$='start/'] button"))
    expect(page.locator("[data-quiz-form]")).to_be_visible()
    check_page(page)
    tab_to(page, page.locator("input[name='q-single']").first)
    page.keyboard.press("Space")
    expect(page.locator("input[name='q-single']").first).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name='q-single']").nth(1)).to_be_checked()
    follow(page, page.locator("button[value='submit']"))
    expect(page.locator(".quiz-score")).to_be_visible()
    assert page.title().startswith("Not passed")
    check_page(page)

    # The dashboard.
    follow_nav(page, "My progress")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page)


LEARNER_PAGES = [
    "/en/",
    "/en/modules/",
    "/en/modules/stage-basics/",
    "/en/modules/stage-basics/lesson-1/",
    "/en/modules/stage-basics/final-quiz/",
    "/en/glossary/",
    "/en/glossary/fresnel/",
    "/en/sectors/performing-arts/",
    "/en/drill/",
    "/en/drill/hard/",
    "/en/me/",
    "/en/me/settings/",
    "/en/me/delete/",
    "/en/accounts/password/change/",
]


@pytest.fixture
def signed_in(page, log_in, learner, course):
    drills_due(learner, course["terms"])
    log_in(learner)
    return page


def test_reduced_motion_turns_off_animations_and_transitions(signed_in):
    page = signed_in
    durations = """() => [...document.querySelectorAll("*")].flatMap((element) => {
      const style = getComputedStyle(element);
      return [...style.transitionDuration.split(","), ...style.animationDuration.split(",")]
        .map(parseFloat).filter((seconds) => seconds > 0.001)
        .map((seconds) => `${element.tagName} ${element.className} ${seconds}s`);
    })"""
    page.goto("/en/")
    scrolling = "getComputedStyle(document.documentElement).scrollBehavior"
    assert page.evaluate(scrolling) == "smooth"
    page.emulate_media(reduced_motion="reduce")
    for path in LEARNER_PAGES:
        page.goto(path)
        assert page.evaluate(durations) == [], path
        assert page.evaluate(scrolling) == "auto", path


@pytest.mark.parametrize("width", [320, 640])
def test_no_page_scrolls_sideways_when_zoomed(signed_in, course, width):
    """WCAG 1.4.10 reflow: a 1280 px window at 200% zoom is 640 CSS px wide, at 400% 320."""
    page = signed_in
    page.set_viewport_size({"width": width, "height": 640})
    quiz = course["quiz"]
    page.goto(quiz.url)
    page.locator("form[action$='start/'] button").press("Enter")
    expect(page.locator("[data-quiz-form]")).to_be_visible()
    for path in [*LEARNER_PAGES, quiz.url + "attempts/1/", "/en/accounts/signup/"]:
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px"


def test_every_learner_page_passes_the_keyboard_checks(signed_in):
    """Targets, headings, labels on the pages the journey does not reach, at both sizes."""
    page = signed_in
    problems = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        for path in LEARNER_PAGES:
            page.goto(path)
            problems += page_problems(page)
    assert problems == [], "\n".join(problems)

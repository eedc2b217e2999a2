import time

import pytest
from playwright.sync_api import expect

from courses.content import load_catalogue
from courses.models import QuizAttempt
from tests.courses.conftest import QUESTIONS, build_module, build_quiz, translate
from tests.e2e.conftest import PHONE, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def quiz(site):
    """A module's quiz, in English and in a Russian translation (same questions)."""
    module = build_module(load_catalogue(), lessons=1)
    quiz = build_quiz(module, time_limit=20)
    translate(module, "ru")
    return {"en": quiz, "ru": translate(quiz, "ru")}


def tab_to(page, selector, limit=80):
    """Press Tab until `selector` has focus: the keyboard is the only way around."""
    target = page.locator(selector)
    for _step in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def choose(page, name, label):
    """Reach a radio group with Tab, then pick the option with `label` with the arrow keys."""
    labels = [
        text.strip() for text in page.locator(f"input[name='{name}'] + span").all_inner_texts()
    ]
    tab_to(page, f"input[name='{name}'] >> nth=0")
    page.keyboard.press("Space")
    for _step in range(labels.index(label)):
        page.keyboard.press("ArrowDown")


def saved(predicate, seconds=6):
    """Wait for the page's background saves to reach the server."""
    for _tick in range(seconds * 10):
        attempt = QuizAttempt.objects.get()
        if predicate(attempt.responses):
            return attempt
        time.sleep(0.1)
    raise AssertionError(f"not saved: {attempt.responses}")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_quiz_by_keyboard_with_a_reload_on_the_way(page, log_in, learner, quiz, language):
    learner.interface_language = language
    learner.save()
    log_in(learner)
    page.set_viewport_size(PHONE)
    page.goto(quiz[language].url)
    assert_accessible(page)

    tab_to(page, "form[action$='start/'] button")
    page.keyboard.press("Enter")
    expect(page.locator("[data-quiz-form]")).to_be_visible()
    expect(page.locator("[data-clock]")).to_contain_text(":")
    assert_accessible(page)

    # single choice: the right one is "Fresnel"
    choose(page, "q-single", "Fresnel")
    # true or false
    tab_to(page, "input[name='q-truefalse'] >> nth=0")
    page.keyboard.press("Space")
    # short answer
    tab_to(page, "input[name='q-short']")
    page.keyboard.type("cyclorama")
    # ordering: put the first item last with its Down buttons, by keyboard
    first = page.locator("[data-ordering] [data-item]").first.get_attribute("data-item")
    tab_to(page, f"[data-item='{first}'] [data-move=down]")
    for _step in range(3):
        page.keyboard.press("Enter")
    expect(page.locator("[data-ordering] [data-item]").last).to_have_attribute("data-item", first)
    expect(
        page.locator("[data-ordering] [data-item]").last.locator("[data-move=down]")
    ).to_be_disabled()

    # everything so far is saved on the server: a reload resumes where the learner was
    attempt = saved(
        lambda responses: {"single", "truefalse", "short", "ordering"} <= set(responses)
    )
    assert attempt.responses["short"] == "cyclorama"
    page.reload()
    expect(page.locator("input[name='q-short']")).to_have_value("cyclorama")
    expect(page.locator("input[name='q-truefalse'][value='true']")).to_be_checked()
    expect(page.locator("[data-ordering] [data-item]").last).to_have_attribute("data-item", first)

    # the gaps, then submit
    tab_to(page, "input[name='q-gaps-0']")
    page.keyboard.type("spigot")
    page.keyboard.press("Tab")
    page.keyboard.type("yoke")
    tab_to(page, "button[value='submit']")
    page.keyboard.press("Enter")

    expect(page.locator(".quiz-score")).to_be_visible()
    expect(page.locator(".review__item")).to_have_count(len(QUESTIONS))
    expect(page.locator(".review__feedback").first).to_be_visible()  # feedback is revealed
    assert_accessible(page)
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.scores["short"] == [1.0, 1]
    assert attempt.scores["gaps"] == [1.0, 1]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

import re

import pytest
from playwright.sync_api import expect

from django.utils import translation

from learners.models import User
from tests.e2e.conftest import PHONE, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "yurt-under-the-stars"


def translated(text, language):
    with translation.override(language):
        return translation.gettext(text)


def test_learner_signs_up_switches_language_logs_out_and_back_in(page):
    page.goto("/en/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile("/en/accounts/signup/$"))

    # An empty form comes back with a summary that takes the focus.
    page.get_by_role("button", name="Create my account").click()
    summary = page.get_by_role("alert").filter(has_text="Please correct the following")
    expect(summary).to_be_focused()
    expect(page.get_by_text("Please tell us what to call you.").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Display name").fill("Аружан Сейітқали")
    page.get_by_label("Email address").fill("aruzhan@example.kz")
    page.get_by_label("Қазақша").check()
    page.get_by_label("City").fill("Астана")
    page.get_by_label("Музыка").or_(page.get_by_label("Music")).check()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("status")).to_contain_text("Welcome to Sheber, Аружан Сейітқали!")
    user = User.objects.get(email="aruzhan@example.kz")
    assert (user.native_language, user.city) == ("kk", "Астана")

    page.get_by_role("button", name="Русский").click()
    expect(page).to_have_url(re.compile("/ru/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("button", name=translated("Log out", "ru"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Қазақша").click()
    expect(page).to_have_url(re.compile("/kk/$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert_accessible(page)

    page.get_by_role("button", name=translated("Log out", "kk")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated("You have logged out", "kk")
    )
    assert_accessible(page)

    # A fresh browser session: logging in brings the learner back to Kazakh.
    page.context.clear_cookies()
    page.goto("/en/accounts/login/")
    page.get_by_label("Email address").fill("ARUZHAN@example.kz")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile("/kk/$"))
    expect(page.get_by_role("button", name=translated("Log out", "kk"))).to_be_visible()


def test_keyboard_only_log_in(page, learner, password):
    page.goto("/en/accounts/login/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(learner.email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")

    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_phone_menu_opens_and_closes_by_keyboard(browser, site):
    context = browser.new_context(viewport=PHONE, base_url=site.url)
    page = context.new_page()
    page.goto("/en/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()  # the hero's link
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Sign up")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    # No horizontal scrolling on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_content_security_policy_blocks_inline_script(page):
    page.goto("/en/")
    blocked = page.evaluate(
        """() => new Promise((resolve) => {
            document.addEventListener("securitypolicyviolation",
                (event) => resolve(event.violatedDirective), {once: true});
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
            setTimeout(() => resolve(window.inlineRan ? "ran" : "no report"), 2000);
        })"""
    )

    assert blocked.startswith("script-src")
    assert page.evaluate("window.inlineRan") is None

import re

import pytest
from playwright.sync_api import expect

from courses.models import CatalogueIndexPage, Certificate, LessonPage
from home.models import HomePage
from tests.courses.conftest import build_module, publish, translate
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "lanterns-over-the-steppe"


@pytest.fixture
def courses(site):
    home = HomePage.objects.get(locale__language_code="en")
    catalogue = publish(
        home.add_child(instance=CatalogueIndexPage(title="Modules", slug="modules"))
    )
    for language in ("ru", "kk"):
        translate(catalogue, language)
    module = build_module(catalogue)
    module.sub_sectors = [module.sub_sectors.model.objects.get(slug="performing-arts")]
    publish(module)
    build_module(catalogue, slug="film-sets")  # no sub-sector: filtered out below
    translate(module, "ru")
    for lesson in LessonPage.objects.child_of(module).order_by("path"):
        translate(lesson, "ru")
    return module


def test_learner_journey_from_sign_up_to_certificate(page, courses):
    page.goto("/en/accounts/signup/")
    page.get_by_label("Display name").fill("Ерлан Жұмабеков")
    page.get_by_label("Email address").fill("erlan@example.kz")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    page.goto("/en/modules/")
    page.get_by_label("Sub-sector").select_option("performing-arts")
    page.get_by_role("button", name="Show modules").click()
    expect(page.get_by_role("heading", name="1 module")).to_be_visible()
    page.get_by_role("link", name="Stage basics stage-basics").click()
    page.get_by_role("link", name="Start the module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 1")

    progress = page.locator("progress")
    expect(progress).to_have_attribute("value", "0")
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 2")
    expect(progress).to_have_attribute("value", "1")

    # Switch to the Russian version mid-module: progress stays.
    page.get_by_role("button", name="Русский").click()
    expect(page).to_have_url(re.compile("/ru/modules/stage-basics/lesson-2/$"))
    expect(progress).to_have_attribute("value", "1")
    page.locator("form[action$='complete/'] button").click()
    expect(page.locator("progress")).to_have_attribute("value", "2")
    page.locator("form[action$='complete/'] button").click()

    expect(page).to_have_url(re.compile("/certificates/"))
    certificate = Certificate.objects.get()
    page.context.clear_cookies()
    page.goto(f"/en/certificates/{certificate.code}/")
    expect(page.get_by_text("Ерлан Жұмабеков")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_course_pages_pass_axe(page, log_in, learner, courses, language, viewport):
    page.set_viewport_size(viewport)
    log_in(learner)
    module_path = f"/{language}/modules/stage-basics/"
    for path in (f"/{language}/modules/", module_path, module_path + "lesson-1/"):
        page.goto(path)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # A lesson after answering its question and with an exercise error showing.
    page.get_by_label("Fresnel").check()
    page.get_by_role("button", name=re.compile("Check my answer|Проверить")).click()
    expect(page.locator(".knowledge-check__result")).to_be_visible()
    assert_accessible(page)


def test_knowledge_check_and_exercise_by_keyboard(page, log_in, learner, courses):
    log_in(learner)
    page.goto("/en/modules/stage-basics/lesson-1/")
    page.get_by_label("Profile spot").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Check my answer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Not quite.")).to_be_visible()

    page.get_by_label("Your answer (only you can see it)").fill("We started the get-in at six.")
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_label("Your answer (only you can see it)")).to_have_value(
        "We started the get-in at six."
    )

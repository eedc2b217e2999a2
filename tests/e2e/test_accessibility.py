"""axe-core (WCAG 2.2 AA) over every learner page and every custom admin view: logged out and
signed in as the role that uses it, on a 360 px phone and on a desktop, in each interface
language. Pages are visited in one browser context per language and viewport, on content built
once per test (the demo glossary, modules and quizzes, plus a quiz with every question type);
each test lists every finding on every page before it fails."""

import csv
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from django.conf import settings
from django.test import Client
from django.utils import timezone

from wagtail.models import Locale
from wagtail.users.models import UserProfile

from courses.content import DATA as COURSE_DATA
from courses.content import load_catalogue, load_module, load_quiz, load_quiz_index
from courses.models import Certificate, LessonPage
from glossary.content import TERMS_DATA as TERMS
from glossary.content import load_glossary
from glossary.models import Card, CardState, Term
from home.models import SubSector
from learners.factories import AdministratorFactory, LearnerFactory, TrainerFactory
from learners.models import Cohort
from tests.courses.conftest import build_quiz, translate
from tests.e2e.conftest import DESKTOP, PHONE, axe_violations
from tests.e2e.test_drills import card

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = ("en", "ru", "kk")
# The Wagtail admin speaks English and Russian (WAGTAILADMIN_PERMITTED_LANGUAGES).
ADMIN_LANGUAGES = ("en", "ru")
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
DATA = Path(__file__).resolve().parents[1]
QUESTION_BANK = DATA / "courses" / "data" / "gift_mixed.gift"
GLOSSARY_FILE = DATA / "glossary" / "data" / "missing_term.tbx"
MODULES = COURSE_DATA / "modules"
QUIZZES = COURSE_DATA / "quizzes"

PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/modules/",
    "/{lang}/modules/?sector=performing-arts",
    "/{lang}/quizzes/",
    "/{lang}/glossary/",
    "/{lang}/glossary/?q=прожектор",
    "/{lang}/glossary/?q=fresnell",
    "/{lang}/glossary/?q=nothing-like-this",
    "/{lang}/glossary/?letter=f&sector=performing-arts",
    "/{lang}/glossary/in/ru/",
    "/{lang}/glossary/in/kk/",
    "/{lang}/glossary/fresnel/",
    "/{lang}/sectors/performing-arts/",
    "/{lang}/accounts/login/",
    "/{lang}/accounts/password/reset/",
    "/{lang}/accounts/password/reset/sent/",
    "/{lang}/accounts/password/reset/complete/",
    "/{lang}/accounts/password/reset/MQ/not-a-token/",
    "/{lang}/me/cohorts/join/{code}/",
]
# Forms that show their errors when sent empty.
PUBLIC_FORMS = ["/{lang}/accounts/signup/", "/{lang}/accounts/login/"]
LEARNER_PAGES = [
    "/{lang}/me/",
    "/{lang}/drill/hard/",
    "/{lang}/modules/",
    "/{lang}/glossary/fresnel/",
    "/{lang}/me/cohorts/join/{code}/",
]
LEARNER_FORMS = [
    "/{lang}/me/settings/",
    "/{lang}/accounts/password/change/",
    "/{lang}/me/delete/",
]


class Audit:
    """One browser context (a language) visiting pages; each page, in each state, is audited
    at every viewport, and what axe finds is added to `findings` rather than failing at the
    first page."""

    def __init__(self, browser, site, language, findings):
        self.language = language
        self.context = browser.new_context(viewport=DESKTOP, locale=language, base_url=site.url)
        self.site = site
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.findings = findings

    def sign_in(self, user):
        client = Client()
        client.force_login(user)
        self.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": self.site.url,
                }
            ]
        )

    def visit(self, path, status=200, **values):
        response = self.page.goto(path.format(lang=self.language, **values))
        assert response.status == status, f"{path}: {response.status}"
        self.check()

    def check(self, state=""):
        for name, viewport in VIEWPORTS.items():
            self.page.set_viewport_size(viewport)
            where = f"[{self.language} {name}] {self.page.url} {state}".rstrip()
            self.findings.extend(f"{where}: {line}" for line in axe_violations(self.page))

    def submit_empty(self, form="main form.form"):
        """Send the page's form as it is and audit the page with its errors showing."""
        self.page.locator(f"{form} [type=submit]").first.click()
        self.page.wait_for_load_state()
        self.check("(errors)")

    def close(self):
        self.context.close()
        assert self.errors == [], f"JavaScript errors: {self.errors}"


def report(findings):
    return f"{len(findings)} accessibility findings:\n" + "\n".join(findings)


def glossary_subset(sectors, folder):
    """The demo glossary files of `sectors`, copied into `folder`, keeping only the related
    terms that they contain."""
    files = {
        sector: list(csv.DictReader((TERMS / f"{sector}.csv").open(encoding="utf-8")))
        for sector in sectors
    }
    headwords = {row["headword"] for rows in files.values() for row in rows}
    for sector, rows in files.items():
        for row in rows:
            row["related"] = "|".join(
                name for name in row["related"].split("|") if name in headwords
            )
        with (folder / f"{sector}.csv").open("w", encoding="utf-8", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=rows[0].keys())
            writer.writeheader()
            writer.writerows(rows)


@pytest.fixture
def content(site, tmp_path):
    """The stage module of the demo content with its quiz, the performing arts terminology quiz
    and the glossary files they draw on; a quiz with one question of each type in the module;
    and a cohort."""
    glossary_subset(("performing-arts", "music"), tmp_path)
    load_glossary(tmp_path)
    module = load_module(MODULES / "stage-technology.yaml", load_catalogue())
    index = load_quiz_index()
    for quiz in ("stage-technology-quiz", "performing-arts-terms"):
        load_quiz(QUIZZES / f"{quiz}.yaml", index)
    quiz = build_quiz(module, slug="every-type", time_limit=30)
    translate(quiz, "ru")
    return {
        "module": module,
        "lesson": LessonPage.objects.child_of(module).order_by("path").first(),
        "quiz": quiz,
        "cohort": Cohort.objects.create(name="Stage crew", description="Autumn seminar."),
    }


def drill_cards(learner):
    """Four cards due, one per exercise (typing, two choices, a flashcard), and a leech."""
    now = timezone.now()
    terms = list(
        Term.objects.approved().filter(translations__language="kk").distinct().order_by("pk")[:5]
    )
    states = [
        (CardState.REVIEW, 12.0, 9),
        (CardState.REVIEW, 3.0, 2),
        (CardState.LEARNING, 0.5, 0),
        (CardState.LEARNING, None, None),
    ]
    for minutes, (term, (state, stability, days)) in enumerate(zip(terms, states, strict=False)):
        card(
            learner,
            term,
            minutes_overdue=40 - minutes * 10,
            state=state,
            stability=stability,
            days=days,
        )
    Card.objects.create(learner=learner, term=terms[4], due=now, suspended=True, lapses=8)


def learner_with_progress(language, content):
    """A learner part-way through the stage module, with a quiz attempt submitted, a
    certificate, a cohort and drills due."""
    learner = LearnerFactory(
        interface_language=language, native_language="ru" if language == "ru" else "kk"
    )
    client = Client()
    client.force_login(learner)
    client.post(content["lesson"].url + "complete/")
    client.post(content["quiz"].url + "start/")
    client.post(content["quiz"].url + "attempts/1/", {"action": "submit"})
    content["cohort"].members.add(learner)
    drill_cards(learner)
    certificate = Certificate.objects.create(
        code=uuid.uuid4(),
        learner=learner,
        module_key=content["module"].translation_key,
        learner_name=learner.display_name,
        module_title=content["module"].title,
        language=language,
    )
    return learner, certificate


def lock_out(audit):
    """Wrong passwords for one account until the login pauses, then audit that page."""
    page = audit.page
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"/{audit.language}/accounts/login/")
        page.locator("#id_username").fill(f"forgetful-{audit.language}@example.kz")
        page.locator("#id_password").fill("not-my-password")
        page.locator("main form.form [type=submit]").click()
        page.wait_for_load_state()
    expect(page.locator("main form.form")).to_have_count(0)
    audit.check("(locked out)")


def drill_through(audit):
    """Answer every exercise of a drill session by keyboard, auditing each exercise and the
    feedback on each answer, up to the session's summary."""
    page = audit.page
    for _exercise in range(8):
        if page.locator("[data-drill-summary]").is_visible():
            audit.check("(drill summary)")
            return
        form = page.locator("[data-drill-form]").element_handle()
        mode = form.get_attribute("data-mode")
        audit.check(f"(drill: {mode})")
        if mode == "typing":
            page.locator("#drill-answer").fill("not the term")
            page.keyboard.press("Enter")
        elif mode == "flashcard":
            page.locator("#drill-prompt").focus()
            page.keyboard.press("Space")
            expect(page.locator("[data-drill-back]")).to_be_focused()
            audit.check("(drill: flashcard answer)")
            page.keyboard.press("3")
        else:
            page.locator("#drill-prompt").focus()
            page.keyboard.press("1")
            page.keyboard.press("Enter")
        page.wait_for_function("form => !form.isConnected", arg=form)
        if page.locator("[data-drill-feedback]").is_visible():
            audit.check("(drill: feedback)")
    raise AssertionError("the drill session never ended")


def test_every_learner_page_passes_axe(browser, site, content):
    module, lesson, quiz = content["module"], content["lesson"], content["quiz"]
    code = content["cohort"].code
    russian = Locale.objects.get(language_code="ru")
    findings = []
    for language in LANGUAGES:
        # Modules and quizzes exist in English and Russian; a Kazakh learner opens the English.
        pages_in = "ru" if language == "ru" else "en"
        module_url, lesson_url, quiz_url = (
            page.get_translation(russian).url if pages_in == "ru" else page.url
            for page in (module, lesson, quiz)
        )
        audit = Audit(browser, site, language, findings)
        for path in PUBLIC_PAGES:
            audit.visit(path, code=code)
        audit.visit("/{lang}/no-such-page/", status=404)
        for path in (module_url, lesson_url, quiz_url):
            audit.visit(path)
        for path in PUBLIC_FORMS:
            audit.visit(path)
            audit.submit_empty()
        lock_out(audit)

        learner, certificate = learner_with_progress(language, content)
        audit.sign_in(learner)
        for path in LEARNER_PAGES:
            audit.visit(path, code=code)
        audit.visit(f"/{language}/certificates/{certificate.code}/")
        for path in LEARNER_FORMS:
            audit.visit(path)
            audit.submit_empty()
        audit.visit("/{lang}/me/settings/")
        audit.submit_empty("form.cohort-join")

        # A module and a lesson signed in, the lesson's knowledge check answered and its
        # exercise sent empty.
        audit.visit(module_url)
        audit.visit(lesson_url)
        audit.page.locator("[data-knowledge-check] [type=radio]").first.check()
        audit.page.locator("[data-knowledge-check] [type=submit]").first.click()
        expect(audit.page.locator(".knowledge-check__result").first).to_be_visible()
        audit.check("(knowledge check answered)")
        audit.submit_empty(".exercise__form")

        # A quiz: its overview with the earlier attempt, a new attempt, its result.
        audit.visit(quiz_url)
        audit.page.locator("form[action$='start/'] [type=submit]").click()
        expect(audit.page.locator("[data-quiz-form]")).to_be_visible()
        audit.check("(attempt)")
        audit.page.locator("button[value='submit']").click()
        expect(audit.page.locator(".quiz-score")).to_be_visible()
        audit.check("(result)")

        audit.visit("/{lang}/drill/")
        drill_through(audit)
        audit.page.locator(".site-nav__button").click()  # log out
        audit.page.wait_for_url("**/accounts/logout/")
        audit.check("(logged out)")
        audit.close()
    assert not findings, report(findings)


def test_every_custom_admin_view_passes_axe(browser, site, content):
    """The trainers' reports, imports and snippets, with Wagtail's chrome around them
    (static/css/admin.css enlarges the one control of Wagtail's that was too small)."""
    learner, _certificate = learner_with_progress("ru", content)
    quiz = content["quiz"]
    term = Term.objects.get(slug="fresnel")
    cohort = content["cohort"]
    findings = []
    for language in ADMIN_LANGUAGES:
        trainer = TrainerFactory()
        administrator = AdministratorFactory()
        for user in (trainer, administrator):
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = language
            profile.save()
        audit = Audit(browser, site, language, findings)
        audit.sign_in(trainer)
        for report_path in ("learners", "funnel", "quiz-items", "hard-terms"):
            audit.visit(f"/admin/reports/sheber/{report_path}/")
        audit.visit(f"/admin/reports/sheber/learners/{learner.pk}/")
        for path in (
            "/admin/snippets/glossary/term/",
            "/admin/snippets/glossary/term/add/",
            f"/admin/snippets/glossary/term/edit/{term.pk}/",
            f"/admin/snippets/glossary/term/inspect/{term.pk}/",
            "/admin/snippets/learners/cohort/",
            "/admin/snippets/learners/cohort/add/",
            f"/admin/snippets/learners/cohort/edit/{cohort.pk}/",
            f"/admin/snippets/learners/cohort/inspect/{cohort.pk}/",
        ):
            audit.visit(path)
        for path, upload in (
            ("/admin/glossary/import/", GLOSSARY_FILE),
            (f"/admin/quizzes/{quiz.pk}/import/", QUESTION_BANK),
        ):
            audit.visit(path)
            audit.submit_empty("main form[enctype]")
            audit.page.locator("input[type=file]").set_input_files(upload)
            audit.page.locator("main form[enctype] [type=submit]").click()
            audit.page.wait_for_url("**/import/*/")
            audit.check("(preview)")

        audit.sign_in(administrator)
        audit.visit("/admin/snippets/home/subsector/")
        audit.visit(f"/admin/snippets/home/subsector/edit/{SubSector.objects.first().pk}/")
        audit.close()
    assert not findings, report(findings)

import pytest

from wagtail.models import Locale

from courses.models import CatalogueIndexPage, LessonPage, ModulePage
from tests.glossary.conftest import stage_terms  # noqa: F401 - shared fixture


def publish(page):
    page.save_revision().publish()
    return page


def lesson_body(number):
    return [
        {"type": "heading", "value": {"text": f"Part {number}", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Every lantern needs a gel before the focus call.</p>"},
        {
            "type": "exercise",
            "value": {"prompt": "Describe your last get-in."},
            "id": f"ex-{number}",
        },
        {
            "type": "knowledge_check",
            "id": f"kc-{number}",
            "value": {
                "question": "Which lantern gives a soft edge?",
                "choices": [
                    {"text": "Fresnel", "correct": True, "feedback": "Yes: its stepped lens."},
                    {"text": "Profile spot", "correct": False, "feedback": "It gives a hard edge."},
                ],
            },
        },
    ]


def build_module(catalogue, slug="stage-basics", lessons=3):
    module = catalogue.add_child(
        instance=ModulePage(
            title=f"Stage basics {slug}",
            slug=slug,
            summary="Lights and sound.",
            track="technical",
            level="introductory",
        )
    )
    publish(module)
    for number in range(1, lessons + 1):
        publish(
            module.add_child(
                instance=LessonPage(title=f"Lesson {number}", minutes=10, body=lesson_body(number))
            )
        )
    return module


def translate(page, language):
    copy = page.copy_for_translation(Locale.objects.get(language_code=language))
    return publish(copy.specific)


@pytest.fixture
def catalogue(home_page):
    return publish(
        home_page.add_child(instance=CatalogueIndexPage(title="Modules", slug="modules"))
    )


@pytest.fixture
def module(catalogue):
    return build_module(catalogue)


@pytest.fixture
def lessons(module):
    return list(LessonPage.objects.child_of(module).order_by("path"))


@pytest.fixture
def russian_module(module, lessons, catalogue):
    translate(catalogue, "ru")
    russian = translate(module, "ru")
    for lesson in lessons:
        translate(lesson, "ru")
    return russian


def items(*values):
    """ListBlock data with fixed item ids: i1, i2, …"""
    return [
        {"type": "item", "value": value, "id": f"i{number}"}
        for number, value in enumerate(values, start=1)
    ]


def choice(text, correct=False, feedback=""):
    return {"text": text, "correct": correct, "feedback": feedback}


def question(kind, key, prompt="<p>?</p>", points=1, **fields):
    value = {"prompt": prompt, "points": points, "feedback_right": "", "feedback_wrong": ""}
    value.update(fields)
    return {"type": kind, "id": key, "value": value}


# One question of every type. Answers only a right answer contains (cyclorama, spigot, yoke) and
# the feedback let tests look for leaks in what the browser receives.
QUESTIONS = [
    question(
        "single_choice",
        "single",
        prompt="<p>Which lantern gives a soft edge?</p>",
        choices=items(
            choice("Fresnel", True, "Yes: its stepped lens."),
            choice("Profile spot", False, "It gives a hard edge."),
            choice("Follow spot"),
        ),
        feedback_right="The Fresnel lens softens the edge.",
        feedback_wrong="Think of the lens.",
    ),
    question(
        "multiple_choice",
        "multiple",
        points=2,
        choices=items(
            choice("Power supply", True),
            choice("Stage size", True),
            choice("Ticket price"),
            choice("Bar menu"),
        ),
    ),
    question("true_false", "truefalse", prompt="<p>A gel colours the light.</p>", answer=True),
    question("short_answer", "short", answers=["cyclorama", "cyc"]),
    question(
        "matching",
        "matching",
        pairs=items(
            {"item": "gel", "match": "светофильтр"},
            {"item": "batten", "match": "штанкет"},
            {"item": "wing", "match": "кулиса"},
        ),
    ),
    question("ordering", "ordering", items=items("Get-in", "Focus", "Show", "Get-out")),
    question("gap_fill", "gaps", text="Fit the [[spigot|pin]] to the [[yoke]] before the show."),
]


def build_quiz(parent, slug="final-quiz", questions=QUESTIONS, **settings):
    from courses.models import QuizPage

    quiz = parent.add_child(
        instance=QuizPage(
            title=f"Quiz {slug}", slug=slug, questions=questions, shuffle_choices=False, **settings
        )
    )
    publish(quiz)
    quiz.refresh_from_db()  # the published revision is live
    return quiz

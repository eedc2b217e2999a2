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

import pytest

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import LessonPage, ModulePage
from home.models import SubSector

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=sheber-demo"
COMMENTS = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def list_block(items):
    data = {
        str(index): {"value": value, "deleted": "", "order": str(index), "id": ""}
        for index, value in enumerate(items)
    }
    return {**data, "count": str(len(items))}


@pytest.fixture
def media(db):
    image = get_image_model().objects.create(title="Stage", file=get_test_image_file())
    document = get_document_model().objects.create(
        title="Budget template", file=ContentFile(b"line,amount\n", name="budget.csv")
    )
    # Embeds are looked up in the database before any provider is asked.
    Embed.objects.create(
        hash=get_embed_hash(VIDEO),
        url=VIDEO,
        max_width=None,
        type="video",
        html='<iframe title="Focusing a Fresnel" src="https://www.youtube.com/embed/x"></iframe>',
        title="Focusing a Fresnel",
        thumbnail_url="",
        width=640,
        height=360,
    )
    return image, document


def every_block(image, document, term):
    return streamfield(
        [
            ("heading", {"text": "Soft light", "level": "h2"}),
            ("paragraph", rich_text("<p>A Fresnel gives a soft edge.</p>")),
            (
                "image",
                {
                    "image": {"image": image.pk, "decorative": "", "alt_text": "A Fresnel lantern"},
                    "caption": "On the bar",
                },
            ),
            (
                "video",
                {
                    "video": VIDEO,
                    "title": "Focusing",
                    "transcript": rich_text("<p>We open the shutters.</p>"),
                },
            ),
            (
                "callout",
                {"kind": "warning", "title": "Heat", "text": rich_text("<p>Gloves on.</p>")},
            ),
            (
                "case_study",
                {
                    "title": "A tour in Astana",
                    "text": rich_text("<p>Eight lanterns, not twelve.</p>"),
                    "questions": list_block(["What now?"]),
                },
            ),
            ("key_terms", {"terms": list_block([term.pk])}),
            ("exercise", {"prompt": "Describe your rig."}),
            ("checklist", {"title": "Before the focus", "items": list_block(["Ladder", "Gels"])}),
            ("document", {"document": document.pk, "description": "Budget template (CSV)"}),
            (
                "knowledge_check",
                {
                    "question": "Soft or hard edge?",
                    "choices": list_block(
                        [
                            {"text": "Soft", "correct": "on", "feedback": "Right."},
                            {"text": "Hard", "correct": "", "feedback": "That is a profile."},
                        ]
                    ),
                },
            ),
        ]
    )


def test_trainer_writes_a_module_and_an_administrator_approves_it(
    client, trainer, administrator, learner, catalogue, media, stage_terms
):
    image, document = media
    client.force_login(trainer)
    module_form = nested_form_data(
        {
            "title": "Lighting for touring shows",
            "slug": "lighting-tours",
            "summary": "How to light a show in a venue you have never seen.",
            "cover_image": "",
            "track": "technical",
            "level": "intermediate",
            "sub_sectors": [SubSector.objects.get(slug="performing-arts").pk],
            "outcomes": streamfield([("outcome", "Adapt a lighting plot to a new venue.")]),
            "key_terms": [stage_terms["fresnel"].pk],
            "comments": COMMENTS,
            "action-submit": "submit",
        }
    )
    response = client.post(f"/admin/pages/add/courses/modulepage/{catalogue.pk}/", module_form)
    assert response.status_code == 302, response.context and response.context["form"].errors
    module = ModulePage.objects.get(slug="lighting-tours")

    lesson_form = nested_form_data(
        {
            "title": "Soft and hard light",
            "slug": "soft-and-hard-light",
            "minutes": "12",
            "body": every_block(image, document, stage_terms["fresnel"]),
            "link_glossary_terms": "on",
            "comments": COMMENTS,
            "action-submit": "submit",
        }
    )
    response = client.post(f"/admin/pages/add/courses/lessonpage/{module.pk}/", lesson_form)
    assert response.status_code == 302, response.context and response.context["form"].errors
    lesson = LessonPage.objects.get(slug="soft-and-hard-light")
    assert {block.block_type for block in lesson.get_latest_revision_as_object().body} == {
        "heading",
        "paragraph",
        "image",
        "video",
        "callout",
        "case_study",
        "key_terms",
        "exercise",
        "checklist",
        "document",
        "knowledge_check",
    }

    preview_url = f"/admin/pages/{lesson.pk}/edit/preview/"
    assert client.post(preview_url, lesson_form).json()["is_valid"]
    preview = client.get(preview_url).content.decode()
    for text in (
        "A Fresnel lantern",
        "We open the shutters.",
        "Before the focus",
        "Budget template",
    ):
        assert text in preview
    assert not module.permissions_for_user(trainer).can_publish()

    # Not live until an administrator approves.
    client.force_login(learner)
    assert client.get("/en/modules/lighting-tours/").status_code == 404

    client.force_login(administrator)
    for page in (module, lesson):
        page.refresh_from_db()
        task_state = page.current_workflow_task_state
        approve = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
        assert client.post(approve, {"comment": ""}).status_code in {200, 302}

    client.force_login(learner)
    assert client.get("/en/modules/lighting-tours/").status_code == 200
    assert client.get("/en/modules/lighting-tours/soft-and-hard-light/").status_code == 200

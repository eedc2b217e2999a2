"""The blocks trainers build lessons from. Each has an icon, a template, a preview and a
description. Blocks that learners answer (exercise, knowledge check) are keyed by the block id."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from home.blocks import RICH_TEXT_FEATURES, CalloutBlock, HeadingBlock, ParagraphBlock


class LessonImageBlock(blocks.StructBlock):
    image = ImageBlock(help_text=_("Describe the image in the alternative text field."))
    caption = blocks.CharBlock(max_length=255, required=False, help_text=_("Optional caption."))

    class Meta:
        icon = "image"
        template = "courses/blocks/image_block.html"
        label = _("Image")
        description = _("A picture with alternative text for people who cannot see it.")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text=_("A YouTube or Vimeo address."))
    title = blocks.CharBlock(max_length=120, help_text=_("What the video shows, in a few words."))
    transcript = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        help_text=_("Everything said and shown: for learners who cannot hear or watch it."),
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video_block.html"
        label = _("Video")
        description = _("An embedded video with its full transcript.")


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=160)
    text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, help_text=_("The situation, the people, what happened.")
    )
    questions = blocks.ListBlock(
        blocks.CharBlock(max_length=300),
        required=False,
        help_text=_("Questions for learners to think about."),
    )

    class Meta:
        icon = "doc-full-inverse"
        template = "courses/blocks/case_study_block.html"
        label = _("Case study")
        description = _("A real-world situation from the cultural sector, with questions.")
        preview_value = {
            "title": "A touring production arrives in Astana",
            "text": "<p>The rider asks for twelve profile spots; the venue has eight.</p>",
            "questions": ["What would you offer instead?"],
        }


class KeyTermsBlock(blocks.StructBlock):
    terms = blocks.ListBlock(
        SnippetChooserBlock("glossary.Term"),
        min_num=1,
        help_text=_("Glossary terms; learners see each with its translation."),
    )

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/key_terms_block.html"
        label = _("Key terms")
        description = _("Glossary terms with their equivalents and an 'add to my drills' button.")


class ExerciseBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(
        max_length=1000, help_text=_("A task; each learner's answer is private to them.")
    )

    class Meta:
        icon = "edit"
        template = "courses/blocks/exercise_block.html"
        label = _("Exercise")
        description = _("A reflection task; learners write and later edit a private answer.")
        preview_value = {"prompt": "Describe the last contract you negotiated."}


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=160)
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "courses/blocks/checklist_block.html"
        label = _("Checklist")
        description = _("Steps learners can tick off for themselves.")
        preview_value = {"title": "Before the get-in", "items": ["Confirm the rider", "Book crew"]}


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(
        max_length=255, help_text=_("What the file is, e.g. 'Budget template (Excel, 40 kB)'.")
    )

    class Meta:
        icon = "doc-empty"
        template = "courses/blocks/document_block.html"
        label = _("Downloadable document")
        description = _("A file learners can download, such as a template.")


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.CharBlock(max_length=500, help_text=_("Shown after this answer."))


class KnowledgeCheckBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=300)
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, max_num=6)

    class Meta:
        icon = "help"
        template = "courses/blocks/knowledge_check_block.html"
        label = _("Knowledge check")
        description = _("One ungraded question with instant feedback.")

    def clean(self, value):
        value = super().clean(value)
        if sum(bool(choice["correct"]) for choice in value["choices"]) != 1:
            raise StructBlockValidationError(
                non_block_errors=ErrorList(
                    [ValidationError(_("Mark exactly one choice as correct."))]
                )
            )
        return value


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = LessonImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    case_study = CaseStudyBlock()
    key_terms = KeyTermsBlock()
    exercise = ExerciseBlock()
    checklist = ChecklistBlock()
    document = DocumentBlock()
    knowledge_check = KnowledgeCheckBlock()

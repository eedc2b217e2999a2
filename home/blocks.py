"""StreamField blocks shared by every page type. Each has an icon, a template, a preview and a
description so that trainers see what it does before they add it."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, help_text=_("A short heading, at most 120 characters."))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Subsection heading"))],
        default="h2",
        help_text=_("Use section headings for main parts and subsection headings inside them."),
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A heading that starts a new part of the page.")
        preview_value = {"text": "What you will learn", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        label = _("Text")
        description = _("Paragraphs of text with bold, italics, links and lists.")
        preview_value = (
            "<p>Short, practical lessons written for people who run theatres, galleries, "
            "studios and festivals.</p>"
        )


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("example", _("Example"))],
        default="tip",
        help_text=_("Tips help, warnings prevent mistakes, examples show the idea in practice."),
    )
    title = blocks.CharBlock(max_length=120, required=False, help_text=_("Optional title."))
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        template = "blocks/callout_block.html"
        label = _("Callout")
        description = _("A highlighted box for a tip, a warning or an example.")
        preview_value = {
            "kind": "tip",
            "title": "Before you sign",
            "text": "<p>Ask for the technical rider in writing before you agree a fee.</p>",
        }


class FeatureBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80, help_text=_("What the learner gets, in a few words."))
    text = blocks.TextBlock(max_length=400, help_text=_("One or two sentences."))


class FeatureListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, help_text=_("Heading above the list."))
    features = blocks.ListBlock(FeatureBlock(), min_num=1, max_num=6)

    class Meta:
        icon = "list-ul"
        template = "blocks/feature_list_block.html"
        label = _("Feature list")
        description = _("Up to six short points shown side by side on wide screens.")
        preview_value = {
            "heading": "What Sheber offers",
            "features": [
                {"title": "Seminar modules", "text": "Fifteen-minute lessons you can take."},
                {"title": "Glossary", "text": "The English of your craft, with translations."},
            ],
        }


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    callout = CalloutBlock()
    features = FeatureListBlock()

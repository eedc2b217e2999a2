"""The questions trainers build quizzes from. A question's block id is its stable key: attempts
store responses and scores under it. Items inside a question (choices, pairs, ordering items)
are keyed by their list item ids. Learners never receive these blocks: `courses/quizzes.py`
turns them into what may be shown before submission."""

import re

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from home.blocks import RICH_TEXT_FEATURES

GAP = re.compile(r"\[\[(.+?)\]\]")
QUESTION_FEATURES = [*RICH_TEXT_FEATURES, "image"]


def invalid(message):
    return StructBlockValidationError(non_block_errors=ErrorList([ValidationError(message)]))


class QuestionBlock(blocks.StructBlock):
    """What every question has: a prompt, points and feedback."""

    prompt = blocks.RichTextBlock(
        features=QUESTION_FEATURES, help_text=_("The question; it may include an image.")
    )
    points = blocks.IntegerBlock(
        default=1, min_value=1, max_value=100, help_text=_("What a fully right answer scores.")
    )
    feedback_right = blocks.TextBlock(
        required=False, max_length=1000, help_text=_("Shown after a fully right answer.")
    )
    feedback_wrong = blocks.TextBlock(
        required=False,
        max_length=1000,
        help_text=_("Shown after a wrong or partly right answer: explain the right one."),
    )


class QuizChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.CharBlock(
        max_length=500, required=False, help_text=_("Shown after this choice, if revealed.")
    )


class SingleChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(QuizChoiceBlock(), min_num=2, max_num=10)

    class Meta:
        icon = "radio-full"
        label = _("Single choice")
        description = _("One right answer among several.")
        preview_value = {
            "prompt": "<p>Which lantern gives a soft-edged beam?</p>",
            "choices": [
                {"text": "Fresnel", "correct": True},
                {"text": "Profile spot", "correct": False},
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        if sum(bool(choice["correct"]) for choice in value["choices"]) != 1:
            raise invalid(_("Mark exactly one choice as correct."))
        return value


class MultipleChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(QuizChoiceBlock(), min_num=2, max_num=10)

    class Meta:
        icon = "tick"
        label = pgettext_lazy("question type", "Multiple choice")
        description = _("Several right answers; partial credit, and none for ticking every choice.")
        preview_value = {
            "prompt": "<p>Which of these belong in a technical rider?</p>",
            "choices": [
                {"text": "Power supply", "correct": True},
                {"text": "Stage dimensions", "correct": True},
                {"text": "Ticket prices", "correct": False},
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            raise invalid(_("Mark at least one choice as correct."))
        return value


class TrueFalseBlock(QuestionBlock):
    answer = blocks.BooleanBlock(
        required=False, help_text=_("Tick if the statement in the prompt is true.")
    )

    class Meta:
        icon = "doc-full"
        label = _("True or false")
        description = _("A statement learners judge true or false.")
        preview_value = {"prompt": "<p>A gel changes the colour of a lantern's light.</p>"}


class ShortAnswerBlock(QuestionBlock):
    answers = blocks.ListBlock(
        blocks.CharBlock(max_length=200),
        min_num=1,
        help_text=_(
            "Accepted answers, the first shown as the right one. Letter case and small typos "
            "are forgiven as in drills."
        ),
    )

    class Meta:
        icon = "edit"
        label = _("Short answer")
        description = _("Learners type a word or a short phrase.")
        preview_value = {"prompt": "<p>What is the English for «штанкет»?</p>"}


class MatchingPairBlock(blocks.StructBlock):
    item = blocks.CharBlock(max_length=200)
    match = blocks.CharBlock(max_length=200)


class MatchingBlock(QuestionBlock):
    pairs = blocks.ListBlock(
        MatchingPairBlock(),
        min_num=2,
        max_num=10,
        help_text=_("Learners choose each item's match from a list of all the matches."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Matching")
        description = _("Match items to their pairs with drop-down lists (partial credit).")

    def clean(self, value):
        value = super().clean(value)
        matches = [pair["match"].strip().casefold() for pair in value["pairs"]]
        if len(set(matches)) != len(matches):
            raise invalid(_("Each match must be different, or learners cannot tell them apart."))
        return value


class OrderingBlock(QuestionBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(max_length=200),
        min_num=2,
        max_num=10,
        help_text=_("In the right order; learners see them shuffled (partial credit)."),
    )

    class Meta:
        icon = "order"
        label = _("Ordering")
        description = _("Put steps in order with move up and move down buttons.")


class GapFillBlock(QuestionBlock):
    text = blocks.TextBlock(
        max_length=2000,
        help_text=_(
            "The text with each gap's accepted answers between double brackets, separated by "
            "|: 'Hang the [[gel|colour filter]] in the frame.'"
        ),
    )

    class Meta:
        icon = "pilcrow"
        label = _("Gap fill")
        description = _("A text with gaps to type in (partial credit).")

    def clean(self, value):
        value = super().clean(value)
        gaps = GAP.findall(value["text"])
        if not gaps or any(not answer.strip(" |") for answer in gaps):
            raise invalid(_("Mark at least one gap, like [[answer]], each with an answer."))
        return value


class GlossaryKind(blocks.ChoiceBlock):
    choices = [
        ("translation", _("Choose the translation of each term")),
        ("definition", _("Type the English term from its definition")),
        ("match", _("Match five terms to their translations")),
    ]


class GlossaryQuestionBlock(blocks.StructBlock):
    """Terms drawn from the quiz's sub-sectors when an attempt starts."""

    kind = GlossaryKind(default="translation")
    count = blocks.IntegerBlock(
        default=5,
        min_value=1,
        max_value=10,
        help_text=_("How many terms to draw (a matching question always takes five)."),
    )
    points = blocks.IntegerBlock(
        default=5, min_value=1, max_value=100, help_text=_("Shared among the terms drawn.")
    )

    class Meta:
        icon = "doc-full-inverse"
        label = _("Glossary question")
        description = _("Approved glossary terms of the quiz's sub-sectors, drawn per attempt.")


class QuestionStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    true_false = TrueFalseBlock()
    short_answer = ShortAnswerBlock()
    matching = MatchingBlock()
    ordering = OrderingBlock()
    gap_fill = GapFillBlock()
    glossary = GlossaryQuestionBlock()

"""What a question file holds once read, whatever its format: questions as values of Sheber's
question blocks (each checked by its block), what cannot be imported (errors) and what was left
out of a question that is imported all the same (warnings), each with its line in the file."""

import math
import re
from dataclasses import dataclass, field
from html import escape

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.quiz_blocks import QuestionStreamBlock

from .markup import HTML, convert, one_line

MAX_BYTES = 2 * 1024 * 1024
FULL_CREDIT = 99.999  # a Moodle grade of 100 %, however it is written
BLOCKS = QuestionStreamBlock().child_blocks
GAP_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
GAP_MARKERS = ("[[", "]]", "|")

KIND_NAMES = {
    "description": gettext_lazy("description"),
    "essay": gettext_lazy("essay"),
    "numerical": gettext_lazy("numerical"),
    "calculated": gettext_lazy("calculated"),
    "calculatedsimple": gettext_lazy("calculated"),
    "calculatedmulti": gettext_lazy("calculated"),
    "ddwtos": gettext_lazy("drag and drop into text"),
    "gapselect": gettext_lazy("select missing words"),
    "random": gettext_lazy("random"),
    "randomsamatch": gettext_lazy("random"),
}


@dataclass
class BankError:
    line: int | None
    message: str  # translated, starting with "Line N: " when the line is known

    @classmethod
    def at(cls, line, message):
        if line is None:
            return cls(None, message)
        return cls(line, _("Line %(line)d: %(message)s") % {"line": line, "message": message})


@dataclass
class ParsedQuestion:
    block_type: str  # a child of QuestionStreamBlock
    value: dict  # valid for that block
    line: int
    title: str = ""


@dataclass
class ParsedBank:
    """`errors` are questions (or a whole file) that cannot be imported; `warnings` say what was
    left out of questions that are imported all the same."""

    questions: list[ParsedQuestion] = field(default_factory=list)
    errors: list[BankError] = field(default_factory=list)
    warnings: list[BankError] = field(default_factory=list)


class Rejected(Exception):
    """Why one question cannot be imported: a translated message, without its line."""


def unsupported(kind):
    name = KIND_NAMES.get(kind, f"“{kind}”")
    return Rejected(
        _("%(kind)s questions cannot be imported: Sheber has no %(kind)s question.")
        % {"kind": name}
    )


def no_right_answer():
    return Rejected(_("the question has no answer marked right."))


class Draft:
    """One question while it is read: where it starts, its title and its warnings."""

    def __init__(self, line, title=""):
        self.line, self.title, self.warnings = line, title, []

    def warn(self, message):
        self.warnings.append(BankError.at(self.line, message))

    def markup(self, source, text_format=HTML):
        markup = convert(source, text_format)
        for name in markup.left_out:
            self.warn(
                _(
                    "“%(name)s” was left out: images and media files cannot be imported, "
                    "add them again in Sheber."
                )
                % {"name": name}
            )
        return markup

    def prompt(self, source, text_format=HTML):
        html = self.markup(source, text_format).html
        if not html:
            raise Rejected(_("the question has no text."))
        return html

    def short_text(self, source, text_format=HTML):
        """A choice, an item or an answer: one line of plain text."""
        markup = self.markup(source, text_format)
        if markup.left_out and not markup.text:
            raise Rejected(
                _("a choice or an item is only an image, and images cannot be imported.")
            )
        return one_line(markup.text)

    def feedback(self, source, text_format=HTML):
        return self.markup(source, text_format).text


def points(grade):
    """Sheber's points for a Moodle grade: rounded half up, at least 1 and at most 100."""
    try:
        value = float(grade)
    except (TypeError, ValueError):
        return 1
    return min(max(math.floor(value + 0.5), 1), 100) if math.isfinite(value) else 1


def choice_fields(draft, choices, single):
    """(block type, fields) of a choice question from (text, grade in %, feedback) choices: one
    fully right choice for a single choice, every choice with a positive grade otherwise."""
    if single:
        right = [fraction >= FULL_CREDIT for __, fraction, __ in choices]
        if sum(right) > 1:
            raise Rejected(
                _(
                    "several answers are marked fully right, but a single-choice question has "
                    "exactly one right answer."
                )
            )
        for text, fraction, __ in choices:
            if 0 < fraction < FULL_CREDIT:
                draft.warn(
                    _("the partly right answer “%(answer)s” counts as wrong.") % {"answer": text}
                )
    else:
        right = [fraction > 0 for __, fraction, __ in choices]
    if not any(right):
        raise no_right_answer()
    return ("single_choice" if single else "multiple_choice"), {
        "choices": [
            {"text": text, "correct": correct, "feedback": feedback}
            for (text, __, feedback), correct in zip(choices, right, strict=True)
        ]
    }


def accepted_answers(draft, answers):
    """The fully right answers among (text, grade in %, feedback), in order; the others are left
    out, with a warning when they earned something."""
    accepted = []
    for text, fraction, __ in answers:
        if fraction >= FULL_CREDIT and "*" in text:
            draft.warn(
                _(
                    "the answer “%(answer)s” was left out: Sheber has no wildcard *, but it "
                    "forgives letter case and small typos."
                )
                % {"answer": text}
            )
        elif fraction >= FULL_CREDIT:
            accepted.append(text)
        elif fraction > 0:
            draft.warn(
                _(
                    "the partly right answer “%(answer)s” was left out: Sheber accepts fully "
                    "right answers only."
                )
                % {"answer": text}
            )
    return accepted


def short_answer_fields(draft, answers):
    """(block type, fields) from (text, grade in %, feedback) answers; the first right answer's
    feedback is shown after a right answer."""
    accepted = accepted_answers(draft, answers)
    if not accepted:
        raise no_right_answer()
    feedback = next((feedback for text, __, feedback in answers if text == accepted[0]), "")
    return "short_answer", {"answers": accepted, "feedback_right": feedback}


def matching_fields(draft, pairs):
    """(block type, fields) from (item, match) pairs; a match without an item is one of Moodle's
    extra wrong matches, which Sheber does not have."""
    kept = []
    for item, match in pairs:
        if item and match:
            kept.append({"item": item, "match": match})
        elif match:
            draft.warn(
                _(
                    "the extra match “%(match)s” was left out: Sheber offers the matches of "
                    "the items only."
                )
                % {"match": match}
            )
        elif item:
            raise Rejected(_("the item “%(item)s” has no match.") % {"item": item})
    return "matching", {"pairs": kept}


def gap_mark(index):
    """Where gap `index` goes in the source of a gap fill."""
    return f"\ue000{index}\ue001"


def gap_fill_fields(draft, source, text_format, gaps):
    """(block type, fields) of a gap fill: `source` holds gap_mark(i) where the accepted answers
    gaps[i] go."""
    pieces = GAP_PLACEHOLDER.split(draft.markup(source, text_format).text)
    texts = pieces[::2] + [answer for answers in gaps for answer in answers]
    if any(marker in text for text in texts for marker in GAP_MARKERS):
        raise Rejected(
            _("the text or an answer holds [[, ]] or |, which mark the gaps of a gap fill.")
        )
    pieces[1::2] = ["[[" + "|".join(gaps[int(index)]) + "]]" for index in pieces[1::2]]
    instruction = _("Fill in the gaps.")
    return "gap_fill", {
        "prompt": f"<p>{escape(instruction)}</p>",
        "text": "".join(pieces),
    }


def read_question(bank, draft, read):
    """Add the question that `read()` returns as (block type, value) to the bank once its block
    accepts it, or say why it cannot be imported."""
    try:
        block_type, value = read()
    except Rejected as rejected:
        bank.errors.append(BankError.at(draft.line, str(rejected)))
        return
    block = BLOCKS[block_type]
    try:
        block.clean(block.to_python(value))
    except ValidationError as error:
        problems = " ".join(dict.fromkeys(_problems(block, error)))
        bank.errors.append(
            BankError.at(
                draft.line,
                _("the question cannot be imported: %(problems)s") % {"problems": problems},
            )
        )
        return
    bank.questions.append(ParsedQuestion(block_type, value, draft.line, draft.title))
    bank.warnings.extend(draft.warnings)


def _problems(block, error):
    """The messages of a question block's validation error, each with its field's label."""
    yield from _messages(error.non_block_errors.as_data())
    for name, child_error in error.block_errors.items():
        for message in _nested_messages(child_error):
            yield f"{block.child_blocks[name].label}: {message}"


def _nested_messages(error):
    if not hasattr(error, "block_errors"):
        return error.messages
    messages = list(_messages(error.non_block_errors.as_data()))
    for child_error in error.block_errors.values():
        messages.extend(_nested_messages(child_error))
    return messages


def _messages(errors):
    return [message for error in errors for message in error.messages]


def too_large(data):
    if len(data) <= MAX_BYTES:
        return None
    return BankError(
        None,
        _(
            "The file is larger than 2 MB. Export fewer questions at a time (one category, "
            "say) and import each file."
        ),
    )


def not_utf8(data, error):
    return BankError.at(
        data.count(b"\n", 0, error.start) + 1,
        _(
            "the file is not in UTF-8, the text encoding Sheber reads. Save it as UTF-8 and "
            "import it again."
        ),
    )


def failed(error):
    """A bank for a file that cannot be read at all: one error and no questions."""
    return ParsedBank(errors=[error])


def finished(bank):
    if not bank.questions and not bank.errors:
        bank.errors.append(BankError(None, _("The file holds no questions.")))
    return bank

"""GIFT question files (Moodle's plain-text format), read into Sheber's question blocks.

Questions are separated by blank lines outside braces; lines starting with // are comments, and
$CATEGORY: lines are skipped. ::title:: names a question; [html], [moodle], [plain] or
[markdown] before a text gives its format (Moodle's auto-format when there is none); \\~ \\= \\#
\\{ \\} \\: and \\\\ write those characters as they are, \\n a line break.

| GIFT                                  | Sheber                                                 |
| ------------------------------------- | ------------------------------------------------------ |
| {T} {TRUE} {F} {FALSE}                | true_false; {T#feedback if wrong#feedback if right}    |
| {=right ~wrong ~wrong}                | single_choice (the answers marked = are right)         |
| {~%50%a ~%50%b ~%-100%c} (no =)       | multiple_choice: answers with a positive weight right  |
| {=a =b} (= answers only)              | short_answer: the answers worth 100 % (a weight below  |
|                                       | 100 % leaves an answer out)                            |
| {=item -> match …}                    | matching; "= -> match", an extra wrong match, is left  |
|                                       | out                                                    |
| {>options, then one item a line}      | ordering (the qtype_ordering plugin's GIFT)            |
| text {=a =b} text                     | gap_fill: "text [[a|b]] text"                          |
| text {=a ~b} text                     | as above, with _____ where the braces were (Moodle's   |
|                                       | missing word)                                          |
| {#…} numerical, {} essay, no braces   | an error for that question                             |
| (description)                         |                                                        |

#feedback after an answer is its choice's feedback (for a short answer, the first right
answer's feedback is the feedback after a right answer); ####feedback at the end of the braces
is the general feedback, shown after a wrong answer. A brace that is never closed, closes
nothing or opens inside another makes the whole file unreadable: where questions end is then
unknown.
"""

import re
from functools import partial

from django.utils.translation import gettext as _

from .bank import (
    BankError,
    Draft,
    ParsedBank,
    Rejected,
    accepted_answers,
    choice_fields,
    failed,
    finished,
    gap_fill_fields,
    gap_mark,
    matching_fields,
    no_right_answer,
    not_utf8,
    read_question,
    short_answer_fields,
    too_large,
    unsupported,
)
from .markup import AUTO, HTML, MARKDOWN, PLAIN, one_line

ESCAPABLE = "~=#{}:\\"
_HIDDEN = {char: chr(0xE010 + index) for index, char in enumerate(ESCAPABLE)}
_LITERAL = {ord(hidden): char for char, hidden in _HIDDEN.items()}
_ESCAPE = re.compile(r"\\(.)")
TITLE = re.compile(r"\s*::(.*?)::", re.DOTALL)
FORMAT = re.compile(r"\s*\[(html|moodle|plain|markdown)\]")
FORMATS = {"html": HTML, "moodle": AUTO, "plain": PLAIN, "markdown": MARKDOWN}
WEIGHT = re.compile(r"\s*%(-?\d+(?:[.,]\d*)?)%")
TRUE_FALSE = re.compile(r"(?:T|TRUE|F|FALSE)\s*(?:#|$)", re.IGNORECASE)
MISSING_WORD = "_____"


class _Malformed(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.error = BankError.at(line, message)


def parse_gift(data: bytes) -> ParsedBank:
    """The questions of a GIFT file, and what cannot be imported, by line."""
    problem = too_large(data)
    if problem:
        return failed(problem)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return failed(not_utf8(data, error))
    try:
        blocks = _blocks(text.replace("\r\n", "\n").replace("\r", "\n"))
    except _Malformed as malformed:
        return failed(malformed.error)

    bank = ParsedBank()
    for line, source in blocks:
        title = TITLE.match(source)
        draft = Draft(line, one_line(_literal(title[1])) if title else "")
        body = source[title.end() :] if title else source
        read_question(bank, draft, partial(_read, body, draft))
    return finished(bank)


def _hide_escapes(line):
    """The line with each escaped character replaced by a stand-in that has no meaning in GIFT."""
    return _ESCAPE.sub(
        lambda match: "\n" if match[1] == "n" else _HIDDEN.get(match[1], match[0]), line
    )


def _literal(text):
    return text.translate(_LITERAL)


def _blocks(text):
    """(first line, text) of each question, comments left out and escapes hidden."""
    blocks, lines, depth, opened = [], [], 0, 0
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith("//") or (not depth and stripped.startswith("$CATEGORY:")):
            continue
        if not stripped and not depth:
            if lines:
                blocks.append(lines)
                lines = []
            continue
        line = _hide_escapes(line)
        for char in line:
            if char == "{" and depth:
                raise _Malformed(
                    opened,
                    _(
                        "the brace { opened on this line is not closed before the next one, on "
                        "line %(next)d: close it with }, or write \\{ for a brace in the text."
                    )
                    % {"next": number},
                )
            if char == "}" and not depth:
                raise _Malformed(
                    number,
                    _("this } closes no brace: remove it, or write \\} for a brace in the text."),
                )
            if char in "{}":
                depth, opened = int(char == "{"), number
        lines.append((number, line))
    if depth:
        raise _Malformed(
            opened,
            _(
                "the brace { opened on this line is never closed: close it with }, or write \\{ "
                "for a brace in the text."
            ),
        )
    if lines:
        blocks.append(lines)
    return [(lines[0][0], "\n".join(line for __, line in lines)) for lines in blocks]


def _text(hidden, default_format):
    """The text (escapes restored) and format of a text that may start with a format marker."""
    marker = FORMAT.match(hidden)
    if marker:
        return _literal(hidden[marker.end() :]), FORMATS[marker[1]]
    return _literal(hidden), default_format


def _read(body, draft):
    """(block type, value) of a question without its title."""
    opening = body.find("{")
    if opening < 0:
        raise unsupported("description")
    closing = body.find("}", opening)
    before, answers, after = body[:opening], body[opening + 1 : closing], body[closing + 1 :]
    if "{" in after:
        raise Rejected(_("the question has more than one set of answers in braces."))
    marker = FORMAT.match(before)
    text_format = FORMATS[marker[1]] if marker else AUTO
    before = before[marker.end() :] if marker else before
    answers, __, general = answers.partition("####")
    answers = answers.strip()
    feedback_wrong = draft.feedback(*_text(general, text_format))

    if not answers:
        raise unsupported("essay")
    if answers.startswith("#"):
        raise unsupported("numerical")
    if answers.startswith(">"):
        block_type, fields = _ordering(draft, answers, text_format)
    elif "~" in answers:
        block_type, fields = _choices(draft, answers, text_format)
    elif "=" in answers and "->" in answers:
        block_type, fields = _matching(draft, answers, text_format)
    elif TRUE_FALSE.match(answers):
        block_type, fields = _true_false(draft, answers, text_format)
    else:
        graded = _short_answers(draft, answers, text_format)
        if after.strip():
            accepted = accepted_answers(draft, graded)
            if not accepted:
                raise no_right_answer()
            source = _literal(before) + gap_mark(0) + _literal(after)
            block_type, fields = gap_fill_fields(draft, source, text_format, [accepted])
        else:
            block_type, fields = short_answer_fields(draft, graded)

    if "prompt" not in fields:
        missing_word = MISSING_WORD + after if after.strip() else ""
        fields["prompt"] = draft.prompt(_literal(before + missing_word), text_format)
    fields.setdefault("feedback_right", "")
    fields["feedback_wrong"] = fields.get("feedback_wrong") or feedback_wrong
    return block_type, {"points": 1, **fields}


def _answers(answers, markers):
    """(marker, text) of each answer: what follows each marker character, in order."""
    found = []
    for piece in re.split(f"(?=[{markers}])", answers):
        piece = piece.strip()
        if piece:
            marker = piece[0] if piece[0] in markers else ""
            found.append((marker, piece[len(marker) :]))
    return found


def _answer(draft, answer, text_format):
    """(text, weight in % or None, feedback) of one answer: "%50%[html]text#feedback"."""
    weight = WEIGHT.match(answer)
    fraction = None
    if weight:
        fraction = float(weight[1].replace(",", "."))
        answer = answer[weight.end() :]
    text, __, feedback = answer.partition("#")
    return (
        draft.short_text(*_text(text, text_format)),
        fraction,
        one_line(draft.feedback(*_text(feedback, text_format))),
    )


def _choices(draft, answers, text_format):
    choices = []
    for marker, answer in _answers(answers, "~="):
        text, fraction, feedback = _answer(draft, answer, text_format)
        if fraction is None:
            fraction = 100.0 if marker == "=" else 0.0
        choices.append((text, fraction, feedback))
    return choice_fields(draft, choices, single="=" in answers)


def _short_answers(draft, answers, text_format):
    """(text, weight in %, feedback) of each answer; an answer without a weight is right."""
    graded = []
    for __, answer in _answers(answers, "="):
        text, fraction, feedback = _answer(draft, answer, text_format)
        graded.append((text, 100.0 if fraction is None else fraction, feedback))
    return graded


def _matching(draft, answers, text_format):
    pairs = []
    for __, pair in _answers(answers, "="):
        item, arrow, match = pair.partition("->")
        if not arrow:
            raise Rejected(
                _("the pair “%(pair)s” has no -> between the item and its match.")
                % {"pair": one_line(_literal(pair))}
            )
        pairs.append((draft.short_text(*_text(item, text_format)), one_line(_literal(match))))
    return matching_fields(draft, pairs)


def _true_false(draft, answers, text_format):
    answer, *feedback = answers.split("#", 2)
    wrong, right = (*feedback, "", "")[:2]
    return "true_false", {
        "answer": answer.strip().upper() in ("T", "TRUE"),
        "feedback_right": draft.feedback(*_text(right, text_format)),
        "feedback_wrong": draft.feedback(*_text(wrong, text_format)),
    }


def _ordering(draft, answers, text_format):
    """The qtype_ordering plugin's GIFT: ">" and its options on the first line, then one item a
    line in the right order."""
    items = answers.split("\n")[1:]
    return "ordering", {
        "items": [draft.short_text(*_text(item, text_format)) for item in items if item.strip()]
    }

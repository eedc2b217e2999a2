"""Moodle XML question files (Question bank > Export > Moodle XML format), read into Sheber's
question blocks.

| Moodle                          | Sheber                                                       |
| ------------------------------- | ------------------------------------------------------------ |
| multichoice, <single>true       | single_choice: the choice graded 100 % is right (exactly one) |
| multichoice, <single>false      | multiple_choice: every choice with a positive grade is right |
| truefalse                       | true_false: true when the answer "true" is graded 100 %      |
| shortanswer                     | short_answer: the answers graded 100 %, in order             |
| matching                        | matching: subquestions without text (extra wrong matches)    |
|                                 | are left out                                                 |
| ordering (qtype_ordering)       | ordering: the answers in the order of the file, which is the |
|                                 | right order (Moodle's own import reads it so); learners      |
|                                 | order all of them, never a subset                            |
| cloze with SHORTANSWER, SA, MW  | gap_fill: each gap becomes [[answer|answer]] with its        |
| (and their _C, SAC, MWC forms)  | answers graded 100 %; gap weights are not kept               |
| category                        | skipped                                                      |
| any other type                  | an error for that question                                   |

<name> gives the title, <questiontext> the prompt, <defaultgrade> the points (rounded, 1 to
100), <correctfeedback> the feedback after a right answer and <incorrectfeedback>, else
<generalfeedback>, the feedback after a wrong one. A true/false question takes them from the
feedback of its right and of its wrong answer (else <generalfeedback>), a short answer the first
from the feedback of its first right answer; a choice's feedback is its answer's <feedback>.
Penalties, hints, tags, idnumbers, numbering and shuffling have no counterpart and are ignored;
so is <usecase>, since Sheber forgives letter case.

Files are parsed with defusedxml with DTDs forbidden: a <!DOCTYPE>, and with it any entity, is
refused before it is read.
"""

import re
from functools import partial
from xml.etree.ElementTree import TreeBuilder
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from django.utils.translation import gettext as _

from .bank import (
    FULL_CREDIT,
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
    points,
    read_question,
    short_answer_fields,
    too_large,
    unsupported,
)
from .markup import HTML, one_line

# An embedded answer of a cloze question: {weight:TYPE:answers}, with \} and \~ escaped.
CLOZE_GAP = re.compile(r"\{\d*:(?P<type>[A-Za-z_]+):(?P<answers>(?:\\.|[^\\}])*)\}")
SHORT_GAPS = {"SHORTANSWER", "SA", "MW"}
CASE_SENSITIVE_GAPS = {"SHORTANSWER_C", "SAC", "MWC"}
CLOZE_ESCAPES = re.compile(r"\\(.)")
CLOZE_GRADE = re.compile(r"\s*(?:=|%(-?\d+(?:[.,]\d*)?)%)")


def parse_moodle_xml(data: bytes) -> ParsedBank:
    """The questions of a Moodle XML file, and what cannot be imported, by line."""
    problem = too_large(data)
    if problem:
        return failed(problem)
    try:
        root, lines = _tree(data)
    except DefusedXmlException:
        return failed(
            BankError.at(
                _doctype_line(data),
                _(
                    "the file declares a DTD or entities (<!DOCTYPE …>). For security Sheber "
                    "refuses them: they can read files of the server or exhaust its memory. "
                    "Moodle never writes them: export the questions from Moodle again."
                ),
            )
        )
    except ParseError as error:
        return failed(_parse_error(data, error))
    except (LookupError, ValueError) as error:
        return failed(
            BankError(
                None,
                _("The file's text encoding cannot be read (%(reason)s). Save it as UTF-8.")
                % {"reason": error},
            )
        )
    if root.tag != "quiz":
        return failed(
            BankError(
                None,
                _(
                    "This is not a Moodle XML question file: its root element is <%(tag)s>, "
                    "not <quiz>."
                )
                % {"tag": root.tag.rpartition("}")[2]},
            )
        )

    bank = ParsedBank()
    for element in root.findall("question"):
        kind = element.get("type", "")
        if kind == "category":
            continue
        draft = Draft(lines[element], one_line(_text(element, "name")))
        read_question(bank, draft, partial(_read, element, draft))
    return finished(bank)


class _LineBuilder(TreeBuilder):
    """Builds the tree and notes the line on which each element starts."""

    def __init__(self):
        super().__init__()
        self.lines = {}
        self.expat = None

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        self.lines[element] = self.expat.CurrentLineNumber
        return element


def _tree(data):
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser
    parser.feed(data)
    return parser.close(), builder.lines


def _parse_error(data, error):
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return BankError(
            None,
            _(
                "This is not an XML file. Export the questions from Moodle in the Moodle XML "
                "format, or name a GIFT file .gift or .txt."
            ),
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as decode_error:
        return not_utf8(data, decode_error)
    line, column = error.position
    return BankError.at(
        line,
        _("the file is not well-formed XML (column %(column)d): %(reason)s.")
        % {"column": column + 1, "reason": _expat_reason(error)},
    )


def _expat_reason(error):
    try:
        return ErrorString(error.code)
    except (TypeError, ValueError):
        return str(error)


def _doctype_line(data):
    index = data.find(b"<!DOCTYPE")
    return data.count(b"\n", 0, index) + 1 if index >= 0 else None


def _text(element, path):
    """The <text> of the child `path` of `element` (of `element` itself when path is ".")."""
    child = element.find(path)
    return "" if child is None else child.findtext("text", "")


def _format(element, path="."):
    child = element.find(path)
    return HTML if child is None else child.get("format", HTML)


def _grade(answer):
    fraction = answer.get("fraction", "0").replace(",", ".")
    try:
        return float(fraction)
    except ValueError:
        raise Rejected(
            _("an answer has the grade “%(fraction)s”, which is not a number.")
            % {"fraction": fraction}
        ) from None


def _read(element, draft):
    """(block type, value) of a question element, other than a category."""
    kind = element.get("type", "")
    reader = READERS.get(kind)
    if reader is None:
        raise unsupported(kind)
    block_type, fields = reader(element, draft)
    defaults = {
        "prompt": lambda: draft.prompt(
            _text(element, "questiontext"), _format(element, "questiontext")
        ),
        "feedback_right": lambda: _feedback(draft, element, "correctfeedback"),
        "feedback_wrong": lambda: (
            _feedback(draft, element, "incorrectfeedback")
            or _feedback(draft, element, "generalfeedback")
        ),
    }
    for name, default in defaults.items():
        if name not in fields:
            fields[name] = default()
    return block_type, {"points": points(element.findtext("defaultgrade")), **fields}


def _feedback(draft, element, path):
    return draft.feedback(_text(element, path), _format(element, path))


def _answer_text(draft, answer):
    return draft.short_text(_text(answer, "."), answer.get("format", HTML))


def _multichoice(element, draft):
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    choices = [
        (
            _answer_text(draft, answer),
            _grade(answer),
            one_line(_feedback(draft, answer, "feedback")),
        )
        for answer in element.findall("answer")
    ]
    return choice_fields(draft, choices, single)


def _truefalse(element, draft):
    answers = {_text(a, ".").strip().lower(): a for a in element.findall("answer")}
    if set(answers) != {"true", "false"}:
        raise Rejected(_("a true or false question needs the answers “true” and “false”."))
    true_right = _grade(answers["true"]) >= FULL_CREDIT
    if true_right == (_grade(answers["false"]) >= FULL_CREDIT):
        raise no_right_answer()
    right, wrong = ("true", "false") if true_right else ("false", "true")
    return "true_false", {
        "answer": true_right,
        "feedback_right": _feedback(draft, answers[right], "feedback"),
        "feedback_wrong": _feedback(draft, answers[wrong], "feedback")
        or _feedback(draft, element, "generalfeedback"),
    }


def _shortanswer(element, draft):
    answers = [
        (_answer_text(draft, answer), _grade(answer), _feedback(draft, answer, "feedback"))
        for answer in element.findall("answer")
    ]
    return short_answer_fields(draft, answers)


def _matching(element, draft):
    pairs = [
        (
            draft.short_text(_text(sub, "."), sub.get("format", HTML)),
            one_line(_text(sub, "answer")),
        )
        for sub in element.findall("subquestion")
    ]
    return matching_fields(draft, pairs)


def _ordering(element, draft):
    return "ordering", {"items": [_answer_text(draft, a) for a in element.findall("answer")]}


def _cloze(element, draft):
    gaps = []

    def replace(match):
        kind = match["type"].upper()
        if kind not in SHORT_GAPS | CASE_SENSITIVE_GAPS:
            raise Rejected(
                _(
                    "this cloze question cannot be imported as a gap fill: its gap “%(gap)s” "
                    "is of the type %(type)s, and a gap fill takes typed answers only "
                    "(SHORTANSWER, SA or MW)."
                )
                % {"gap": one_line(match[0]), "type": kind}
            )
        if kind in CASE_SENSITIVE_GAPS:
            draft.warn(
                _("the gap “%(gap)s” will forgive letter case, which Moodle counted.")
                % {"gap": one_line(match[0])}
            )
        accepted = accepted_answers(draft, _cloze_answers(draft, match["answers"]))
        if not accepted:
            raise Rejected(
                _("the gap “%(gap)s” has no answer marked right.") % {"gap": one_line(match[0])}
            )
        gaps.append(accepted)
        return gap_mark(len(gaps) - 1)

    source = CLOZE_GAP.sub(replace, _text(element, "questiontext"))
    if not gaps:
        raise Rejected(_("this cloze question has no gaps."))
    return gap_fill_fields(draft, source, _format(element, "questiontext"), gaps)


def _cloze_answers(draft, answers):
    """(text, grade in %, "") of the answers of a cloze gap: "=Paris#Yes!~%50%Lyon#Nearly"."""
    found = []
    for answer in re.split(r"(?<!\\)~", answers):
        grade = CLOZE_GRADE.match(answer)
        fraction = 0.0
        if grade:
            fraction = float((grade[1] or "100").replace(",", "."))
            answer = answer[grade.end() :]
        text = re.split(r"(?<!\\)#", answer, maxsplit=1)[0]
        found.append((draft.short_text(CLOZE_ESCAPES.sub(r"\1", text)), fraction, ""))
    return found


READERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "matching": _matching,
    "ordering": _ordering,
    "cloze": _cloze,
}

"""Question banks trainers already have, in Moodle XML or GIFT, read into the values of Sheber's
question blocks (courses.quiz_blocks.QuestionStreamBlock).

Parsing only: `parse_question_file(name, data)` returns a ParsedBank of questions (block type,
value valid for that block, line, title), errors (questions, or a whole file, that cannot be
imported, each message starting "Line N: ") and warnings (what was left out of a question that
is imported all the same: images, partly right answers, extra matches). It never raises for a
bad file. See moodle_xml and gift for what maps to what."""

from pathlib import PurePath

from django.utils.translation import gettext as _

from .bank import MAX_BYTES, BankError, ParsedBank, ParsedQuestion
from .gift import parse_gift
from .moodle_xml import parse_moodle_xml

__all__ = [
    "IMPORT_EXTENSIONS",
    "MAX_BYTES",
    "BankError",
    "ParsedBank",
    "ParsedQuestion",
    "parse_gift",
    "parse_moodle_xml",
    "parse_question_file",
]

GIFT_EXTENSIONS = (".gift", ".txt")
IMPORT_EXTENSIONS = (".xml", *GIFT_EXTENSIONS)


def parse_question_file(name: str, data: bytes) -> ParsedBank:
    """The bank in `data`, read as Moodle XML (.xml) or GIFT (.gift, .txt) by its file name."""
    extension = PurePath(name).suffix.lower()
    if extension == ".xml":
        return parse_moodle_xml(data)
    if extension in GIFT_EXTENSIONS:
        return parse_gift(data)
    return ParsedBank(
        errors=[
            BankError(
                None,
                _(
                    "“%(name)s” is not a question file Sheber reads: import Moodle XML (.xml) "
                    "or GIFT (.gift or .txt)."
                )
                % {"name": name},
            )
        ]
    )

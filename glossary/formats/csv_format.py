"""CSV import and export; the columns are documented in glossary/data/terms/FORMAT.md."""

import csv
import io

from django.utils.translation import gettext as _

from ..models import split_list
from ..records import Problem, TermRecord, TranslationRecord, looks_like_formula

COLUMNS = [
    "headword",
    "part_of_speech",
    "pronunciation",
    "definition",
    "example",
    "variants",
    "sectors",
    "related",
    "ru",
    "kk",
    "source",
    "status",
]
REQUIRED_COLUMNS = ["headword", "part_of_speech", "definition"]
LANGUAGES = ("ru", "kk")


def parse(data):
    """Records and problems from the bytes of a CSV file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(None, _("The file is not UTF-8 text. Save it as CSV UTF-8."))]
    if "\x00" in text:  # no text file holds NUL, and no database text column takes it
        return [], [Problem(None, _("The file holds NUL characters: it is not a CSV text file."))]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        message = _("The first line must name the columns: %(columns)s.") % {
            "columns": ", ".join(COLUMNS)
        }
        if unknown:
            message += " " + _("Unknown: %(names)s.") % {"names": ", ".join(unknown)}
        return [], [Problem(1, message)]

    records, problems = [], []
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if None in row:
                problems.append(Problem(start, _("This line has more cells than the header.")))
                continue
            cells = {name: (row.get(name) or "").strip() for name in COLUMNS}
            records.append(
                TermRecord(
                    headword=cells["headword"],
                    part_of_speech=cells["part_of_speech"],
                    definition=cells["definition"],
                    pronunciation=cells["pronunciation"],
                    example=cells["example"],
                    variants=split_list(cells["variants"]),
                    sectors=split_list(cells["sectors"]),
                    related=split_list(cells["related"]),
                    translations=[
                        TranslationRecord(language, text, preferred=index == 0)
                        for language in LANGUAGES
                        for index, text in enumerate(split_list(cells[language]))
                    ],
                    status=cells["status"] or "approved",
                    source=cells["source"],
                    line=start,
                )
            )
    except csv.Error as error:
        problems.append(Problem(reader.line_num, _("Broken CSV: %(error)s") % {"error": error}))
    return records, problems


def neutralise(value):
    """Never emit a cell that a spreadsheet would run as a formula."""
    return "'" + value if looks_like_formula(value) else value


def export(records):
    """The bytes of a CSV file (UTF-8 with a byte-order mark, so that Excel reads it right)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        by_language = {language: [] for language in LANGUAGES}
        for translation in sorted(record.translations, key=lambda t: not t.preferred):
            by_language.setdefault(translation.language, []).append(translation.text)
        values = [
            record.headword,
            record.part_of_speech,
            record.pronunciation,
            record.definition,
            record.example,
            "|".join(record.variants),
            "|".join(record.sectors),
            "|".join(record.related),
            "|".join(by_language["ru"]),
            "|".join(by_language["kk"]),
            record.source,
            record.status,
        ]
        writer.writerow([neutralise(value) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

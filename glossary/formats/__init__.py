"""File formats for the glossary. CSV and TBX modules have `parse(bytes) -> (records, problems)`
and `export(records) -> bytes`; `anki` writes decks for learners."""

MAX_IMPORT_BYTES = 10 * 1024 * 1024
IMPORT_EXTENSIONS = (".csv", ".tbx", ".xml")


def format_for(filename):
    """The module that reads and writes files named like `filename`, or None."""
    from . import csv_format, tbx

    name = filename.lower()
    if name.endswith(".csv"):
        return csv_format
    if name.endswith((".tbx", ".xml")):
        return tbx
    return None

"""Anki export: a deck (.apkg) with one note per term, the English term on the front and its
Russian or Kazakh equivalents, definition and example on the back.

Re-importing an updated deck into Anki updates the learner's notes instead of adding copies,
because every id is stable:

- the note type has the fixed id MODEL_ID (change it only together with MODEL_FIELDS: Anki
  keeps a note type's fields, so a new set of fields needs a new note type);
- the deck id is derived from the deck's name (deck_id_for);
- a note's GUID is derived from the term's headword and part of speech (the pair that
  identifies a term in the importer) and the deck's language, so that a learner can keep the
  Russian and the Kazakh deck in one collection (note_guid_for).

Anki updates an existing note only when the imported one is newer, so notes are stamped with
the time of the export. Every value is HTML-escaped: Anki shows fields as HTML."""

import hashlib
import html
import io
import itertools
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

import genanki

from ..models import TranslationLanguage

MODEL_ID = 1_743_020_517  # Fixed for ever: the "Sheber term" note type in learners' collections.
MODEL_NAME = "Sheber term"
MODEL_FIELDS = ["Headword", "PartOfSpeech", "Pronunciation", "Translation", "Definition", "Example"]

FRONT_TEMPLATE = """\
<div class="headword" lang="en">{{Headword}}</div>
<div class="meta" lang="en">
  {{PartOfSpeech}}{{#Pronunciation}} · {{Pronunciation}}{{/Pronunciation}}
</div>
"""

BACK_TEMPLATE = """\
{{FrontSide}}
<hr id="answer">
<div class="translation">{{Translation}}</div>
<div class="definition" lang="en">{{Definition}}</div>
{{#Example}}<div class="example" lang="en">{{Example}}</div>{{/Example}}
"""

# Fonts that every desktop and phone has and that hold Russian, the extra letters of Kazakh
# (ә ғ қ ң ө ұ and the rest) and the IPA of pronunciations.
CSS = """\
.card {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue",
    Arial, "PT Sans", sans-serif;
  font-size: 22px;
  line-height: 1.4;
  text-align: center;
}
.headword { font-size: 1.4em; font-weight: bold; }
.meta { font-size: 0.7em; opacity: 0.75; }
.translation { font-size: 1.2em; margin-bottom: 0.6em; }
.fallback { font-size: 0.6em; opacity: 0.75; }
.definition { font-size: 0.8em; }
.example { font-size: 0.75em; font-style: italic; opacity: 0.85; margin-top: 0.6em; }
"""

MODEL = genanki.Model(
    MODEL_ID,
    MODEL_NAME,
    fields=[{"name": name} for name in MODEL_FIELDS],
    templates=[{"name": "English → equivalent", "qfmt": FRONT_TEMPLATE, "afmt": BACK_TEMPLATE}],
    css=CSS,
)

LANGUAGES = tuple(TranslationLanguage.values)


def deck_id_for(deck_name):
    """A deck id from the deck's name: the same name gives the same id on every export."""
    digest = hashlib.sha256(deck_name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_guid_for(term, language):
    return genanki.guid_for(term.headword, term.part_of_speech, language)


def _translation_field(term, language):
    """The equivalents in `language`, preferred first; those in the other language, labelled,
    when the term has none in this one."""
    shown = language
    translations = term.translations_in(language)
    if not translations:
        for other in LANGUAGES:
            if other != language and term.translations_in(other):
                shown, translations = other, term.translations_in(other)
                break
    if not translations:
        return ""
    text = "; ".join(html.escape(t.text) for t in translations)
    field = f'<span lang="{shown}">{text}</span>'
    if shown != language:
        label = html.escape(str(TranslationLanguage(shown).label))
        field += f' <span class="fallback">({label})</span>'
    return field


def note_for(term, language):
    return genanki.Note(
        model=MODEL,
        fields=[
            html.escape(term.headword),
            html.escape(term.part_of_speech),
            html.escape(term.pronunciation),
            _translation_field(term, language),
            html.escape(term.definition),
            html.escape(term.example),
        ],
        guid=note_guid_for(term, language),
    )


def export_deck(terms, language, deck_name):
    """The bytes of an .apkg file: a deck named `deck_name` with a note for each of `terms`
    (with their translations prefetched) and the equivalents in `language` ("ru" or "kk")."""
    if language not in LANGUAGES:
        raise ValueError(f"Unknown language {language!r}: use one of {', '.join(LANGUAGES)}.")
    deck = genanki.Deck(deck_id_for(deck_name), deck_name)
    for term in terms:
        deck.add_note(note_for(term, language))
    package = genanki.Package(deck)

    # genanki's write_to_file leaves its temporary database behind, so the collection is written
    # here into a temporary directory that is removed afterwards, and zipped in memory.
    timestamp = time.time()
    with tempfile.TemporaryDirectory(prefix="sheber-anki-") as directory:
        path = Path(directory) / "collection.anki2"
        connection = sqlite3.connect(path)
        try:
            package.write_to_db(
                connection.cursor(), timestamp, itertools.count(int(timestamp * 1000))
            )
            connection.commit()
        finally:
            connection.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, "collection.anki2")
            archive.writestr("media", "{}")
    return buffer.getvalue()

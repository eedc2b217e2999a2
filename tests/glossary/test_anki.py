import io
import json
import sqlite3
import tempfile
import zipfile
from contextlib import closing

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.formats import anki
from glossary.models import Term, TermStatus, TermTranslation
from home.models import SubSector

pytestmark = pytest.mark.django_db

FIELD_SEPARATOR = "\x1f"
IPA = "/ˈsteɪdʒ ˌlaɪtɪŋ/"


def make_term(headword, definition, translations, **fields):
    term = Term(
        headword=headword,
        part_of_speech=fields.pop("part_of_speech", "noun"),
        definition=definition,
        status=TermStatus.APPROVED,
        **fields,
    )
    term.translations = [
        TermTranslation(language=language, text=text, preferred=preferred)
        for language, text, preferred in translations
    ]
    term.sub_sectors = [SubSector.objects.get(slug="performing-arts")]
    term.save()
    return term


@pytest.fixture
def terms():
    make_term(
        "stage lighting",
        "The lamps and their control that light the performers on a stage.",
        [
            ("kk", "сахна жарығы", True),
            ("kk", "сахналық жарық", False),
            ("ru", "сценическое освещение", True),
        ],
        pronunciation=IPA,
        example="The stage lighting at the Astana Opera was redesigned in 2024.",
    )
    make_term(
        "cue",
        "A signal for a change of light, sound or scenery.",
        [("ru", "реплика", True)],
    )
    make_term(
        "<b>fly</b> & bar",
        "A bar above the stage that <script>scenery</script> hangs from.",
        [("kk", "штанкет <i>&</i>", True), ("ru", "штанкет", True)],
        example='He said "fly it out" & left.',
    )
    return performing_arts_terms()


def performing_arts_terms():
    sector = SubSector.objects.get(slug="performing-arts")
    return list(Term.objects.approved().in_sector(sector).for_export())


def read_package(data, tmp_path):
    """The notes (guid and fields by name) and the decks of an .apkg's collection."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "collection.anki2" in archive.namelist()
        tmp_path.mkdir(parents=True, exist_ok=True)
        path = tmp_path / "collection.anki2"
        path.write_bytes(archive.read("collection.anki2"))
    with closing(sqlite3.connect(path)) as database:
        rows = database.execute("SELECT guid, mid, flds FROM notes ORDER BY id").fetchall()
        decks = json.loads(database.execute("SELECT decks FROM col").fetchone()[0])
        card_decks = {row[0] for row in database.execute("SELECT DISTINCT did FROM cards")}
        card_count = database.execute("SELECT count(*) FROM cards").fetchone()[0]
    notes = []
    for guid, mid, flds in rows:
        fields = dict(zip(anki.MODEL_FIELDS, flds.split(FIELD_SEPARATOR), strict=True))
        notes.append({"guid": guid, "mid": mid, **fields})
    return notes, decks, card_decks, card_count


def by_headword(notes):
    return {note["Headword"]: note for note in notes}


def test_one_note_and_one_card_per_term(terms, tmp_path):
    notes, __, __, card_count = read_package(anki.export_deck(terms, "kk", "Sheber"), tmp_path)

    assert len(notes) == len(terms) == 3
    assert card_count == 3
    assert {note["mid"] for note in notes} == {anki.MODEL_ID}


def test_front_holds_the_term_and_back_the_kazakh_equivalents_first_preferred(terms, tmp_path):
    notes, __, __, __ = read_package(anki.export_deck(terms, "kk", "Sheber"), tmp_path)
    note = by_headword(notes)["stage lighting"]

    assert note["PartOfSpeech"] == "noun"
    assert note["Pronunciation"] == IPA
    assert note["Translation"] == '<span lang="kk">сахна жарығы; сахналық жарық</span>'
    assert "сценическое" not in note["Translation"]
    assert note["Definition"] == (
        "The lamps and their control that light the performers on a stage."
    )
    assert note["Example"] == "The stage lighting at the Astana Opera was redesigned in 2024."


def test_russian_deck_holds_the_russian_equivalents(terms, tmp_path):
    notes, __, __, __ = read_package(anki.export_deck(terms, "ru", "Sheber"), tmp_path)

    assert by_headword(notes)["stage lighting"]["Translation"] == (
        '<span lang="ru">сценическое освещение</span>'
    )


def test_a_term_without_an_equivalent_in_the_language_shows_the_other_labelled(terms, tmp_path):
    notes, __, __, __ = read_package(anki.export_deck(terms, "kk", "Sheber"), tmp_path)
    note = by_headword(notes)["cue"]

    assert note["Translation"] == (
        '<span lang="ru">реплика</span> <span class="fallback">(Русский)</span>'
    )
    assert note["Example"] == ""


def test_html_in_terms_is_escaped(terms, tmp_path):
    notes, __, __, __ = read_package(anki.export_deck(terms, "kk", "Sheber"), tmp_path)
    note = by_headword(notes)["&lt;b&gt;fly&lt;/b&gt; &amp; bar"]

    assert note["Definition"] == (
        "A bar above the stage that &lt;script&gt;scenery&lt;/script&gt; hangs from."
    )
    assert note["Translation"] == '<span lang="kk">штанкет &lt;i&gt;&amp;&lt;/i&gt;</span>'
    assert note["Example"] == "He said &quot;fly it out&quot; &amp; left."
    fields = [note[name] for name in anki.MODEL_FIELDS]
    assert not any("<b>" in value or "<script>" in value for value in fields)


def test_the_deck_has_its_name_and_an_id_derived_from_it(terms, tmp_path):
    name = "Sheber::Performing arts (Қазақша)"
    __, decks, card_decks, __ = read_package(anki.export_deck(terms, "kk", name), tmp_path)

    deck_id = anki.deck_id_for(name)
    assert card_decks == {deck_id}
    assert decks[str(deck_id)]["name"] == name
    assert anki.deck_id_for(name) == deck_id != anki.deck_id_for("Sheber::Film (Қазақша)")


def test_exporting_twice_gives_the_same_note_guids(terms, tmp_path):
    first, __, __, __ = read_package(anki.export_deck(terms, "kk", "Sheber"), tmp_path / "a")
    again = performing_arts_terms()
    second, __, __, __ = read_package(anki.export_deck(again, "kk", "Sheber"), tmp_path / "b")

    guids = [note["guid"] for note in first]
    assert guids == [note["guid"] for note in second]
    assert len(set(guids)) == 3


def test_the_card_css_names_fonts_with_cyrillic_and_kazakh_letters():
    assert "Segoe UI" in anki.CSS
    assert "Noto Sans" in anki.CSS
    assert "{{Headword}}" in anki.FRONT_TEMPLATE
    assert "{{FrontSide}}" in anki.BACK_TEMPLATE


def test_the_export_runs_no_query_per_term(terms):
    with CaptureQueriesContext(connection) as queries:
        anki.export_deck(terms, "kk", "Sheber")

    assert len(queries) == 0


def test_no_temporary_file_is_left_behind(terms, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    anki.export_deck(terms, "kk", "Sheber")

    assert list(scratch.iterdir()) == []


def test_an_unknown_language_is_refused(terms):
    with pytest.raises(ValueError, match="Unknown language"):
        anki.export_deck(terms, "de", "Sheber")

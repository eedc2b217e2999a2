import dataclasses
import time
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from glossary.formats import csv_format, tbx
from glossary.importer import apply_import, plan_import
from glossary.models import Term
from glossary.records import Problem, TermRecord, TranslationRecord, record_from_term

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NS = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TEAM = "Sheber editorial team"
REFUSED = (
    "The file declares a DTD or entities (<!DOCTYPE …>). For security Sheber refuses them: "
    "they can read files of the server or exhaust its memory. Remove the <!DOCTYPE …> "
    "declaration and import the file again."
)


def ru(text, definition="", note="", preferred=False):
    return TranslationRecord("ru", text, definition, note, preferred)


def kk(text, definition="", note="", preferred=False):
    return TranslationRecord("kk", text, definition, note, preferred)


BASIC = [
    TermRecord(
        headword="typeface",
        part_of_speech="noun",
        definition=(
            "A family of letterforms sharing one design, such as all the weights and styles of "
            "PT Sans."
        ),
        pronunciation="/ˈtaɪpfeɪs/",
        example="The Almaty studio chose a typeface with full Kazakh Cyrillic support.",
        variants=[],
        sectors=["design", "publishing"],
        related=["font", "serif", "sans serif"],
        translations=[
            ru("гарнитура", "Набор шрифтов одного рисунка во всех начертаниях.", preferred=True),
            ru("шрифтовая гарнитура", note="в полиграфии"),
            kk("гарнитура", "Бір үлгідегі барлық қаріп түрлерінің жиынтығы.", preferred=True),
            kk("қаріп гарнитурасы"),
        ],
        status="approved",
        source=TEAM,
        line=17,
    ),
    TermRecord(
        headword="font",
        part_of_speech="noun",
        definition="A single set of characters in one weight, style and format of a typeface.",
        pronunciation="/fɒnt/",
        example="Please send the font files with the poster to the printer in Astana.",
        variants=["fount"],
        sectors=["design"],
        related=["typeface"],
        translations=[
            ru("шрифт", preferred=True),
            kk("қаріп", preferred=True),
            kk(
                "шрифт",
                definition="Бір қаріптің нақты бір түрі мен өлшемі.",
                note="орыс тілінен енген",
            ),
        ],
        status="approved",
        source=TEAM,
        line=58,
    ),
    TermRecord(
        headword="serif",
        part_of_speech="noun",
        definition="A small stroke added to the end of the main strokes of a letter.",
        pronunciation="/ˈserɪf/",
        example="",
        variants=[],
        sectors=["design"],
        related=["sans serif", "typeface"],
        translations=[ru("засечка", preferred=True), kk("засечка", preferred=True)],
        status="draft",
        source="",
        line=96,
    ),
    TermRecord(
        headword="sans serif",
        part_of_speech="adjective",
        definition="Describing a typeface whose letters have no small finishing strokes.",
        pronunciation="/ˌsænz ˈserɪf/",
        example="We used a clean sans serif typeface for the gallery's wall labels.",
        variants=["sans-serif", "sanserif"],
        sectors=["design", "publishing"],
        related=["serif", "typeface"],
        translations=[
            ru("шрифт без засечек", preferred=True),
            ru("гротеск", note="о шрифте"),
            kk("засечкасыз қаріп", preferred=True),
            kk("гротеск"),
        ],
        status="approved",
        source=TEAM,
        line=122,
    ),
    TermRecord(
        headword="break a leg",
        part_of_speech="phrase",
        definition="A wish of good luck that actors say to each other before a performance.",
        pronunciation="",
        example='"Break a leg!" the director told the cast before the premiere in Shymkent.',
        variants=[],
        sectors=["performing-arts"],
        related=[],
        translations=[ru("ни пуха ни пера", note="разговорное", preferred=True)],
        status="approved",
        source="",
        line=170,
    ),
]


def read(name):
    return (DATA / name).read_bytes()


def import_file(module, data):
    records, problems = module.parse(data)
    plan = plan_import(records, problems)
    return plan, apply_import(plan)


def export_all(module):
    return module.export([record_from_term(term) for term in Term.objects.for_export()])


def without_lines(records):
    return sorted(
        (dataclasses.replace(record, line=None) for record in records), key=lambda r: r.headword
    )


def document(entries):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n'
        "<tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>\n"
        f"<text><body>\n{entries}\n</body></text>\n</tbx>\n"
    ).encode()


def entry(english, other='<langSec xml:lang="ru"><termSec><term>гобо</term></termSec></langSec>'):
    return (
        '<conceptEntry id="c1"><langSec xml:lang="en">'
        '<descrip type="definition">A disc that projects a pattern.</descrip>'
        f"{english}</langSec>{other}</conceptEntry>"
    )


GOBO = '<termSec><term>gobo</term><termNote type="partOfSpeech">noun</termNote></termSec>'


# Reading


def test_basic_file_gives_one_record_per_entry_with_every_field():
    records, problems = tbx.parse(read("basic.tbx"))

    assert problems == []
    assert records == BASIC


def test_file_of_another_tool_reads_regions_groups_and_levels():
    records, problems = tbx.parse(read("other_tool.tbx"))

    assert problems == []
    gobo, gel, fresnel, focus = records
    assert [r.line for r in records] == [9, 47, 68, 84]
    # Definition and context wrapped in descripGrp, the white space of the layout collapsed.
    assert gobo.definition == (
        "A thin metal or glass disc placed inside a profile spot to project a pattern or image."
    )
    assert gobo.example == "The designer used a leaf gobo to throw dappled light across the stage."
    # A definition at termSec level, and ru-RU and kk-KZ taken as Russian and Kazakh.
    assert gobo.translations == [
        ru(
            "гобо",
            "Металлический или стеклянный трафарет, который вставляют в профильный прожектор.",
            preferred=True,
        ),
        kk("гобо", "Профильді прожекторға салынатын өрнекті трафарет.", preferred=True),
    ]
    assert gobo.sectors == ["performing-arts"]
    # Inline markup kept as text; subject field names slugified; the cross-reference resolved.
    assert gel.definition == (
        "A thin sheet of coloured, heat-resistant plastic placed in front of a lantern."
    )
    assert gel.sectors == ["performing-arts", "film"]
    assert gel.related == ["Fresnel"]
    assert [t.language for t in gel.translations] == ["ru", "ru"]
    # No part of speech on the headword: taken from the entry's other English term.
    assert (fresnel.headword, fresnel.part_of_speech) == ("Fresnel", "noun")
    assert fresnel.variants == ["Fresnel lantern"]
    assert fresnel.translations == [kk("Френель прожекторы", preferred=True)]
    # A definition at conceptEntry level and a cross-reference on the termSec.
    assert focus.definition.startswith("To point, shape and sharpen each lantern")
    assert focus.part_of_speech == "verb"
    assert focus.related == ["Fresnel"]


@pytest.mark.parametrize("code", ["en", "en-GB", "en-US", "EN-us", "en_GB"])
def test_english_language_tags(code):
    records, problems = tbx.parse(document(entry(GOBO).replace('"en"', f'"{code}"')))

    assert problems == []
    assert records[0].headword == "gobo"


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("ru", "ru"),
        ("ru-RU", "ru"),
        ("kk", "kk"),
        ("kk-KZ", "kk"),
        ("kk-Cyrl", "kk"),
        ("kk-Cyrl-KZ", "kk"),
        ("de", "de"),
        ("de-DE", "de-DE"),
        ("kk-Latn", "kk-Latn"),
    ],
)
def test_other_language_tags(code, language):
    other = f'<langSec xml:lang="{code}"><termSec><term>гобо</term></termSec></langSec>'

    records, problems = tbx.parse(document(entry(GOBO, other)))

    assert problems == []
    assert records[0].translations == [TranslationRecord(language, "гобо", preferred=True)]


def test_missing_part_of_speech_is_a_problem_not_a_noun():
    data = document(entry("<termSec><term>gobo</term></termSec>"))

    records, problems = tbx.parse(data)

    assert records == []
    assert problems == [
        Problem(
            5,
            'Part of speech missing for “gobo”: add <termNote type="partOfSpeech"> (noun, verb, '
            "adjective, adverb or other).",
        )
    ]


def test_headword_is_the_preferred_english_term():
    english = (
        '<termSec><term>gel filter</term><termNote type="partOfSpeech">noun</termNote>'
        '<termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>'
        '<termSec><term>gel</term><termNote type="partOfSpeech">noun</termNote>'
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>'
    )

    [record], __ = tbx.parse(document(entry(english)))

    assert (record.headword, record.variants, record.status) == ("gel", ["gel filter"], "approved")


@pytest.mark.parametrize(
    ("root", "message"),
    [
        (
            '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
            "This is not a TBX file: its root element must be <tbx> in the namespace "
            "urn:iso:std:iso:30042:ed-2 (TBX version 3, ISO 30042:2019).",
        ),
        (
            '<tbx type="TBX-Basic" style="dca" xml:lang="en"><text/></tbx>',
            "This is not a TBX file: its root element must be <tbx> in the namespace "
            "urn:iso:std:iso:30042:ed-2 (TBX version 3, ISO 30042:2019).",
        ),
        (
            '<martif type="TBX-Basic" xml:lang="en"><text/></martif>',
            "This is a TBX 2 file (<martif>). Sheber reads TBX-Basic version 3 "
            "(ISO 30042:2019): export the file again as TBX v3.",
        ),
        (
            '<tbx type="TBX-Default" style="dca" xml:lang="en" '
            'xmlns="urn:iso:std:iso:30042:ed-2"><text/></tbx>',
            "This TBX file is of the dialect “TBX-Default”: Sheber imports TBX-Basic only.",
        ),
        (
            '<tbx type="TBX-Basic" style="dct" xml:lang="en" '
            'xmlns="urn:iso:std:iso:30042:ed-2"><text/></tbx>',
            "This TBX file is in the style “dct”: Sheber imports the DCA style only.",
        ),
        (
            '<tbx type="TBX-Basic" style="dca" xml:lang="en" '
            'xmlns="urn:iso:std:iso:30042:ed-2"><text><body/></text></tbx>',
            "The TBX file has no entries (<conceptEntry>).",
        ),
    ],
)
def test_files_that_are_not_tbx_basic(root, message):
    records, problems = tbx.parse(root.encode())

    assert records == []
    assert [problem.message for problem in problems] == [message]


def test_cross_reference_to_nothing_is_a_problem():
    data = document(entry(GOBO).replace("<langSec", '<ref type="crossReference"/><langSec', 1))

    __, problems = tbx.parse(data)

    assert problems == [Problem(5, "A cross-reference points to “?”, which is not in the file.")]


# Writing


def test_export_is_tbx_basic_with_ids_from_headword_and_part_of_speech():
    data = tbx.export(BASIC)

    assert data.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href="https://raw.githubusercontent'
        b'.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng"'
    )
    assert b"\n    <body>\n      <conceptEntry" in data  # pretty-printed
    root = fromstring(data, forbid_dtd=True)
    assert root.tag == f"{NS}tbx"
    assert (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    entries = root.findall(f"{NS}text/{NS}body/{NS}conceptEntry")
    ids = [e.get("id") for e in entries]
    assert ids == [
        "typeface-noun",
        "font-noun",
        "serif-noun",
        "sans-serif-adjective",
        "break-a-leg-phrase",
    ]
    targets = [ref.get("target") for ref in entries[0].findall(f"{NS}ref")]
    assert targets == ["font-noun", "serif-noun", "sans-serif-adjective"]
    serif_status = entries[2].find(
        f"{NS}langSec/{NS}termSec/{NS}termNote[@type='administrativeStatus']"
    )
    assert serif_status.text == "admittedTerm-admn-sts"
    phrase_pos = entries[4].find(f"{NS}langSec/{NS}termSec/{NS}termNote[@type='partOfSpeech']")
    assert phrase_pos.text == "other"
    assert tbx.export(BASIC) == data


def test_export_then_parse_gives_the_same_records():
    records = [
        TermRecord(
            headword="R&D <lab>",
            part_of_speech="noun",
            definition='A "research" & development room: <not markup>.',
            translations=[
                ru("лаборатория", note="also: R&D"),
                ru("мастерская", definition="Помещение для работы.", preferred=True),
                ru("цех", definition="Производственное помещение."),
                kk("зертхана"),
            ],
            related=["3D printing", "a term elsewhere"],
        ),
        TermRecord("3D printing", "verb", "Making objects layer by layer.", status="draft"),
        TermRecord("sans serif", "adjective", "Without serifs.", variants=["sans-serif"]),
        TermRecord("sans-serif", "adjective", "Without serifs, hyphenated."),
    ]

    data = tbx.export(records)
    parsed, problems = tbx.parse(data)

    assert problems == []
    assert [dataclasses.replace(r, line=None) for r in parsed] == records
    root = fromstring(data, forbid_dtd=True)
    ids = [e.get("id") for e in root.iter(f"{NS}conceptEntry")]
    assert ids == [
        "rd-lab-noun",
        "term-3d-printing-verb",
        "sans-serif-adjective",
        "sans-serif-adjective-2",
    ]
    refs = root.find(f"{NS}text/{NS}body/{NS}conceptEntry").findall(f"{NS}ref")
    assert [(ref.get("target"), ref.text) for ref in refs] == [
        ("term-3d-printing-verb", "3D printing"),
        (None, "a term elsewhere"),
    ]


# Importing and round trips


def test_import_into_an_empty_glossary_keeps_every_field():
    plan, written = import_file(tbx, read("basic.tbx"))

    assert plan.rejected == []
    assert len(written) == 5
    records, problems = tbx.parse(export_all(tbx))
    assert problems == []
    assert without_lines(records) == without_lines(BASIC)


@pytest.mark.parametrize("module", [tbx, csv_format], ids=["tbx", "csv"])
def test_export_import_export_gives_the_same_bytes(module):
    plan, __ = import_file(tbx, read("basic.tbx"))
    assert plan.rejected == []
    first = export_all(module)

    Term.objects.all().delete()
    plan, written = import_file(module, first)

    assert plan.rejected == []
    assert len(written) == 5
    assert export_all(module) == first


def test_file_of_another_tool_imports_every_term_language_and_definition():
    plan, written = import_file(tbx, read("other_tool.tbx"))

    assert plan.rejected == []
    assert len(written) == 4
    terms = {term.headword: term for term in Term.objects.for_export()}
    assert {h: (t.part_of_speech, t.definition[:20]) for h, t in terms.items()} == {
        "gobo": ("noun", "A thin metal or glas"),
        "gel": ("noun", "A thin sheet of colo"),
        "Fresnel": ("noun", "A lantern with a ste"),
        "focus": ("verb", "To point, shape and "),
    }
    translations = {
        headword: [
            (t.language, t.text, t.definition[:12], t.preferred) for t in term.translations.all()
        ]
        for headword, term in terms.items()
    }
    assert translations == {
        "gobo": [("ru", "гобо", "Металлически", True), ("kk", "гобо", "Профильді пр", True)],
        "gel": [("ru", "светофильтр", "", True), ("ru", "фильтр", "", False)],
        "Fresnel": [("kk", "Френель прожекторы", "", True)],
        "focus": [("ru", "фокусировать", "", True), ("kk", "фокустау", "", True)],
    }
    assert terms["Fresnel"].variant_list == ["Fresnel lantern"]
    assert {s.slug for s in terms["gel"].sub_sectors.all()} == {"performing-arts", "film"}
    assert [link.related.headword for link in terms["gel"].related_links.all()] == ["Fresnel"]
    assert [link.related.headword for link in terms["focus"].related_links.all()] == ["Fresnel"]


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        (
            "malformed.tbx",
            17,
            "The file is not well-formed XML (line 17, column 25): mismatched tag.",
        ),
        (
            "wrong_dialect.tbx",
            None,
            "This TBX file is of the dialect “TBX-Min”: Sheber imports TBX-Basic only.",
        ),
        ("unknown_language.tbx", 13, "Unknown language “de”"),
        ("missing_term.tbx", 30, "The entry “c-dimmer” has no English term"),
        ("external_entity.tbx", 2, REFUSED),
        ("billion_laughs.tbx", 2, REFUSED),
    ],
)
def test_bad_file_changes_nothing_and_says_why(name, line, message):
    records, problems = tbx.parse(read(name))
    plan = plan_import(records, problems)

    assert [p for p in plan.rejected if p.line == line and message in p.message]
    assert not plan.can_apply
    assert apply_import(plan) == []
    assert Term.objects.count() == 0


@pytest.mark.parametrize("name", ["external_entity.tbx", "billion_laughs.tbx"])
def test_entities_are_refused_before_they_are_read_or_expanded(name):
    start = time.perf_counter()
    records, problems = tbx.parse(read(name))
    elapsed = time.perf_counter() - start

    assert records == []
    assert problems == [Problem(2, REFUSED)]
    assert elapsed < 0.5
    assert "root:" not in repr(problems)
    assert "lollol" not in repr(problems)


def test_definitions_at_every_level_are_kept():
    data = document(
        '<conceptEntry id="c1">'
        '<descrip type="definition">A disc that projects a pattern.</descrip>'
        '<descrip type="definition" xml:lang="ru-RU">Трафарет для прожектора.</descrip>'
        '<langSec xml:lang="en">'
        '<descripGrp><descrip type="definition">A disc that projects a pattern.</descrip>'
        '<admin type="source">handbook</admin></descripGrp>'
        '<termSec><term>gobo</term><termNote type="partOfSpeech">noun</termNote>'
        '<descrip type="definition">Also called a pattern.</descrip></termSec></langSec>'
        '<langSec xml:lang="ru">'
        '<descrip type="definition">Вставка в профильный прожектор.</descrip>'
        "<termSec><term>гобо</term></termSec></langSec>"
        "</conceptEntry>"
    )

    [record], problems = tbx.parse(data)

    assert problems == []
    assert record.definition == "A disc that projects a pattern. Also called a pattern."
    assert record.translations == [
        ru("гобо", "Вставка в профильный прожектор. Трафарет для прожектора.", preferred=True)
    ]

"""Hostile input: text that learners and trainers type or import is shown as text everywhere
(learner pages, the admin, imports, exports, the Anki deck, certificates), spreadsheet formulas
are neutralised in downloads, uploads that are not images or that would explode in memory are
refused, and XML imports never resolve entities or DTDs."""

import csv
import io
import sqlite3
import struct
import zipfile
import zlib

import pytest
from openpyxl import load_workbook

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import QuestionImport
from courses.question_formats import moodle_xml, parse_gift
from glossary.factories import TermFactory
from glossary.formats import tbx
from glossary.models import Card, GlossaryImport, Term, TermTranslation
from home.models import SheberImage
from learners.factories import LearnerFactory
from learners.models import Cohort
from tests.courses.conftest import build_quiz, catalogue, lessons, module  # noqa: F401

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}"
PAYLOAD = f"{SCRIPT}{ATTRIBUTE}{TEMPLATE}"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
FORMULA = '=HYPERLINK("http://evil.example","Click")'


def assert_shown_as_text(response, *, shown=True):
    """The payload never reaches the page as markup; where the page shows it, it is escaped."""
    content = response.content.decode()
    where = response.request["PATH_INFO"]
    assert response.status_code == 200, where
    assert SCRIPT not in content, where
    assert "<img src=x" not in content, where
    if shown:
        assert ESCAPED in content, where
        assert TEMPLATE in content, where


@pytest.fixture
def hostile(home_page, module, lessons, trainer):  # noqa: F811
    """A learner, a cohort and a term (in the learner's drills), all written with markup."""
    learner = LearnerFactory(display_name=PAYLOAD)
    cohort = Cohort.objects.create(name=PAYLOAD, created_by=trainer)
    cohort.members.add(learner)
    term = TermFactory(
        headword=f"gel {SCRIPT}",
        definition=PAYLOAD,
        example=PAYLOAD,
        pronunciation=PAYLOAD[:100],
        ru=f"светофильтр {PAYLOAD}",
        kk=f"сүзгі {PAYLOAD}",
    )
    TermTranslation.objects.filter(term=term).update(definition=PAYLOAD, note=PAYLOAD)
    Card.objects.create(learner=learner, term=term, due="2020-01-01T00:00:00Z", lapses=8)
    return learner, cohort, term


def test_learner_pages_show_hostile_text_as_text(client, hostile, lessons):  # noqa: F811
    learner, cohort, term = hostile
    client.force_login(learner)
    lesson = lessons[0]
    client.post(lesson.url + "exercise/ex-1/", {"answer": PAYLOAD})
    for lesson_page in lessons:
        certificate = client.post(lesson_page.url + "complete/")
    Card.objects.filter(term=term).update(suspended=True)

    for url in (
        "/en/glossary/",
        "/en/glossary/?q=gel",
        "/ru/glossary/?q=светофильтр",
        term.get_absolute_url(),
        "/en/sectors/performing-arts/",
        "/en/me/",
        "/en/me/settings/",
        f"/en/me/cohorts/join/{cohort.code}/",
        lesson.url,
        certificate["Location"],
        "/en/drill/hard/",
    ):
        assert_shown_as_text(client.get(url))
    assert_shown_as_text(client.get("/en/drill/?deck=mine"), shown=False)


def test_admin_shows_hostile_text_as_text(client, hostile, trainer):
    learner, cohort, term = hostile
    client.force_login(trainer)

    for url in (
        "/admin/reports/sheber/learners/",
        f"/admin/reports/sheber/learners/{learner.pk}/",
        "/admin/reports/sheber/hard-terms/",
        "/admin/snippets/glossary/term/",
        "/admin/snippets/learners/cohort/",
        f"/admin/snippets/learners/cohort/inspect/{cohort.pk}/",
    ):
        assert_shown_as_text(client.get(url))
    # The edit forms carry the values in attributes and JSON, never as markup.
    for url in (
        f"/admin/snippets/glossary/term/edit/{term.pk}/",
        f"/admin/snippets/learners/cohort/edit/{cohort.pk}/",
    ):
        assert_shown_as_text(client.get(url), shown=False)


def test_anki_deck_escapes_every_field(client, hostile, tmp_path):
    response = client.get("/en/sectors/performing-arts/anki/?language=kk")

    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        path = tmp_path / "collection.anki2"
        path.write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(path) as database:
        fields = database.execute("SELECT flds FROM notes").fetchone()[0]
    assert SCRIPT not in fields
    assert "<img src=x" not in fields
    assert ESCAPED in fields


# Spreadsheet formulas in downloads


def test_report_downloads_neutralise_formulas(client, trainer, home_page):
    LearnerFactory(display_name=FORMULA, city="@SUM(1+1)")
    client.force_login(trainer)

    response = client.get("/admin/reports/sheber/learners/?export=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)

    response = client.get("/admin/reports/sheber/learners/?export=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert "'" + FORMULA in values
    assert not any(isinstance(v, str) and v.startswith(("=", "@", "+")) for v in values)


def test_my_data_export_neutralises_formulas_and_keeps_text_as_written(client, hostile, lessons):  # noqa: F811
    learner, *__ = hostile
    client.force_login(learner)
    client.post(lessons[0].url + "exercise/ex-1/", {"answer": FORMULA})

    archive = zipfile.ZipFile(io.BytesIO(client.get("/en/me/export/").content))
    answers = list(csv.DictReader(io.StringIO(archive.read("exercise_answers.csv").decode())))
    profile = archive.read("profile.json").decode()

    assert answers[0]["text"] == "'" + FORMULA
    # JSON is data, not markup: the name is kept exactly as the learner wrote it.
    assert '"<script>alert(1)</script>' in profile


# Imports


TBX_ENTRY = """<?xml version="1.0" encoding="UTF-8"?>
<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
<conceptEntry id="c1">
<descrip type="subjectField">performing-arts</descrip>
<langSec xml:lang="en"><termSec><term>{headword}</term>
<termNote type="partOfSpeech">noun</termNote>
<descrip type="definition">{definition}</descrip></termSec></langSec>
<langSec xml:lang="ru"><termSec><term>светофильтр</term></termSec></langSec>
</conceptEntry>
</body></text></tbx>
"""


def upload_terms(client, name, content):
    response = client.post("/admin/glossary/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def escape_xml(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize("kind", ["csv", "tbx"])
def test_glossary_import_preview_shows_hostile_text_as_text(client, trainer, home_page, kind):
    client.force_login(trainer)
    if kind == "csv":
        writer_buffer = io.StringIO()
        csv.writer(writer_buffer).writerows(
            [
                ["headword", "part_of_speech", "definition", "ru", "sectors"],
                [f"gel {SCRIPT}", "noun", PAYLOAD, f"светофильтр {PAYLOAD}", "performing-arts"],
                [f"lamp {SCRIPT}", "gadget", PAYLOAD, "лампа", "performing-arts"],
            ]
        )
        content = writer_buffer.getvalue().encode()
    else:
        content = TBX_ENTRY.format(
            headword=escape_xml(f"gel {SCRIPT}"), definition=escape_xml(PAYLOAD)
        ).encode()

    preview = client.get(upload_terms(client, f"terms.{kind}", content))

    assert_shown_as_text(preview, shown=False)
    assert "gel &lt;script&gt;alert(1)&lt;/script&gt;" in preview.content.decode()


MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz><question type="shortanswer">
<name><text>{name}</text></name>
<questiontext format="html"><text><![CDATA[<p>Which {script}<img src=x onerror=alert(1)>
<a href="javascript:alert(1)">lamp</a>?</p>]]></text></questiontext>
<answer fraction="100"><text>gel</text></answer>
</question></quiz>
"""


def test_question_import_drops_script_and_shows_titles_as_text(client, administrator, module):  # noqa: F811
    quiz = build_quiz(module)
    client.force_login(administrator)
    content = MOODLE.format(name=escape_xml(PAYLOAD), script=SCRIPT).encode()

    bank = moodle_xml.parse_moodle_xml(content)
    response = client.post(
        f"/admin/quizzes/{quiz.pk}/import/", {"file": SimpleUploadedFile("bank.xml", content)}
    )
    preview = client.get(response["Location"])

    prompt = bank.questions[0].value["prompt"]
    assert "<script" not in prompt
    assert "onerror" not in prompt
    assert "javascript:" not in prompt
    # The preview lists titles as plain text: tags stripped, the rest escaped.
    assert_shown_as_text(preview, shown=False)
    assert "alert(1)&quot;&gt;{{ 7*7 }}" in preview.content.decode()


def test_gift_import_keeps_script_out_of_prompts():
    bank = parse_gift(f"::Lamps:: Which lamp {SCRIPT}{ATTRIBUTE}? {{=gel ~lamp}}\n".encode())

    prompt = bank.questions[0].value["prompt"]
    assert "<script" not in prompt
    assert "onerror" not in prompt


# Uploads


def png_declaring(width, height):
    """A valid PNG signature and header for a `width` × `height` image with almost no data: a
    decompression bomb's calling card, a few dozen bytes that promise gigabytes of pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (png_declaring(20_000, 20_000), "This file has too many pixels"),
        (b"MZ\x90\x00 not an image at all " * 40, "Upload a valid image."),
    ],
    ids=["decompression-bomb", "not-an-image"],
)
def test_image_upload_refuses_bombs_and_non_images(client, administrator, media, content, message):
    client.force_login(administrator)

    response = client.post(
        "/admin/images/add/",
        {"title": "Stage", "file": SimpleUploadedFile("stage.png", content, "image/png")},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SheberImage.objects.exists()
    assert [path for path in media.rglob("*") if path.is_file()] == []


def test_a_real_image_is_accepted(client, administrator, media):
    """The refusals above come from the content, not from every upload failing."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    client.force_login(administrator)

    response = client.post(
        "/admin/images/add/",
        {"title": "Stage", "file": SimpleUploadedFile("stage.png", buffer.getvalue(), "image/png")},
    )

    assert response.status_code == 302
    assert SheberImage.objects.get().width == 40


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("terms.csv", bytes(range(256)) * 8, "The file is not UTF-8 text. Save it as CSV UTF-8."),
        (
            "terms.csv",
            "headword,part_of_speech,definition,ru\nсцена,noun,сцена,сцена\n".encode("cp1251"),
            "The file is not UTF-8 text. Save it as CSV UTF-8.",
        ),
        ("terms.csv", b"headword,definition\x00\n", "The file holds NUL characters"),
        ("terms.tbx", bytes(range(256)) * 8, "The file is not well-formed XML"),
    ],
    ids=["binary-csv", "cp1251-csv", "nul-csv", "binary-tbx"],
)
def test_glossary_import_refuses_garbage_with_a_clear_error(
    client, trainer, home_page, name, content, message
):
    client.force_login(trainer)

    preview_url = upload_terms(client, name, content)
    preview = client.get(preview_url)
    applied = client.post(preview_url, follow=True)

    assert message in preview.content.decode()
    assert "Nothing was imported" in applied.content.decode()
    assert not Term.objects.exists()


@pytest.mark.parametrize(
    ("url", "name", "limit"),
    [
        ("/admin/glossary/import/", "terms.csv", 10),
        ("/admin/quizzes/{quiz}/import/", "bank.xml", 2),
    ],
)
def test_imports_refuse_oversized_files_and_keep_nothing(
    client,
    administrator,
    module,  # noqa: F811
    url,
    name,
    limit,
):
    quiz = build_quiz(module)
    client.force_login(administrator)
    content = b"a" * (limit * 1024 * 1024 + 1)

    response = client.post(url.format(quiz=quiz.pk), {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    assert f"the limit is {limit}.0\xa0MB" in response.content.decode()
    assert not GlossaryImport.objects.exists()
    assert not QuestionImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bank.xml", bytes(range(256)) * 8, "This is not an XML file."),
        ("bank.gift", "::Q:: Сцена? {=сцена}".encode("cp1251"), "the file is not in UTF-8"),
        ("bank.gift", bytes(range(256)) * 8, "the file is not in UTF-8"),
    ],
    ids=["binary-xml", "cp1251-gift", "binary-gift"],
)
def test_question_import_refuses_garbage_with_a_clear_error(
    client,
    administrator,
    module,  # noqa: F811
    name,
    content,
    message,
):
    quiz = build_quiz(module)
    revisions = quiz.revisions.count()
    client.force_login(administrator)

    response = client.post(
        f"/admin/quizzes/{quiz.pk}/import/", {"file": SimpleUploadedFile(name, content)}
    )
    preview = client.get(response["Location"])
    applied = client.post(response["Location"], follow=True)

    assert message in preview.content.decode()
    assert "Nothing was imported" in applied.content.decode()
    assert quiz.revisions.count() == revisions


# XML: no entities, no DTDs


def xml_attacks(root, secret):
    """XML whose DTD would read a file of the server, expand a billion laughs, or merely
    declare a DTD, each placing the result where a term or question text goes."""
    laughs = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10)
    )
    return {
        "external-entity": f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file://{secret}">]>',
        "billion-laughs": f"<!DOCTYPE {root} [{laughs}]>",
        "external-dtd": f'<!DOCTYPE {root} SYSTEM "file://{secret}">',
    }


ENTITY_REFERENCES = {"external-entity": "&x;", "billion-laughs": "&lol9;", "external-dtd": ""}


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("server-secret-4417")
    return path


@pytest.mark.parametrize("attack", list(ENTITY_REFERENCES))
def test_tbx_import_refuses_entities_and_dtds(client, trainer, home_page, secret, attack):
    client.force_login(trainer)
    declaration = xml_attacks("tbx", secret)[attack]
    document = TBX_ENTRY.format(headword="gel", definition=ENTITY_REFERENCES[attack]).replace(
        "<tbx ", declaration + "\n<tbx ", 1
    )

    preview_url = upload_terms(client, "terms.tbx", document.encode())
    preview = client.get(preview_url).content.decode()
    client.post(preview_url)

    assert "The file declares a DTD or entities" in preview
    assert "server-secret-4417" not in preview
    assert not Term.objects.exists()


@pytest.mark.parametrize("attack", list(ENTITY_REFERENCES))
def test_moodle_import_refuses_entities_and_dtds(client, administrator, module, secret, attack):  # noqa: F811
    quiz = build_quiz(module)
    revisions = quiz.revisions.count()
    client.force_login(administrator)
    declaration = xml_attacks("quiz", secret)[attack]
    document = MOODLE.format(name=ENTITY_REFERENCES[attack] or "gel", script="").replace(
        "<quiz>", declaration + "\n<quiz>", 1
    )

    response = client.post(
        f"/admin/quizzes/{quiz.pk}/import/",
        {"file": SimpleUploadedFile("bank.xml", document.encode())},
    )
    preview = client.get(response["Location"]).content.decode()
    client.post(response["Location"])

    assert "DTD" in preview
    assert "server-secret-4417" not in preview
    assert quiz.revisions.count() == revisions


def test_xml_imports_parse_with_defusedxml():
    """Both XML readers take their parser from defusedxml (the tests above show that DTDs are
    forbidden, external ones included)."""
    import defusedxml.ElementTree

    assert tbx.fromstring is defusedxml.ElementTree.fromstring
    assert moodle_xml.DefusedXMLParser is defusedxml.ElementTree.DefusedXMLParser

from io import StringIO

import pytest

from django.core.management import CommandError, call_command

from glossary.content import TERMS_DATA, load_glossary
from glossary.models import Term
from home.models import SubSector

pytestmark = pytest.mark.django_db

CSV = (
    "headword,part_of_speech,definition,ru,kk,sectors\n"
    "gobo,noun,A metal disc that projects a pattern.,гобо,гобо,performing-arts\n"
)


def test_import_shows_then_applies(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(CSV, encoding="utf-8")
    out = StringIO()

    call_command("import_glossary", str(path), stdout=out, stderr=StringIO())
    assert "1 to create" in out.getvalue()
    assert not Term.objects.exists()

    call_command("import_glossary", str(path), "--apply", stdout=out, stderr=StringIO())
    assert Term.objects.get().headword == "gobo"


def test_import_refuses_a_file_with_problems(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(CSV + "bad,gerund,x,х,х,performing-arts\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_glossary", str(path), "--apply", stdout=StringIO(), stderr=StringIO())
    assert not Term.objects.exists()


def test_export_then_import_gives_the_same_file(tmp_path, stage_terms):
    first, second = tmp_path / "first.tbx", tmp_path / "second.tbx"
    call_command("export_glossary", str(first), stdout=StringIO(), stderr=StringIO())
    Term.objects.all().delete()
    call_command("import_glossary", str(first), "--apply", stdout=StringIO(), stderr=StringIO())
    call_command("export_glossary", str(second), stdout=StringIO(), stderr=StringIO())

    assert first.read_bytes() == second.read_bytes()
    assert Term.objects.count() == len(stage_terms)


def test_the_shipped_glossary_is_complete():
    """At least 560 approved terms: 70 or more for each sub-sector and for management skills,
    each with a definition, an example and Russian and Kazakh equivalents."""
    load_glossary(TERMS_DATA)

    terms = Term.objects.approved().prefetch_related("translations")
    assert terms.count() >= 560
    for sector in SubSector.objects.all():
        assert terms.filter(sub_sectors=sector).count() >= 70, sector.slug
    for term in terms:
        assert term.definition, term
        assert term.example, term
        assert {t.language for t in term.translations.all()} == {"ru", "kk"}, term
    # Loading again changes nothing.
    assert not load_glossary(TERMS_DATA).has_changes

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from glossary.models import GlossaryImport, Term
from home.models import SubSector

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/glossary/term/"
IMPORT = "/admin/glossary/import/"
CSV_HEADER = (
    "headword,part_of_speech,pronunciation,definition,example,variants,sectors,related,"
    "ru,kk,source,status\n"
)


def term_form(**overrides):
    data = {
        "headword": "cyclorama",
        "part_of_speech": "noun",
        "pronunciation": "/ˌsaɪkləˈrɑːmə/",
        "variants": "cyc",
        "slug": "",
        "definition": "A large curved cloth at the back of the stage, lit to look like sky.",
        "example": "The cyclorama glowed orange for the sunset scene.",
        "translations": inline_formset(
            [
                {
                    "language": "ru",
                    "text": "циклорама",
                    "preferred": "on",
                    "definition": "",
                    "note": "",
                },
                {
                    "language": "kk",
                    "text": "циклорама",
                    "preferred": "on",
                    "definition": "",
                    "note": "",
                },
            ]
        ),
        "sub_sectors": [SubSector.objects.get(slug="performing-arts").pk],
        "image": "",
        "image_alt": "",
        "related_links": inline_formset([]),
        "status": "draft",
        "source": "Sheber editorial team",
    }
    data.update(overrides)
    return nested_form_data(data)


def upload(client, name, content):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


class TestTrainer:
    def test_lists_filters_and_searches_terms(self, client, trainer, stage_terms):
        client.force_login(trainer)

        assert client.get(LIST).status_code == 200
        searched = client.get(LIST, {"q": "САХНА"})
        assert [t.headword for t in searched.context["object_list"]] == ["stage"]
        stage_terms["gel"].translations.filter(language="kk").delete()
        missing = client.get(LIST, {"missing": "kk"})
        assert [t.headword for t in missing.context["object_list"]] == ["gel"]

    def test_creates_edits_and_approves_a_term(self, client, trainer):
        client.force_login(trainer)

        response = client.post(LIST + "add/", term_form())
        assert response.status_code == 302
        term = Term.objects.get(headword="cyclorama")
        assert term.status == "draft"
        assert [t.text for t in term.translations.all()] == ["циклорама", "циклорама"]
        assert term.slug == "cyclorama"
        assert Term.objects.search("ЦИКЛОРАМА").get() == term

        response = client.post(
            f"{LIST}edit/{term.pk}/", term_form(status="approved", slug="cyclorama")
        )
        assert response.status_code == 302
        term.refresh_from_db()
        assert term.status == "approved"
        assert term.revisions.count() == 2

    def test_mixed_script_is_saved_with_a_warning(self, client, trainer):
        client.force_login(trainer)
        translations = inline_formset(
            [
                {
                    "language": "ru",
                    "text": "циклорaма",
                    "preferred": "on",
                    "definition": "",
                    "note": "",
                }
            ]
        )

        response = client.post(LIST + "add/", term_form(translations=translations), follow=True)

        assert "mix Latin and Cyrillic letters" in response.content.decode()
        assert Term.objects.filter(headword="cyclorama").exists()

    def test_formula_text_is_refused(self, client, trainer):
        client.force_login(trainer)

        response = client.post(LIST + "add/", term_form(definition='=HYPERLINK("http://x")'))

        assert response.status_code == 200
        assert not Term.objects.exists()

    def test_imports_a_csv_after_a_preview_and_twice_changes_nothing(self, client, trainer):
        client.force_login(trainer)
        content = (
            CSV_HEADER
            + "gobo,noun,/ˈɡəʊbəʊ/,A metal disc that projects a pattern.,A leaf gobo.,,"
            + "performing-arts,,гобо,гобо,Sheber,approved\n"
        ).encode()

        response = upload(client, "terms.csv", content)
        assert response.status_code == 302
        preview = client.get(response["Location"])
        assert preview.context["plan"].created[0].headword == "gobo"
        assert not Term.objects.exists()

        done = client.post(response["Location"])
        assert done.status_code == 302
        assert Term.objects.get().headword == "gobo"

        again = client.get(upload(client, "terms.csv", content)["Location"])
        plan = again.context["plan"]
        assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 1)
        assert not plan.can_apply
        assert "would change nothing" in again.content.decode()

    def test_a_bad_line_rejects_the_whole_file(self, client, trainer):
        client.force_login(trainer)
        content = (
            CSV_HEADER
            + "gobo,noun,,A metal disc.,,,performing-arts,,гобо,гобо,,approved\n"
            + 'bad,noun,,"=HYPERLINK(""http://evil.example"",""x"")",,,performing-arts,,х,х,,approved\n'
            + "worse,gerund,,A thing.,,,nowhere,,х,х,,approved\n"
        ).encode()

        location = upload(client, "terms.csv", content)["Location"]
        preview = client.get(location)
        html = preview.content.decode()
        assert "would run as a spreadsheet formula" in html
        assert "Unknown part of speech" in html
        assert "Unknown sub-sector: nowhere" in html
        assert [p.line for p in preview.context["plan"].rejected] == [3, 4, 4]

        client.post(location)
        assert not Term.objects.exists()

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("big.csv", b"x" * (20 * 1024 * 1024), "the limit is 10.0"),
            ("terms.xlsx", b"PK\x03\x04", "Sheber imports .csv and .tbx files."),
            ("terms.csv", b"\xff\xfe\x00bad", "not UTF-8"),
        ],
    )
    def test_unusable_files_are_refused_clearly(self, client, trainer, name, content, message):
        client.force_login(trainer)

        response = upload(client, name, content)
        if response.status_code == 302:
            response = client.get(response["Location"])

        assert message in response.content.decode()
        assert not Term.objects.exists()

    def test_cannot_delete_terms(self, client, trainer, stage_terms):
        client.force_login(trainer)
        term = stage_terms["gel"]

        assert client.post(f"{LIST}delete/{term.pk}/").status_code == 403
        assert Term.objects.filter(pk=term.pk).exists()


class TestLearner:
    @pytest.mark.parametrize("path", [LIST, LIST + "add/", IMPORT])
    def test_has_no_way_in(self, client, learner, path):
        client.force_login(learner)

        response = client.get(path)

        assert response.status_code in {302, 403}
        assert not GlossaryImport.objects.exists()

    def test_cannot_post_an_import(self, client, learner):
        client.force_login(learner)

        response = upload(client, "terms.csv", CSV_HEADER.encode())

        assert response.status_code in {302, 403}
        assert not GlossaryImport.objects.exists()


def test_admin_csv_export_never_emits_a_formula(client, trainer, stage_terms):
    # Older data may hold such text even though forms and imports now refuse it.
    Term.objects.filter(headword="gel").update(definition='=HYPERLINK("http://evil.example")')
    client.force_login(trainer)

    response = client.get(LIST, {"export": "csv"})
    content = b"".join(response.streaming_content).decode()

    assert "'=HYPERLINK" in content
    assert ",=HYPERLINK" not in content

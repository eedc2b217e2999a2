import io
import sqlite3
import tempfile
import zipfile

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary.factories import TermFactory
from glossary.models import RelatedTerm, Term

pytestmark = pytest.mark.django_db

# Every page also reads the site settings for its footer. The letters and the list of terms
# (with their translations and sectors) come from the cache while the glossary's version (a
# cache entry, no longer a query) is unchanged.
INDEX_QUERIES = 3  # count, sector choices, settings
FILTERED_INDEX_QUERIES = 4  # ... and the chosen sector
SEARCH_QUERIES = 3
TERM_QUERIES = 6  # term with image, translations, sectors, related terms, modules, settings
SECTOR_QUERIES = 3  # sector, count, settings


def grow_glossary(count):
    for number in range(count):
        TermFactory(headword=f"extra {number:04d}", sectors=("performing-arts", "film"))


def queries(client, path):
    """Queries of one request, once caches (site root paths, settings) are warm."""
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/en/glossary/", INDEX_QUERIES),
        ("/en/glossary/?letter=f&sector=performing-arts", FILTERED_INDEX_QUERIES),
        ("/ru/glossary/?q=прожектор", SEARCH_QUERIES),
        ("/en/glossary/fresnel/", TERM_QUERIES),
        ("/kk/sectors/performing-arts/", SECTOR_QUERIES),
    ],
)
def test_query_count_does_not_grow_with_the_glossary(client, stage_terms, path, expected):
    small = queries(client, path)
    grow_glossary(120)
    large = queries(client, path)

    assert small == large == expected


def test_index_lists_terms_with_the_equivalent_in_the_learners_language(client, stage_terms):
    response = client.get("/kk/glossary/?letter=s")

    html = response.content.decode()
    assert "set tree" in html
    assert "шырша" in html
    assert "ёлка" not in html  # Kazakh first, and only, in the list
    assert "draft term" not in client.get("/en/glossary/?letter=d").content.decode()


def test_search_page_offers_did_you_mean(client, stage_terms):
    response = client.get("/en/glossary/?q=fresnell")

    assert response.context["suggestion"].headword == "Fresnel"
    assert 'href="/en/glossary/fresnel/"' in response.content.decode()


def test_term_page_shows_everything_a_learner_needs(client, stage_terms, learner):
    fresnel = stage_terms["fresnel"]
    RelatedTerm.objects.create(term=fresnel, related=stage_terms["gel"])
    learner.native_language = "kk"
    learner.save()
    client.force_login(learner)

    html = client.get("/ru/glossary/fresnel/").content.decode()

    for text in ("Fresnel", "/tɜːm/", fresnel.definition, fresnel.example):
        assert text in html
    assert html.index("Френель прожекторы") < html.index("линзовый прожектор Френеля")
    assert 'href="/ru/glossary/gel/"' in html
    assert 'href="/ru/sectors/performing-arts/"' in html
    assert 'data-speak="Fresnel"' in html


def test_draft_and_unknown_terms_are_not_found(client, stage_terms):
    assert client.get("/en/glossary/draft-term/").status_code == 404
    assert client.get("/en/glossary/no-such-term/").status_code == 404
    assert client.get("/en/sectors/no-such-sector/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?page=999",
        "?page=abc",
        "?letter=%D2%9B",
        "?sector=nope",
        "?sector=%00",
        "?q=" + "x" * 5000,
        "?q=%00",
        "?q=%00&sector=film%00",
    ],
)
def test_odd_parameters_never_fail(client, stage_terms, query):
    assert client.get("/en/glossary/" + query).status_code == 200


def test_sector_page_lists_its_terms(client, stage_terms):
    TermFactory(headword="clapperboard", sectors=("film",))

    html = client.get("/en/sectors/film/").content.decode()

    assert "clapperboard" in html
    assert "Fresnel" not in html
    assert (
        Term.objects.approved().in_sector(stage_terms["fresnel"].sub_sectors.first()).count() == 7
    )


def test_sector_deck_downloads_in_the_learners_language(client, stage_terms, learner):
    learner.native_language = "kk"
    learner.save()
    client.force_login(learner)

    response = client.get("/en/sectors/performing-arts/anki/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="sheber-performing-arts-kk.apkg"'
    )
    with (
        zipfile.ZipFile(io.BytesIO(response.content)) as package,
        tempfile.NamedTemporaryFile(suffix=".anki2") as collection,
    ):
        collection.write(package.read("collection.anki2"))
        collection.flush()
        fields = [
            row[0] for row in sqlite3.connect(collection.name).execute("SELECT flds FROM notes")
        ]
    assert len(fields) == 7  # approved performing-arts terms, not the draft
    assert any("сахна" in note for note in fields)


def test_sector_deck_query_count_does_not_grow(client, stage_terms):
    path = "/en/sectors/performing-arts/anki/?language=ru"
    small = queries(client, path)
    grow_glossary(60)

    assert queries(client, path) == small == 3  # sector, terms, translations

"""Every form and endpoint takes whatever Hypothesis makes up (Kazakh and Cyrillic text,
control characters, NUL bytes, digits of other scripts, huge numbers and strings, made-up field
names, random bytes for uploads) and answers with a page, a refusal or a redirect: never a
server error. The test client raises the exception of a 500, so Hypothesis shows its cause."""

import os
import uuid

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from glossary.models import Card
from learners.models import Cohort
from tests.courses.conftest import build_quiz, catalogue, lessons, module  # noqa: F401
from tests.glossary.conftest import stage_terms  # noqa: F401

pytestmark = pytest.mark.django_db

# The same examples on every run (derandomize), so that a red suite always names the change that
# broke it; FUZZ_EXPLORE=1 draws new ones (e.g. `FUZZ_EXPLORE=1 .venv/bin/pytest tests/security`).
fuzz = hypothesis_settings(
    max_examples=20,
    deadline=None,
    database=None,
    derandomize=not os.environ.get("FUZZ_EXPLORE"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# For endpoints that render a whole lesson, quiz or deck per request: the file stays near a
# minute.
fuzz_heavy = hypothesis_settings(fuzz, max_examples=10)

# Inputs that broke or could break naive code: NUL (PostgreSQL text refuses it), digits that
# str.isdigit() accepts but int() does not, numbers beyond 64 bits and beyond Python's
# 4300-digit conversion limit, markup, formulas, Kazakh and combining marks, a bidi override.
PROBES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "²",
    "٣",
    "１２",
    "-1",
    "1e9",
    "9" * 25,
    "9" * 5000,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    '=HYPERLINK("http://evil.example","x")',
    "' OR '1'='1",
    "Әлия Қайратқызы",
    "ёлка\u0301",
    "\u202eevil",
    "../../etc/passwd",
    "//evil.example/",
    "x" * 100_000,
]
KAZAKH = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі АӘБҒҚҢӨҰҮҺІ0123456789"

texts = st.one_of(
    st.sampled_from(PROBES),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.text(KAZAKH, max_size=40),
    st.from_regex(r"\A[0-9]{1,30}\Z"),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
field_names = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20)
accepts = st.sampled_from(["text/html", "application/json"])


def ok(response):
    assert response.status_code < 500, response.status_code
    return response


def form(**fields):
    """A strategy of POST data: the given fields, each sometimes left out, plus made-up ones."""
    known = st.fixed_dictionaries({}, optional=dict(fields))
    extra = st.dictionaries(field_names, texts, max_size=2)
    return st.tuples(known, extra).map(lambda both: {**both[1], **both[0]})


@pytest.fixture
def course(home_page, module, lessons):  # noqa: F811
    return build_quiz(module), lessons[0]


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


# Accounts


@fuzz
@given(
    data=form(
        email=texts,
        password1=texts,
        password2=texts,
        display_name=texts,
        city=texts,
        native_language=texts,
        sub_sectors=st.lists(texts, max_size=3),
        next=texts,
    )
)
def test_sign_up(home_page, data):
    ok(Client().post("/en/accounts/signup/", data))


@fuzz
@given(data=form(username=texts, password=texts, next=texts))
def test_log_in(client, learner, data):
    ok(client.post("/en/accounts/login/", data))


@fuzz
@given(data=form(email=texts))
def test_password_reset(client, learner, data):
    ok(client.post("/en/accounts/password/reset/", data))


@fuzz
@given(uid=texts, token=texts, data=form(new_password1=texts, new_password2=texts))
def test_password_reset_confirm(client, learner, uid, token, data):
    url = f"/en/accounts/password/reset/{uid.replace('/', '')}/{token.replace('/', '')}/"
    ok(client.get(url))
    ok(client.post(url, data))


@fuzz
@given(
    data=form(
        old_password=st.one_of(st.just("correct-horse-battery"), texts),
        new_password1=texts,
        new_password2=texts,
    )
)
def test_password_change(signed_in, data):
    ok(signed_in.post("/en/accounts/password/change/", data))


@fuzz
@given(
    data=form(
        display_name=texts,
        city=texts,
        native_language=st.one_of(st.sampled_from(["ru", "kk"]), texts),
        interface_language=st.one_of(st.sampled_from(["en", "ru", "kk"]), texts),
        sub_sectors=st.lists(texts, max_size=3),
        new_terms_per_day=texts,
        desired_retention=texts,
    )
)
@example(data={"display_name": "Aliya", "native_language": "kk", "sub_sectors": ["9" * 20]})
def test_settings(signed_in, data):
    ok(signed_in.post("/en/me/settings/", data))


@fuzz
@given(code=texts, data=form(code=texts))
@example(code="\x00", data={"code": "\x00"})
def test_cohorts_join_and_leave(signed_in, trainer, code, data):
    cohort = Cohort.objects.create(name="Stage crew", created_by=trainer)
    ok(signed_in.post("/en/me/cohorts/join/", data))
    path_code = code.replace("/", "") or "X"
    ok(signed_in.get(f"/en/me/cohorts/join/{path_code}/"))
    ok(signed_in.post(f"/en/me/cohorts/join/{path_code}/"))
    ok(signed_in.post(f"/en/me/cohorts/{cohort.pk}/leave/"))


@fuzz
@given(data=form(language=texts, next=texts))
@example(data={"language": "xx", "next": "0"})  # once taken for a URL pattern's name
def test_language_switch(signed_in, data):
    ok(signed_in.post("/i18n/setlang/", data))


@fuzz
@given(data=form(password=texts, confirm=texts))
def test_delete_account(signed_in, data):
    ok(signed_in.post("/en/me/delete/", data))


# Glossary and drills


@fuzz
@given(query=form(q=texts, sector=texts, letter=texts, page=texts))
def test_glossary_search_and_filters(client, stage_terms, query):  # noqa: F811
    ok(client.get("/en/glossary/", query))
    ok(client.get("/ru/sectors/performing-arts/", {"page": query.get("page", "")}))


@fuzz_heavy
@given(slug=texts, language=texts, data=form(next=texts))
@example(slug="stage", language="kk", data={"next": "0"})
def test_term_pages_deck_and_add_to_drills(signed_in, stage_terms, slug, language, data):  # noqa: F811
    slug = slug.replace("/", "") or "x"
    ok(signed_in.get(f"/en/glossary/{slug}/"))
    ok(signed_in.post(f"/en/glossary/{slug}/drill/", data))
    ok(signed_in.post("/en/glossary/stage/drill/", data))
    ok(signed_in.get("/en/sectors/performing-arts/anki/", {"language": language}))


@fuzz
@given(query=form(deck=texts, done=texts, right=texts, fragment=texts, voice=texts, reveal=texts))
@example(query={"deck": "module:²"})
@example(query={"deck": "module:" + "9" * 30, "done": "٣", "right": "9" * 5000})
def test_drill_page(signed_in, stage_terms, query):  # noqa: F811
    ok(signed_in.get("/en/drill/", query))


@pytest.fixture
def cards(learner, stage_terms):  # noqa: F811
    return [
        Card.objects.create(learner=learner, term=term, due="2020-01-01T00:00:00Z")
        for term in stage_terms.values()
    ]


@fuzz
@given(
    card=st.lists(st.one_of(st.sampled_from(range(6)), texts), min_size=0, max_size=6),
    data=form(
        mode=st.one_of(
            st.sampled_from(["flashcard", "choice", "typing", "matching", "listening"]), texts
        ),
        rating=st.one_of(st.sampled_from(["1", "2", "3", "4"]), texts),
        key=texts,
        shown=texts,
        answer=texts,
        choice=texts,
        expects=st.one_of(st.just("choice"), texts),
        deck=texts,
        done=texts,
        right=texts,
    ),
    match=st.dictionaries(st.sampled_from(range(6)), texts, max_size=5),
    accept=accepts,
)
@example(card=[0], data={"mode": "choice", "choice": "²"}, match={}, accept="text/html")
@example(card=[0, "²"], data={"mode": "choice", "choice": "9" * 5000}, match={}, accept="text/html")
@example(
    card=[0, 1, 2, 3, 4],
    data={"mode": "matching"},
    match={0: "9" * 5000, 1: "²", 2: "1", 3: "2", 4: "3"},
    accept="application/json",
)
def test_drill_answer(signed_in, cards, card, data, match, accept):
    """Card ids are the learner's own cards (by position) or made up."""
    ids = [cards[value].pk if isinstance(value, int) else value for value in card]
    data = {**data, "card": ids}
    data.update({f"match-{cards[position].pk}": value for position, value in match.items()})
    ok(signed_in.post("/en/drill/answer/", data, headers={"Accept": accept}))


@fuzz
@given(pk=st.one_of(st.integers(min_value=0, max_value=2**80), st.sampled_from([0])))
def test_hard_term_reset(signed_in, cards, pk):
    ok(signed_in.get("/en/drill/hard/"))
    ok(signed_in.post(f"/en/drill/hard/{pk}/reset/"))
    ok(signed_in.post(f"/en/drill/hard/{cards[0].pk}/reset/"))


# Lessons and quizzes


@fuzz_heavy
@given(
    block=st.one_of(st.sampled_from(["ex-1", "kc-1"]), texts),
    data=form(answer=texts, choice=texts),
)
@example(block="kc-1", data={"choice": "²"})
@example(block="ex-1", data={"answer": "x" * 100_000})
@example(block="kc-1", data={"choice": "9" * 5000, "answer": "a\x00b"})
def test_lesson_complete_exercise_and_check(signed_in, course, block, data):
    __, lesson = course
    block = block.replace("/", "") or "x"
    ok(signed_in.post(lesson.url + f"exercise/{block}/", data))
    ok(signed_in.post(lesson.url + f"check/{block}/", data))
    ok(signed_in.post(lesson.url + "complete/", data))


QUIZ_FIELDS = [
    "q-single",
    "q-multiple",
    "q-truefalse",
    "q-short",
    "q-matching-0",
    "q-matching-1",
    "q-ordering",
    "q-gaps-0",
    "q-gaps-1",
    "move",
    "action",
]


@fuzz_heavy
@given(
    data=st.dictionaries(
        st.one_of(st.sampled_from(QUIZ_FIELDS), field_names),
        st.one_of(texts, st.lists(texts, max_size=4), st.sampled_from(["0", "1", "2", "submit"])),
        max_size=8,
    ),
    number=st.integers(min_value=0, max_value=2**70),
    accept=accepts,
)
@example(
    data={"q-single": "²", "q-ordering": ["9" * 5000, "٣"], "move": "ordering:²:up"},
    number=1,
    accept="text/html",
)
def test_quiz_start_save_and_submit(signed_in, course, data, number, accept):
    quiz, __ = course
    ok(signed_in.post(quiz.url + "start/", data))
    attempt = signed_in.get(quiz.url).context["open_attempt"]
    target = attempt.number if attempt else number
    headers = {"Accept": accept}
    ok(signed_in.post(quiz.url + f"attempts/{target}/", data, headers=headers))
    ok(signed_in.get(quiz.url + f"attempts/{target}/"))
    ok(signed_in.post(quiz.url + f"attempts/{number}/", data, headers=headers))


@fuzz
@given(code=st.uuids())
def test_certificates(client, home_page, code):
    ok(client.get(f"/en/certificates/{code}/"))


# The admin: imports and reports


upload_names = st.one_of(
    st.sampled_from(["terms.csv", "terms.tbx", "terms.xml", "quiz.gift", "quiz.txt", "x.png"]),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40).map(
        lambda name: name + st_suffix(name)
    ),
)


def st_suffix(name):
    return [".csv", ".tbx", ".xml", ".gift", ""][len(name) % 5]


csv_cells = st.lists(texts, min_size=4, max_size=4).map(
    lambda cells: (
        "headword,part_of_speech,definition,ru\n"
        + ",".join('"' + cell.replace('"', '""') + '"' for cell in cells)
    )
)
upload_bodies = st.one_of(
    st.binary(max_size=2000),
    csv_cells.map(str.encode),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=500).map(str.encode),
)


def import_and_apply(client, url, name, body):
    response = ok(client.post(url, {"file": SimpleUploadedFile(name, body)}))
    if response.status_code == 302 and response["Location"] != url:
        ok(client.get(response["Location"]))
        ok(client.post(response["Location"]))


@fuzz
@given(name=upload_names, body=upload_bodies)
@example(
    name="terms.csv", body="headword,part_of_speech,definition,ru\ngel,noun,a\x00b,сүзгі\n".encode()
)
@example(name="nul\x00.csv", body=b"\x00" * 10)
def test_glossary_import(client, trainer, name, body):
    client.force_login(trainer)
    import_and_apply(client, "/admin/glossary/import/", name, body)


@fuzz
@given(name=upload_names, body=upload_bodies)
@example(name="quiz.gift", body=b"::Q1:: A gel\x00 is? {=filter ~lamp}\n")
@example(name="quiz.xml", body=b'<?xml version="1.0"?><quiz>\x00</quiz>')
def test_question_import(client, administrator, course, name, body):
    quiz, __ = course
    client.force_login(administrator)
    import_and_apply(client, f"/admin/quizzes/{quiz.pk}/import/", name, body)


REPORTS = ["learners", "funnel", "quiz-items", "hard-terms"]


@fuzz
@given(
    report=st.sampled_from(REPORTS),
    query=form(
        cohort=texts,
        sub_sector=texts,
        city=texts,
        module=texts,
        active_since=texts,
        quiz=texts,
        ordering=texts,
        p=texts,
        export=st.one_of(st.sampled_from(["csv", "xlsx"]), texts),
    ),
    learner_pk=st.integers(min_value=0, max_value=2**70),
)
@example(report="hard-terms", query={"cohort": "²"}, learner_pk=0)
@example(report="hard-terms", query={"cohort": "9" * 30, "export": "csv"}, learner_pk=2**70)
def test_reports(client, trainer, course, learner, report, query, learner_pk):
    client.force_login(trainer)
    ok(client.get(f"/admin/reports/sheber/{report}/", query))
    ok(client.get(f"/admin/reports/sheber/{report}/results/", query))
    ok(client.get(f"/admin/reports/sheber/learners/{learner_pk}/"))


@fuzz
@given(
    listing=st.sampled_from(
        ["/admin/snippets/glossary/term/", "/admin/snippets/learners/cohort/", "/admin/images/"]
    ),
    query=form(
        q=texts,
        sub_sectors=st.lists(texts, max_size=3),
        status=texts,
        missing=st.lists(texts, max_size=2),
        ordering=texts,
        p=texts,
        export=st.one_of(st.sampled_from(["csv", "xlsx"]), texts),
    ),
)
@example(listing="/admin/snippets/glossary/term/", query={"sub_sectors": ["9" * 20]})
def test_admin_listings_and_their_filters(client, trainer, stage_terms, listing, query):  # noqa: F811
    client.force_login(trainer)
    ok(client.get(listing, query))


@fuzz
@given(path=texts, query=form(q=texts))
def test_any_path(client, home_page, path, query):
    ok(client.get("/en/" + path.lstrip("/"), query))
    ok(client.get(f"/{uuid.uuid4().hex}/{path.lstrip('/')}", query))


def test_every_endpoint_above_answers_a_plain_request(signed_in, course, cards):
    """The fuzzed URLs exist: a well-formed request gets a real page, not a 404."""
    quiz, lesson = course
    for url in ("/en/glossary/", "/en/drill/", "/en/me/settings/", quiz.url, lesson.url):
        assert signed_in.get(url).status_code == 200
    assert signed_in.get("/en/sectors/performing-arts/anki/").status_code == 200
    assert (
        signed_in.post("/en/drill/answer/", {"card": cards[0].pk, "rating": "3"}).status_code == 302
    )

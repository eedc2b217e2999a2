"""Two gunicorn servers on one PostgreSQL database and one Redis, as two app servers behind a
load balancer without sticky sessions: a learner moves between them mid-session, what a trainer
publishes through one is what learners find through the other, and the login throttle counts
failures through both."""

import re

import pytest
import redis

from django.conf import settings

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from bench.server import Gunicorn

from .site import (
    CACHE_KEY_PREFIX,
    DASHBOARD,
    DRILL,
    MODULE,
    Browser,
    dashboard_texts,
    first_lesson,
    free_port,
    needs_postgres_and_redis,
    this_week,
)

pytestmark = needs_postgres_and_redis

TERMS = "/admin/snippets/glossary/term/"


@pytest.fixture(scope="module")
def servers(bench_site, tmp_path_factory):
    """Servers A and B: same DATABASE_URL, same REDIS_URL, two workers each."""
    logs = tmp_path_factory.mktemp("gunicorn")
    with (
        Gunicorn(free_port(), bench_site.env, log=logs / "a.log") as a,
        Gunicorn(free_port(), bench_site.env, log=logs / "b.log") as b,
    ):
        yield a, b


def session_in_redis(session_key):
    """Whether the session is stored in the shared Redis (Django's cache session backend)."""
    key = f"{CACHE_KEY_PREFIX}:1:django.contrib.sessions.cache{session_key}"
    return bool(redis.Redis.from_url(settings.REDIS_URL).exists(key))


def answer_a_flashcard(browser, fetch_from, post_to):
    """Open the drill on `fetch_from` and answer its flashcard "Good" through `post_to`."""
    card = browser.get(fetch_from, DRILL).form("/drill/answer/", attribute="data-drill-form")
    response = browser.post(post_to, card.action, card.data(rating="3"))
    assert response.status == 302


def test_a_learner_switches_servers_mid_session_without_noticing(bench_site, servers):
    a, b = servers
    browser = Browser()
    browser.log_in(a, bench_site.people["learner"], bench_site.password)
    session = browser.cookies["sessionid"]
    assert session_in_redis(session)

    answer_a_flashcard(browser, fetch_from=a, post_to=a)
    lesson = browser.get(a, first_lesson(browser.get(a, MODULE)))
    complete = lesson.form("/complete/")
    assert browser.post(a, complete.action, complete.fields).status == 302

    on_a, on_b = browser.get(a, DASHBOARD), browser.get(b, DASHBOARD)
    assert dashboard_texts(on_b) == dashboard_texts(on_a)
    assert "Hello, Әлия Қайратқызы" in dashboard_texts(on_b)
    assert "1 of 5" in dashboard_texts(on_b)  # lessons of the module
    assert this_week(on_b)[1:] == (1, 1, 0)  # drill answers, lessons, quizzes

    # A form from A, with A's CSRF token, posted to B; then back on A.
    answer_a_flashcard(browser, fetch_from=a, post_to=b)
    assert this_week(browser.get(a, DASHBOARD))[1:] == (2, 1, 0)
    assert browser.cookies["sessionid"] == session

    logged_out = browser.post(b, "/en/accounts/logout/", {"csrfmiddlewaretoken": on_a.csrf_token})
    assert logged_out.status == 200
    assert "sessionid" not in browser.cookies
    assert browser.get(a, DASHBOARD).location.startswith("/en/accounts/login/")
    # Even the old cookie, kept by a copy of the browser, no longer opens a session on A.
    browser.cookies["sessionid"] = session
    assert browser.get(a, DASHBOARD).location.startswith("/en/accounts/login/")
    assert not session_in_redis(session)


def term_form(csrf_token, sector):
    return {
        "csrfmiddlewaretoken": csrf_token,
        **nested_form_data(
            {
                "headword": "cyclorama",
                "part_of_speech": "noun",
                "pronunciation": "/ˌsaɪkləˈrɑːmə/",
                "variants": "cyc",
                "slug": "",
                "definition": "A curved cloth at the back of the stage, lit to look like sky.",
                "example": "The cyclorama glowed orange for the sunset scene.",
                "translations": inline_formset(
                    [
                        {"language": "ru", "text": "циклорама", "preferred": "on"},
                        {"language": "kk", "text": "циклорама", "preferred": "on"},
                    ]
                ),
                "sub_sectors": [sector],
                "image": "",
                "image_alt": "",
                "related_links": inline_formset([]),
                "status": "approved",
                "source": "Sheber editorial team",
            }
        ),
    }


def test_a_term_a_trainer_approves_through_one_server_shows_through_the_other(bench_site, servers):
    a, b = servers
    visitor, trainer = Browser(), Browser()
    # B answers a misspelling from the headword list it caches (in Redis) and finds nothing.
    assert "Did you mean" not in visitor.get(b, "/en/glossary/?q=cycloramma").text
    assert "/en/glossary/cyclorama/" not in visitor.get(b, "/en/glossary/?q=циклорама").text

    trainer.log_in(a, bench_site.people["trainer"], bench_site.password)
    add = trainer.get(a, TERMS + "add/")
    sector = re.search(r'name="sub_sectors" value="(\d+)"', add.text)[1]
    assert trainer.post(a, TERMS + "add/", term_form(add.csrf_token, sector)).status == 302

    suggestion = visitor.get(b, "/en/glossary/?q=cycloramma").text
    assert 'Did you mean <a href="/en/glossary/cyclorama/" lang="en">cyclorama</a>?' in suggestion
    assert "/en/glossary/cyclorama/" in visitor.get(b, "/en/glossary/?q=ЦИКЛОРАМА").text
    assert "cyclorama" in trainer.get(b, TERMS + "?q=циклорама").text


def test_failed_logins_through_one_server_lock_that_address_out_of_the_other(bench_site, servers):
    a, b = servers
    email, password = bench_site.people["throttled learner"], bench_site.password
    guesser = Browser(headers={"X-Real-IP": "203.0.113.7"})
    guesses = [guesser.try_to_log_in(a, email, "not-the-password").status for _ in range(5)]
    assert guesses == [200, 200, 200, 200, 429]  # the fifth failure locks the pair

    assert guesser.try_to_log_in(b, email, password).status == 429
    Browser(headers={"X-Real-IP": "198.51.100.20"}).log_in(b, email, password)

"""Sheber served as in production (gunicorn, production settings, PostgreSQL, Redis) on bench
databases, and a browser that reaches it over HTTP: what the scale-out and backup tests use."""

import http.client
import os
import re
import socket
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import pytest

from django.conf import settings

from tests.html_text import visible_texts

ON_POSTGRES_WITH_REDIS = bool(
    settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and settings.REDIS_URL
)
needs_postgres_and_redis = pytest.mark.skipif(
    not ON_POSTGRES_WITH_REDIS,
    reason=(
        "runs gunicorn on PostgreSQL with Redis: set DATABASE_URL=postgres://… and "
        "REDIS_URL=redis://… (make test-postgres)"
    ),
)

# The bench servers share the suite's Redis database under their own key prefix.
CACHE_KEY_PREFIX = "sheber-ops-bench"
LOGIN = "/en/accounts/login/"
DASHBOARD = "/en/me/"
MODULE = "/en/modules/stage-technology/"
QUIZ = "/en/modules/stage-technology/stage-technology-quiz/"
DRILL = "/en/drill/?deck=sector:performing-arts"

# Loaded into a bench database with `manage.py shell -c`: the home page, one shipped module with
# its final quiz, and the glossary terms the module names (all of load_demo takes 25 s or more).
CONTENT = """
import yaml

from courses.content import DATA, load_catalogue, load_module, load_quiz, load_quiz_index
from glossary.content import TERMS_DATA
from glossary.formats import csv_format
from glossary.importer import apply_import, plan_import
from home.content import load_home_page

load_home_page()
module_file = DATA / "modules" / "stage-technology.yaml"
module = yaml.safe_load(module_file.read_text(encoding="utf-8"))
names = set(module["key_terms"]) | {
    name
    for language in ("en", "ru")
    for lesson in module[language]["lessons"]
    for block in lesson["body"]
    for name in block.get("key_terms", [])
}
records = [
    record
    for sector in ("performing-arts", "music")
    for record in csv_format.parse((TERMS_DATA / f"{sector}.csv").read_bytes())[0]
    if record.headword in names
]
for record in records:
    record.related = []
apply_import(plan_import(records, []))
load_module(module_file, load_catalogue())
load_quiz(DATA / "quizzes" / "stage-technology-quiz.yaml", load_quiz_index())
"""


def database_url(suffix):
    """The suite's DATABASE_URL naming another database on the same server: the suite's
    database name plus `suffix` (which must contain "bench": bench databases are dropped)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{suffix}"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Form:
    action: str
    attrs: dict
    fields: list = field(default_factory=list)  # (name, value) pairs a browser would send

    def data(self, **extra):
        return [*self.fields, *extra.items()]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(attrs.get("action", ""), attrs)
            self.forms.append(self._form)
        elif tag == "input" and self._form and attrs.get("name"):
            kind = attrs.get("type", "text")
            unchecked = kind in {"radio", "checkbox"} and "checked" not in attrs
            if kind in {"submit", "button"} or unchecked:
                return
            self._form.fields.append((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


@dataclass
class Response:
    status: int
    location: str
    text: str

    def form(self, action_ending="", attribute=None):
        """The first form whose action ends with `action_ending` (and has `attribute`)."""
        parser = _FormParser()
        parser.feed(self.text)
        for form in parser.forms:
            if form.action.endswith(action_ending) and attribute in {None, *form.attrs}:
                return form
        raise AssertionError(f"No form posting to …{action_ending} on the page")

    @property
    def csrf_token(self):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)[1]


class Browser:
    """One cookie jar, as a browser keeps it, behind the TLS proxy of docs/deploy.md: every request
    says `X-Forwarded-Proto: https`, so the production settings' secure cookies, HSTS and CSRF
    origin checks apply. Cookies ignore the port, so the jar is shared between two servers on
    one host, as between two app servers behind one load balancer."""

    def __init__(self, headers=None):
        self.cookies = {}
        self.headers = headers or {}  # the proxy's, e.g. the client's address in X-Real-IP

    def get(self, server, path):
        return self._request(server, "GET", path)

    def post(self, server, path, data):
        return self._request(server, "POST", path, data)

    def try_to_log_in(self, server, email, password):
        page = self.get(server, LOGIN)
        return self.post(
            server,
            LOGIN,
            {"csrfmiddlewaretoken": page.csrf_token, "username": email, "password": password},
        )

    def log_in(self, server, email, password):
        response = self.try_to_log_in(server, email, password)
        assert response.status == 302, f"login refused on port {server.port}"

    def _request(self, server, method, path, data=None):
        origin = f"127.0.0.1:{server.port}"
        headers = {"Host": origin, "X-Forwarded-Proto": "https", **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{origin}"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            connection.request(method, quote(path, safe="/?&=:%"), body=body, headers=headers)
            reply = connection.getresponse()
            response = Response(
                reply.status, reply.getheader("Location", ""), reply.read().decode()
            )
            for header in reply.headers.get_all("Set-Cookie") or []:
                self._keep(header)
        finally:
            connection.close()
        assert response.status < 500, f"{method} {path} on port {server.port}: {response.status}"
        return response

    def _keep(self, header):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] in {0, "0"}:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


def dashboard_texts(response):
    """What the learner reads on their dashboard (every figure, date and title), in order."""
    assert response.status == 200, f"dashboard answered {response.status} {response.location}"
    section = response.text.split('class="container dashboard"', 1)[1].split("</main>", 1)[0]
    return visible_texts("<div " + section)


def this_week(response):
    """This week's row of the dashboard's activity table: active days, drill answers, lessons
    completed and quizzes submitted."""
    rows = re.findall(
        r'<tr><th scope="row">[^<]+</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>',
        response.text,
    )
    return tuple(int(figure) for figure in rows[-1])


def first_lesson(module_page):
    return re.search(r'class="lesson-list__item">\s*<a href="([^"]+)"', module_page.text)[1]

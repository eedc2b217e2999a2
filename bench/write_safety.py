"""Write safety under load: learners answering drills, saving and submitting quizzes and
completing lessons at once, through gunicorn with production settings, on SQLite and on
PostgreSQL (with Redis for cache and sessions), first as they are, then while a worker is killed
with SIGKILL every few seconds. Clients retry a dropped request with the same data (the same
idempotency key), as static/js/drill.js and static/js/quiz.js do. Afterwards the database must
hold exactly what the clients were told was accepted: one review per answer, on its card, none
that no client sent, every card's `reps` equal to its reviews, quiz attempts numbered 1..n with
at most one open, the last save of an open attempt stored, every submitted attempt graded once,
one completion per completed lesson. Prints a report per run and a summary; exits 1 on any 5xx,
lost or duplicated row.

    .venv/bin/python bench/write_safety.py [--learners 64] [--seconds 60] [--kill-every 10]
        [--database sqlite|postgres|both] [--kills none|only|both]

Each run makes a new database (PostgreSQL: `sheber_writesafety_bench` on PG_BENCH_URL's server,
Redis at REDIS_BENCH_URL) and drops it at the end; see bench/server.py.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.server import REDIS_BENCH_URL, Gunicorn, database, environment, manage, prepare  # noqa: E402

PASSWORD = "write-safety-bench-2026"  # noqa: S105 (bench learners on a throwaway database)
POSTGRES_NAME = "sheber_writesafety_bench"
CARDS = 40  # per learner, all due when the run starts
LOGIN = "/en/accounts/login/"
DRILL = "/en/drill/"
ANSWER = "/en/drill/answer/"
ACTIONS = (("drill", 3), ("quiz", 2), ("lesson", 1))  # the mix, by weight
JSON_SHARE = 0.5  # posts that ask for JSON, as the scripts do; the rest are plain form posts
REPEAT_SHARE = 0.1  # accepted posts sent once more with the same data (a double click)
LEAVE_OPEN_SHARE = 0.3  # quiz attempts left open after their saves, to be resumed later
BACKOFF = (0.2, 0.5, 1.0, 2.0, 4.0)  # seconds before each retry
TIMEOUT = 180  # seconds a client waits for a response before it sends the request again
LOGINS_AT_ONCE = 4  # logins hash the password for most of a second: a few at a time
SHOWN_FAILURES = 5


class GaveUp(Exception):
    """A request that failed every retry: its outcome is unknown."""


@dataclass
class Log:
    """What one learner's thread sent and was told; threads keep their own and merge them."""

    requests: int = 0
    retries: int = 0
    dropped: int = 0  # connections reset or closed without a response
    timeouts: int = 0  # no response within TIMEOUT
    server_errors: int = 0  # 5xx responses
    latencies: list = field(default_factory=list)  # seconds, per response
    actions: Counter = field(default_factory=Counter)  # accepted actions by type
    failures: list = field(default_factory=list)  # every broken promise the client saw
    reviews: dict = field(default_factory=dict)  # accepted review key -> [card, rating or None]
    sent_keys: set = field(default_factory=set)  # every review key sent
    attempts: dict = field(default_factory=dict)  # "learner:quiz key:number" -> what happened
    completions: set = field(default_factory=set)  # (learner, lesson key) accepted

    def fail(self, description):
        self.failures.append(description)

    def merge(self, other):
        self.requests += other.requests
        self.retries += other.retries
        self.dropped += other.dropped
        self.timeouts += other.timeouts
        self.server_errors += other.server_errors
        self.latencies += other.latencies
        self.actions += other.actions
        self.failures += other.failures
        self.reviews.update(other.reviews)
        self.sent_keys |= other.sent_keys
        self.attempts.update(other.attempts)
        self.completions |= other.completions


# Pages: just enough of HTML to fill in and send their forms, as a browser would


@dataclass
class Form:
    action: str
    fields: list = field(default_factory=list)  # (name, value) of hidden inputs
    radios: dict = field(default_factory=dict)  # name -> [values]
    checkboxes: dict = field(default_factory=dict)
    selects: dict = field(default_factory=dict)  # name -> [non-empty values]
    texts: list = field(default_factory=list)  # names of text inputs

    def filled(self, rng, **chosen):
        """The form's data with a random answer in every control (as pairs, in order)."""
        data = [(name, value) for name, value in self.fields if name not in chosen]
        for name, values in self.radios.items():
            data.append((name, rng.choice(values)))
        for name, values in self.checkboxes.items():
            data += [(name, value) for value in values if rng.random() < 0.5]
        for name, values in self.selects.items():
            if values:
                data.append((name, rng.choice(values)))
        for name in self.texts:
            data.append((name, rng.choice(["gel", "dimmer", "gobo", "audience", "budget"])))
        return data + list(chosen.items())


class FormParser(HTMLParser):
    """The page's POST forms, and its links."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.links = []
        self.form = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and attrs.get("method", "").lower() == "post":
            self.form = Form(action=attrs.get("action") or "")
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            kind, name = attrs.get("type", "text"), attrs.get("name")
            if not name or "disabled" in attrs:
                return
            if kind == "hidden":
                self.form.fields.append((name, attrs.get("value", "")))
            elif kind == "radio":
                self.form.radios.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind == "checkbox":
                self.form.checkboxes.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind == "text":
                self.form.texts.append(name)
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
            self.form.selects[self.select] = []
        elif tag == "option" and self.select and attrs.get("value"):
            self.form.selects[self.select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def parse(body):
    parser = FormParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    return parser


@dataclass
class Response:
    status: int
    location: str
    body: bytes
    retried: bool  # an earlier try may have reached the server: a repeat is expected


class Browser:
    """One learner's cookies and requests. Production cookies are Secure; on plain HTTP to
    127.0.0.1 this jar sends them anyway, as a browser does to a secure origin."""

    def __init__(self, port, log):
        self.port = port
        self.log = log
        self.cookies = {}

    def request(self, method, path, data=None, *, wants_json=False):
        """Send the request, retrying the same request after a dropped connection or a 5xx;
        raises GaveUp when every try failed."""
        body = urlencode(data) if data is not None else None
        headers = {"Accept": "application/json" if wants_json else "text/html"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        problem = None
        for number in range(len(BACKOFF) + 1):
            if number:
                self.log.retries += 1
                time.sleep(BACKOFF[number - 1])
            self.log.requests += 1
            started = time.perf_counter()
            try:
                status, location, content = self.once(method, path, body, headers)
            except TimeoutError:
                self.log.timeouts += 1
                problem = f"no response in {TIMEOUT} s"
                continue
            except (OSError, http.client.HTTPException) as error:
                self.log.dropped += 1
                problem = f"{type(error).__name__}: {error}"
                continue
            self.log.latencies.append(time.perf_counter() - started)
            if status >= 500:
                self.log.server_errors += 1
                problem = f"HTTP {status}"
                self.log.fail(
                    f"{method} {path}: HTTP {status}\n{content[:800].decode(errors='replace')}"
                )
                continue
            return Response(status, location, content, retried=number > 0)
        raise GaveUp(f"{method} {path}: {problem} after {len(BACKOFF)} retries")

    def once(self, method, path, body, headers):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            connection.request(
                method, path, body, {**headers, "Cookie": cookie} if cookie else headers
            )
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        # A browser shows messages on the page it is sent to next: drop them, or they would
        # pile up in the cookie.
        self.cookies.pop("messages", None)
        return response.status, urlsplit(response.getheader("Location", "")).path, content

    def page(self, path):
        response = self.request("GET", path)
        if response.status != 200:
            raise GaveUp(f"GET {path}: HTTP {response.status}")
        return parse(response.body)


# The learners


class Learner:
    """One learner's session: logs in through the form, then does a random mix of actions."""

    def __init__(self, person, content, port, log):
        self.pk = person["pk"]
        self.email = person["email"]
        self.content = content
        self.log = log
        self.browser = Browser(port, log)
        self.rng = random.Random()  # noqa: S311 (load, not secrets)
        self.lessons_left = list(content["lessons"])
        self.open_attempts = {}  # quiz key -> attempt record
        self.quizzes_closed = set()  # every attempt used

    def log_in(self):
        form = self.browser.page(LOGIN).forms[0]
        data = [*form.fields, ("username", self.email), ("password", PASSWORD)]
        response = self.browser.request("POST", LOGIN, data)
        if response.status != 302 or "sessionid" not in self.browser.cookies:
            raise GaveUp(f"{self.email} could not log in: HTTP {response.status}")

    def act(self):
        names, weights = zip(*ACTIONS, strict=True)
        action = self.rng.choices(names, weights)[0]
        getattr(self, action)()

    def post(self, path, data, *, accepted=(200, 302), also_on_repeat=()):
        """Post and return the response when it is accepted (or, for a repeat, one of
        `also_on_repeat`); anything else is a failure, and None."""
        wants_json = self.rng.random() < JSON_SHARE
        response = self.browser.request("POST", path, data, wants_json=wants_json)
        if response.status in accepted or (response.retried and response.status in also_on_repeat):
            return response
        self.log.fail(
            f"{self.email}: POST {path}: HTTP {response.status}"
            f"{' (retried)' if response.retried else ''}\n{response.body[:300]!r}"
        )
        return None

    # Drills: the fragment static/js/drill.js loads, then its form posted with its key

    def drill(self):
        forms = [f for f in self.browser.page(f"{DRILL}?fragment=1").forms if f.action == ANSWER]
        if not forms:
            return  # nothing due: the learner does something else
        form = forms[0]
        fields = dict(form.fields)
        cards = [int(value) for name, value in form.fields if name == "card"]
        key = fields["key"]
        chosen = {}
        if fields["mode"] == "flashcard":
            chosen["rating"] = str(self.rng.randint(1, 4))
        data = form.filled(self.rng, **chosen)
        if len(cards) == 1:
            expected = {key: [cards[0], int(chosen["rating"]) if chosen else None]}
        else:
            expected = {f"{key}-{n}": [card, None] for n, card in enumerate(sorted(cards))}
        self.log.sent_keys.update(expected)
        if self.post(ANSWER, data) is None:
            return
        self.log.reviews.update(expected)
        self.log.actions["drill answers"] += 1
        if self.rng.random() < REPEAT_SHARE:
            self.post(ANSWER, data)

    # Quizzes: start (or resume) an attempt, save a few times, then submit or leave it open

    def quiz(self):
        choices = [q for q in self.content["quizzes"] if q["key"] not in self.quizzes_closed]
        if not choices:
            return
        quiz = self.rng.choice(choices)
        record = self.open_attempts.get(quiz["key"])
        if record is None:
            record = self.start(quiz)
            if record is None:
                return
        path = f"{quiz['url']}attempts/{record['number']}/"
        for _save in range(self.rng.randint(1, 3)):
            form = self.attempt_form(path)
            data = form.filled(self.rng, action="save")
            if self.post(path, data) is None:
                return
            record["saved"] = data
            self.log.actions["quiz saves"] += 1
        if self.rng.random() < LEAVE_OPEN_SHARE:
            return
        form = self.attempt_form(path)
        data = form.filled(self.rng, action="submit")
        # Passing a module's final quiz may issue the certificate (a redirect to it).
        if self.post(path, data, also_on_repeat=(409,)) is None:
            return
        record.update(submitted=data, accepted_at=time.time())
        del self.open_attempts[quiz["key"]]
        self.log.actions["quiz submissions"] += 1
        if self.rng.random() < REPEAT_SHARE:  # submitted again: answered with the first result
            self.post(path, data, accepted=(302, 409))
        if self.rng.random() < REPEAT_SHARE:  # a save after submitting changes nothing
            self.post(path, form.filled(self.rng, action="save"), accepted=(302, 409))

    def start(self, quiz):
        page = self.browser.page(quiz["url"])
        start = f"{quiz['url']}start/"
        forms = [form for form in page.forms if form.action == start]
        if not forms:
            # Every attempt used: the page links to their results, all of them this client's.
            mine = {
                f"{quiz['url']}attempts/{record['number']}/"
                for record in self.log.attempts.values()
                if record["quiz"] == quiz["key"] and record["learner"] == self.pk
            }
            prefix = f"{quiz['url']}attempts/"
            if any(link.startswith(prefix) and link not in mine for link in page.links):
                self.log.fail(f"{self.email}: {quiz['url']} links to an attempt never started")
            self.quizzes_closed.add(quiz["key"])
            return None
        response = self.post(start, forms[0].fields, accepted=(302,))
        if response is None:
            return None
        prefix = f"{quiz['url']}attempts/"
        if not response.location.startswith(prefix):
            self.quizzes_closed.add(quiz["key"])  # refused: no attempt left
            return None
        number = int(response.location[len(prefix) :].strip("/"))
        record = {"learner": self.pk, "quiz": quiz["key"], "number": number, "saved": None}
        self.log.attempts[f"{self.pk}:{quiz['key']}:{number}"] = record
        self.open_attempts[quiz["key"]] = record
        self.log.actions["quiz starts"] += 1
        return record

    def attempt_form(self, path):
        forms = [form for form in self.browser.page(path).forms if form.action == path]
        if not forms:
            raise GaveUp(f"{self.email}: no form on the open attempt {path}")
        return forms[0]

    # Lessons: the lesson page's "Mark as complete" form

    def lesson(self):
        if not self.lessons_left:
            return
        lesson = self.lessons_left.pop(self.rng.randrange(len(self.lessons_left)))
        complete = f"{lesson['url']}complete/"
        forms = [f for f in self.browser.page(lesson["url"]).forms if f.action == complete]
        if not forms:
            self.log.fail(f"{self.email}: {lesson['url']} is complete, but not by this learner")
            return
        if self.post(complete, forms[0].fields, accepted=(302,)) is None:
            return
        self.log.completions.add((self.pk, lesson["key"]))
        self.log.actions["lesson completions"] += 1
        if self.rng.random() < REPEAT_SHARE:
            self.post(complete, forms[0].fields, accepted=(302,))


def learner_thread(learner, logins, start, deadline, log):
    try:
        with logins:
            learner.log_in()
        start.wait()
        while time.monotonic() < deadline["at"]:
            learner.act()
    except threading.BrokenBarrierError:
        log.fail(f"{learner.email}: another learner failed before the start")
    except GaveUp as error:
        start.abort()
        log.fail(f"{learner.email}: gave up: {error}")
    except Exception:
        start.abort()
        log.fail(f"{learner.email}: {traceback.format_exc()}")


def killer(server, every, until, stop, kills):
    """SIGKILL one current worker every `every` seconds until the monotonic time `until` (the
    end of the load: learners finishing an action after it meet no more kills); the arbiter
    starts another worker."""
    rng = random.Random()  # noqa: S311
    while not stop.wait(every) and time.monotonic() < until:
        if pids := server.worker_pids():
            try:
                os.kill(rng.choice(pids), signal.SIGKILL)
                kills.append(time.monotonic())
            except ProcessLookupError:
                pass


def load(server, content, seconds, kill_every):
    """Every learner in its own thread for `seconds` (after all have logged in), with a worker
    killed every `kill_every` seconds when given; returns (merged log, seconds, kills)."""
    logs = [Log() for _ in content["learners"]]
    deadline = {}

    def begin():
        deadline.update(started=time.monotonic(), at=time.monotonic() + seconds)

    start = threading.Barrier(len(logs), action=begin)
    logins = threading.Semaphore(LOGINS_AT_ONCE)
    threads = [
        threading.Thread(
            target=learner_thread,
            args=(Learner(person, content, server.port, log), logins, start, deadline, log),
        )
        for person, log in zip(content["learners"], logs, strict=True)
    ]
    for thread in threads:
        thread.start()
    stop, kills = threading.Event(), []
    murderer = None
    while thread_alive(threads) and "started" not in deadline and not start.broken:
        time.sleep(0.05)
    if kill_every and "started" in deadline:
        murderer = threading.Thread(
            target=killer, args=(server, kill_every, deadline["at"], stop, kills)
        )
        murderer.start()
    for thread in threads:
        thread.join()
    stop.set()
    if murderer:
        murderer.join()
    merged = Log()
    for log in logs:
        merged.merge(log)
    elapsed = time.monotonic() - deadline.get("started", time.monotonic())
    return merged, elapsed, len(kills)


def thread_alive(threads):
    return any(thread.is_alive() for thread in threads)


# In the server's environment (manage.py shell -c): making learners, checking the rows


def set_up(learners, out):
    """Make `learners` learners with CARDS cards each, all due (a mix of new, learning and
    well-known cards, so that every drill mode comes up), and write the learners and the
    English lessons and quizzes to the JSON file `out`."""
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from courses.models import LessonPage, QuizPage
    from glossary.models import Card, CardState, Term
    from learners.models import User

    password = make_password(PASSWORD)  # once: hashing takes most of a second
    User.objects.bulk_create(
        [
            User(
                email=f"write-safety-{number}@example.kz",
                display_name=f"Learner {number}",
                password=password,
                native_language="ru",
                interface_language="en",
                city="Almaty",
            )
            for number in range(learners)
        ]
    )
    people = list(User.objects.filter(email__startswith="write-safety-"))
    group = Group.objects.get(name="Learners")
    group.user_set.add(*people)
    terms = list(Term.objects.approved().order_by("pk")[:CARDS])
    now = timezone.now()
    cards = []
    for person in people:
        for number, term in enumerate(terms):
            card = Card(learner=person, term=term, due=now - timedelta(minutes=number))
            if number % 4 == 1:  # learning: a choice of equivalents
                card.last_review, card.stability, card.difficulty = now - timedelta(days=1), 1, 5
            elif number % 4 == 2:  # well known: typed
                card.state, card.step = CardState.REVIEW, None
                card.last_review, card.stability, card.difficulty = now - timedelta(days=20), 30, 5
            cards.append(card)
    Card.objects.bulk_create(cards)

    def pages(model):
        live = model.objects.live().filter(locale__language_code="en").order_by("path")
        return [{"url": page.get_url(), "key": str(page.translation_key)} for page in live]

    content = {
        "learners": [{"pk": person.pk, "email": person.email} for person in people],
        "lessons": pages(LessonPage),
        "quizzes": pages(QuizPage),
    }
    Path(out).write_text(json.dumps(content), encoding="utf-8")


def check(record, out):
    """Compare the rows with what the clients were told (the JSON file `record`); write the
    broken promises and the row counts to the JSON file `out`."""
    record = json.loads(Path(record).read_text(encoding="utf-8"))
    learners = record["learners"]
    problems = []
    counts = {}
    problems += check_reviews(learners, record["reviews"], set(record["sent_keys"]), counts)
    problems += check_attempts(learners, record["attempts"], counts)
    problems += check_completions(learners, record["completions"], counts)
    Path(out).write_text(json.dumps({"problems": problems, "counts": counts}), encoding="utf-8")


def check_reviews(learners, accepted, sent, counts):
    from django.db.models import Count, F

    from glossary.models import Card, Review

    reviews = list(
        Review.objects.filter(learner__in=learners).values_list(
            "idempotency_key", "card_id", "rating"
        )
    )
    counts["reviews"] = len(reviews)
    per_key = Counter(key for key, _card, _rating in reviews)
    problems = []
    if lost := [key for key in accepted if per_key[key] == 0]:
        problems.append(f"{len(lost)} accepted answers have no review, e.g. key {lost[0]}")
    if doubled := [key for key, count in per_key.items() if count > 1]:
        problems.append(f"{len(doubled)} answers have more than one review, e.g. {doubled[0]}")
    if unsent := [key for key in per_key if key not in sent]:
        problems.append(f"{len(unsent)} reviews for answers no client sent, e.g. {unsent[0]}")
    if unaccepted := [key for key in per_key if key in sent and key not in accepted]:
        problems.append(f"{len(unaccepted)} reviews for answers never accepted")
    wrong = [
        key
        for key, card, rating in reviews
        if key in accepted and (accepted[key][0] != card or accepted[key][1] not in (None, rating))
    ]
    if wrong:
        problems.append(f"{len(wrong)} reviews on another card or with another rating than sent")
    cards = Card.objects.filter(learner__in=learners).annotate(answers=Count("reviews"))
    counts["cards"] = cards.count()
    if lost_updates := list(cards.exclude(reps=F("answers")).values_list("pk", "reps", "answers")):
        pk, reps, answers = lost_updates[0]
        problems.append(
            f"{len(lost_updates)} cards whose reps differ from their reviews "
            f"(lost updates), e.g. card {pk}: reps {reps}, {answers} reviews"
        )
    return problems


def check_attempts(learners, attempts, counts):
    from django.db import transaction
    from django.http import QueryDict

    from courses.models import QuizAttempt
    from courses.quizzes import read_responses, snapshot, submit_attempt

    problems = []
    stored = list(QuizAttempt.objects.filter(learner__in=learners).select_related("quiz"))
    counts["attempts"] = len(stored)
    counts["submitted attempts"] = sum(not attempt.is_open for attempt in stored)
    by_quiz = defaultdict(list)
    for attempt in stored:
        by_quiz[(attempt.learner_id, str(attempt.quiz_key))].append(attempt)
    for (learner, quiz_key), mine in by_quiz.items():
        numbers = sorted(attempt.number for attempt in mine)
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"learner {learner}, quiz {quiz_key}: attempts numbered {numbers}")
        if sum(attempt.is_open for attempt in mine) > 1:
            problems.append(f"learner {learner}, quiz {quiz_key}: more than one open attempt")
    by_name = {f"{a.learner_id}:{a.quiz_key}:{a.number}": a for a in stored}
    if unknown := sorted(set(by_name) - set(attempts)):
        problems.append(f"{len(unknown)} attempts no client started, e.g. {unknown[0]}")

    def responses(attempt, data):
        quiz = snapshot(attempt, attempt.quiz.specific)
        return read_responses(
            attempt, quiz, QueryDict(urlencode([tuple(pair) for pair in data or []]))
        )

    for name, seen in attempts.items():
        attempt = by_name.get(name)
        if attempt is None:
            problems.append(f"attempt {name} was started for a client but is not stored")
            continue
        if "submitted" not in seen:
            if not attempt.is_open:
                problems.append(f"attempt {name} is submitted, but no client submitted it")
            elif attempt.responses != responses(attempt, seen["saved"]):
                problems.append(f"attempt {name}: the last accepted save is not what is stored")
            continue
        if attempt.is_open:
            problems.append(f"attempt {name}: its submission was accepted but it is open")
            continue
        if attempt.submitted_at.timestamp() > seen["accepted_at"]:
            problems.append(f"attempt {name} was graded again after its submission was accepted")
        if attempt.responses != responses(attempt, seen["submitted"]):
            problems.append(f"attempt {name}: the submitted answers are not what is stored")
        with transaction.atomic():  # grade it again, for the comparison only
            # Reopened, it may be the one open attempt: close the open one meanwhile.
            QuizAttempt.objects.filter(
                learner=attempt.learner_id, quiz_key=attempt.quiz_key, submitted_at__isnull=True
            ).update(submitted_at=attempt.submitted_at)
            QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=None)
            again = submit_attempt(attempt, attempt.quiz.specific)
            transaction.set_rollback(True)
        if (again.score, again.percent, again.passed) != (
            attempt.score,
            attempt.percent,
            attempt.passed,
        ):
            problems.append(f"attempt {name}: its score does not follow from its responses")
    return problems


def check_completions(learners, accepted, counts):
    from courses.models import Certificate, LessonCompletion, ModulePage
    from courses.progress import progress_for
    from learners.models import User

    rows = Counter(
        (learner, str(lesson))
        for learner, lesson in LessonCompletion.objects.filter(learner__in=learners).values_list(
            "learner_id", "lesson_key"
        )
    )
    counts["lesson completions"] = sum(rows.values())
    accepted = {tuple(pair) for pair in accepted}
    problems = []
    if lost := accepted - set(rows):
        problems.append(f"{len(lost)} accepted lesson completions are not stored")
    if extra := set(rows) - accepted:
        problems.append(f"{len(extra)} lesson completions no client saw accepted")
    if doubled := [pair for pair, count in rows.items() if count > 1]:
        problems.append(f"{len(doubled)} lessons completed more than once by one learner")
    certificates = Counter(
        Certificate.objects.filter(learner__in=learners).values_list("learner_id", "module_key")
    )
    counts["certificates"] = sum(certificates.values())
    if doubled := [pair for pair, count in certificates.items() if count > 1]:
        problems.append(f"{len(doubled)} modules with more than one certificate for a learner")
    modules = list(ModulePage.objects.live().filter(locale__language_code="en"))
    for person in User.objects.filter(pk__in=learners):
        for module in modules:
            if (
                progress_for(person, module).is_complete
                and (person.pk, module.translation_key) not in certificates
            ):
                problems.append(
                    f"learner {person.pk} completed {module.title} without a certificate"
                )
    return problems


# A run


@dataclass
class Run:
    database: str
    kill_every: float  # 0: no kills
    learners: int
    seconds: float = 0.0
    kills: int = 0
    log: Log = field(default_factory=Log)
    counts: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def name(self):
        kills = f"kill every {self.kill_every:g} s" if self.kill_every else "no kills"
        return f"{self.database}, {kills}"

    @property
    def ok(self):
        return not self.problems

    def percentile(self, share):
        latencies = self.log.latencies
        if len(latencies) < 2:
            return latencies[0] if latencies else 0.0
        return statistics.quantiles(latencies, n=100)[round(share * 100) - 1]


def run(kind, learners, seconds, kill_every):
    """One run on a new database of `kind`; returns its Run."""
    result = Run(database=kind, kill_every=kill_every, learners=learners)
    name = POSTGRES_NAME if kind == "postgres" else None
    with (
        tempfile.TemporaryDirectory(prefix="sheber-write-safety-") as folder,
        database(kind, name=name) as url,
    ):
        folder = Path(folder)
        redis = REDIS_BENCH_URL if kind == "postgres" else None
        env = environment(url, redis, CACHE_KEY_PREFIX=f"writesafety-{uuid.uuid4().hex[:8]}")
        prepare(env)
        manage(env, "load_demo")
        in_server(env, f"set_up({learners}, {str(folder / 'content.json')!r})")
        content = json.loads((folder / "content.json").read_text(encoding="utf-8"))
        log_file = folder / "gunicorn.log"
        with Gunicorn(free_port(), env, log=log_file) as server:
            result.log, result.seconds, result.kills = load(server, content, seconds, kill_every)
        record = {
            "learners": [person["pk"] for person in content["learners"]],
            "reviews": result.log.reviews,
            "sent_keys": sorted(result.log.sent_keys),
            "attempts": result.log.attempts,
            "completions": sorted(result.log.completions),
        }
        (folder / "record.json").write_text(json.dumps(record), encoding="utf-8")
        in_server(env, f"check({str(folder / 'record.json')!r}, {str(folder / 'check.json')!r})")
        checked = json.loads((folder / "check.json").read_text(encoding="utf-8"))
        result.counts = checked["counts"]
        result.problems = judge(result) + checked["problems"]
        if result.problems:
            errors = [line for line in log_file.read_text(errors="replace").splitlines() if line]
            result.problems += [f"gunicorn log: {line}" for line in errors[-10:]]
    return result


def judge(result):
    """What the clients saw go wrong."""
    log = result.log
    problems = [f"client: {failure}" for failure in log.failures[:SHOWN_FAILURES]]
    if len(log.failures) > SHOWN_FAILURES:
        problems.append(f"client: {len(log.failures) - SHOWN_FAILURES} more failures")
    if log.server_errors:
        problems.append(f"{log.server_errors} responses with a 5xx status")
    if log.dropped and not result.kill_every:
        problems.append(f"{log.dropped} requests dropped without a worker being killed")
    if result.kill_every and not result.kills:
        problems.append("no worker was killed")
    if not log.actions:
        problems.append("no action was accepted: nothing to check")
    return problems


def in_server(env, call):
    manage(env, "shell", "-c", f"from bench.write_safety import set_up, check; {call}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(result):
    log = result.log
    print(f"\n== {result.name}")
    rows = [
        ("learners", result.learners),
        ("seconds", f"{result.seconds:.1f}"),
        ("workers killed", result.kills),
        ("requests", log.requests),
        *((kind, count) for kind, count in sorted(log.actions.items())),
        ("retries", log.retries),
        ("dropped connections", log.dropped),
        ("timeouts", log.timeouts),
        ("5xx", log.server_errors),
        ("latency p50", f"{result.percentile(0.50) * 1000:.0f} ms"),
        ("latency p99", f"{result.percentile(0.99) * 1000:.0f} ms"),
        *((f"rows: {kind}", count) for kind, count in result.counts.items()),
    ]
    for label, value in rows:
        print(f"{label:<26} {value}")
    for problem in result.problems:
        print(f"FAIL: {problem}")
    print("checks: OK" if result.ok else "checks: FAIL")


def summary(results):
    print("\n== Summary")
    header = f"{'run':<30} {'kills':>5} {'requests':>8} {'accepted':>8} {'retries':>7} "
    header += f"{'5xx':>4} {'p50 ms':>7} {'p99 ms':>7}  checks"
    print(header)
    for result in results:
        log = result.log
        print(
            f"{result.name:<30} {result.kills:>5} {log.requests:>8} "
            f"{sum(log.actions.values()):>8} {log.retries:>7} {log.server_errors:>4} "
            f"{result.percentile(0.5) * 1000:>7.0f} {result.percentile(0.99) * 1000:>7.0f}  "
            f"{'OK' if result.ok else 'FAIL'}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-every", type=float, default=10)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--kills", choices=["none", "only", "both"], default="both")
    args = parser.parse_args(argv)
    if args.learners < 1 or args.seconds <= 0 or args.kill_every <= 0:
        parser.error("--learners, --seconds and --kill-every must be positive")
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    kills = {"none": [0], "only": [args.kill_every], "both": [0, args.kill_every]}[args.kills]
    results = []
    for kind in kinds:
        for kill_every in kills:
            result = run(kind, args.learners, args.seconds, kill_every)
            report(result)
            results.append(result)
    summary(results)
    ok = all(result.ok for result in results)
    print("OK" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

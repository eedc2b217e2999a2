"""Learners answering drills at once through the answer endpoint (/en/drill/answer/), with
network retries and two tabs sending the same answer: checks that every accepted answer is
recorded exactly once (one review per idempotency key, none lost, none counted twice, each on
its card) and that no request fails. Prints throughput and latency; exits 1 on failure.

    .venv/bin/python bench/drill_concurrency.py [--learners 32] [--seconds 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sheber_bench \\
        REDIS_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/drill_concurrency.py

Settings are `sheber.settings.dev` unless DJANGO_SETTINGS_MODULE says otherwise. Without
DATABASE_URL (or with a SQLite one) it runs on a new SQLite file in a temporary folder, with
Sheber's SQLite options. With a PostgreSQL URL it creates the database the URL names (default
`sheber_bench`; the name must contain "bench", as it is dropped first if it exists) and drops
it at the end. `run()` is the benchmark on the database Django is already configured with
(tests/glossary/test_drill_concurrency.py calls it).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.server import postgres_database  # noqa: E402

ANSWER = "/en/drill/answer/"
TERMS = 6
RETRY_SHARE = 0.25  # answers posted again right away with the same key (a network retry)
TWO_TABS_SHARE = 0.05  # answers posted by two tabs at the same moment with the same key
JSON_SHARE = 0.5  # answers that ask for JSON (Accept: application/json) instead of a redirect
ACCEPTED = (200, 302)
SHOWN_FAILURES = 3
KEEP_TRACEBACK = "bench.drill_concurrency.keep_traceback"


@dataclass
class Log:
    """What one thread sent and got back; threads keep their own and merge them at the end."""

    sent: dict = field(default_factory=dict)  # key -> (card pk, rating)
    accepted: set = field(default_factory=set)  # keys answered with 200 or 302
    posts: int = 0
    latencies: list = field(default_factory=list)  # seconds, one per response
    server_errors: int = 0  # 5xx responses and exceptions
    rejected: int = 0  # any other status: a valid answer turned away
    failures: list = field(default_factory=list)  # descriptions of the first few

    def fail(self, description, *, server_error):
        if server_error:
            self.server_errors += 1
        else:
            self.rejected += 1
        if len(self.failures) < SHOWN_FAILURES:
            self.failures.append(description)

    def merge(self, other):
        self.sent.update(other.sent)
        self.accepted |= other.accepted
        self.posts += other.posts
        self.latencies += other.latencies
        self.server_errors += other.server_errors
        self.rejected += other.rejected
        self.failures += other.failures[: max(SHOWN_FAILURES - len(self.failures), 0)]


@dataclass
class Result:
    learners: int
    seconds: float  # how long the load ran
    vendor: str
    accepted: int  # distinct answers (keys) accepted
    posts: int
    repeats: int  # posts of a key already sent: retries and second tabs
    latencies: list
    server_errors: int
    rejected: int
    failures: list  # the first few failed requests, with tracebacks
    problems: list  # every broken promise; empty when all is well

    @property
    def ok(self):
        return not self.problems

    @property
    def per_second(self):
        return self.accepted / self.seconds if self.seconds else 0.0

    def percentile(self, share):
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100)[round(share * 100) - 1]


def run(learners=32, seconds=20.0):
    """Make `learners` learners with a card per term, let each answer from its own thread for
    `seconds`, then check the reviews against what the server accepted."""
    from django.db import connection

    cards = set_up(learners)
    log, elapsed = load(cards, seconds)
    problems = check(cards, log)
    return Result(
        learners=learners,
        seconds=elapsed,
        vendor=connection.vendor,
        accepted=len(log.accepted),
        posts=log.posts,
        repeats=log.posts - len(log.sent),
        latencies=log.latencies,
        server_errors=log.server_errors,
        rejected=log.rejected,
        failures=log.failures,
        problems=problems,
    )


def set_up(learners):
    """{learner: [card pk, ...]}: a few approved terms, every learner with a card per term, due
    now."""
    from django.utils import timezone

    from glossary.factories import TermFactory
    from glossary.models import Card
    from learners.factories import LearnerFactory

    terms = TermFactory.create_batch(TERMS)
    run_id = uuid.uuid4().hex[:8]
    people = [
        # An unusable password: hashing a real one takes most of a second in development.
        LearnerFactory(email=f"drill-bench-{run_id}-{number}@example.kz", password=None)
        for number in range(learners)
    ]
    now = timezone.now()
    Card.objects.bulk_create(
        [Card(learner=person, term=term, due=now) for person in people for term in terms]
    )
    return {
        person: list(Card.objects.filter(learner=person).values_list("pk", flat=True))
        for person in people
    }


def load(cards, seconds):
    """Run one thread per learner for `seconds`; returns the merged log and the time taken."""
    from django.core.signals import got_request_exception

    got_request_exception.connect(keep_traceback, dispatch_uid=KEEP_TRACEBACK)
    try:
        return run_threads(cards, seconds)
    finally:
        got_request_exception.disconnect(dispatch_uid=KEEP_TRACEBACK)


def keep_traceback(sender, request, **kwargs):
    """The traceback of a request that failed, kept on the request: the test client's own
    record of exceptions hears every thread's, so it cannot tell which request failed."""
    request.bench_traceback = traceback.format_exc()


def run_threads(cards, seconds):
    clock = {}
    start = threading.Barrier(len(cards), action=lambda: clock.update(start=time.monotonic()))
    logs = [Log() for _ in cards]
    threads = [
        threading.Thread(target=learner_thread, args=(learner, pks, seconds, start, log))
        for (learner, pks), log in zip(cards.items(), logs, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - clock.get("start", time.monotonic())
    merged = Log()
    for log in logs:
        merged.merge(log)
    return merged, elapsed


def learner_thread(learner, card_pks, seconds, start, log):
    from django.db import connections

    rng = random.Random()  # noqa: S311 (load, not secrets)
    try:
        client = logged_in_client(learner)
        tab = logged_in_client(learner, cookies=client.cookies)  # a second tab, same session
        start.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            key = uuid.uuid4().hex
            answer = {
                "card": rng.choice(card_pks),
                "key": key,
                "deck": "due",
                "mode": "flashcard",
                "rating": rng.randint(1, 4),
            }
            log.sent[key] = (answer["card"], answer["rating"])
            headers = {"HTTP_ACCEPT": "application/json"} if rng.random() < JSON_SHARE else {}
            if rng.random() < TWO_TABS_SHARE:
                post_from_two_tabs(client, tab, answer, headers, log)
            else:
                post(client, answer, headers, log)
            if rng.random() < RETRY_SHARE:
                post(client, answer, headers, log)
        client.logout()  # deletes the session (it may live in a shared Redis)
    except threading.BrokenBarrierError:
        log.fail(f"{learner}: another thread failed before the start", server_error=True)
    except Exception:
        start.abort()
        log.fail(f"{learner}: outside a request\n{traceback.format_exc()}", server_error=True)
    finally:
        connections.close_all()


def post_from_two_tabs(client, tab, answer, headers, log):
    """The same answer from two tabs at once: a helper thread posts it with the main one."""
    from django.db import connections

    together = threading.Barrier(2)
    tab_log = Log()

    def other_tab():
        try:
            together.wait()
            post(tab, answer, headers, tab_log)
        finally:
            connections.close_all()

    helper = threading.Thread(target=other_tab)
    helper.start()
    together.wait()
    post(client, answer, headers, log)
    helper.join()
    log.merge(tab_log)


def post(client, answer, headers, log):
    from django.contrib.messages.storage.cookie import CookieStorage

    log.posts += 1
    started = time.perf_counter()
    try:
        response = client.post(ANSWER, answer, **headers)
    except Exception:
        log.fail(f"key {answer['key']}: exception\n{traceback.format_exc()}", server_error=True)
        return
    log.latencies.append(time.perf_counter() - started)
    # A browser shows the feedback on the page it is redirected to; without that, messages
    # would pile up in the cookie, then in the session, and every answer would rewrite it.
    client.cookies.pop(CookieStorage.cookie_name, None)
    if response.status_code in ACCEPTED:
        log.accepted.add(answer["key"])
        return
    detail = getattr(response.wsgi_request, "bench_traceback", "")
    detail = detail or response.content[:500].decode(errors="replace")
    log.fail(
        f"key {answer['key']}: HTTP {response.status_code}\n{detail}",
        server_error=response.status_code >= 500,
    )


def logged_in_client(learner, cookies=None):
    from django.conf import settings
    from django.test import Client

    host = next(
        (name for name in settings.ALLOWED_HOSTS if name != "*" and not name.startswith(".")),
        "localhost",
    )
    # A failed request answers 500 rather than raising: the client would raise an exception in
    # every thread that is in the middle of a request (see keep_traceback).
    client = Client(raise_request_exception=False, HTTP_HOST=host, SERVER_NAME=host)
    if cookies is None:
        client.force_login(learner)
    else:
        client.cookies.load({name: morsel.value for name, morsel in cookies.items()})
    return client


def check(cards, log):
    """What went wrong: lost answers, answers counted twice, reviews on the wrong card, failed
    requests. Empty when every promise holds."""
    from glossary.models import Review

    reviews = list(
        Review.objects.filter(learner__in=list(cards)).values_list(
            "idempotency_key", "card_id", "rating"
        )
    )
    per_key = Counter(key for key, _card, _rating in reviews)
    problems = []
    if len(reviews) != len(log.accepted):
        problems.append(f"{len(reviews)} reviews for {len(log.accepted)} accepted answers")
    if lost := [key for key in log.accepted if per_key[key] == 0]:
        problems.append(f"{len(lost)} accepted answers have no review, e.g. key {lost[0]}")
    if doubled := [key for key, count in per_key.items() if count > 1]:
        problems.append(f"{len(doubled)} answers have more than one review, e.g. {doubled[0]}")
    if unaccepted := [key for key in per_key if key not in log.accepted]:
        problems.append(f"{len(unaccepted)} reviews for answers that were never accepted")
    if wrong := [
        (key, card, rating) for key, card, rating in reviews if log.sent.get(key) != (card, rating)
    ]:
        problems.append(f"{len(wrong)} reviews on another card or with another rating than sent")
    expected = Counter(log.sent[key][0] for key in log.accepted)
    recorded = Counter(card for _key, card, _rating in reviews)
    if miscounted := [card for card in expected | recorded if expected[card] != recorded[card]]:
        problems.append(f"{len(miscounted)} cards whose reviews differ from their accepted answers")
    if log.server_errors:
        problems.append(f"{log.server_errors} requests failed with 5xx or an exception")
    if log.rejected:
        problems.append(f"{log.rejected} valid answers were turned away (4xx or another status)")
    if not log.accepted:
        problems.append("no answer was accepted")
    return problems


def report(result):
    rows = [
        ("learners", result.learners),
        ("seconds", f"{result.seconds:.1f}"),
        ("database", result.vendor),
        ("answers accepted", result.accepted),
        ("answers per second", f"{result.per_second:.1f}"),
        ("requests sent", result.posts),
        ("repeats sent", result.repeats),
        ("latency p50", f"{result.percentile(0.50) * 1000:.1f} ms"),
        ("latency p95", f"{result.percentile(0.95) * 1000:.1f} ms"),
        ("5xx", result.server_errors),
    ]
    for label, value in rows:
        print(f"{label:<20} {value}")
    for failure in result.failures:
        print(f"\nFailed request: {failure}")
    for problem in result.problems:
        print(f"FAIL: {problem}")
    print("OK" if result.ok else "FAIL")


def bench(learners, seconds):
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", verbosity=0)
    result = run(learners, seconds)
    connections.close_all()
    report(result)
    return 0 if result.ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    if args.learners < 1 or args.seconds <= 0:
        parser.error("--learners and --seconds must be positive")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sheber.settings.dev")

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres:", "postgresql:", "pgsql:")):
        with postgres_database(url) as bench_url:
            os.environ["DATABASE_URL"] = bench_url
            return bench(args.learners, args.seconds)
    if url and not url.startswith("sqlite"):
        print(f"Unsupported DATABASE_URL {url!r}: use SQLite (the default) or PostgreSQL.")
        return 2
    with tempfile.TemporaryDirectory() as folder:
        # A new file, so that the threads meet SQLite's real locking with Sheber's options.
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return bench(args.learners, args.seconds)


if __name__ == "__main__":
    sys.exit(main())

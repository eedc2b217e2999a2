"""The learner pages and answer endpoints under load, compared with a bare Django view.

    .venv/bin/python bench/pages.py [--database sqlite|postgres|both] [--seconds 10]
                                    [--scale 1.0] [--learners 200]

For each database (a new SQLite file without Redis; then PostgreSQL from PG_BENCH_URL with Redis
from REDIS_BENCH_URL for cache and sessions): migrate, `create_load_data --scale`, start gunicorn
(2 workers, production settings through bench.settings), warm up, then load each target with
wrk (16 connections) for --seconds: the bare view first and last (their mean is the yardstick),
each learner page between, signed in, every request as another learner, then the answer
endpoints. Reports SQL queries per request (the X-Bench-Queries header of bench.middleware),
requests per second, p50 and p99 latency, the ratio to the bare view, and the compressed bytes
of each page's HTML, CSS and JS; marks every target missed. A full run (scale 1, both
databases) rewrites the table in bench/README.md.

Exits 1 when a response was a server error or another status than the target's own (the figure
would be an error page's), 2 on bad arguments.
"""

import argparse
import gzip
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.server import (  # noqa: E402
    PYTHON,
    REDIS_BENCH_URL,
    Gunicorn,
    database,
    environment,
    manage,
    prepare,
)

WRK = shutil.which("wrk") or "/usr/bin/wrk"
CONNECTIONS = 16
THREADS = 2
SAMPLES = 5  # requests per target read one by one for their query count and status
README = BASE_DIR / "bench" / "README.md"
TABLE_START = "<!-- pages table: bench/pages.py rewrites what follows -->"
TABLE_END = "<!-- end of pages table -->"
KB = 1000

# Sheber's targets (issue 8).
PAGE_RATIO = 0.30
ANSWER_RATIO = 0.40  # drill answer and lesson completion
P99_MS = 250
PAGE_BYTES = 60 * KB

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml", "Accept-Language": "en"}


@dataclass
class Target:
    """One row of the table: what wrk sends (a list of requests, one per learner and page)."""

    name: str
    kind: str  # "bare", "page" or "answer"
    requests: list  # [method, path, {header: value}, body]; "{key}" in a body: a fresh key
    expected: tuple = (200,)
    ratio_target: float | None = None
    single_use: bool = False  # each request may be sent once (a quiz submission)


@dataclass
class Measure:
    name: str
    kind: str
    queries: float | None = None
    per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    cpu_ms: float = 0.0  # the workers' CPU time per request: steady on a busy machine
    ratio: float | None = None
    cpu_ratio: float | None = None  # the bare view's CPU per request over this one's
    ratio_target: float | None = None
    requests: int = 0
    statuses: dict = field(default_factory=dict)
    errors: str = ""  # what made the figures meaningless, if anything


# The wrk script: each thread cycles through the request file from its own offset, replaces
# "{key}" in a body with a key never sent before, and counts every status; done() prints the
# totals on one line for the harness.
LUA = r"""
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(args[2])
  tag = args[3]
  items = {}
  for line in io.lines(args[1]) do
    local method, path, headers, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local h = {}
    for name, value in headers:gmatch("([^\31:]+): ([^\31]*)") do h[name] = value end
    if body == "" then body = nil end
    local item = {method = method, path = path, headers = h, body = body}
    if not (body and body:find("{key}", 1, true)) then
      item.formatted = wrk.format(method, path, h, body)
    end
    items[#items + 1] = item
  end
  position = id
  counts = {}
end

function request()
  local item = items[position % #items + 1]
  position = position + nthreads
  if item.formatted then return item.formatted end
  local key = tag .. "-" .. id .. "-" .. position
  local body = item.body:gsub("{key}", key)
  return wrk.format(item.method, item.path, item.headers, body)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      statuses[#statuses + 1] = status .. "=" .. n
    end
  end
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d %d %d %s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, table.concat(statuses, ",")))
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=10, help="per target (default 10)")
    parser.add_argument("--scale", type=float, default=1.0, help="passed to create_load_data")
    parser.add_argument("--seed", type=int, default=1, help="passed to create_load_data")
    parser.add_argument("--learners", type=int, default=200, help="signed-in learners cycled")
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--write-requests", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--write-submissions", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seconds <= 0 or args.scale <= 0 or args.learners < 1:
        parser.error("--seconds, --scale and --learners must be positive")
    if args.write_requests:  # run by the harness in the server's environment
        return write_requests(Path(args.write_requests), args.learners)
    if args.write_submissions:
        return write_submissions(Path(args.write_submissions), args.count)
    if not Path(WRK).exists():
        print("wrk is missing: run `make system-deps` (Debian package wrk).")
        return 2

    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    runs = {}
    for kind in kinds:
        runs[kind] = bench_database(kind, args)
    print_report(runs, args)
    if args.database == "both" and args.scale == 1.0:
        write_readme(runs, args)
        print(f"\nTable written to {README.relative_to(BASE_DIR)}.")
    failed = [m for run in runs.values() for m in run["measures"] if m.errors]
    for measure in failed:
        print(f"FAIL {measure.name}: {measure.errors}")
    return 1 if failed else 0


# The harness


def bench_database(kind, args):
    """Everything for one database: load data, server, every target. Returns the run's figures."""
    print(f"\n== {kind}: scale {args.scale}, {args.seconds:g} s per target", flush=True)
    with database(kind) as url, tempfile.TemporaryDirectory(prefix="sheber-pages-") as folder:
        folder = Path(folder)
        redis_url = REDIS_BENCH_URL if kind == "postgres" else None
        # A cache prefix of this run's own: nothing cached by an earlier run can be served.
        prefix = f"pagebench-{uuid.uuid4().hex[:8]}"
        env = environment(url, redis_url, CACHE_KEY_PREFIX=prefix)
        prepare(env)
        started = time.monotonic()
        manage(env, "create_load_data", f"--scale={args.scale}", f"--seed={args.seed}")
        load_seconds = time.monotonic() - started
        print(f"create_load_data: {load_seconds:.0f} s", flush=True)
        plan_file = folder / "requests.json"
        helper(env, "--write-requests", plan_file, "--learners", args.learners)
        plan = json.loads(plan_file.read_text())
        targets = [Target(**target) for target in plan["targets"]]
        lua = folder / "requests.lua"
        lua.write_text(LUA)
        log = folder / "gunicorn.log"
        measures = []
        try:
            with Gunicorn(args.port, env, workers=2, log=log) as server:
                bench = Bench(server, lua, folder, args.seconds)
                bench.warm_up(targets)
                bare = Target("bare view", "bare", [["GET", "/bench/bare/", {}, ""]])
                first = bench.measure(bare)
                for target in targets:
                    measures.append(bench.measure(target))
                    if target.name == "quiz save" and not measures[-1].errors:
                        measures.append(bench.measure_submissions(env, measures[-1]))
                last = bench.measure(bare)
                sizes = [bench.page_bytes(t) for t in targets if t.kind == "page"]
        finally:
            print_log_tail(log)
            if redis_url:
                forget(redis_url, prefix)
        yardstick = (first.per_second + last.per_second) / 2
        bare_cpu = (first.cpu_ms + last.cpu_ms) / 2
        for measure in measures:
            measure.ratio = measure.per_second / yardstick if yardstick else None
            measure.cpu_ratio = bare_cpu / measure.cpu_ms if measure.cpu_ms else None
        first.name, last.name = "bare view (first)", "bare view (last)"
        return {
            "measures": [first, *measures, last],
            "yardstick": yardstick,
            "sizes": sizes,
            "load_seconds": load_seconds,
            "versions": plan["versions"],
        }


def forget(redis_url, prefix):
    """Delete the run's cache entries and sessions from Redis."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}:*", count=1000):
        client.delete(key)


def helper(env, *args):
    """Run this script in the server's environment (Django set up with bench.settings)."""
    subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [PYTHON, __file__, *map(str, args)], cwd=BASE_DIR, env=env, check=True
    )


class Bench:
    def __init__(self, server, lua, folder, seconds):
        self.server = server
        self.lua = lua
        self.folder = folder
        self.seconds = seconds
        self.runs = 0

    def warm_up(self, targets):
        """The first requests of every page one by one (those sampled for query counts), then
        a few seconds of mixed pages: templates compiled, connections open, caches filled as a
        running site has them."""
        pages = [t for t in targets if t.kind == "page"]
        for target in pages:
            for method, path, headers, body in target.requests[: SAMPLES * 2]:
                self.fetch(method, path, headers, body)
        mixed = [request for target in pages for request in target.requests[:20]]
        self.wrk(mixed, min(self.seconds, 5))

    def measure(self, target):
        """Sample a few requests for their query count and status, then load the target."""
        print(f"  {target.name:<18}", end=" ", flush=True)
        requests = target.requests
        statuses, queries = {}, []
        for method, path, headers, body in requests[:SAMPLES]:
            status, response_headers, _content = self.fetch(method, path, headers, body)
            statuses[status] = statuses.get(status, 0) + 1
            if "x-bench-queries" in response_headers:
                queries.append(int(response_headers["x-bench-queries"]))
        if target.single_use:
            requests = requests[SAMPLES:]
        cpu = self.worker_cpu()
        result = self.wrk(requests, self.seconds)
        cpu = self.worker_cpu() - cpu
        for status, count in result["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
        measure = Measure(
            name=target.name,
            kind=target.kind,
            queries=statistics.median(queries) if queries else None,
            per_second=result["per_second"],
            p50_ms=result["p50_ms"],
            p99_ms=result["p99_ms"],
            cpu_ms=cpu * 1000 / result["requests"] if result["requests"] else 0.0,
            ratio_target=target.ratio_target,
            requests=result["requests"],
            statuses=statuses,
        )
        measure.errors = problems(target, measure, result, len(requests))
        print(
            f"{measure.per_second:8.1f} req/s  p50 {measure.p50_ms:6.1f} ms  "
            f"p99 {measure.p99_ms:6.1f} ms  CPU {measure.cpu_ms:5.2f} ms/request  "
            f"queries {measure.queries}",
            flush=True,
        )
        if measure.errors:
            print(f"  !! {measure.errors}", flush=True)
        return measure

    def worker_cpu(self):
        """Seconds of CPU the gunicorn workers have used (user and system)."""
        total = 0
        for pid in self.server.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def measure_submissions(self, env, save):
        """Quiz submit: each attempt can be submitted once, so start enough attempts for this
        run (half as many again as quiz save served in the same time) before loading them."""
        count = int(save.per_second * self.seconds * 1.5) + 100
        path = self.folder / "submissions.json"
        helper(env, "--write-submissions", path, "--count", count)
        requests = json.loads(path.read_text())
        target = Target("quiz submit", "answer", requests, single_use=True)
        if len(requests) <= SAMPLES:
            return Measure(target.name, target.kind, errors="no quiz attempt could be started")
        return self.measure(target)

    def wrk(self, requests, seconds):
        self.runs += 1
        file = self.folder / f"wrk-{self.runs}.tsv"
        with file.open("w") as out:
            for method, path, headers, body in requests:
                header_text = "\x1f".join(f"{name}: {value}" for name, value in headers.items())
                out.write(f"{method}\t{path}\t{header_text}\t{body}\n")
        completed = subprocess.run(  # noqa: S603
            [
                WRK,
                f"-t{THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{seconds:g}s",
                "--timeout=10s",
                f"--script={self.lua}",
                self.server.url(""),
                "--",
                str(file),
                str(THREADS),
                uuid.uuid4().hex[:12],
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        line = next(
            (line for line in completed.stdout.splitlines() if line.startswith("BENCH ")), None
        )
        if line is None:
            raise RuntimeError(f"wrk gave no result:\n{completed.stdout}\n{completed.stderr}")
        fields = line.split()
        requests_done, duration_us, p50, p99 = (int(value) for value in fields[1:5])
        statuses = {}
        for pair in fields[9].split(",") if len(fields) > 9 else []:
            status, count = pair.split("=")
            statuses[int(status)] = statuses.get(int(status), 0) + int(count)
        return {
            "requests": requests_done,
            "per_second": requests_done / (duration_us / 1e6) if duration_us else 0.0,
            "p50_ms": p50 / 1000,
            "p99_ms": p99 / 1000,
            "socket_errors": dict(
                zip(["connect", "read", "write", "timeout"], fields[5:9], strict=True)
            ),
            "statuses": statuses,
        }

    def fetch(self, method, path, headers, body, encoding=None):
        if body and "{key}" in body:
            body = body.replace("{key}", uuid.uuid4().hex)
        headers = dict(headers)
        if encoding:
            headers["Accept-Encoding"] = encoding
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            content = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, content
        finally:
            connection.close()

    def page_bytes(self, target):
        """The page's HTML gzipped (Django leaves compression to the proxy in front of it) and
        each stylesheet and script it loads as WhiteNoise serves it with `br, gzip` accepted,
        following the `import`s of JavaScript modules."""
        method, path, headers, body = target.requests[0]
        _status, _headers, html = self.fetch(method, path, headers, body)
        text = html.decode()
        styles = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
        scripts = re.findall(r'<script[^>]+src="([^"]+)"', text)
        css = sum(self.static_bytes(href)[0] for href in dict.fromkeys(styles))
        js, seen = 0, set()
        queue = list(dict.fromkeys(scripts))
        while queue:
            src = queue.pop()
            if src in seen:
                continue
            seen.add(src)
            size, content = self.static_bytes(src)
            js += size
            imports = re.findall(r'import\s[^;]*?from\s+["\'](\.{1,2}/[^"\']+)["\']', content)
            queue.extend(urljoin(src, name) for name in imports)
        return {
            "name": target.name,
            "html": len(gzip.compress(html, compresslevel=6)),
            "css": css,
            "js": js,
        }

    def static_bytes(self, url):
        """(bytes transferred, decoded text) for one static file."""
        path = urlsplit(url).path
        status, _headers, content = self.fetch("GET", path, {}, "", encoding="br, gzip")
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        plain = self.fetch("GET", path, {}, "")[2].decode()
        return len(content), plain


def problems(target, measure, result, sent):
    """Why the figures do not describe the target, or "" when they do."""
    found = []
    unexpected = {s: n for s, n in measure.statuses.items() if s not in target.expected}
    if unexpected:
        listed = ", ".join(f"{n}× {s}" for s, n in sorted(unexpected.items()))
        found.append(f"unexpected statuses {listed} (expected {target.expected})")
    failures = {k: int(v) for k, v in result["socket_errors"].items() if int(v)}
    if failures:
        found.append(f"socket errors {failures}")
    if target.single_use and result["requests"] > sent:
        found.append(f"{result['requests']} requests for {sent} prepared: some were repeats")
    if not result["requests"]:
        found.append("no request completed")
    return "; ".join(found)


def print_log_tail(log, lines=30):
    text = log.read_text(errors="replace") if log.exists() else ""
    if text.strip():
        print(f"--- last lines of the gunicorn log ---\n{''.join(text.splitlines(True)[-lines:])}")


# Writing the requests (in the server's environment)


def write_requests(path, learner_count):
    """The targets' requests, as JSON, for the first `learner_count` load learners: each
    request signed in as a learner, cycling through learners and pages."""
    import django

    django.setup()
    from courses.models import CatalogueIndexPage, LessonPage, ModulePage, QuizAttempt, QuizPage
    from glossary.models import Card, Term
    from home.models import HomePage, SubSector
    from learners.loaddata import learner_email
    from learners.models import User

    emails = [learner_email(number) for number in range(1, learner_count + 1)]
    learners = list(User.objects.filter(email__in=emails, is_active=True).order_by("email"))
    if not learners:
        raise SystemExit("No load learners: did create_load_data run?")
    sessions = {learner.pk: signed_in(learner) for learner in learners}

    def english(model):
        return model.objects.live().filter(locale__language_code="en").order_by("path")

    home = english(HomePage).first()
    catalogue = english(CatalogueIndexPage).first()
    modules = list(english(ModulePage))
    lessons = list(english(LessonPage))
    quizzes = list(english(QuizPage))
    terms = list(Term.objects.approved().order_by("pk")[:500])
    sectors = [sector for sector in SubSector.objects.sectors() if sector.terms.exists()]
    words = sorted({term.headword.split()[0].lower()[:6] for term in terms[:100]})
    open_attempts = list(
        QuizAttempt.objects.filter(learner__in=learners, submitted_at__isnull=True)
        .select_related("quiz")
        .order_by("pk")
    )
    cards = {}
    for learner_id, card_id in (
        Card.objects.filter(learner__in=learners, suspended=False)
        .order_by("learner", "due")
        .values_list("learner", "pk")
    ):
        if len(cards.setdefault(learner_id, [])) < 20:
            cards[learner_id].append(card_id)
    missing = [
        name
        for name, found in [
            ("home page", home),
            ("catalogue", catalogue),
            ("modules", modules),
            ("lessons", lessons),
            ("quizzes", quizzes),
            ("approved terms", terms),
            ("sectors with terms", sectors),
            ("open quiz attempts of the load learners", open_attempts),
            ("drill cards of the load learners", cards),
        ]
        if not found
    ]
    if missing:
        raise SystemExit(f"The load data lacks: {', '.join(missing)}.")

    def cycle(paths):
        """GETs, as many as learners × paths allow (at most 5,000): request n is learner n's
        (modulo) for path n (modulo), so that consecutive requests differ in both."""
        count = min(max(len(learners), len(paths)) * 4, 5000)
        return [
            [
                "GET",
                paths[n % len(paths)],
                {**BROWSER, **sessions[learners[n % len(learners)].pk]},
                "",
            ]
            for n in range(count)
        ]

    def post(requests_by_learner, headers=JSON):
        """POSTs with the learner's session and CSRF token: [(learner pk, path, body), ...]."""
        return [
            ["POST", path, {**FORM, **headers, **sessions[pk], **csrf(sessions[pk])}, body]
            for pk, path, body in requests_by_learner
        ]

    drill_answers = []
    for number in range(max(len(learners) * 10, 2000)):
        learner = learners[number % len(learners)]
        own = cards.get(learner.pk)
        if own:
            card = own[(number // len(learners)) % len(own)]
            fields = {"card": card, "deck": "due", "mode": "flashcard", "rating": number % 4 + 1}
            drill_answers.append(
                (learner.pk, "/en/drill/answer/", f"{urlencode(fields)}&key={{key}}")
            )
    saves = [
        (attempt.learner_id, attempt_url(attempt), urlencode(answers(attempt, "save"), doseq=True))
        for attempt in open_attempts
    ]
    completions = [
        (learner.pk, f"{lessons[n % len(lessons)].url}complete/", "")
        for n, learner in enumerate(learners * max(1, 2000 // len(learners)))
    ]
    page = "page"
    targets = [
        Target("home", page, cycle([home.url])),
        Target("catalogue", page, cycle([catalogue.url])),
        Target("module", page, cycle([module.url for module in modules])),
        Target("lesson", page, cycle([lesson.url for lesson in lessons])),
        Target("glossary index", page, cycle(["/en/glossary/"])),
        Target("glossary search", page, cycle([f"/en/glossary/?q={word}" for word in words])),
        Target("term page", page, cycle([f"/en/glossary/{term.slug}/" for term in terms])),
        Target("sector page", page, cycle([f"/en/sectors/{s.slug}/" for s in sectors])),
        Target("drill page", page, cycle(["/en/drill/"])),
        Target("quiz page", page, cycle([quiz.url for quiz in quizzes])),
        Target(
            "quiz attempt",
            page,
            [["GET", url, {**BROWSER, **sessions[pk]}, ""] for pk, url, _body in saves],
        ),
        Target("dashboard", page, cycle(["/en/me/"])),
        Target("drill answer", "answer", post(drill_answers), ratio_target=ANSWER_RATIO),
        Target("quiz save", "answer", post(saves)),
        Target(
            "lesson complete",
            "answer",
            post(completions, BROWSER),
            expected=(302,),
            ratio_target=ANSWER_RATIO,
        ),
    ]
    for target in targets:
        if target.kind == "page":
            target.ratio_target = PAGE_RATIO
    path.write_text(
        json.dumps({"targets": [vars(t) for t in targets], "versions": versions()}, indent=1)
    )
    return 0


def write_submissions(path, count):
    """Quiz submissions for `count` attempts started now, through the quizzes' own
    start_attempt, by load learners from the last one back (the others keep theirs)."""
    import django

    django.setup()
    from courses.models import QuizAttempt, QuizPage
    from courses.quizzes import start_attempt
    from learners.loaddata import DOMAIN
    from learners.models import User

    quizzes = list(QuizPage.objects.live().filter(locale__language_code="en").order_by("path"))
    requests = []
    learners = User.objects.filter(
        email__startswith="learner", email__endswith=f"@{DOMAIN}"
    ).order_by("-email")
    for learner in learners.iterator():
        if len(requests) >= count:
            break
        session = signed_in(learner)
        before = set(
            QuizAttempt.objects.filter(learner=learner, submitted_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        for quiz in quizzes:
            attempt, _refusal = start_attempt(quiz, learner)
            if attempt is None or attempt.pk in before:
                continue
            body = urlencode(answers(attempt, "submit"), doseq=True)
            headers = {**FORM, **JSON, **session, **csrf(session)}
            requests.append(["POST", attempt_url(attempt), headers, body])
    if len(requests) < count:
        print(f"Only {len(requests)} quiz attempts could be started (wanted {count}).")
    path.write_text(json.dumps(requests))
    return 0


def signed_in(learner):
    """Cookie header of a new session signed in as `learner` (as the login view makes it) and
    a CSRF secret: {"Cookie": ...}."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = learner._meta.pk.value_to_string(learner)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = learner.get_session_auth_hash()
    store.create()
    secret = _get_new_csrf_string()
    return {
        "Cookie": (
            f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={secret}"
        )
    }


def csrf(session):
    """The X-CSRFToken header matching the session's CSRF cookie (the unmasked secret is a
    valid token)."""
    return {"X-CSRFToken": session["Cookie"].rpartition("=")[2]}


def attempt_url(attempt):
    return attempt.quiz.url + attempt.quiz.reverse_subpage("attempt", args=[attempt.number])


def answers(attempt, action):
    """A form answering the attempt's choice questions with their first choice."""
    data = {"action": action}
    for entry in attempt.layout:
        if entry["type"] in ("single_choice", "multiple_choice"):
            data[f"q-{entry['key']}"] = "0"
        elif entry["type"] == "true_false":
            data[f"q-{entry['key']}"] = "true"
    return data


def versions():
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            database_version = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("show server_version")
            database_version = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    found = {"database": database_version}
    if settings.REDIS_URL:
        import redis

        info = redis.Redis.from_url(settings.REDIS_URL).info("server")
        found["redis"] = f"Redis {info['redis_version']}"
    return found


# The report


def mark(missed):
    return " ✗" if missed else ""


def rows(run):
    """Markdown table cells for each measure of one database run."""
    cells = {}
    for m in run["measures"]:
        ratio = ""
        if m.ratio is not None:
            ratio = f"{m.ratio:.0%}{mark(m.ratio_target and m.ratio < m.ratio_target)}"
        p99_missed = m.kind != "bare" and m.p99_ms >= P99_MS
        cells[m.name] = [
            "–" if m.queries is None else f"{m.queries:g}",
            f"{m.per_second:,.0f}",
            f"{m.p50_ms:.1f}",
            f"{m.p99_ms:.1f}{mark(p99_missed)}",
            f"{m.cpu_ms:.2f}",
            ratio or "–",
            "–" if m.cpu_ratio is None else f"{m.cpu_ratio:.0%}",
        ]
        if m.errors:
            cells[m.name][1] += " (error)"
    return cells


def table(runs):
    names = []
    for run in runs.values():
        names += [m.name for m in run["measures"] if m.name not in names]
    labels = {"sqlite": "SQLite", "postgres": "PostgreSQL + Redis"}
    head = ["target"]
    for kind in runs:
        head += [
            f"{labels[kind]}: queries",
            "req/s",
            "p50 ms",
            "p99 ms",
            "CPU ms",
            "÷ bare",
            "÷ bare CPU",
        ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    cells = {kind: rows(run) for kind, run in runs.items()}
    for name in names:
        row = [name]
        for kind in runs:
            row += cells[kind].get(name, ["–"] * 7)
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def size_table(sizes):
    lines = [
        "| page | HTML kB | CSS kB | JS kB | total kB |",
        "|---|---|---|---|---|",
    ]
    for size in sizes:
        total = size["html"] + size["css"] + size["js"]
        lines.append(
            f"| {size['name']} | {size['html'] / KB:.1f} | {size['css'] / KB:.1f} | "
            f"{size['js'] / KB:.1f} | {total / KB:.1f}{mark(total >= PAGE_BYTES)} |"
        )
    return "\n".join(lines)


def machine(runs, args):
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    found = [f"Python {platform.python_version()}"]
    for run in runs.values():
        found += [v for v in run["versions"].values() if v not in found]
    loads = ", ".join(f"{kind} {run['load_seconds']:.0f} s" for kind, run in runs.items())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {cpu}, {os.cpu_count()} cores; "
        f"{', '.join(found)}; gunicorn 2 workers, wrk {THREADS} threads × {CONNECTIONS} "
        f"connections, {args.seconds:g} s per target; load data scale {args.scale:g} "
        f"(create_load_data: {loads})."
    )


def legend():
    return (
        f"✗: misses a target (every learner page ≥ {PAGE_RATIO:.0%} of the bare view's req/s, "
        f"drill answer and lesson complete ≥ {ANSWER_RATIO:.0%}, p99 < {P99_MS} ms, HTML + CSS "
        f"+ JS < {PAGE_BYTES // KB} kB compressed). ÷ bare: req/s over the mean of the two bare "
        "view runs. CPU ms: the gunicorn workers' CPU time per request (not the database's or "
        "Redis's), steadier than req/s when other work shares the machine; ÷ bare CPU: the bare "
        "view's CPU ms over the target's, what ÷ bare would be if the workers' CPU were the "
        "only limit. Queries: the median "
        "of five requests. Sizes: the HTML gzipped at level 6 "
        "(as a proxy would), CSS and JS as WhiteNoise serves them to a browser accepting "
        "`br, gzip`; images excluded."
    )


def print_report(runs, args):
    print(f"\n{machine(runs, args)}\n")
    for kind, run in runs.items():
        print(f"{kind}: bare view yardstick {run['yardstick']:,.0f} req/s")
    print()
    print(table(runs))
    print()
    print(size_table(next(iter(runs.values()))["sizes"]))
    print()
    print(legend())


def write_readme(runs, args):
    section = "\n\n".join(
        [
            TABLE_START,
            machine(runs, args),
            table(runs),
            size_table(runs["sqlite"]["sizes"]),
            legend(),
            TABLE_END,
        ]
    )
    text = README.read_text() if README.exists() else ""
    if TABLE_START in text and TABLE_END in text:
        before, _rest = text.split(TABLE_START, 1)
        after = _rest.split(TABLE_END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    README.write_text(text)


if __name__ == "__main__":
    sys.exit(main())

"""Sheber under gunicorn with production settings, on a database made for one benchmark run.

    with database("sqlite") as url:                 # or "postgres"
        env = environment(url)                       # environment(url, REDIS_BENCH_URL)
        prepare(env)                                 # migrate, collectstatic
        with Gunicorn(8101, env) as server:
            server.url("/en/")                       # http://127.0.0.1:8101/en/
            server.worker_pids()                     # for SIGKILL runs

A SQLite database is a new file in a temporary folder; a PostgreSQL one is created from
PG_BENCH_URL (default postgres://postgres@127.0.0.1:5432/sheber_bench), after dropping a leftover
of the same name, and dropped at the end: its name must contain "bench".
"""

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PG_BENCH_URL = os.environ.get("PG_BENCH_URL", "postgres://postgres@127.0.0.1:5432/sheber_bench")
REDIS_BENCH_URL = os.environ.get("REDIS_BENCH_URL", "redis://127.0.0.1:6379/2")
SECRET_KEY = secrets.token_urlsafe(50)  # one per benchmark process: every server shares it


@contextmanager
def database(kind, *, name=None):
    """Yield the DATABASE_URL of a new, empty database: kind is "sqlite" or "postgres"."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="sheber-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    elif kind == "postgres":
        url = PG_BENCH_URL
        if name:
            url = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
        with postgres_database(url) as created:
            yield created
    else:
        raise ValueError(f"Unknown database kind {kind!r}: use 'sqlite' or 'postgres'.")


@contextmanager
def postgres_database(url):
    """Create the database `url` names (dropping a leftover one first), yield the URL, drop it."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.path.strip("/") == "":
        url = urlunsplit(parts._replace(path="/sheber_bench"))
    config = dj_database_url.parse(url)
    name = config["NAME"]
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to use database {name!r}: it is dropped, so its name must contain 'bench'."
        )
    server = psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    )

    def drop():
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    try:
        drop()
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield url
    finally:
        try:
            from django.conf import settings
            from django.db import connections
        except ImportError:
            pass
        else:
            if settings.configured:  # a bench that also uses Django in its own process
                connections.close_all()
        drop()
        server.close()


def environment(database_url, redis_url=None, **extra):
    """The environment of a production server (and of manage.py commands) for a bench run:
    plain HTTP on 127.0.0.1, Redis for cache and sessions when `redis_url` is given."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=SECRET_KEY,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        PYTHONPATH=str(BASE_DIR),
        **extra,
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(env, *args, quiet=True):
    """Run `manage.py args` in the bench environment; raises CalledProcessError on failure."""
    subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [PYTHON, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def prepare(env):
    """Migrate the database and collect the static files the production settings serve."""
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")


class Gunicorn:
    """`gunicorn sheber.wsgi` (with bench.settings) on 127.0.0.1:`port`, as a context manager
    that waits until the server answers and stops it (and its workers) on exit."""

    def __init__(self, port, env, *, workers=2, timeout=30, log=None):
        self.port = port
        self.env = env
        self.workers = workers
        self.timeout = timeout
        self.log = log
        self.process = None

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(  # noqa: S603
            [
                GUNICORN,
                "sheber.wsgi",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                f"--timeout={self.timeout}",
                "--graceful-timeout=5",
                "--keep-alive=5",
                "--log-level=warning",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=output,
            stderr=output,
        )
        self.wait_until_ready()
        return self

    def wait_until_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {self.port} exited: see {self.log}")
            try:
                with urllib.request.urlopen(self.url("/bench/bare/"), timeout=2) as response:  # noqa: S310
                    if response.status == 200 and len(self.worker_pids()) == self.workers:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on port {self.port} did not answer in {seconds} s")

    def worker_pids(self):
        """The process ids of the current workers (the arbiter restarts a killed one)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except FileNotFoundError:
            return []

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return False

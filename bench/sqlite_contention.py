"""Concurrent read-then-write transactions on one SQLite file, with Django's default SQLite
options and with Sheber's (sheber/settings/base.py). Prints the share of transactions that fail
with "database is locked" and checks that no successful update was lost.

    .venv/bin/python bench/sqlite_contention.py [--workers 16] [--transactions 40]
"""

import argparse
import sys
import tempfile
import threading
from pathlib import Path

import django
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def sheber_sqlite_options():
    """The OPTIONS that sheber.settings.base gives a SQLite database."""
    import os

    os.environ.pop("DATABASE_URL", None)
    from sheber.settings import base

    return base.DATABASES["default"]["OPTIONS"]


def configure(folder):
    settings.configure(
        DATABASES={
            "django_defaults": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": folder / "defaults.sqlite3",
            },
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": folder / "sheber.sqlite3",
                "OPTIONS": sheber_sqlite_options(),
            },
        },
        USE_TZ=True,
    )
    django.setup()


def run(alias, workers, transactions):
    from django.db import OperationalError, connections, transaction

    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
        cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
    connections[alias].close()

    outcomes = {"ok": 0, "locked": 0}
    lock = threading.Lock()
    start = threading.Barrier(workers)

    def worker():
        start.wait()
        for _ in range(transactions):
            try:
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("SELECT value FROM counter WHERE id = 1")
                    (value,) = cursor.fetchone()
                    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
                result = "ok"
            except OperationalError as error:
                if "locked" not in str(error):
                    raise
                result = "locked"
            with lock:
                outcomes[result] += 1
        connections[alias].close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        (final,) = cursor.fetchone()
    return outcomes, final


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--transactions", type=int, default=40)
    args = parser.parse_args()
    total = args.workers * args.transactions

    with tempfile.TemporaryDirectory() as folder:
        configure(Path(folder))
        print(f"{args.workers} threads x {args.transactions} read-then-write transactions")
        print(f"{'options':<16} {'failed':>8} {'lost updates':>13}")
        lost_anywhere = False
        for alias, label in (("django_defaults", "Django defaults"), ("default", "Sheber")):
            outcomes, final = run(alias, args.workers, args.transactions)
            lost = outcomes["ok"] - final
            lost_anywhere |= lost != 0
            share = outcomes["locked"] / total
            print(f"{label:<16} {share:>7.0%} {lost:>13}")
    return 1 if lost_anywhere else 0


if __name__ == "__main__":
    sys.exit(main())

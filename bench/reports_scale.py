"""The trainer reports over a whole city's learners: 5,000 learners in a cohort, 500,000 drill
reviews, cards, lesson completions and quiz attempts, then each report's first page and its CSV
and XLSX exports, timed, with their query counts. Fails (exit 1) if a page or an export does not
answer 200.

    .venv/bin/python bench/reports_scale.py [--learners 5000] [--reviews 500000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sheber_bench \\
        .venv/bin/python bench/reports_scale.py

Like bench/drill_concurrency.py: a fresh SQLite file by default, or its own PostgreSQL database
(created, then dropped) when DATABASE_URL names one.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.drill_concurrency import postgres_database  # noqa: E402

BATCH = 5000
REPORTS = ["learners", "funnel", "quiz-items", "hard-terms"]


def seed(learner_count, review_count):
    """Learners with progress in one module, its quiz and the drills (bulk inserts)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from courses.content import load_catalogue
    from courses.models import Enrolment, LessonCompletion, LessonPage, QuizAttempt
    from glossary.factories import TermFactory
    from glossary.models import Card, CardState, Review
    from home.content import load_home_page
    from learners.models import Cohort, User
    from tests.courses.conftest import QUESTIONS, build_module, build_quiz

    rng = random.Random(7)  # noqa: S311 (test data, not secrets)
    now = timezone.now()
    load_home_page()
    module = build_module(load_catalogue(), lessons=5)
    quiz = build_quiz(module, questions=QUESTIONS)
    lessons = list(LessonPage.objects.child_of(module).order_by("path"))
    terms = TermFactory.create_batch(200)
    learners_group = Group.objects.get(name="Learners")
    users = User.objects.bulk_create(
        User(
            email=f"learner{n}@bench.kz",
            display_name=f"Learner {n}",
            city=rng.choice(["Astana", "Almaty", "Shymkent"]),
            password=make_password(None),
        )
        for n in range(learner_count)
    )
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=learners_group.pk) for user in users
    )
    cohort = Cohort.objects.create(name="Everyone")
    cohort.members.add(*users)
    Enrolment.objects.bulk_create(
        Enrolment(learner=user, module_key=module.translation_key) for user in users
    )
    LessonCompletion.objects.bulk_create(
        LessonCompletion(
            learner=user, module_key=module.translation_key, lesson_key=lesson.translation_key
        )
        for user in users
        for lesson in lessons[: rng.randint(0, len(lessons))]
    )
    QuizAttempt.objects.bulk_create(
        QuizAttempt(
            learner=user,
            quiz_key=quiz.translation_key,
            quiz=quiz,
            revision_id=quiz.live_revision_id,
            number=1,
            started_at=now,
            submitted_at=now,
            percent=(percent := rng.randint(0, 100)),
            passed=percent >= 70,
            scores={q["id"]: [rng.choice([0, 1]), 1] for q in QUESTIONS},
            responses={"single": rng.choice(["i1", "i2", "i3"])},
        )
        for user in users
    )
    per_learner = max(review_count // learner_count, 1)
    cards_each = min(20, per_learner)
    cards = Card.objects.bulk_create(
        (
            Card(
                learner=user,
                term=terms[(user.pk + number) % len(terms)],
                due=now,
                state=CardState.REVIEW,
                stability=rng.uniform(1, 40),
                lapses=rng.randint(0, 9),
            )
            for user in users
            for number in range(cards_each)
        ),
        batch_size=BATCH,
    )
    reviews = (
        Review(
            learner_id=card.learner_id,
            card=card,
            rating=rng.randint(1, 4),
            mode="typing",
            card_state=CardState.REVIEW,
            reviewed_at=now,
            idempotency_key=f"{card.pk}-{number}",
        )
        for card in cards
        for number in range(per_learner // cards_each)
    )
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    return cohort


def measure(client, path):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the seeding filled the query log
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, time.perf_counter() - started, len(captured), len(body)


def bench(learner_count, review_count):
    import django
    from django.core.management import call_command

    django.setup()
    from django.test import Client
    from django.test.utils import override_settings

    from glossary.models import Review
    from learners.factories import TrainerFactory

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    cohort = seed(learner_count, review_count)
    seconds = time.perf_counter() - started
    print(f"seeded {learner_count} learners, {Review.objects.count()} reviews in {seconds:.0f} s")
    trainer = TrainerFactory(password=None)
    failures = 0
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client()
        client.force_login(trainer)
        print(f"{'report':<28}{'status':>7}{'seconds':>9}{'queries':>9}{'kB':>9}")
        for name in REPORTS:
            base = f"/admin/reports/sheber/{name}/?cohort={cohort.pk}"
            pages = [(name, base)]
            pages += [(f"{name} {kind}", f"{base}&export={kind}") for kind in ("csv", "xlsx")]
            for label, path in pages:
                status, seconds, queries, size = measure(client, path)
                failures += status != 200
                print(f"{label:<28}{status:>7}{seconds:>9.2f}{queries:>9}{size // 1024:>9}")
    print("OK" if not failures else "FAIL")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--reviews", type=int, default=500_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sheber.settings.dev")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres:", "postgresql:")):
        with postgres_database(url) as bench_url:
            os.environ["DATABASE_URL"] = bench_url
            return bench(args.learners, args.reviews)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'reports.sqlite3'}"
        return bench(args.learners, args.reviews)


if __name__ == "__main__":
    sys.exit(main())

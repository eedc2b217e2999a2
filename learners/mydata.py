"""A learner's own data: everything Sheber holds about them as a ZIP of JSON and CSV files, and
deleting their account with all of it. Every table that holds a learner's rows is listed here,
once, for both (tests check that nothing is missed)."""

import csv
import io
import json
import zipfile

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from courses.models import (
    Certificate,
    Enrolment,
    ExerciseAnswer,
    LessonCompletion,
    QuizAttempt,
)
from glossary.formats.csv_format import neutralise
from glossary.models import Card, Review

# file name -> (model, fields) of the learner's rows, exported as CSV
TABLES = {
    "enrolments.csv": (Enrolment, ["module_key", "enrolled_at", "completed_at"]),
    "lessons_completed.csv": (LessonCompletion, ["module_key", "lesson_key", "completed_at"]),
    "exercise_answers.csv": (ExerciseAnswer, ["lesson_key", "block_id", "text", "updated_at"]),
    "certificates.csv": (
        Certificate,
        ["code", "module_key", "learner_name", "module_title", "language", "issued_at"],
    ),
    "drill_cards.csv": (
        Card,
        [
            "term__headword",
            "state",
            "step",
            "stability",
            "difficulty",
            "due",
            "last_review",
            "lapses",
            "suspended",
            "saved",
            "added_at",
        ],
    ),
    "drill_reviews.csv": (
        Review,
        [
            "card__term__headword",
            "rating",
            "mode",
            "card_state",
            "reviewed_at",
            "duration_ms",
            "given_answer",
        ],
    ),
}
ATTEMPT_FIELDS = [
    "quiz_key",
    "quiz__title",
    "number",
    "started_at",
    "deadline",
    "submitted_at",
    "layout",
    "responses",
    "scores",
    "score",
    "max_score",
    "percent",
    "passed",
]


def profile(user):
    return {
        "email": user.email,
        "display_name": user.display_name,
        "city": user.city,
        "interface_language": user.interface_language,
        "native_language": user.native_language,
        "sub_sectors": sorted(user.sub_sectors.values_list("slug", flat=True)),
        "new_terms_per_day": user.new_terms_per_day,
        "desired_retention": user.desired_retention,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _csv(rows, fields):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow(
            [neutralise(value) if isinstance(value, str) else _cell(value) for value in row]
        )
    return "\ufeff" + buffer.getvalue()  # a byte-order mark, so that Excel reads UTF-8


def _cell(value):
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else value


def export_zip(user):
    """The bytes of a ZIP with everything Sheber holds about `user`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "profile.json",
            json.dumps(profile(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for name, (model, fields) in TABLES.items():
            rows = model.objects.filter(learner=user).order_by("pk").values_list(*fields)
            archive.writestr(name, _csv(rows, fields))
        attempts = list(
            QuizAttempt.objects.filter(learner=user).order_by("pk").values(*ATTEMPT_FIELDS)
        )
        archive.writestr(
            "quiz_attempts.json",
            json.dumps(attempts, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
    return buffer.getvalue()


@transaction.atomic
def delete_account(user):
    """Remove the learner and everything that is theirs: progress, answers, drills, attempts
    and certificates go with the account (their foreign keys cascade); login records, which
    name the email address, are removed too."""
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=user.email).delete()
    user.delete()

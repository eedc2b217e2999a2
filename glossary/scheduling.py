"""Spaced repetition with FSRS-6 (the `fsrs` package, default parameters): the glue between
`Card` rows and the scheduler, and the one rule that turns a drill outcome into a rating."""

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from django.conf import settings

# Desired retention, in per cent: the learner's setting (learners.User.desired_retention).
DEFAULT_RETENTION, MIN_RETENTION, MAX_RETENTION = 90, 80, 97
QUICK_SHARE = 0.5  # an answer in half the learner's usual time is a quick one
USUAL_TIME_SAMPLE, USUAL_TIME_MINIMUM = 30, 10  # recent right answers that set the usual time


def scheduler(retention_percent=DEFAULT_RETENTION):
    retention = min(max(retention_percent, MIN_RETENTION), MAX_RETENTION) / 100
    return Scheduler(
        desired_retention=retention,
        enable_fuzzing=getattr(settings, "DRILL_FUZZING", True),
    )


def to_fsrs(card):
    """The scheduler's card for a `Card` row; the row's primary key is the scheduler's card id."""
    return FsrsCard(
        card_id=card.pk,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def copy_from_fsrs(card, fsrs_card):
    card.state = int(fsrs_card.state)
    card.step = fsrs_card.step
    card.stability = fsrs_card.stability
    card.difficulty = fsrs_card.difficulty
    card.due = fsrs_card.due
    card.last_review = fsrs_card.last_review


def usual_time(durations):
    """A learner's usual answer time: the median of their recent right answers (`durations`, in
    ms), or None until there are enough of them to judge what is quick."""
    durations = sorted(d for d in durations if d)
    if len(durations) < USUAL_TIME_MINIMUM:
        return None
    return durations[len(durations) // 2]


def rating_for(correct, *, hinted=False, typo=False, duration_ms=None, usual_ms=None):
    """Wrong → Again; right after a hint or with a typo → Hard; right → Good; right and quick
    for this learner (within half their usual answer time) → Easy."""
    if not correct:
        return Rating.Again
    if hinted or typo:
        return Rating.Hard
    if duration_ms is not None and usual_ms and duration_ms <= usual_ms * QUICK_SHARE:
        return Rating.Easy
    return Rating.Good

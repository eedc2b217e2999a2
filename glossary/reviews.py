"""Recording a drill answer: the card is read and written under a row lock inside a
transaction (a plain read-modify-write loses concurrent updates), and the idempotency key is
checked under the same lock, so a repeated answer is found, not counted again."""

import time

from fsrs import Rating

from django.core import signing
from django.db import transaction
from django.utils import timezone

from .models import Card, CardState, DrillMode, Review
from .scheduling import USUAL_TIME_SAMPLE, copy_from_fsrs, scheduler, to_fsrs, usual_time

LEECH_LAPSES = 8
SHOWN_SALT = "glossary.drill.shown"
LONGEST_ANSWER_MS = 10 * 60 * 1000  # longer than this, the learner was doing something else


def shown_token():
    """A signed note of when an exercise was shown, sent back with the answer to time it."""
    return signing.dumps(int(time.time() * 1000), salt=SHOWN_SALT)


def answer_duration(token):
    """Milliseconds since `token` was made, or None for a missing, forged or stale token."""
    try:
        shown = signing.loads(token or "", salt=SHOWN_SALT)
    except signing.BadSignature:
        return None
    elapsed = int(time.time() * 1000) - int(shown)
    return elapsed if 0 <= elapsed <= LONGEST_ANSWER_MS else None


def usual_answer_time(learner, mode):
    """The learner's usual time for a right answer in `mode` (one query), or None."""
    if mode == DrillMode.FLASHCARD:
        return None
    durations = (
        Review.objects.filter(learner=learner, mode=mode, rating__gte=3, duration_ms__isnull=False)
        .order_by("-reviewed_at")
        .values_list("duration_ms", flat=True)[:USUAL_TIME_SAMPLE]
    )
    return usual_time(durations)


@transaction.atomic
def record_review(learner, card_id, rating, *, mode, key, duration_ms=None, given="", now=None):
    """Apply one answer to the learner's card; returns (review, created). Raises
    Card.DoesNotExist for a card that is not the learner's."""
    card = Card.objects.select_for_update().get(pk=card_id, learner=learner)
    existing = Review.objects.filter(learner=learner, idempotency_key=key).first()
    if existing:
        return existing, False
    now = now or timezone.now()
    state_before = card.state
    updated, _log = scheduler(learner.desired_retention).review_card(
        to_fsrs(card), Rating(rating), now, duration_ms
    )
    copy_from_fsrs(card, updated)
    if rating == Rating.Again and state_before == CardState.REVIEW:
        card.lapses += 1
        card.suspended = card.lapses >= LEECH_LAPSES
    card.reps += 1  # under the row lock: a lost update would show as reps != reviews
    card.save()
    review = Review.objects.create(
        learner=learner,
        card=card,
        rating=int(rating),
        mode=mode,
        card_state=state_before,
        reviewed_at=now,
        duration_ms=duration_ms,
        given_answer=given[:200],
        idempotency_key=key,
    )
    return review, True

"""Recording a drill answer: the card is read and written under a row lock inside a
transaction (a plain read-modify-write loses concurrent updates), and the idempotency key is
checked under the same lock, so a repeated answer is found, not counted again."""

from fsrs import Rating

from django.db import transaction
from django.utils import timezone

from .models import Card, CardState, Review
from .scheduling import copy_from_fsrs, scheduler, to_fsrs

LEECH_LAPSES = 8


@transaction.atomic
def record_review(learner, card_id, rating, *, mode, key, duration_ms=None, given="", now=None):
    """Apply one answer to the learner's card; returns (review, created). Raises
    Card.DoesNotExist for a card that is not the learner's."""
    card = Card.objects.select_for_update().get(pk=card_id, learner=learner)
    existing = Review.objects.filter(learner=learner, idempotency_key=key).first()
    if existing:
        return existing, False
    now = now or timezone.now()
    was_in_review = card.state == CardState.REVIEW
    updated, _log = scheduler().review_card(to_fsrs(card), Rating(rating), now, duration_ms)
    copy_from_fsrs(card, updated)
    if rating == Rating.Again and was_in_review:
        card.lapses += 1
        card.suspended = card.lapses >= LEECH_LAPSES
    card.save()
    review = Review.objects.create(
        learner=learner,
        card=card,
        rating=int(rating),
        mode=mode,
        reviewed_at=now,
        duration_ms=duration_ms,
        given_answer=given[:200],
        idempotency_key=key,
    )
    return review, True

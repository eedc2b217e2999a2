"""What the drill page tells a learner about their drills, in a fixed number of queries:
due today, reviewed today, streak, retention over 30 days, mastered terms per sub-sector and the
due forecast for the week ahead. Days are the site's local days (Asia/Almaty)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Card, CardState, Review

MASTERED_DAYS = 21  # stability from which a term counts as mastered
RETENTION_DAYS = 30
FORECAST_DAYS = 7
STREAK_WINDOW_DAYS = 400


@dataclass
class DrillStats:
    due_today: int
    reviewed_today: int
    streak: int
    retention: int | None  # per cent of review-state cards recalled in 30 days; None if none
    hard: int
    forecast: list  # (date, count) for today and the six days after
    mastered: list  # (sub-sector id, mastered, in drills)


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def streak_length(days, today):
    """Consecutive days with a review that end today, or yesterday when today has none yet."""
    days = set(days)
    day = today if today in days else today - datetime.timedelta(days=1)
    length = 0
    while day in days:
        length += 1
        day -= datetime.timedelta(days=1)
    return length


def drill_stats(learner, now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    tomorrow = start_of(today + datetime.timedelta(days=1))
    month_ago = now - datetime.timedelta(days=RETENTION_DAYS)
    cards = Card.objects.filter(learner=learner)
    reviews = Review.objects.filter(learner=learner)

    card_totals = cards.aggregate(
        due_today=Count("pk", filter=Q(suspended=False, due__lt=tomorrow)),
        hard=Count("pk", filter=Q(suspended=True)),
    )
    recall = Q(reviewed_at__gte=month_ago, card_state=CardState.REVIEW)
    review_totals = reviews.aggregate(
        today=Count("pk", filter=Q(reviewed_at__gte=start_of(today))),
        checked=Count("pk", filter=recall),
        recalled=Count("pk", filter=recall & Q(rating__gt=1)),
    )
    days = (
        reviews.filter(reviewed_at__gte=now - datetime.timedelta(days=STREAK_WINDOW_DAYS))
        .annotate(day=TruncDate("reviewed_at"))
        .values_list("day", flat=True)
        .distinct()
    )
    week_end = start_of(today + datetime.timedelta(days=FORECAST_DAYS))
    per_day = dict(
        cards.filter(suspended=False, due__lt=week_end)
        .annotate(day=TruncDate("due"))
        .values_list("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    week = [today + datetime.timedelta(days=offset) for offset in range(FORECAST_DAYS)]
    overdue = sum(count for day, count in per_day.items() if day < today)
    forecast = [(day, per_day.get(day, 0) + (overdue if day == today else 0)) for day in week]
    mastered = list(
        cards.filter(term__sub_sectors__isnull=False)
        .values_list("term__sub_sectors")
        .annotate(mastered=Count("pk", filter=Q(stability__gte=MASTERED_DAYS)), total=Count("pk"))
        .order_by("term__sub_sectors")
    )
    checked = review_totals["checked"]
    return DrillStats(
        due_today=card_totals["due_today"],
        reviewed_today=review_totals["today"],
        streak=streak_length(days, today),
        retention=round(100 * review_totals["recalled"] / checked) if checked else None,
        hard=card_totals["hard"],
        forecast=forecast,
        mastered=mastered,
    )

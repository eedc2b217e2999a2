"""The learner's dashboard: where to go on, their modules, drills and quizzes, in a fixed
number of queries whatever how much they have done. Charts are drawn here as plain geometry for
server-rendered SVG; their figures are also given as text."""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.dates import MONTHS_ALT

from courses.models import Certificate, Enrolment, LessonCompletion, ModulePage, QuizAttempt
from courses.progress import progress_for_modules
from glossary.models import Review
from glossary.stats import drill_stats
from home.models import SubSector

WEEKS = 12
CELL = 14  # px, a day of the activity calendar (with a 2 px gap)
BAR_WIDTH = 200  # px, the longest bar of the mastered-terms chart
RECENT_ATTEMPTS = 5


@dataclass
class StartedModule:
    page: object
    progress: object


def started_modules(learner, language):
    """The modules the learner has started, most recent first, in their language where it
    exists (else English), each with its progress (six queries)."""
    keys = list(
        Enrolment.objects.filter(learner=learner)
        .order_by("-enrolled_at")
        .values_list("module_key", flat=True)
    )
    pages = {}
    for page in ModulePage.objects.live().filter(translation_key__in=keys).select_related("locale"):
        code = page.locale.language_code
        if code == language or page.translation_key not in pages:
            pages[page.translation_key] = page
    modules = [pages[key] for key in keys if key in pages]
    progress = progress_for_modules(learner, modules)
    return [StartedModule(module, progress[module.translation_key]) for module in modules]


def next_step(modules, last_module_key, due_today):
    """Where "continue" leads: the next lesson (or final quiz) of the module worked on last,
    else of any unfinished module, else the drills when terms are due; None when nothing is."""
    unfinished = [module for module in modules if not module.progress.is_complete]
    unfinished.sort(key=lambda module: module.page.translation_key != last_module_key)
    for module in unfinished:
        target = module.progress.next_lesson or module.progress.quiz
        if target:
            return {"kind": "module", "module": module.page, "target": target}
    if due_today:
        return {"kind": "drill"}
    return None


def activity(learner, today):
    """The last WEEKS weeks, Monday to Sunday, ending with this week: per day, what the learner
    did (drill answers, lessons completed, quizzes submitted) and a level from 0 to 4. Each day
    and week is labelled as the date filter's "j E" would (day and month, "7 сентября"), with
    the month names looked up once: the filter on each of the 96 dates took a twelfth of the
    dashboard's time."""
    months = {number: str(name) for number, name in MONTHS_ALT.items()}
    first = today - datetime.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))

    def per_day(queryset, field):
        return dict(
            queryset.filter(**{f"{field}__gte": since})
            .annotate(day=TruncDate(field))
            .values_list("day")
            .annotate(count=Count("pk"))
            .values_list("day", "count")
        )

    reviews = per_day(Review.objects.filter(learner=learner), "reviewed_at")
    lessons = per_day(LessonCompletion.objects.filter(learner=learner), "completed_at")
    quizzes = per_day(QuizAttempt.objects.filter(learner=learner), "submitted_at")
    days, weeks = [], []
    for offset in range(WEEKS * 7):
        day = first + datetime.timedelta(days=offset)
        done = (reviews.get(day, 0), lessons.get(day, 0), quizzes.get(day, 0))
        total = done[0] + 10 * (done[1] + done[2])  # a lesson or a quiz weighs ten answers
        level = 0 if not total else 1 if total < 10 else 2 if total < 30 else 3 if total < 60 else 4
        days.append(
            {
                "date": day,
                "label": f"{day.day} {months[day.month]}",
                "reviews": done[0],
                "lessons": done[1],
                "quizzes": done[2],
                "level": level if day <= today else None,
                "x": (offset // 7) * CELL,
                "y": (offset % 7) * CELL,
            }
        )
        if offset % 7 == 6:
            week = days[-7:]
            weeks.append(
                {
                    "start": week[0]["date"],
                    "label": week[0]["label"],
                    "active": sum(1 for item in week if item["level"]),
                    "reviews": sum(item["reviews"] for item in week),
                    "lessons": sum(item["lessons"] for item in week),
                    "quizzes": sum(item["quizzes"] for item in week),
                }
            )
    return {
        "days": days,
        "weeks": weeks,
        "active_days": sum(1 for item in days if item["level"]),
        "width": WEEKS * CELL,
        "height": 7 * CELL,
    }


def mastered_chart(stats):
    """Bars for the terms mastered per sub-sector (of those in the learner's drills)."""
    names = {sector.pk: sector.localized_name for sector in SubSector.objects.sectors()}
    rows = [(names[pk], mastered, total) for pk, mastered, total in stats.mastered if pk in names]
    longest = max((total for _name, _mastered, total in rows), default=0)
    bars = []
    for number, (name, mastered, total) in enumerate(rows):
        scale = BAR_WIDTH / longest if longest else 0
        bars.append(
            {
                "name": name,
                "mastered": mastered,
                "total": total,
                "y": number * 28,
                "total_width": round(total * scale, 1),
                "mastered_width": round(mastered * scale, 1),
            }
        )
    return {"bars": bars, "height": len(bars) * 28, "width": BAR_WIDTH}


def dashboard_context(learner, language, now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    modules = started_modules(learner, language)
    stats = drill_stats(learner, now)
    last_module = (
        LessonCompletion.objects.filter(learner=learner)
        .order_by("-completed_at")
        .values_list("module_key", flat=True)
        .first()
    )
    return {
        "modules": modules,
        "next_step": next_step(modules, last_module, stats.due_today),
        "stats": stats,
        "activity": activity(learner, today),
        "mastered": mastered_chart(stats),
        "attempts": QuizAttempt.objects.filter(learner=learner, submitted_at__isnull=False)
        .select_related("quiz")
        .order_by("-submitted_at")[:RECENT_ATTEMPTS],
        "certificates": Certificate.objects.filter(learner=learner).order_by("-issued_at"),
    }

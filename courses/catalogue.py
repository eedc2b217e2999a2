"""The catalogue: every live module once (in the learner's language where a translation exists),
filtered by sub-sector, track, level and language, in a fixed number of queries."""

from django.db.models import Count
from django.utils.translation import get_language

from home.models import SubSector
from home.text import slug_or_blank

from .models import LessonCompletion, LessonPage, Level, ModulePage, Track


def _choice(request, name, choices):
    value = request.GET.get(name, "")
    return value if value in choices else ""


def catalogue_context(request):
    language = get_language()
    filters = {
        "sector": slug_or_blank(request.GET.get("sector")),
        "track": _choice(request, "track", Track.values),
        "level": _choice(request, "level", Level.values),
        "language": _choice(request, "language", ["en", "ru", "kk"]),
    }
    modules = (
        ModulePage.objects.live()
        .public()
        .select_related("locale", "cover_image")
        .prefetch_related("sub_sectors")
        .order_by("title")
    )
    if filters["sector"]:
        modules = modules.filter(sub_sectors__slug=filters["sector"])
    if filters["track"]:
        modules = modules.filter(track=filters["track"])
    if filters["level"]:
        modules = modules.filter(level=filters["level"])
    if filters["language"]:
        modules = modules.filter(locale__language_code=filters["language"])

    # One version per module: the learner's language first, then English, then any other.
    preference = {language: 0, "en": 1}
    chosen = {}
    for module in modules:
        rank = preference.get(module.locale.language_code, 2)
        current = chosen.get(module.translation_key)
        if current is None or rank < current[0]:
            chosen[module.translation_key] = (rank, module)
    ordered = [module for _, module in sorted(chosen.values(), key=lambda item: item[0])]

    minutes, lesson_counts = {}, {}
    for path, lesson_minutes in LessonPage.objects.live().values_list("path", "minutes"):
        minutes[path[:-4]] = minutes.get(path[:-4], 0) + lesson_minutes
        lesson_counts[path[:-4]] = lesson_counts.get(path[:-4], 0) + 1
    done = {}
    if request.user.is_authenticated:
        done = dict(
            LessonCompletion.objects.filter(learner=request.user)
            .values("module_key")
            .annotate(count=Count("pk"))
            .values_list("module_key", "count")
        )
    entries = [
        {
            "module": module,
            "minutes": minutes.get(module.path, 0),
            "lessons": lesson_counts.get(module.path, 0),
            "completed": min(
                done.get(module.translation_key, 0), lesson_counts.get(module.path, 0)
            ),
            "in_my_language": module.locale.language_code == language,
        }
        for module in ordered
    ]
    return {
        "entries": entries,
        "filters": filters,
        "sectors": SubSector.objects.all(),
        "tracks": Track.choices,
        "levels": Level.choices,
        "languages": [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")],
    }

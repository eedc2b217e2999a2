"""What a lesson page needs beyond its blocks: progress, neighbours, the learner's own exercise
answers, knowledge-check results and the glossary terms found in its text."""

import hashlib
import re

from django.core.cache import cache
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from glossary.models import Card, Term
from glossary.search import approved_headwords, glossary_version
from glossary.views import native_language
from home.text import normalise, number_or_none

from .models import ExerciseAnswer
from .progress import enrol, lessons_of, progress_for

MAX_ANSWER = 5000
_WORDS = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _blocks(lesson, block_type):
    return [block for block in lesson.body if block.block_type == block_type]


def lesson_context(lesson, request):
    module = lesson.module
    lessons = lessons_of(module)
    if all(item.pk != lesson.pk for item in lessons):
        # A draft being previewed: show it in its place among the live lessons.
        lessons = sorted([*lessons, lesson], key=lambda item: item.path)
    progress = progress_for(request.user, module, lessons)
    if request.user.is_authenticated:
        enrol(request.user, module)
    position = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    answers = {}
    if request.user.is_authenticated:
        answers = dict(
            ExerciseAnswer.objects.filter(
                learner=request.user, lesson_key=lesson.translation_key
            ).values_list("block_id", "text")
        )
    term_ids = [term.pk for block in _blocks(lesson, "key_terms") for term in block.value["terms"]]
    version = glossary_version() if lesson.link_glossary_terms else ""
    marked = glossary_terms_in(lesson, version) if version else []
    terms = Term.objects.approved().filter(pk__in={*term_ids, *(pk for pk, _headword in marked)})
    terms_by_id = {term.pk: term for term in terms.prefetch_related("translations")}
    drilled = (
        Card.objects.term_ids(request.user, term_ids) if request.user.is_authenticated else set()
    )
    return {
        "native_language": native_language(request),
        "module": module,
        "progress": progress,
        "lesson_number": position + 1,
        "previous_lesson": lessons[position - 1] if position else None,
        "next_lesson": lessons[position + 1] if position + 1 < len(lessons) else None,
        "is_done": progress.is_done(lesson),
        "exercise_answers": answers,
        "terms_by_id": terms_by_id,
        "drilled_term_ids": drilled,
        "term_marks": {headword: terms_by_id[pk] for pk, headword in marked if pk in terms_by_id},
        "glossary_version": version,
    }


def glossary_terms_in(lesson, version):
    """(pk, headword) of the approved glossary terms whose English headword occurs in the
    lesson's prose. The same for every learner, so cached per text and `version` of the glossary
    (glossary.search.glossary_version): matching the prose against every headword took a third
    of the lesson page's time."""
    text = " ".join(
        strip_tags(str(block.value))
        for block in lesson.body
        if block.block_type in ("paragraph", "callout", "case_study")
    )
    digest = hashlib.sha256(text.encode()).hexdigest()
    key = f"lesson:glossary-terms:{version}:{digest}"
    found = cache.get(key)
    if found is None:
        words = [normalise(word) for word in _WORDS.findall(text)]
        phrases = {" ".join(words[i : i + n]) for n in range(1, 5) for i in range(len(words))}
        headwords = approved_headwords()
        slugs = [headwords[phrase] for phrase in phrases if phrase in headwords]
        found = list(Term.objects.filter(slug__in=slugs).values_list("pk", "headword"))
        cache.set(key, found, 60 * 60)
    return found


def save_exercise_answer(lesson, user, block_id, text):
    """Save the learner's answer to an exercise of the lesson; returns an error or None."""
    if block_id not in {block.id for block in _blocks(lesson, "exercise")}:
        return _("This exercise is no longer part of the lesson.")
    text = text.replace("\x00", "").strip()
    if not text:
        return _("Write your answer before saving it.")
    if len(text) > MAX_ANSWER:
        return _("Please shorten your answer to %(limit)d characters.") % {"limit": MAX_ANSWER}
    ExerciseAnswer.objects.update_or_create(
        learner=user,
        lesson_key=lesson.translation_key,
        block_id=block_id,
        defaults={"text": text},
    )
    return None


def check_answer(lesson, block_id, choice):
    """The feedback for a knowledge-check answer: which choice, whether right, and why."""
    block = next((b for b in _blocks(lesson, "knowledge_check") if b.id == block_id), None)
    if block is None:
        return {"error": _("This question is no longer part of the lesson.")}
    choices = block.value["choices"]
    position = number_or_none(choice)
    if position is None or position >= len(choices):
        return {"error": _("Choose an answer first.")}
    picked = choices[position]
    return {
        "choice": position,
        "correct": bool(picked["correct"]),
        "feedback": picked["feedback"],
    }

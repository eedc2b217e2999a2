"""Quiz attempts: starting one (its layout fixed and stored), what a learner is shown of each
question before submitting (never what is right), saving responses as they go, submitting
(graded here with courses/grading.py against the revision the attempt started from), and the
review afterwards as the quiz's reveal policy allows. Every limit is enforced here, on the
server: attempts allowed, the time limit and what may be revealed."""

import math
import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glossary.models import Term
from home.text import number_or_none

from .grading import mark
from .models import QuizAttempt, RevealPolicy
from .quiz_blocks import GAP

MAX_TEXT = 200  # longer typed answers are cut: no accepted answer is that long
GRACE = timedelta(seconds=20)  # an answer sent as the time runs out still arrives
CHOICES = 4
MATCH_TERMS = 5


# Starting an attempt


def attempts_of(learner, quiz):
    """The learner's attempts at the quiz, in any language, newest first (one query)."""
    if not learner.is_authenticated:
        return []
    return list(QuizAttempt.objects.filter(learner=learner, quiz_key=quiz.translation_key))


def attempts_left(quiz, attempts):
    """None when unlimited."""
    if not quiz.attempt_limit:
        return None
    return max(quiz.attempt_limit - len(attempts), 0)


@transaction.atomic
def start_attempt(quiz, learner, now=None):
    """The learner's open attempt, or a new one; (None, reason) when no attempt is left. The
    learner's row is locked so that two tabs starting at once make one attempt."""
    get_user_model().objects.select_for_update().filter(pk=learner.pk).first()
    attempts = attempts_of(learner, quiz)
    if open_attempt := next((a for a in attempts if a.is_open), None):
        return open_attempt, None
    if attempts_left(quiz, attempts) == 0:
        return None, _("You have used every attempt this quiz allows.")
    now = now or timezone.now()
    attempt = QuizAttempt.objects.create(
        learner=learner,
        quiz_key=quiz.translation_key,
        quiz=quiz,
        revision_id=quiz.live_revision_id,
        number=max((a.number for a in attempts), default=0) + 1,
        started_at=now,
        deadline=now + timedelta(minutes=quiz.time_limit) if quiz.time_limit else None,
        layout=build_layout(quiz, learner.native_language),
    )
    return attempt, None


def build_layout(quiz, language, rng=None):
    """What this attempt asks, in order: each question's key and type, its choices in the order
    shown, and the glossary terms drawn for it (with the choices offered for each)."""
    rng = rng or random.Random()  # noqa: S311 (shuffling, not secrets)
    pool = None
    layout = []
    for question in quiz.questions:
        value, kind = question.value, question.block_type
        entry = {"key": question.id, "type": kind}
        if kind in ("single_choice", "multiple_choice"):
            entry["choices"] = _ids(value["choices"], rng if quiz.shuffle_choices else None)
        elif kind == "matching":
            entry["items"] = _ids(value["pairs"], rng if quiz.shuffle_choices else None)
            entry["matches"] = _ids(value["pairs"], rng)  # in order, they would give it away
        elif kind == "ordering":
            entry["items"] = _shuffled_out_of_order(_ids(value["items"]), rng)
        elif kind == "glossary":
            if pool is None:
                pool = _term_pool(quiz)
            entry.update(_draw_terms(value, pool, language, rng))
        layout.append(entry)
    if quiz.shuffle_questions:
        rng.shuffle(layout)
    return layout


def _ids(list_value, rng=None):
    ids = [child.id for child in list_value.bound_blocks]
    if rng:
        rng.shuffle(ids)
    return ids


def _shuffled_out_of_order(ids, rng):
    shuffled = list(ids)
    while len(ids) > 1 and shuffled == ids:
        rng.shuffle(shuffled)
    return shuffled


def _term_pool(quiz):
    terms = Term.objects.approved()
    sectors = list(quiz.sub_sectors.all())
    if sectors:
        terms = terms.filter(sub_sectors__in=sectors)
    return sorted(set(terms.values_list("pk", flat=True)))


def _draw_terms(value, pool, language, rng):
    """Terms not drawn yet in this attempt (`pool` shrinks), with choices where asked."""
    count = MATCH_TERMS if value["kind"] == "match" else value["count"]
    drawn = rng.sample(pool, min(count, len(pool)))
    entry = {"terms": drawn, "language": language}
    for pk in drawn:
        pool.remove(pk)
    if value["kind"] == "translation":
        everyone = [*pool, *drawn]
        entry["options"] = {}
        for pk in drawn:
            others = [other for other in everyone if other != pk]
            others = rng.sample(others, min(CHOICES - 1, len(others)))
            options = [pk, *others]
            rng.shuffle(options)
            entry["options"][str(pk)] = options
    elif value["kind"] == "match":
        entry["matches"] = rng.sample(drawn, len(drawn))
    return entry


# What the attempt is asked, shown and graded against


def snapshot(attempt, quiz):
    """The quiz as it was when the attempt started: `quiz` itself (the page being served) when
    that is still the live revision, else the attempt's revision."""
    if attempt.revision_id == quiz.live_revision_id:
        return quiz
    return attempt.revision.as_object()


def questions_by_key(quiz):
    return {question.id: question for question in quiz.questions}


def terms_of(layout):
    """{pk: Term} of every term the layout draws or offers (two queries, none without)."""
    pks = set()
    for entry in layout:
        pks.update(entry.get("terms", []))
        for options in entry.get("options", {}).values():
            pks.update(options)
    if not pks:
        return {}
    return {
        term.pk: term for term in Term.objects.filter(pk__in=pks).prefetch_related("translations")
    }


def shown_questions(attempt, quiz, terms):
    """Each question as the learner may see it before submitting: prompts, texts and the
    learner's saved response. Form values are positions in the attempt's own shuffled lists,
    never item ids or term keys, so nothing in the page links a row to its right answer."""
    questions = questions_by_key(quiz)
    shown = []
    for number, entry in enumerate(attempt.layout, start=1):
        question = questions.get(entry["key"])
        if question is None:
            continue
        value = question.value
        item = {
            "number": number,
            "key": entry["key"],
            "type": entry["type"],
            "name": f"q-{entry['key']}",
            "points": value["points"],
            "response": attempt.responses.get(entry["key"]),
        }
        if entry["type"] == "glossary":
            item.update(_shown_glossary(entry, value, terms, item["response"] or {}))
        else:
            item["prompt"] = value["prompt"]
            item.update(_shown_items(entry, value, item["response"]))
        shown.append(item)
    return shown


def _position(items, chosen):
    return items.index(chosen) if chosen in items else None


def _shown_items(entry, value, response):
    kind = entry["type"]
    if kind in ("single_choice", "multiple_choice"):
        texts = {child.id: child.value["text"] for child in value["choices"].bound_blocks}
        chosen = set(response or []) if kind == "multiple_choice" else {response}
        options = [
            (position, texts.get(pk, ""), pk in chosen)
            for position, pk in enumerate(entry["choices"])
        ]
        return {"options": options}
    if kind == "matching":
        pairs = {child.id: child.value for child in value["pairs"].bound_blocks}
        response = response or {}
        rows = [
            (row, pairs[pk]["item"], _position(entry["matches"], response.get(pk)))
            for row, pk in enumerate(entry["items"])
            if pk in pairs
        ]
        options = [(position, pairs[pk]["match"]) for position, pk in enumerate(entry["matches"])]
        return {"rows": rows, "options": options}
    if kind == "ordering":
        texts = {child.id: child.value for child in value["items"].bound_blocks}
        order = response or entry["items"]
        return {"rows": [(entry["items"].index(pk), texts[pk]) for pk in order if pk in texts]}
    if kind == "gap_fill":
        return {"segments": _gap_segments(value["text"], response or [])}
    return {}


def _gap_segments(text, given):
    """The text in pieces, each gap replaced by its number and what the learner typed."""
    segments, last = [], 0
    for number, gap in enumerate(GAP.finditer(text)):
        segments.append(("text", text[last : gap.start()], None))
        segments.append(("gap", number, given[number] if number < len(given) else ""))
        last = gap.end()
    segments.append(("text", text[last:], None))
    return segments


def _shown_glossary(entry, value, terms, response):
    kind, language = value["kind"], entry["language"]
    prompts = {
        "translation": _("Choose the translation of each term."),
        "definition": _("Type the English term for each definition."),
        "match": _("Match each term with its translation."),
    }
    item = {"kind": kind, "language": language, "instruction": prompts[kind], "rows": []}

    def labelled(pks):
        return [(position, terms[pk].meaning_in(language)) for position, pk in enumerate(pks)]

    for row, pk in enumerate(entry["terms"]):
        given = response.get(str(pk))
        if kind == "translation":
            options = entry["options"][str(pk)]
            item["rows"].append((row, terms[pk], labelled(options), _position(options, given)))
        elif kind == "match":
            item["rows"].append((row, terms[pk], None, _position(entry["matches"], given)))
        else:
            item["rows"].append((row, terms[pk], None, given or ""))
    if kind == "match":
        item["options"] = labelled(entry["matches"])
    return item


# Saving and submitting


def read_responses(attempt, quiz, data, previous=None):
    """The responses in a posted form, kept only where they fit the attempt's layout: values
    are positions in its lists (anything else is dropped), typed text is cut to MAX_TEXT.
    `move` ("key:position:up|down") moves an ordering item (buttons that work without
    JavaScript)."""
    questions = questions_by_key(quiz)
    previous = previous or {}
    responses = {}
    for entry in attempt.layout:
        key, kind = entry["key"], entry["type"]
        name = f"q-{key}"
        question = questions.get(key)
        if question is None:
            continue
        if kind == "single_choice":
            value = _at(entry["choices"], data.get(name))
        elif kind == "multiple_choice":
            chosen = {_at(entry["choices"], given) for given in data.getlist(name)}
            value = [pk for pk in entry["choices"] if pk in chosen]
        elif kind == "true_false":
            value = data.get(name) if data.get(name) in ("true", "false") else None
        elif kind == "short_answer":
            value = _text(data.get(name))
        elif kind == "matching":
            value = {}
            for row, pk in enumerate(entry["items"]):
                if match := _at(entry["matches"], data.get(f"{name}-{row}")):
                    value[pk] = match
        elif kind == "ordering":
            order = [_at(entry["items"], given) for given in data.getlist(name)]
            if sorted(order, key=str) != sorted(entry["items"], key=str):
                order = previous.get(key) or entry["items"]
            value = _moved(order, entry["items"], key, data.get("move", ""))
            value = None if value == entry["items"] else value  # as shuffled: not an answer
        elif kind == "gap_fill":
            gaps = len(GAP.findall(question.value["text"]))
            value = [_text(data.get(f"{name}-{number}")) for number in range(gaps)]
            value = value if any(value) else None
        else:
            value = _glossary_response(entry, question.value, data, name)
        if value:
            responses[key] = value
    return responses


def _at(items, position):
    """The item at a posted position, or None for anything that is not one."""
    index = number_or_none(position)
    return items[index] if index is not None and index < len(items) else None


def _text(value):
    return (value or "").replace("\x00", "").strip()[:MAX_TEXT]


def _moved(order, items, key, move):
    target, _sep, rest = move.partition(":")
    position, _sep, direction = rest.partition(":")
    item = _at(items, position)
    if target != key or item not in order:
        return order
    order = list(order)
    index = order.index(item)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return order


def _glossary_response(entry, value, data, name):
    response = {}
    for row, pk in enumerate(entry["terms"]):
        given = data.get(f"{name}-{row}", "")
        if value["kind"] == "definition":
            if text := _text(given):
                response[str(pk)] = text
            continue
        offered = entry["options"][str(pk)] if value["kind"] == "translation" else entry["matches"]
        if (chosen := _at(offered, given)) is not None:
            response[str(pk)] = chosen
    return response


def expired(attempt, now=None, grace=GRACE):
    return attempt.deadline is not None and (now or timezone.now()) > attempt.deadline + grace


@transaction.atomic
def save_responses(attempt, quiz, data, now=None):
    """Keep what the learner has answered so far; False when the attempt is closed or its time
    is up (then nothing posted counts)."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if not attempt.is_open or expired(attempt, now):
        return False
    attempt.responses = read_responses(attempt, snapshot(attempt, quiz), data, attempt.responses)
    attempt.save(update_fields=["responses"])
    return True


@transaction.atomic
def submit_attempt(attempt, quiz, now=None):
    """Grade the saved responses against the attempt's revision and close the attempt (a
    closed attempt is returned as it is)."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if not attempt.is_open:
        return attempt
    result = grade(snapshot(attempt, quiz), attempt.layout, attempt.responses)
    attempt.scores, attempt.score, attempt.max_score = result.scores, result.score, result.max
    attempt.percent, attempt.passed = result.percent, result.passed
    attempt.submitted_at = now or timezone.now()
    attempt.save()
    return attempt


@dataclass
class Grade:
    scores: dict  # question key -> [points scored, points possible]
    score: float
    max: float
    percent: int
    passed: bool


def grade(quiz, layout, responses, terms=None):
    """The grade of `responses` to an attempt laid out as `layout`, against `quiz` as it was
    when the attempt started (`terms`: `terms_of(layout)`, looked up when not given)."""
    questions = questions_by_key(quiz)
    terms = terms_of(layout) if terms is None else terms
    scores = {}
    for entry in layout:
        question = questions.get(entry["key"])
        if question is None:
            continue
        points = question.value["points"]
        share = mark(entry, question.value, responses.get(entry["key"]), terms).share
        scores[entry["key"]] = [round(share * points, 2), points]
    score = round(sum(scored for scored, _points in scores.values()), 2)
    most = sum(points for _scored, points in scores.values())
    percent = math.floor(100 * score / most) if most else 0
    return Grade(scores, score, most, percent, percent >= quiz.pass_mark)


# After submitting


def answers_revealed(quiz, attempts):
    """Whether the right answers and feedback may be shown, under the quiz's reveal policy
    (`attempts`: the learner's attempts at the quiz)."""
    submitted = [attempt for attempt in attempts if not attempt.is_open]
    if quiz.reveal == RevealPolicy.AFTER_EACH:
        return bool(submitted)
    if quiz.reveal == RevealPolicy.AFTER_PASSING:
        return any(attempt.passed for attempt in submitted)
    if quiz.reveal == RevealPolicy.AFTER_LAST:
        return bool(quiz.attempt_limit) and len(submitted) >= quiz.attempt_limit
    return False


def reviewed_questions(attempt, quiz, terms, revealed):
    """Each question after submission: the learner's answer and score, and when `revealed`,
    the right answer and the feedback."""
    shown = shown_questions(attempt, quiz, terms)
    questions = questions_by_key(quiz)
    by_key = {entry["key"]: entry for entry in attempt.layout}
    for item in shown:
        value = questions[item["key"]].value
        result = mark(by_key[item["key"]], value, item["response"], terms)
        item.update(
            scored=attempt.scores.get(item["key"], [0])[0],
            outcome="right" if result.share == 1 else ("partly" if result.share > 0 else "wrong"),
            given=result.given,
            expected=result.expected if revealed else [],
            feedback=_feedback(value, result) if revealed else [],
        )
    return shown


def _feedback(value, result):
    general = value.get("feedback_right") if result.share == 1 else value.get("feedback_wrong")
    return [text for text in [*result.feedback, general] if text]

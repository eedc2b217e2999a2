"""Judging drill answers. `judge_typed_answer` is the one typing rule for drills and quizzes
alike; `assess` judges any drill mode and `feedback` says how it went."""

from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein

from django.utils.translation import gettext as _

from home.text import normalise, number_or_none

from .models import DrillMode
from .scheduling import rating_for
from .search import approved_headwords


@dataclass(frozen=True)
class Judgement:
    correct: bool
    typo: bool  # accepted, but not as typed: counts as Hard and shows the right spelling
    expected: str


def typo_limit(expected):
    """How many edits still count as a typo: one for answers up to 8 letters, two for longer."""
    return 1 if len(expected) <= 8 else 2


def judge_typed_answer(given, accepted, other_terms=frozenset()):
    """Compare what a learner typed with the accepted forms (the first is the one to show).

    Letter case, Unicode forms, dashes, quotes, stress marks and ё/е do not matter; й, ә, қ and
    the other letters do. A near miss (Damerau–Levenshtein distance within `typo_limit`) is a
    typo, unless what was typed is itself another term (`other_terms`: normalised headwords,
    any container; the term's own forms are matched first): "gel" is not a typo of "gels".
    Forms with digits match exactly: "13" is not a typo of "12"."""
    key = normalise(given)
    forms = [normalise(form) for form in accepted if form and form.strip()]
    expected = accepted[0] if accepted else ""
    if not key or not forms:
        return Judgement(False, False, expected)
    if key in forms:
        return Judgement(True, False, expected)
    if key in other_terms:
        return Judgement(False, False, expected)
    # A near miss in a number is another number, never a typo.
    words = [form for form in forms if not any(character.isdigit() for character in form)]
    if any(DamerauLevenshtein.distance(key, form) <= typo_limit(form) for form in words):
        return Judgement(True, True, expected)
    return Judgement(False, False, expected)


@dataclass(frozen=True)
class Outcome:
    """How one drill answer went, and the rating it earns (see `rating_for`)."""

    card: object
    rating: int
    correct: bool
    typo: bool = False
    given: str = ""


def assess(card, mode, data, duration_ms=None, usual_ms=None):
    """Judge the answer about `card` in the posted `data`; None when nothing was answered (no
    grade, no choice). Choices are term keys; typed answers go through `judge_typed_answer`."""
    term = card.term
    if mode == DrillMode.FLASHCARD:
        rating = data.get("rating")
        if rating not in ("1", "2", "3", "4"):
            return None
        return Outcome(card, int(rating), rating != "1")
    if mode == DrillMode.MATCHING:
        chosen = data.get(f"match-{card.pk}", "")
        if (term_id := number_or_none(chosen)) is None:
            return None
        correct = term_id == term.pk
        return Outcome(card, rating_for(correct), correct, given=chosen)
    if mode == DrillMode.CHOICE or data.get("expects") == "choice":  # listening may be either
        chosen = data.get("choice", "")
        if (term_id := number_or_none(chosen)) is None:
            return None
        correct = term_id == term.pk
        rating = rating_for(correct, duration_ms=duration_ms, usual_ms=usual_ms)
        return Outcome(card, rating, correct, given=chosen)
    given = data.get("answer", "").replace("\x00", "")[:200]
    judgement = judge_typed_answer(given, [term.headword, *term.variant_list], approved_headwords())
    rating = rating_for(
        judgement.correct, typo=judgement.typo, duration_ms=duration_ms, usual_ms=usual_ms
    )
    return Outcome(card, rating, judgement.correct, judgement.typo, given)


def feedback(outcomes, language):
    """What the learner is told after answering: right or not, with the right answer."""
    lines = []
    for outcome in outcomes:
        term = outcome.card.term
        names = {"term": term.headword, "meaning": term.meaning_in(language)}
        if outcome.typo:
            lines.append(_("Accepted, with a typo: it is spelt “%(term)s”.") % names)
        elif outcome.correct and len(outcomes) == 1:
            lines.append(_("Right: “%(term)s” is “%(meaning)s”.") % names)
        elif not outcome.correct:
            lines.append(_("Not quite: “%(term)s” is “%(meaning)s”.") % names)
    if len(outcomes) > 1:
        right = sum(outcome.correct for outcome in outcomes)
        total = len(outcomes)
        lines.insert(0, _("%(right)s of %(total)s pairs right.") % {"right": right, "total": total})
    return " ".join(lines)

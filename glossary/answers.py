"""Judging a typed answer: one rule for drills and quizzes alike."""

from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein

from home.text import normalise


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
    any container; the term's own forms are matched first): "gel" is not a typo of "gels"."""
    key = normalise(given)
    forms = [normalise(form) for form in accepted if form and form.strip()]
    expected = accepted[0] if accepted else ""
    if not key or not forms:
        return Judgement(False, False, expected)
    if key in forms:
        return Judgement(True, False, expected)
    if key in other_terms:
        return Judgement(False, False, expected)
    if any(DamerauLevenshtein.distance(key, form) <= typo_limit(form) for form in forms):
        return Judgement(True, True, expected)
    return Judgement(False, False, expected)

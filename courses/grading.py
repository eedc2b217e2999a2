"""Grading quiz responses: one function per question type, each giving the share of the
question's points earned (0 to 1) and what the review may show. Responses come from
`courses/quizzes.read_responses`, so ids are already known to belong to the attempt's layout;
anything else scores zero. Typed answers use the drills' rule (glossary/answers.py)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from glossary.answers import judge_typed_answer
from glossary.search import approved_headwords

from .quiz_blocks import GAP


@dataclass
class Mark:
    share: float  # 0 to 1
    given: list = field(default_factory=list)  # the learner's answer, line by line
    expected: list = field(default_factory=list)  # the right answer, line by line
    feedback: list = field(default_factory=list)  # per-choice feedback of what was chosen


def _items(list_value):
    """{item id: value} of a ListBlock value."""
    return {child.id: child.value for child in list_value.bound_blocks}


def _typed(given, accepted, other_terms=frozenset()):
    return bool(given) and judge_typed_answer(given, accepted, other_terms).correct


def single_choice(entry, value, response, terms):
    choices = _items(value["choices"])
    chosen = choices.get(response)
    right = [choice for choice in choices.values() if choice["correct"]]
    return Mark(
        1.0 if chosen and chosen["correct"] else 0.0,
        [chosen["text"]] if chosen else [],
        [choice["text"] for choice in right],
        [chosen["feedback"]] if chosen and chosen["feedback"] else [],
    )


def multiple_choice(entry, value, response, terms):
    """Each right choice ticked earns its share, each wrong one ticked takes its share away:
    ticking every choice scores nothing."""
    choices = _items(value["choices"])
    ticked = [choices[pk] for pk in entry["choices"] if pk in set(response or [])]
    rights = sum(choice["correct"] for choice in choices.values())
    wrongs = len(choices) - rights
    earned = sum(choice["correct"] for choice in ticked) / rights
    lost = sum(not choice["correct"] for choice in ticked) / wrongs if wrongs else 0.0
    return Mark(
        max(earned - lost, 0.0),
        [choice["text"] for choice in ticked],
        [choice["text"] for choice in choices.values() if choice["correct"]],
        [choice["feedback"] for choice in ticked if choice["feedback"]],
    )


def true_false(entry, value, response, terms):
    names = {"true": _("True"), "false": _("False")}
    right = "true" if value["answer"] else "false"
    return Mark(
        float(response == right), [names[response]] if response in names else [], [names[right]]
    )


def short_answer(entry, value, response, terms):
    accepted = list(value["answers"])
    return Mark(float(_typed(response, accepted)), [response] if response else [], accepted[:1])


def matching(entry, value, response, terms):
    pairs = _items(value["pairs"])
    response = response or {}
    right = sum(response.get(pk) == pk for pk in entry["items"])
    return Mark(
        right / len(entry["items"]),
        [
            f"{pairs[pk]['item']} → {pairs[response[pk]]['match']}"
            for pk in entry["items"]
            if response.get(pk) in pairs
        ],
        [f"{pairs[pk]['item']} → {pairs[pk]['match']}" for pk in entry["items"]],
    )


def ordering(entry, value, response, terms):
    """Each item in its right place earns its share. The shuffled order as shown is no answer."""
    items = _items(value["items"])
    right_order = list(items)
    order = response or []
    placed = sum(given == right for given, right in zip(order, right_order, strict=False))
    return Mark(
        placed / len(right_order),
        [items[pk] for pk in order if pk in items],
        [items[pk] for pk in right_order],
    )


def gap_fill(entry, value, response, terms):
    gaps = [answer.split("|") for answer in GAP.findall(value["text"])]
    given = list(response or [])
    given += [""] * (len(gaps) - len(given))
    right = sum(_typed(text, accepted) for text, accepted in zip(given, gaps, strict=False))
    shown = [text or "—" for text in given[: len(gaps)]] if any(given) else []
    return Mark(right / len(gaps), shown, [accepted[0] for accepted in gaps])


def glossary(entry, value, response, terms):
    """Drawn terms: a share for each one answered right."""
    response = response or {}
    drawn = [terms[pk] for pk in entry["terms"] if pk in terms]
    if not drawn:
        return Mark(0.0)
    language = entry["language"]
    if value["kind"] == "definition":
        headwords = approved_headwords()
        right = sum(
            _typed(response.get(str(term.pk), ""), [term.headword, *term.variant_list], headwords)
            for term in drawn
        )
        given = [response.get(str(term.pk), "") or "—" for term in drawn]
        expected = [term.headword for term in drawn]
    else:
        right = sum(response.get(str(term.pk)) == term.pk for term in drawn)
        given = [
            f"{term.headword} → {terms[response[str(term.pk)]].meaning_in(language)}"
            for term in drawn
            if response.get(str(term.pk)) in terms
        ]
        expected = [f"{term.headword} → {term.meaning_in(language)}" for term in drawn]
    return Mark(right / len(drawn), given, expected)


GRADERS = {
    "single_choice": single_choice,
    "multiple_choice": multiple_choice,
    "true_false": true_false,
    "short_answer": short_answer,
    "matching": matching,
    "ordering": ordering,
    "gap_fill": gap_fill,
    "glossary": glossary,
}


def mark(entry, value, response, terms):
    """The mark of one question: `entry` from the attempt's layout, `value` the question block's
    value in the attempt's revision, `response` as saved, `terms` {pk: Term} drawn."""
    return GRADERS[entry["type"]](entry, value, response, terms)

"""Quiz item analysis in classical test theory, as Moodle reports it: for each question, how many
attempts answered it, its facility index (the mean share of its points earned, in per cent) and
its discrimination index (the correlation between the question's score and the score on the rest
of the quiz, in per cent: high when those who do well overall do well here), and the wrong answer
chosen most often."""

import statistics
from collections import Counter
from dataclasses import dataclass

from home.text import normalise


@dataclass
class ItemStats:
    number: int
    key: str
    kind: str
    prompt: str
    attempts: int
    facility: float | None  # per cent
    discrimination: float | None  # per cent, None when it cannot be measured
    common_wrong: str


def correlation(xs, ys):
    """Pearson's r, or None for fewer than two points or a constant series."""
    if len(xs) < 2 or len(set(xs)) < 2 or len(set(ys)) < 2:
        return None
    return statistics.correlation(xs, ys)


def _wrong_answer(kind, value, response):
    """The text of what was answered wrong, for choice and typed questions; None otherwise."""
    if kind == "single_choice":
        choices = {child.id: child.value for child in value["choices"].bound_blocks}
        chosen = choices.get(response)
        return chosen["text"] if chosen and not chosen["correct"] else None
    if kind == "true_false":
        right = "true" if value["answer"] else "false"
        return response if response in ("true", "false") and response != right else None
    if kind == "short_answer":
        accepted = {normalise(answer) for answer in value["answers"]}
        return normalise(response) if response and normalise(response) not in accepted else None
    return None


def item_analysis(questions, attempts):
    """`questions`: the quiz's StreamValue; `attempts`: (scores, responses) of submitted
    attempts, scores as stored ({key: [scored, points]})."""
    rows = []
    for number, question in enumerate(questions, start=1):
        key, value = question.id, question.value
        shares, rests, wrong = [], [], Counter()
        for scores, responses in attempts:
            if key not in scores:
                continue
            scored, points = scores[key]
            total = sum(item[0] for item in scores.values())
            shares.append(scored / points if points else 0.0)
            rests.append(total - scored)
            if question.block_type == "multiple_choice":
                choices = {child.id: child.value for child in value["choices"].bound_blocks}
                wrong.update(
                    choices[pk]["text"]
                    for pk in responses.get(key) or []
                    if pk in choices and not choices[pk]["correct"]
                )
            elif (
                text := _wrong_answer(question.block_type, value, responses.get(key))
            ) is not None:
                wrong[text] += 1
        r = correlation(shares, rests)
        rows.append(
            ItemStats(
                number=number,
                key=key,
                kind=question.block.label,
                prompt=str(value.get("prompt", "")) if question.block_type != "glossary" else "",
                attempts=len(shares),
                facility=round(100 * statistics.fmean(shares), 1) if shares else None,
                discrimination=round(100 * r, 1) if r is not None else None,
                common_wrong=wrong.most_common(1)[0][0] if wrong else "",
            )
        )
    return rows

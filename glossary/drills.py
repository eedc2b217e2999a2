"""A drill session: which cards come next from a deck (due reviews first, then new terms up to
the learner's daily limit), in which mode, and the counts shown before starting.

Modes follow how well a card is known: a new term is a flashcard; a term being learnt is
recognised among four equivalents; a young review is picked out among four English terms (or
heard and recognised); a term known for a week or more is typed (or heard and typed). Every
sixth answer, five known cards that are due make a matching round instead."""

import random
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from home.models import SubSector
from home.text import normalise, number_or_none, slug_or_blank

from .models import Card, CardState, DrillMode, Term

KNOWN_DAYS = 7  # stability from which a term is typed rather than chosen
MATCHING_PAIRS = 5
MATCHING_EVERY = 6
CHOICES = 4


@dataclass
class Deck:
    key: str  # "due", "mine", "sector:<slug>" or "module:<page id>"
    title: str
    terms: object = None  # a Term queryset; None for every card the learner has
    saved_only: bool = False


@dataclass
class Exercise:
    """What the learner is asked: one card (five for matching) in a mode."""

    mode: str
    cards: list
    direction: str = ""  # choice: "to_native" shows the English term, "to_english" its equivalent
    options: list = field(default_factory=list)  # (term pk, label), shuffled
    speak: str = ""  # listening: the English the browser says

    @property
    def card(self):
        return self.cards[0]


def _modules():
    """Live module pages. Modules live in `courses`, a higher layer: their model is reached
    through the relation their key terms make, not imported."""
    return Term._meta.get_field("modules").related_model.objects.live()


def deck_for(key, learner):
    """The deck named by `key` (from the query string); an unknown key means everything due."""
    kind, _sep, name = (key or "").partition(":")
    if kind == "sector" and (sector := SubSector.objects.filter(slug=slug_or_blank(name)).first()):
        terms = Term.objects.approved().in_sector(sector)
        return Deck(f"sector:{sector.slug}", sector.localized_name, terms)
    if kind == "module" and (pk := number_or_none(name)) is not None:
        module = _modules().filter(pk=pk).first()
        if module:
            terms = Term.objects.approved().filter(modules=module)
            return Deck(f"module:{module.pk}", module.title, terms)
    if key == "mine":
        return Deck("mine", _("My terms"), saved_only=True)
    return Deck("due", _("Everything due"))


def deck_modules():
    """The live modules in the interface language, for the deck menu."""
    return _modules().filter(locale__language_code=get_language()).order_by("title")


def _cards(learner, deck):
    cards = Card.objects.filter(learner=learner, suspended=False)
    if deck.terms is not None:
        cards = cards.filter(term__in=deck.terms)
    if deck.saved_only:
        cards = cards.filter(saved=True)
    return cards


def new_allowance(learner, now=None):
    """How many new terms the learner may still start today."""
    now = now or timezone.now()
    started = Card.objects.filter(learner=learner, added_at__date=timezone.localdate(now)).count()
    return max(learner.new_terms_per_day - started, 0)


def counts(learner, deck, now=None):
    now = now or timezone.now()
    due = _cards(learner, deck).filter(due__lte=now).count()
    new = 0
    if deck.terms is not None:
        fresh = deck.terms.exclude(cards__learner=learner).count()
        new = min(fresh, new_allowance(learner, now))
    return {"due": due, "new": new}


def _with_term(cards):
    return cards.select_related("term").prefetch_related("term__translations")


def _new_card(learner, deck, now):
    """A card for the deck's next new term (created now) while the daily allowance lasts."""
    if deck.terms is None or not new_allowance(learner, now):
        return None
    term = deck.terms.exclude(cards__learner=learner).order_by("headword_key").first()
    if term is None:
        return None
    card, _created = Card.objects.get_or_create(learner=learner, term=term, defaults={"due": now})
    return _with_term(Card.objects.filter(pk=card.pk)).get()


def next_exercise(learner, deck, *, reviewed_today=0, voice=False, now=None):
    """The next exercise of the deck, or None when nothing is due and no new term is left for
    today. `voice`: the browser can speak English, so listening may be asked."""
    now = now or timezone.now()
    due = list(
        _with_term(_cards(learner, deck).filter(due__lte=now)).order_by("due", "pk")[
            :MATCHING_PAIRS
        ]
    )
    language = learner.native_language
    known = [card for card in due if card.last_review is not None]
    if len(known) == MATCHING_PAIRS and reviewed_today % MATCHING_EVERY == MATCHING_EVERY - 1:
        options = [(card.term_id, card.term.meaning_in(language)) for card in known]
        if len({normalise(label) for _pk, label in options}) == MATCHING_PAIRS:
            return Exercise(DrillMode.MATCHING, known, options=random.sample(options, len(options)))
    card = due[0] if due else _new_card(learner, deck, now)
    return card and exercise_for(card, language, voice=voice)


def exercise_for(card, language, *, voice=False):
    """The mode for one card, from how well it is known (see the module's docstring)."""
    if card.last_review is None:
        return Exercise(DrillMode.FLASHCARD, [card])
    # Alternate between a card's reviews without keeping any state.
    flip = int(card.last_review.timestamp()) % 2 == 1
    if card.state != CardState.REVIEW:
        return _choice(card, language, "to_native")
    if (card.stability or 0) < KNOWN_DAYS:
        if voice and flip:
            return _choice(card, language, "to_native", mode=DrillMode.LISTENING)
        return _choice(card, language, "to_english")
    if voice and flip:
        return Exercise(DrillMode.LISTENING, [card], speak=card.term.headword)
    return Exercise(DrillMode.TYPING, [card])


def _choice(card, language, direction, mode=DrillMode.CHOICE):
    term = card.term

    def label(option):
        return option.meaning_in(language) if direction == "to_native" else option.headword

    options, seen = [(term.pk, label(term))], {normalise(label(term))}
    for other in distractors(term):
        text = label(other)
        if text and normalise(text) not in seen and len(options) < CHOICES:
            options.append((other.pk, text))
            seen.add(normalise(text))
    if len(options) < 2:  # a glossary too small to choose from
        return Exercise(DrillMode.FLASHCARD, [card])
    speak = term.headword if mode == DrillMode.LISTENING else ""
    return Exercise(mode, [card], direction, random.sample(options, len(options)), speak)


def distractors(term, count=CHOICES * 2):
    """Other approved terms to choose among: from the term's own sub-sectors, the same part of
    speech first, in random order; then any others when those run short. Four queries whatever
    the size of the glossary: ranking every approved term at random took most of the drill
    page's time in a 50,000-term glossary; drawing from the sub-sectors alone does not."""
    others = Term.objects.approved().exclude(pk=term.pk)
    sectors = Term.sub_sectors.through.objects.filter(term_id=term.pk).values("subsector_id")
    in_sectors = Term.sub_sectors.through.objects.filter(subsector_id__in=sectors)
    near = list(
        others.filter(pk__in=in_sectors.values("term_id"))
        .order_by("?")
        .values_list("pk", "part_of_speech")[: count * 2]
    )
    near.sort(key=lambda row: row[1] != term.part_of_speech)  # stable: still random within
    chosen = [pk for pk, _kind in near[:count]]
    spare = others.exclude(pk__in=chosen).values_list("pk", flat=True)[:count]
    chosen += list(spare)[: count - len(chosen)]
    by_pk = Term.objects.prefetch_related("translations").in_bulk(chosen)
    return [by_pk[pk] for pk in chosen]


def next_due(learner):
    return (
        Card.objects.filter(learner=learner, suspended=False)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )

"""A drill session: which card comes next from a deck (due reviews first, then new terms up to
the learner's daily limit), in which mode, and the counts shown before starting."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from home.models import SubSector
from home.text import slug_or_blank

from .models import Card, CardState, Term


@dataclass
class Deck:
    key: str  # "due", "mine" or "sector:<slug>"
    title: str
    terms: object  # a Term queryset, or None for "every card I have"


def deck_for(key, learner):
    """The deck named by `key` (from the query string); an unknown key means everything due."""
    if key and key.startswith("sector:"):
        sector = SubSector.objects.filter(slug=slug_or_blank(key[7:])).first()
        if sector:
            terms = Term.objects.approved().in_sector(sector)
            return Deck(f"sector:{sector.slug}", sector.localized_name, terms)
    if key == "mine":
        return Deck("mine", _("My terms"), None)
    return Deck("due", _("Everything due"), None)


def _cards(learner, deck):
    cards = Card.objects.filter(learner=learner, suspended=False)
    if deck.terms is not None:
        cards = cards.filter(term__in=deck.terms)
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


def next_card(learner, deck, now=None):
    """The next card to drill: the most overdue, else a new term of the deck (its card is
    created now) while the daily allowance lasts, else None."""
    now = now or timezone.now()
    card = (
        _cards(learner, deck)
        .filter(due__lte=now)
        .select_related("term")
        .prefetch_related("term__translations")
        .order_by("due", "pk")
        .first()
    )
    if card or deck.terms is None or not new_allowance(learner, now):
        return card
    term = deck.terms.exclude(cards__learner=learner).order_by("headword_key").first()
    if term is None:
        return None
    card, _created = Card.objects.get_or_create(learner=learner, term=term, defaults={"due": now})
    return (
        Card.objects.select_related("term").prefetch_related("term__translations").get(pk=card.pk)
    )


def mode_for(card):
    """Flashcards while a term is being learnt; typing the English once it is in review."""
    return "typing" if card.state == CardState.REVIEW else "flashcard"


def next_due(learner):
    return (
        Card.objects.filter(learner=learner, suspended=False)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )

import pytest

from django.utils import timezone

from glossary.factories import TermFactory
from glossary.models import Card, CardState


@pytest.fixture
def stage_terms(db):
    """A handful of real terms of the performing arts."""
    return {
        "fresnel": TermFactory(
            headword="Fresnel", ru="линзовый прожектор Френеля", kk="Френель прожекторы"
        ),
        "stage": TermFactory(headword="stage", ru="сцена", kk="сахна"),
        "production": TermFactory(headword="production", ru="постановка", kk="қойылым"),
        "tree": TermFactory(headword="set tree", ru="ёлка", kk="шырша", variants="tree"),
        "gel": TermFactory(headword="gel", ru="светофильтр", kk="жарық сүзгісі"),
        "gels": TermFactory(
            headword="gels", part_of_speech="noun", ru="светофильтры", kk="сүзгілер"
        ),
        "theatre": TermFactory(headword="theatre", ru="театр", kk="театр", variants="theater"),
        "draft": TermFactory(headword="draft term", ru="черновик", kk="нобай", status="draft"),
    }


def make_card(learner, term, *, state=CardState.LEARNING, stability=None, reviewed=None, due=None):
    """A card in a given state: `reviewed` is how long ago it was last answered (None: never);
    due now unless told."""
    now = timezone.now()
    in_review = state == CardState.REVIEW
    return Card.objects.create(
        learner=learner,
        term=term,
        state=state,
        step=None if in_review else 0,
        stability=stability if stability is not None else (5.0 if reviewed else None),
        difficulty=5.0 if reviewed else None,
        last_review=now - reviewed if reviewed else None,
        due=due or now,
    )

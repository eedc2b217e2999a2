import pytest

from glossary.factories import TermFactory


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

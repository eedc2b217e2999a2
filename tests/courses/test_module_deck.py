import pytest

from glossary.models import Card

pytestmark = pytest.mark.django_db


@pytest.fixture
def module_with_terms(module, stage_terms):
    module.key_terms.set([stage_terms["gel"], stage_terms["fresnel"], stage_terms["draft"]])
    module.save_revision().publish()
    return module


def test_a_module_offers_its_key_terms_as_a_deck(client, learner, module_with_terms):
    client.force_login(learner)
    deck = f"module:{module_with_terms.pk}"

    module_html = client.get(module_with_terms.url).content.decode()
    page = client.get("/en/drill/", {"deck": deck})

    assert f"/en/drill/?deck={deck}" in module_html
    assert page.context["deck"].title == module_with_terms.title
    assert page.context["counts"] == {"due": 0, "new": 2}  # the draft term is left out
    assert f'<option value="{deck}" selected>' in page.content.decode()
    assert page.context["exercise"].card.term.headword in {"gel", "Fresnel"}


def test_an_unpublished_module_is_no_deck(client, learner, module_with_terms):
    module_with_terms.unpublish()
    client.force_login(learner)

    page = client.get("/en/drill/", {"deck": f"module:{module_with_terms.pk}"})

    assert page.context["deck"].key == "due"
    assert not Card.objects.exists()

import factory

from home.models import SubSector

from .models import Term, TermStatus, TermTranslation


class TermFactory(factory.django.DjangoModelFactory):
    """A term with one Russian and one Kazakh equivalent: `TermFactory(ru="сахна", kk="сахна")`."""

    headword = factory.Sequence(lambda n: f"term {n}")
    part_of_speech = "noun"
    pronunciation = "/tɜːm/"
    definition = factory.LazyAttribute(lambda term: f"What {term.headword} means on stage.")
    example = factory.LazyAttribute(lambda term: f"We checked the {term.headword} before the show.")
    status = TermStatus.APPROVED
    source = "Sheber editorial team"

    # Not fields of Term: taken out in _create.
    ru = factory.LazyAttribute(lambda term: f"термин {term.headword}")
    kk = factory.LazyAttribute(lambda term: f"термин {term.headword} қазақша")
    sectors = ("performing-arts",)

    class Meta:
        model = Term

    @classmethod
    def _create(cls, model_class, *args, ru=None, kk=None, sectors=(), **kwargs):
        term = model_class(**kwargs)
        term.translations = [
            TermTranslation(language=language, text=text, preferred=True, sort_order=order)
            for order, (language, text) in enumerate((("ru", ru), ("kk", kk)))
            if text
        ]
        term.sub_sectors = list(SubSector.objects.filter(slug__in=sectors))
        term.save()
        return term

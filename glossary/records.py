"""The shape in which terms travel between Sheber and files (CSV, TBX, Anki): a plain record,
independent of any format, with the line of the file it came from for error messages."""

from dataclasses import dataclass, field

FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


def looks_like_formula(value):
    """A cell that a spreadsheet would run as a formula (CSV injection)."""
    return bool(value) and (value.startswith(FORMULA_STARTS) or value[:2] in ("-=", "-+", "-@"))


@dataclass
class TranslationRecord:
    language: str
    text: str
    definition: str = ""
    note: str = ""
    preferred: bool = False


@dataclass
class TermRecord:
    headword: str
    part_of_speech: str
    definition: str
    pronunciation: str = ""
    example: str = ""
    variants: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    translations: list[TranslationRecord] = field(default_factory=list)
    status: str = "approved"
    source: str = ""
    line: int | None = None

    def texts(self):
        """Every free-text value of the record, for checks that apply to all of them."""
        yield from (self.headword, self.definition, self.pronunciation, self.example, self.source)
        yield from self.variants
        for translation in self.translations:
            yield from (translation.text, translation.definition, translation.note)


@dataclass
class Problem:
    """Why a line of a file cannot be imported."""

    line: int | None
    message: str


def record_from_term(term):
    """The record of a saved term (its translations, sectors and related terms prefetched)."""
    return TermRecord(
        headword=term.headword,
        part_of_speech=term.part_of_speech,
        definition=term.definition,
        pronunciation=term.pronunciation,
        example=term.example,
        variants=term.variant_list,
        sectors=[sector.slug for sector in term.sub_sectors.all()],
        related=[link.related.headword for link in term.related_links.all()],
        translations=[
            TranslationRecord(t.language, t.text, t.definition, t.note, t.preferred)
            for t in term.translations.all()
        ],
        status=term.status,
        source=term.source,
    )

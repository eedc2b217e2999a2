"""Importing terms: first a plan that says what a file would create, update, leave alone and
reject (with line numbers and reasons), then, once a person has seen it, the plan applied in one
transaction. Applying the same file twice changes nothing the second time."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from home.models import SubSector
from home.text import mixed_script_words, normalise

from .models import (
    PartOfSpeech,
    RelatedTerm,
    Term,
    TermStatus,
    TermTranslation,
    TranslationLanguage,
)
from .records import Problem, looks_like_formula, record_from_term

LIMITS = {"headword": 120, "definition": 600, "pronunciation": 120, "example": 600, "source": 200}


def identity(headword, part_of_speech):
    """Two entries are the same term when headword and part of speech match (a "cue" noun and
    a "cue" verb are two terms)."""
    return normalise(headword), part_of_speech


@dataclass
class ImportPlan:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def has_changes(self):
        return bool(self.created or self.updated)

    @property
    def can_apply(self):
        """Imports are all or nothing: a file with a rejected line is not applied."""
        return self.has_changes and not self.rejected


def _record_problems(record, sector_slugs):
    problems = []
    if not record.headword.strip():
        problems.append(_("The English term is missing."))
    if not record.definition.strip():
        problems.append(_("The definition is missing."))
    if record.part_of_speech not in PartOfSpeech.values:
        problems.append(
            _("Unknown part of speech “%(value)s”: use one of %(choices)s.")
            % {"value": record.part_of_speech, "choices": ", ".join(PartOfSpeech.values)}
        )
    if record.status not in TermStatus.values:
        problems.append(_("Unknown status “%(value)s”.") % {"value": record.status})
    for name, limit in LIMITS.items():
        if len(getattr(record, name)) > limit:
            problems.append(
                _("“%(field)s” is longer than %(limit)d characters.")
                % {"field": Term._meta.get_field(name).verbose_name, "limit": limit}
            )
    if len("|".join(record.variants)) > 255:
        problems.append(_("The spelling variants are longer than 255 characters."))
    if not record.translations:
        problems.append(_("There is no Russian or Kazakh equivalent."))
    for translation in record.translations:
        if translation.language not in TranslationLanguage.values:
            problems.append(
                _("Unknown language “%(language)s”: Sheber takes Russian (ru) and Kazakh (kk).")
                % {"language": translation.language}
            )
        if not translation.text.strip() or len(translation.text) > 200:
            problems.append(_("An equivalent is empty or longer than 200 characters."))
    unknown = [slug for slug in record.sectors if slug not in sector_slugs]
    if unknown:
        problems.append(_("Unknown sub-sector: %(slugs)s.") % {"slugs": ", ".join(unknown)})
    if any(looks_like_formula(text) for text in record.texts()):
        problems.append(
            _("A cell starts with =, +, - or @ and would run as a spreadsheet formula.")
        )
    return problems


def _no_progress(items):
    return items


def plan_import(records, problems=(), progress=_no_progress):
    """What importing `records` would do. `problems` are those the file's parser found;
    `progress` wraps the loop over the records (a progress bar for the command line)."""
    plan = ImportPlan(rejected=list(problems))
    sector_slugs = set(SubSector.objects.values_list("slug", flat=True))
    keys = {normalise(record.headword) for record in records}
    existing = {
        identity(term.headword, term.part_of_speech): term
        for term in Term.objects.filter(headword_key__in=keys).prefetch_related(
            "translations", "sub_sectors", "related_links__related"
        )
    }
    known_headwords = set(Term.objects.values_list("headword_key", flat=True))
    known_headwords |= {normalise(record.headword) for record in records}
    seen = {}
    for record in progress(records):
        messages = _record_problems(record, sector_slugs)
        key = identity(record.headword, record.part_of_speech)
        if key in seen:
            messages.append(_("The same term as line %(line)s.") % {"line": seen[key].line or "?"})
        if normalise(record.headword) in {normalise(name) for name in record.related}:
            messages.append(_("A term cannot be related to itself."))
        missing = [name for name in record.related if normalise(name) not in known_headwords]
        if missing:
            messages.append(
                _("Related term not in the glossary or the file: %(names)s.")
                % {"names": ", ".join(missing)}
            )
        if messages:
            plan.rejected.extend(Problem(record.line, message) for message in messages)
            continue
        seen[key] = record
        for text in [record.headword, *(t.text for t in record.translations)]:
            for word in mixed_script_words(text):
                plan.warnings.append(
                    Problem(
                        record.line,
                        _("“%(word)s” mixes Latin and Cyrillic letters.") % {"word": word},
                    )
                )
        term = existing.get(key)
        if term is None:
            plan.created.append(record)
        elif _comparable(record_from_term(term)) == _comparable(record):
            plan.unchanged.append(record)
        else:
            plan.updated.append(record)
    return plan


def _comparable(record):
    """The record as data, without its line number; the order of sub-sectors does not count."""
    return {
        **record.__dict__,
        "line": None,
        "sectors": sorted(record.sectors),
        "translations": [translation.__dict__ for translation in record.translations],
    }


@transaction.atomic
def apply_import(plan, progress=_no_progress):
    """Write the plan's new and changed terms; returns the terms written."""
    if not plan.can_apply:
        return []
    sectors = {sector.slug: sector for sector in SubSector.objects.all()}
    records = plan.created + plan.updated
    existing = {
        identity(term.headword, term.part_of_speech): term
        for term in Term.objects.filter(headword_key__in={normalise(r.headword) for r in records})
    }
    written = []
    for record in progress(records):
        term = existing.get(identity(record.headword, record.part_of_speech)) or Term()
        term.headword = record.headword
        term.part_of_speech = record.part_of_speech
        term.definition = record.definition
        term.pronunciation = record.pronunciation
        term.example = record.example
        term.variants = "|".join(record.variants)
        term.status = record.status
        term.source = record.source
        term.sub_sectors = [sectors[slug] for slug in record.sectors]
        term.translations = [
            TermTranslation(
                language=t.language,
                text=t.text,
                definition=t.definition,
                note=t.note,
                preferred=t.preferred,
                sort_order=order,
            )
            for order, t in enumerate(record.translations)
        ]
        term.related_links = []
        term.save()
        written.append((term, record))

    # Related terms last, once every term of the file exists.
    wanted = {normalise(name) for __, record in written for name in record.related}
    by_headword = {}
    for term in Term.objects.filter(headword_key__in=wanted).order_by("pk"):
        by_headword.setdefault(term.headword_key, term)
    links = [
        RelatedTerm(term=term, related=by_headword[normalise(name)], sort_order=order)
        for term, record in written
        for order, name in enumerate(dict.fromkeys(record.related))
    ]
    RelatedTerm.objects.bulk_create(links)
    return [term for term, __ in written]

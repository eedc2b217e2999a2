"""Glossary search helpers beyond the queryset: the "did you mean" suggestion."""

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from django.core.cache import cache
from django.db.models import Count, Max

from home.text import normalise

from .models import Term


def approved_headwords():
    """{headword key: slug} of approved terms, cached until a term is added or changed."""
    stamp = Term.objects.approved().aggregate(changed=Max("updated_at"), count=Count("pk"))
    key = f"glossary:headwords:{stamp['count']}:{stamp['changed'] and stamp['changed'].timestamp()}"
    headwords = cache.get(key)
    if headwords is None:
        headwords = dict(Term.objects.approved().values_list("headword_key", "slug"))
        cache.set(key, headwords, 60 * 60)
    return headwords


def suggestion(query):
    """The approved term a misspelt English query most likely meant, or None: at most one
    edit away for words up to 8 letters, two for longer ones (the drills' typo rule)."""
    key = normalise(query)
    if not key or not key.isascii():
        return None
    headwords = approved_headwords()
    limit = 1 if len(key) <= 8 else 2
    match = process.extractOne(
        key, headwords.keys(), scorer=DamerauLevenshtein.distance, score_cutoff=limit
    )
    if match is None:
        return None
    return Term.objects.approved().filter(slug=headwords[match[0]]).first()

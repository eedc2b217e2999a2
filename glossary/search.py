"""Glossary search helpers beyond the queryset: the "did you mean" suggestion."""

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from django.core.cache import cache
from django.db.models import Count, Max

from home.text import normalise

from .models import Term

# This process's copy of the latest headwords, {cache key: headwords}: reading all of them from
# the cache (50,000 in a city's glossary: 3 MB to unpickle, or to fetch from Redis) on every
# lesson view or typed answer cost more than the rest of the request.
_latest_headwords = {}


def glossary_version():
    """Changes whenever an approved term is added, changed or withdrawn (one query): part of
    the key of everything cached from the approved glossary."""
    stamp = Term.objects.approved().aggregate(changed=Max("updated_at"), count=Count("pk"))
    return f"{stamp['count']}:{stamp['changed'] and stamp['changed'].timestamp()}"


def approved_headwords():
    """{headword key: slug} of approved terms, cached until a term is added or changed. The
    dict is shared: read it, never change it."""
    key = f"glossary:headwords:{glossary_version()}"
    headwords = _latest_headwords.get(key)
    if headwords is not None:
        return headwords
    headwords = cache.get(key)
    if headwords is None:
        headwords = dict(Term.objects.approved().values_list("headword_key", "slug"))
        cache.set(key, headwords, 60 * 60)
    _latest_headwords.clear()
    _latest_headwords[key] = headwords
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

"""Glossary search helpers beyond the queryset: the "did you mean" suggestion, and the version
of the approved glossary that keys what is cached from it."""

import secrets

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from home.models import SubSector
from home.text import normalise

from .models import Term, TermTranslation

# This process's copy of the latest headwords, {cache key: headwords}: reading all of them from
# the cache (50,000 in a city's glossary: 3 MB to unpickle, or to fetch from Redis) on every
# lesson view or typed answer cost more than the rest of the request.
_latest_headwords = {}


VERSION_KEY = "glossary:version"
LOCAL_VERSION_TIMEOUT = 60  # seconds; see glossary_version


def glossary_version():
    """A token that changes whenever the approved glossary changes: part of the key of everything
    cached from it (term lists, headwords, a lesson's marked terms). One cache get, no query:
    `bump_glossary_version` sets a new token when a term, an equivalent, a sub-sector or a term's
    sub-sectors change (the signals below; bulk writes that send none call it themselves).

    With Redis the token is shared, so a change shows at once in every process. With the
    per-process LocMemCache (SQLite setups without Redis) a change made in one process does not
    reach another one's token, so there the token lasts LOCAL_VERSION_TIMEOUT seconds: another
    process shows an older list for at most that long, and each process rebuilds what it caches
    from the glossary once that often. A missing token (evicted, expired, a new
    cache) becomes a new random one, never an earlier one whose entries may still be cached."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # Another process may have started one meanwhile: the first one stored is everyone's.
        fresh = secrets.token_hex(8)
        stored = cache.add(VERSION_KEY, fresh, _version_timeout())
        version = fresh if stored else cache.get(VERSION_KEY) or fresh
    return version


def _version_timeout():
    return LOCAL_VERSION_TIMEOUT if isinstance(caches["default"], LocMemCache) else None


def bump_glossary_version(**_signal_arguments):
    """Retire everything cached from the glossary: now, so that this process shows the change at
    once, and again when the transaction commits, so that a list another process made from the
    data it read before the commit is not kept under the new token."""
    cache.set(VERSION_KEY, secrets.token_hex(8), _version_timeout())
    transaction.on_commit(
        lambda: cache.set(VERSION_KEY, secrets.token_hex(8), _version_timeout()), robust=True
    )


for _model in (Term, TermTranslation, SubSector):
    post_save.connect(
        bump_glossary_version, sender=_model, dispatch_uid=f"glossary-{_model.__name__}"
    )
    post_delete.connect(
        bump_glossary_version, sender=_model, dispatch_uid=f"glossary-{_model.__name__}"
    )
m2m_changed.connect(
    bump_glossary_version, sender=Term.sub_sectors.through, dispatch_uid="glossary-term-sectors"
)


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

import hashlib
import re
import uuid

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_TAG_OR_TEXT = re.compile(r"(<[^>]+>)")


@register.simple_tag(takes_context=True)
def mark_terms(context, html):
    """Mark the first mention of each glossary term in `html` (rendered rich text) with a button
    that opens a popover with the term's equivalent and definition: native HTML popovers, so
    they open by click, tap or keyboard without JavaScript."""
    marks = context.get("term_marks") or {}
    pending = sorted(marks, key=len, reverse=True)
    # The same for every learner with this native language: cached per text, terms and state of
    # the glossary (rendering the popovers took a fifth of the lesson page's time).
    signature = "\x00".join([str(html), *pending])
    key = ":".join(
        [
            "lesson:marked",
            context.get("glossary_version", ""),
            get_language() or "",
            context.get("native_language", "ru"),
            hashlib.sha256(signature.encode()).hexdigest(),
        ]
    )
    marked = cache.get(key)
    if marked is None:
        pieces, inside_link = [], False
        for piece in _TAG_OR_TEXT.split(str(html)):
            if piece.startswith("<"):
                inside_link = piece.startswith("<a") or (
                    inside_link and not piece.startswith("</a")
                )
                pieces.append(piece)
                continue
            if not inside_link:
                piece = _mark_text(piece, pending, marks, context)
            pieces.append(piece)
        marked = "".join(pieces)
        cache.set(key, marked, 60 * 60)
    return mark_safe(marked)  # noqa: S308 - rich text from the editor and our template


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


def _mark_text(text, pending, marks, context):
    """Replace, in one run of text, the first mention of each pending headword (longest first,
    never overlapping), and take the marked headwords off the pending list."""
    spans = []
    for headword in list(pending):
        pattern = re.compile(rf"(?<![\w-])({re.escape(headword)})(?![\w-])", re.IGNORECASE)
        match = pattern.search(text)
        if match and not any(
            match.start() < end and start < match.end() for start, end, _ in spans
        ):
            spans.append((match.start(), match.end(), headword))
            pending.remove(headword)
    for start, end, headword in sorted(spans, reverse=True):
        popover = render_to_string(
            "courses/term_popover.html",
            {
                "term": marks[headword],
                "text": text[start:end],
                "id": f"term-{uuid.uuid4().hex[:8]}",
                "native_language": context.get("native_language", "ru"),
            },
        )
        text = text[:start] + popover + text[end:]
    return text


@register.filter
def is_done(progress, lesson):
    return progress.is_done(lesson)


@register.filter
def in_set(value, collection):
    return value in (collection or ())

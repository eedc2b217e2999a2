import re

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.filter
def equivalents(term, language):
    """The term's equivalents in `language` (the other language when it has none), joined."""
    return term.meaning_in(language)


@register.simple_tag
def query_string(request, **changes):
    """The current query string with `changes` applied (None removes a key)."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def drill_query(**params):
    """A query string for the drill page, e.g. {% drill_query deck=deck.key reveal=1 %}."""
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


@register.filter
def definition_without_term(term):
    """The English definition with the term itself blanked out, so that it does not give away
    the answer to a typing exercise."""
    forms = sorted({term.headword, *term.variant_list}, key=len, reverse=True)
    pattern = r"\b(?:" + "|".join(re.escape(form) for form in forms if form) + r")\w*"
    return re.sub(pattern, "…", term.definition, flags=re.IGNORECASE)

from django import template

register = template.Library()


@register.filter
def equivalents(term, language):
    """The term's equivalents in `language` (the other language when it has none), joined."""
    rows = term.translations_in(language) or term.translations_in(
        "kk" if language == "ru" else "ru"
    )
    return ", ".join(row.text for row in rows)


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

from django.conf import settings


def interface_languages(request):
    """The interface languages, each named in itself (the switcher must not say "Английский")."""
    return {"interface_languages": settings.LANGUAGES}

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.models import SubSector
from home.text import slug_or_blank

from .formats.anki import export_deck
from .models import Card, Term, TranslationLanguage
from .search import suggestion

LETTERS = "abcdefghijklmnopqrstuvwxyz"
PER_PAGE = 50


def native_language(request):
    """Which translation the learner reads first: their profile's choice, else the interface
    language when it is Russian or Kazakh, else Russian."""
    if request.user.is_authenticated:
        return request.user.native_language
    return request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("ru", "kk") else "ru"


def glossary_index(request):
    terms = Term.objects.approved()
    # NUL can come in a URL but no database field holds it.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    sector = None
    if slug := slug_or_blank(request.GET.get("sector")):
        sector = SubSector.objects.filter(slug=slug).first()
        if sector:
            terms = terms.in_sector(sector)
    letter = request.GET.get("letter", "").lower()
    letter = letter if len(letter) == 1 and letter in LETTERS and not query else ""
    letters_with_terms = set(
        terms.annotate(initial=Substr("headword_key", 1, 1))
        .values_list("initial", flat=True)
        .annotate(count=Count("pk"))
        .order_by()
    )
    if query:
        terms = terms.search(query)
    elif letter:
        terms = terms.starting_with(letter)
    page = Paginator(terms.for_listing(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "glossary/index.html",
        {
            "page": page,
            "query": query,
            "sector": sector,
            "sectors": SubSector.objects.all(),
            "letter": letter,
            "letters": [(c, c in letters_with_terms) for c in LETTERS],
            "suggestion": suggestion(query) if query and not page.paginator.count else None,
            "native_language": native_language(request),
        },
    )


def term_detail(request, slug):
    term = get_object_or_404(
        Term.objects.approved()
        .select_related("image")
        .prefetch_related("translations", "sub_sectors", "related_links__related"),
        slug=slug,
    )
    # Modules that teach the term (their key terms point here), in the learner's language.
    modules = term.modules.live().filter(locale__language_code=request.LANGUAGE_CODE)
    in_drills = request.user.is_authenticated and bool(Card.objects.term_ids(request.user, [term]))
    return render(
        request,
        "glossary/term_detail.html",
        {
            "term": term,
            "in_drills": in_drills,
            "translations": term.translations_for(native_language(request)),
            "modules": modules,
        },
    )


def sector_detail(request, slug):
    sector = get_object_or_404(SubSector, slug=slug)
    terms = Term.objects.approved().in_sector(sector).for_listing()
    page = Paginator(terms, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "glossary/sector_detail.html",
        {"sector": sector, "page": page, "native_language": native_language(request)},
    )


def sector_deck(request, slug):
    """The sector's approved terms as an Anki deck, with equivalents in the learner's language
    (or the one asked for with ?language=ru|kk)."""
    sector = get_object_or_404(SubSector, slug=slug)
    language = request.GET.get("language")
    if language not in TranslationLanguage.values:
        language = native_language(request)
    terms = Term.objects.approved().in_sector(sector).prefetch_related("translations")
    deck = export_deck(terms, language, f"Sheber::{sector.localized_name}")
    response = HttpResponse(deck, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="sheber-{slug}-{language}.apkg"'
    return response


@require_POST
@login_required
def add_to_drills(request, slug):
    """Put an approved term in the learner's drills ("my terms"); adding it twice is harmless."""
    term = get_object_or_404(Term.objects.approved(), slug=slug)
    _card, created = Card.objects.get_or_create(
        learner=request.user, term=term, defaults={"due": timezone.now()}
    )
    if created:
        messages.success(request, _("“%(term)s” is in your drills now.") % {"term": term})
    else:
        messages.info(request, _("“%(term)s” was already in your drills.") % {"term": term})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = term.get_absolute_url()
    return redirect(target)

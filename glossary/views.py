import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.models import SubSector
from home.text import slug_or_blank

from .answers import judge_typed_answer
from .drills import counts, deck_for, mode_for, next_card, next_due
from .formats.anki import export_deck
from .models import Card, Term, TranslationLanguage
from .reviews import record_review
from .scheduling import rating_for
from .search import approved_headwords, suggestion

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


@login_required
def drill(request):
    """The drill page: counts, then one card at a time as a plain form (works without
    JavaScript): flashcards while a term is being learnt, typing once it is in review."""
    deck = deck_for(request.GET.get("deck", ""), request.user)
    before = counts(request.user, deck)  # before the next card introduces a new term
    card = next_card(request.user, deck)
    mode = mode_for(card) if card else None
    native = request.user.native_language
    return render(
        request,
        "glossary/drill.html",
        {
            "deck": deck,
            "counts": before,
            "card": card,
            "mode": mode,
            "revealed": request.GET.get("reveal") == "1" and mode == "flashcard",
            "translations": card.term.translations_for(native) if card else [],
            "key": uuid.uuid4().hex,
            "next_due": None if card else next_due(request.user),
            "sectors": SubSector.objects.sectors(),
        },
    )


@require_POST
@login_required
def drill_answer(request):
    """One answer. The key makes a repeated post harmless; the card must be the learner's."""
    deck = deck_for(request.POST.get("deck", ""), request.user)
    card = get_object_or_404(
        Card.objects.select_related("term"), pk=_int(request.POST.get("card")), learner=request.user
    )
    key = request.POST.get("key", "")[:64] or uuid.uuid4().hex
    if request.POST.get("mode") == "typing":
        given = request.POST.get("answer", "").replace("\x00", "")[:200]
        forms = [card.term.headword, *card.term.variant_list]
        judgement = judge_typed_answer(given, forms, approved_headwords())
        rating = rating_for(judgement.correct, typo=judgement.typo)
        if not judgement.correct:
            messages.error(request, _("Not quite: the answer is “%(term)s”.") % {"term": card.term})
        elif judgement.typo:
            messages.warning(
                request, _("Accepted, with a typo: it is spelt “%(term)s”.") % {"term": card.term}
            )
        else:
            messages.success(request, _("Right: “%(term)s”.") % {"term": card.term})
        mode = "typing"
    else:
        given, mode = "", "flashcard"
        rating = _int(request.POST.get("rating"))
        if rating not in (1, 2, 3, 4):
            messages.error(request, _("Choose how well you knew it."))
            return redirect(f"{reverse('glossary:drill')}?deck={deck.key}")
    record_review(request.user, card.pk, rating, mode=mode, key=key, given=given)
    return redirect(f"{reverse('glossary:drill')}?deck={deck.key}")


def _int(value):
    return int(value) if value and str(value).isdigit() else None

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.decorators import login_required_for_action
from home.models import SubSector
from home.text import ALPHABETS, number_or_none, slug_or_blank

from .answers import assess, feedback
from .drills import MATCHING_PAIRS, counts, deck_for, deck_modules, next_due, next_exercise
from .formats.anki import export_deck
from .models import Card, DrillMode, Term, TermTranslation, TranslationLanguage
from .reviews import answer_duration, record_review, shown_token, usual_answer_time
from .search import glossary_version, suggestion
from .stats import drill_stats

LETTERS = "abcdefghijklmnopqrstuvwxyz"
ALPHABET_NAMES = dict(TranslationLanguage.choices)
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
    # The same for every learner: grouping every approved term by its initial on each view cost
    # more than the rest of the page.
    version = glossary_version()
    letters_key = f"glossary:letters:{sector.pk if sector else 'all'}:{version}"
    letters_with_terms = cache.get(letters_key)
    if letters_with_terms is None:
        letters_with_terms = set(
            terms.annotate(initial=Substr("headword_key", 1, 1))
            .values_list("initial", flat=True)
            .annotate(count=Count("pk"))
            .order_by()
        )
        cache.set(letters_key, letters_with_terms, 60 * 60)
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
            "alphabets": ALPHABET_NAMES,
            "glossary_version": version,
        },
    )


def glossary_alphabet(request, language):
    """The glossary by the Russian or Kazakh equivalents, in that language's dictionary order."""
    terms = Term.objects.approved()
    sector = None
    if slug := slug_or_blank(request.GET.get("sector")):
        sector = SubSector.objects.filter(slug=slug).first()
        if sector:
            terms = terms.in_sector(sector)
    initials = TermTranslation.objects.initials(language, terms)
    letter = request.GET.get("letter", "").lower()
    letter = letter if letter in initials else ""
    rows = TermTranslation.objects.alphabetical(language, terms, letter)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "glossary/alphabet.html",
        {
            "page": page,
            "language": language,
            "language_name": ALPHABET_NAMES[language],
            "sector": sector,
            "sectors": SubSector.objects.all(),
            "letter": letter,
            "letters": [(c, c in initials) for c in ALPHABETS[language] if c not in "ъь"],
            "alphabets": ALPHABET_NAMES,
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
        {
            "sector": sector,
            "page": page,
            "native_language": native_language(request),
            "glossary_version": glossary_version(),
        },
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
@login_required_for_action(lambda request, slug: reverse("glossary:term", args=[slug]))
def add_to_drills(request, slug):
    """Put an approved term in the learner's drills ("my terms"); adding it twice is harmless."""
    term = get_object_or_404(Term.objects.approved(), slug=slug)
    card, created = Card.objects.get_or_create(
        learner=request.user, term=term, defaults={"due": timezone.now(), "saved": True}
    )
    if not card.saved:  # already drilled in a deck: now in "my terms" too
        card.saved = True
        card.save(update_fields=["saved"])
    if created:
        messages.success(request, _("“%(term)s” is in your drills now.") % {"term": term})
    else:
        messages.info(request, _("“%(term)s” was already in your drills.") % {"term": term})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = term.get_absolute_url()
    return HttpResponseRedirect(target)


@login_required
def drill(request):
    """The drill page: one exercise at a time as a plain form (flashcards and typing work
    without JavaScript; static/js/drill.js answers in place and keeps answers through a dropped
    connection), with the session's progress and the learner's stats. `?fragment=1` renders the
    session part alone, for the script."""
    learner = request.user
    deck = deck_for(request.GET.get("deck", ""), learner)
    stats = drill_stats(learner)
    before = counts(learner, deck)  # before the next exercise introduces a new term
    exercise = next_exercise(
        learner, deck, reviewed_today=stats.reviewed_today, voice=request.GET.get("voice") == "1"
    )
    done, right = _session_figures(request.GET)
    fragment = request.GET.get("fragment") == "1"
    template = "glossary/drill_session.html" if fragment else "glossary/drill.html"
    sectors = {sector.pk: sector for sector in SubSector.objects.sectors()}
    return render(
        request,
        template,
        {
            "deck": deck,
            "counts": before,
            "exercise": exercise,
            "revealed": request.GET.get("reveal") == "1",
            "translations": (
                exercise.card.term.translations_for(learner.native_language)
                if exercise and exercise.mode == DrillMode.FLASHCARD
                else []
            ),
            "key": uuid.uuid4().hex,
            "shown": shown_token(),
            "done": done,
            "right": right,
            "total": done + before["due"] + before["new"],
            "next_due": None if exercise else next_due(learner),
            "stats": stats,
            "mastered": [
                (sectors[pk].localized_name, mastered, total)
                for pk, mastered, total in stats.mastered
                if pk in sectors
            ],
            "sector_decks": [(f"sector:{s.slug}", s.localized_name) for s in sectors.values()],
            "module_decks": [(f"module:{module.pk}", module.title) for module in deck_modules()],
        },
    )


@require_POST
@login_required_for_action(lambda request: reverse("glossary:drill"))
def drill_answer(request):
    """One answer (five for a matching round), judged here whatever the client says. The key
    makes a repeated post harmless; the cards must be the learner's. Answers with JSON when
    asked (the script), else redirects to the next exercise."""
    learner = request.user
    deck = deck_for(request.POST.get("deck", ""), learner)
    mode = request.POST.get("mode")
    mode = mode if mode in DrillMode.values else DrillMode.FLASHCARD
    posted = request.POST.getlist("card")[:MATCHING_PAIRS]
    ids = {number_or_none(value) for value in posted} - {None}
    cards = list(
        Card.objects.filter(learner=learner, pk__in=ids)
        .select_related("term")
        .prefetch_related("term__translations")
        .order_by("pk")
    )
    if not ids or len(cards) != len(ids):
        raise Http404
    duration = answer_duration(request.POST.get("shown"))
    usual = usual_answer_time(learner, mode) if len(cards) == 1 else None
    outcomes = [assess(card, mode, request.POST, duration, usual) for card in cards]
    done, right = _session_figures(request.POST)
    if None in outcomes:
        message = _("Match every term first.") if len(cards) > 1 else _("Choose an answer first.")
        if _wants_json(request):
            return JsonResponse({"result": "invalid", "message": message}, status=400)
        messages.error(request, message)
        return redirect(_drill_url(deck, done, right))
    key = request.POST.get("key", "")[:60] or uuid.uuid4().hex
    share = duration // len(cards) if duration else None
    with transaction.atomic():  # a matching round counts whole or not at all
        reviews = [
            record_review(
                learner,
                outcome.card.pk,
                outcome.rating,
                mode=mode,
                key=key if len(outcomes) == 1 else f"{key}-{number}",
                duration_ms=share,
                given=outcome.given,
            )[0]
            for number, outcome in enumerate(outcomes)
        ]
    correct = sum(outcome.correct for outcome in outcomes)
    next_url = _drill_url(deck, done + len(outcomes), right + correct)
    if mode == DrillMode.FLASHCARD:
        when = date_format(timezone.localtime(reviews[0].card.due), "j E, H:i")
        message = _("“%(term)s” comes back %(when)s.") % {"term": cards[0].term, "when": when}
    else:
        message = feedback(outcomes, learner.native_language)
    if _wants_json(request):
        result = "right" if correct == len(outcomes) else "wrong"
        if len(outcomes) == 1 and outcomes[0].typo:
            result = "typo"
        return JsonResponse({"result": result, "message": message, "next": next_url})
    level = messages.SUCCESS if correct == len(outcomes) else messages.WARNING
    messages.add_message(request, level, message)
    return redirect(next_url)


@login_required
def hard_terms(request):
    """The learner's leeches: terms forgotten so often that drills left them out."""
    cards = (
        Card.objects.filter(learner=request.user, suspended=True)
        .select_related("term")
        .prefetch_related("term__translations")
        .order_by("term__headword_key")
    )
    return render(request, "glossary/hard_terms.html", {"cards": cards})


@require_POST
@login_required_for_action(lambda request, pk: reverse("glossary:hard_terms"))
def reset_card(request, pk):
    """Start a hard term afresh and put it back in the drills."""
    with transaction.atomic():
        card = get_object_or_404(Card.objects.select_for_update(), pk=pk, learner=request.user)
        card.reset(timezone.now())
        card.save()
    message = _("“%(term)s” is back in your drills, as a new term.") % {"term": card.term}
    messages.success(request, message)
    return redirect("glossary:hard_terms")


def _drill_url(deck, done, right):
    query = urlencode({"deck": deck.key, "done": done, "right": right})
    return f"{reverse('glossary:drill')}?{query}"


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _session_figures(data):
    """Answers given and answers right so far in this session (carried in the URL)."""
    done = min(number_or_none(data.get("done")) or 0, 10_000)
    return done, min(number_or_none(data.get("right")) or 0, done)

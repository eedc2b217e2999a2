from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
)
from wagtail.models import Orderable, PreviewableMixin, RevisionMixin
from wagtail.search import index

from home.models import SubSector, UploadedImport
from home.text import ALPHABETS, SORT_KEY_LENGTH, normalise, sort_key

from .records import looks_like_formula

KEY_SEPARATOR = "|"
FORMULA_MESSAGE = _("Text may not start with =, +, - or @: spreadsheets would run it as a formula.")


class PartOfSpeech(models.TextChoices):
    NOUN = "noun", _("noun")
    VERB = "verb", _("verb")
    ADJECTIVE = "adjective", _("adjective")
    ADVERB = "adverb", _("adverb")
    PHRASE = "phrase", _("phrase")


class TermStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class TranslationLanguage(models.TextChoices):
    RUSSIAN = "ru", "Русский"
    KAZAKH = "kk", "Қазақша"


def split_list(value):
    """The items of a "|"-separated field, stripped, without empty ones."""
    return [item.strip() for item in (value or "").split(KEY_SEPARATOR) if item.strip()]


class TermQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=TermStatus.APPROVED)

    def in_sector(self, sector):
        return self.filter(sub_sectors=sector)

    def starting_with(self, letter):
        return self.filter(headword_key__startswith=normalise(letter))

    def for_export(self):
        """With everything a file holds, in a fixed order so that exports are repeatable."""
        return self.prefetch_related(
            "translations", "sub_sectors", "related_links__related"
        ).order_by("headword_key", "part_of_speech", "pk")

    def for_listing(self):
        """With what a list of terms shows: translations and sectors, in two more queries."""
        return self.prefetch_related("translations", "sub_sectors")

    def search(self, query):
        """Terms whose headword, spelling variants or Russian or Kazakh equivalents match
        `query` in any letter case, with ё/е and stress marks ignored; exact matches first, then
        those that start with the query, then those that contain it."""
        key = normalise(query).replace(KEY_SEPARATOR, " ")
        if not key:
            return self.none()
        return (
            self.filter(search_keys__contains=key)
            .annotate(
                rank=Case(
                    When(search_keys__contains=f"{KEY_SEPARATOR}{key}{KEY_SEPARATOR}", then=0),
                    When(search_keys__contains=f"{KEY_SEPARATOR}{key}", then=1),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "headword_key")
        )


class Term(RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel):
    """An English term of a craft with its Russian and Kazakh equivalents."""

    headword = models.CharField(
        _("English term"),
        max_length=120,
        help_text=_("As professionals write it: lower case unless a name or an acronym."),
    )
    slug = models.SlugField(
        _("slug"), max_length=140, unique=True, blank=True, help_text=_("Made from the term.")
    )
    part_of_speech = models.CharField(
        _("part of speech"), max_length=12, choices=PartOfSpeech.choices
    )
    pronunciation = models.CharField(
        _("pronunciation"),
        max_length=120,
        blank=True,
        help_text=_("British English in IPA between slashes, e.g. /frəˈnel/."),
    )
    definition = models.TextField(
        _("definition"), max_length=600, help_text=_("One plain-English sentence.")
    )
    example = models.TextField(
        _("example sentence"),
        max_length=600,
        blank=True,
        help_text=_("A natural sentence that uses the term, ideally set in Kazakhstan."),
    )
    variants = models.CharField(
        _("spelling variants"),
        max_length=255,
        blank=True,
        help_text=_("Other accepted spellings separated by |, e.g. theater|theatre."),
    )
    sub_sectors = ParentalManyToManyField(
        SubSector, related_name="terms", blank=True, verbose_name=_("sub-sectors")
    )
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    image_alt = models.CharField(
        _("image alternative text"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TermStatus.choices,
        default=TermStatus.DRAFT,
        help_text=_("Learners see approved terms only."),
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Who vouches for the entry.")
    )
    headword_key = models.CharField(max_length=120, editable=False, db_index=True)
    search_keys = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TermQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("headword"),
                FieldRowPanel([FieldPanel("part_of_speech"), FieldPanel("pronunciation")]),
                FieldPanel("variants"),
                FieldPanel("slug"),
            ],
            heading=_("Term"),
        ),
        FieldPanel("definition"),
        FieldPanel("example"),
        InlinePanel(
            "translations",
            heading=_("Russian and Kazakh equivalents"),
            label=_("Equivalent"),
            min_num=1,
        ),
        FieldPanel("sub_sectors", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        MultipleChooserPanel(
            "related_links", chooser_field_name="related", heading=_("Related terms")
        ),
        FieldRowPanel([FieldPanel("status"), FieldPanel("source")]),
    ]

    search_fields = [
        index.SearchField("headword", boost=3),
        index.AutocompleteField("headword"),
        index.SearchField("variants"),
        index.SearchField("definition"),
        index.FilterField("status"),
        index.RelatedFields("translations", [index.SearchField("text")]),
    ]

    class Meta:
        ordering = ["headword_key"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return self.headword

    def get_absolute_url(self):
        return reverse("glossary:term", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        formula_errors = {
            name: FORMULA_MESSAGE
            for name in ("headword", "definition", "example", "variants", "pronunciation", "source")
            if looks_like_formula(getattr(self, name))
        }
        if formula_errors:
            raise ValidationError(formula_errors)
        if self.image_id and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Describe the image for people who cannot see it.")}
            )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        self.headword = self.headword.strip()
        self.headword_key = normalise(self.headword)
        self.search_keys = self.build_search_keys()
        super().save(*args, **kwargs)
        # Wagtail indexes on post_save, before ClusterableModel writes the equivalents: index
        # again now that they are in, or the admin's search would miss them.
        index.insert_or_update_object(self)

    def _unique_slug(self):
        base = slugify(self.headword)[:120] or "term"
        slug, number = base, 2
        while Term.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug

    def build_search_keys(self):
        """Every form a learner may search for, normalised, each between separators."""
        forms = [self.headword, *self.variant_list]
        forms += [translation.text for translation in self.translations.all()]
        keys = dict.fromkeys(normalise(form) for form in forms if form.strip())
        return KEY_SEPARATOR + KEY_SEPARATOR.join(keys) + KEY_SEPARATOR

    @property
    def variant_list(self):
        return split_list(self.variants)

    def translations_in(self, language):
        """This term's equivalents in `language`, the preferred first (uses prefetched rows)."""
        rows = [t for t in self.translations.all() if t.language == language]
        return sorted(rows, key=lambda t: (not t.preferred, t.sort_order or 0))

    def meaning_in(self, language):
        """The equivalents in `language` (the other language when it has none), joined."""
        other = "kk" if language == "ru" else "ru"
        rows = self.translations_in(language) or self.translations_in(other)
        return ", ".join(row.text for row in rows)

    def translations_for(self, native_language=None):
        """Equivalents grouped by language, the learner's native language first."""
        first = native_language or (get_language() if get_language() in ("ru", "kk") else "ru")
        order = [first, *(code for code in TranslationLanguage.values if code != first)]
        return [(code, self.translations_in(code)) for code in order if self.translations_in(code)]

    # Wagtail preview: the learner's term page.
    def get_preview_template(self, request, mode_name):
        return "glossary/term_detail.html"

    def get_preview_context(self, request, mode_name):
        return {"term": self, "translations": self.translations_for()}


class TermTranslationQuerySet(models.QuerySet):
    def alphabetical(self, language, terms, letter=""):
        """The `language` equivalents of `terms` in that language's dictionary order (see
        `home.text.sort_key`), those starting with `letter` if one is given."""
        rows = self.filter(language=language, term__in=terms).select_related("term")
        if letter:
            rows = rows.filter(sort_key__startswith=sort_key(letter, language))
        return rows.order_by("sort_key", "term__headword_key", "pk")

    def initials(self, language, terms):
        """The letters of `language` that start at least one equivalent of `terms`."""
        alphabet = ALPHABETS[language]
        firsts = (
            self.filter(language=language, term__in=terms)
            .annotate(first=Substr("sort_key", 1, 6))
            .values_list("first", flat=True)
            .distinct()
            .order_by()
        )
        keys = {sort_key(letter, language): letter for letter in alphabet}
        return {keys[first] for first in firsts if first in keys}


class TermTranslation(Orderable):
    """A Russian or Kazakh equivalent of a term."""

    term = ParentalKey(Term, related_name="translations", on_delete=models.CASCADE)
    language = models.CharField(_("language"), max_length=2, choices=TranslationLanguage.choices)
    text = models.CharField(_("equivalent"), max_length=200)
    definition = models.TextField(_("definition in this language"), max_length=600, blank=True)
    note = models.CharField(
        _("note"),
        max_length=255,
        blank=True,
        help_text=_("Usage, register or region, e.g. 'borrowed from Russian'."),
    )
    preferred = models.BooleanField(
        _("preferred"), default=False, help_text=_("The equivalent to show first.")
    )
    sort_key = models.CharField(max_length=6 * SORT_KEY_LENGTH, editable=False, db_index=True)

    objects = TermTranslationQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("language"), FieldPanel("text"), FieldPanel("preferred")]),
        FieldPanel("definition"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("equivalent")
        verbose_name_plural = _("equivalents")

    def __str__(self):
        return f"{self.text} ({self.language})"

    def save(self, *args, **kwargs):
        self.sort_key = sort_key(self.text, self.language)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        for name in ("text", "definition", "note"):
            if looks_like_formula(getattr(self, name)):
                raise ValidationError({name: FORMULA_MESSAGE})


class RelatedTerm(Orderable):
    """A link from a term to another that a learner should see beside it."""

    term = ParentalKey(Term, related_name="related_links", on_delete=models.CASCADE)
    related = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="+", verbose_name=_("related term")
    )

    panels = [FieldPanel("related")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["term", "related"], name="unique_related_term")
        ]


class GlossaryImport(UploadedImport):
    """A glossary file a trainer uploaded to import."""

    terms_written = models.PositiveIntegerField(_("terms written"), default=0)

    class Meta(UploadedImport.Meta):
        verbose_name = _("glossary import")
        verbose_name_plural = _("glossary imports")


class CardState(models.IntegerChoices):
    """The states of an FSRS card (the `fsrs` package's State values)."""

    LEARNING = 1, _("Learning")
    REVIEW = 2, _("Review")
    RELEARNING = 3, _("Relearning")


class CardQuerySet(models.QuerySet):
    def of(self, learner):
        return self.filter(learner=learner)

    def term_ids(self, learner, terms):
        """Which of `terms` the learner already drills (one query)."""
        return set(self.filter(learner=learner, term__in=terms).values_list("term_id", flat=True))


class Card(models.Model):
    """A term in a learner's drills, with its spaced-repetition (FSRS) state. A new card is due
    at once, in the learning state."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards"
    )
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="cards")
    state = models.PositiveSmallIntegerField(choices=CardState.choices, default=CardState.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(db_index=True)
    last_review = models.DateTimeField(null=True, blank=True)
    lapses = models.PositiveIntegerField(default=0)
    reps = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Answers recorded on this card (its reviews).")
    )
    suspended = models.BooleanField(
        default=False, help_text=_("A leech: forgotten too often, left out of drills until reset.")
    )
    saved = models.BooleanField(
        default=False, help_text=_("Added by the learner from a term or lesson page (“my terms”).")
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "term"], name="unique_card_per_learner")
        ]
        verbose_name = _("drill card")
        verbose_name_plural = _("drill cards")

    def __str__(self):
        return f"{self.learner} · {self.term}"

    def reset(self, now):
        """Start the term afresh: a new card, due at once, no lapses, back in the drills."""
        self.state, self.step, self.stability, self.difficulty = CardState.LEARNING, 0, None, None
        self.due, self.last_review, self.lapses, self.suspended = now, None, 0, False


class DrillMode(models.TextChoices):
    FLASHCARD = "flashcard", _("Flashcard")
    CHOICE = "choice", _("Multiple choice")
    TYPING = "typing", _("Typing")
    LISTENING = "listening", _("Listening")
    MATCHING = "matching", _("Matching")


class Review(models.Model):
    """One answer in a drill. The client sends an idempotency key with it, so an answer sent
    again after a dropped connection is recognised and never counts twice."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=12, choices=DrillMode.choices)
    card_state = models.PositiveSmallIntegerField(
        choices=CardState.choices, help_text=_("The card's state before the answer.")
    )
    reviewed_at = models.DateTimeField(db_index=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    given_answer = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "idempotency_key"], name="unique_review_per_key"
            )
        ]
        verbose_name = _("review")

    def __str__(self):
        return f"{self.card} @ {self.reviewed_at:%Y-%m-%d %H:%M}"

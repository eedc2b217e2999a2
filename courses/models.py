from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from glossary.models import Term
from home.blocks import RICH_TEXT_FEATURES
from home.models import SubSector, UploadedImport

from .blocks import LessonStreamBlock
from .quiz_blocks import QuestionStreamBlock


class Track(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    TECHNICAL = "technical", _("Technical")
    LANGUAGE = "language", _("Technical English")


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CatalogueIndexPage(Page):
    """The catalogue of seminar modules, filterable by sub-sector, track, level and language."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.ModulePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("module catalogue")

    def get_context(self, request, *args, **kwargs):
        from .catalogue import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request))
        return context


class ModulePage(Page):
    """A short, self-paced seminar module made of lessons (and, optionally, a final quiz)."""

    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences for the catalogue.")
    )
    cover_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    sub_sectors = ParentalManyToManyField(
        SubSector, related_name="modules", blank=True, verbose_name=_("sub-sectors")
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    outcomes = StreamField(
        [("outcome", blocks.CharBlock(max_length=300, label=_("Outcome")))],
        blank=True,
        verbose_name=_("learning outcomes"),
        help_text=_("What a learner can do after the module, one sentence each."),
    )
    key_terms = ParentalManyToManyField(
        Term,
        related_name="modules",
        blank=True,
        verbose_name=_("key terms"),
        help_text=_("Glossary terms the module teaches; they form its drill deck."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("track"),
                FieldPanel("level"),
                FieldPanel("sub_sectors", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Catalogue"),
        ),
        FieldPanel("outcomes"),
        FieldPanel("key_terms"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CatalogueIndexPage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from .progress import lessons_of, progress_for

        context = super().get_context(request, *args, **kwargs)
        progress = progress_for(request.user, self, lessons_of(self))
        context.update(
            progress=progress,
            minutes=sum(lesson.minutes for lesson in progress.lessons),
            key_terms=self.key_terms.approved().prefetch_related("translations"),
            sectors=self.sub_sectors.all(),
        )
        return context


class LessonPage(RoutablePageMixin, Page):
    """One lesson of a module: a page of blocks a learner reads and works through. Its actions
    (mark complete, save an exercise answer, check an answer) are plain form posts to
    sub-URLs, so they work without JavaScript."""

    minutes = models.PositiveSmallIntegerField(
        _("minutes"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How long the lesson takes, reading and exercises included."),
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    link_glossary_terms = models.BooleanField(
        _("mark glossary terms"),
        default=True,
        help_text=_("Glossary terms in the text show their translation and definition."),
    )

    content_panels = [*Page.content_panels, FieldPanel("minutes"), FieldPanel("body")]
    settings_panels = [*Page.settings_panels, FieldPanel("link_glossary_terms")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")

    def has_block(self, block_type, block_id):
        return any(b.block_type == block_type and b.id == block_id for b in self.body)

    @property
    def module(self):
        return ModulePage.objects.get(path=self.path[: -self.steplen])

    def get_context(self, request, *args, **kwargs):
        from .lessons import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(self, request))
        return context

    def _post_only(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            return redirect_to_login(self.get_url(request))
        return None

    @path("complete/", name="complete")
    def complete(self, request):
        from .progress import complete_lesson

        if refused := self._post_only(request):
            return refused
        certificate = complete_lesson(request.user, self)
        if certificate:
            messages.success(
                request, gettext("You have completed this module. Here is your certificate.")
            )
            return redirect("courses:certificate", code=certificate.code)
        from .progress import lessons_of

        lessons = lessons_of(self.module)
        later = [lesson for lesson in lessons if lesson.path > self.path]
        target = later[0] if later else self.module
        return redirect(target.get_url(request))

    @path("exercise/<str:block_id>/", name="exercise")
    def exercise(self, request, block_id):
        from .lessons import save_exercise_answer

        if refused := self._post_only(request):
            return refused
        error = save_exercise_answer(self, request.user, block_id, request.POST.get("answer", ""))
        if error and not self.has_block("exercise", block_id):
            messages.error(request, error)
            return redirect(self.get_url(request))
        if error:
            return self.render(request, context_overrides={"exercise_errors": {block_id: error}})
        messages.success(request, gettext("Your answer is saved. Only you can see it."))
        return redirect(self.get_url(request) + f"#block-{block_id}")

    @path("check/<str:block_id>/", name="check")
    def knowledge_check(self, request, block_id):
        from .lessons import check_answer

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        result = check_answer(self, block_id, request.POST.get("choice"))
        if not self.has_block("knowledge_check", block_id):
            messages.error(request, result["error"])
            return redirect(self.get_url(request))
        return self.render(request, context_overrides={"check_results": {block_id: result}})


class Enrolment(models.Model):
    """A learner has started a module. Keyed on the module's translation key, so that the
    English and the Russian version of a module share one enrolment."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    module_key = models.UUIDField(_("module"))
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "module_key"], name="unique_enrolment")
        ]
        verbose_name = _("enrolment")

    def __str__(self):
        return f"{self.learner} → {self.module_key}"


class LessonCompletion(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    module_key = models.UUIDField(_("module"), db_index=True)
    lesson_key = models.UUIDField(_("lesson"))
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "lesson_key"], name="unique_completion")
        ]
        verbose_name = _("lesson completion")

    def __str__(self):
        return f"{self.learner} ✓ {self.lesson_key}"


class ExerciseAnswer(models.Model):
    """A learner's private answer to an exercise block of a lesson."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_answers"
    )
    lesson_key = models.UUIDField(_("lesson"))
    block_id = models.CharField(_("exercise"), max_length=64)
    text = models.TextField(_("answer"), max_length=5000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson_key", "block_id"], name="unique_exercise_answer"
            )
        ]
        verbose_name = _("exercise answer")

    def __str__(self):
        return f"{self.learner}: {self.block_id}"


class Certificate(models.Model):
    """Proof that a learner completed a module, as it was on the day: the names are copied, so
    later edits of the module or the profile do not change it."""

    code = models.UUIDField(_("verification code"), unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    module_key = models.UUIDField(_("module"))
    learner_name = models.CharField(_("learner's name"), max_length=80)
    module_title = models.CharField(_("module title"), max_length=255)
    language = models.CharField(_("language"), max_length=2)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "module_key"], name="unique_certificate")
        ]
        verbose_name = _("certificate")

    def __str__(self):
        return f"{self.module_title} — {self.learner_name}"


class QuizIndexPage(Page):
    """The terminology quizzes of the sub-sectors."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.QuizPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("quiz index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["quizzes"] = (
            QuizPage.objects.child_of(self).live().prefetch_related("sub_sectors").order_by("title")
        )
        return context


class RevealPolicy(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_EACH = "after_each", _("After each submission")
    AFTER_PASSING = "after_passing", _("Once the learner has passed")
    AFTER_LAST = "after_last", _("After the last allowed attempt")


class QuizPage(RoutablePageMixin, Page):
    """A graded quiz: a module's final quiz, or a sub-sector's terminology quiz. Attempts,
    grading and what learners may see live in courses/quizzes.py and courses/grading.py."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    sub_sectors = ParentalManyToManyField(
        SubSector,
        related_name="quizzes",
        blank=True,
        verbose_name=_("sub-sectors"),
        help_text=_("Glossary questions draw approved terms of these sub-sectors."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    attempt_limit = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        default=0,
        validators=[MaxValueValidator(20)],
        help_text=_("0 means as many as the learner likes."),
    )
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle the choices"), default=True)
    reveal = models.CharField(
        _("show the right answers"),
        max_length=16,
        choices=RevealPolicy.choices,
        default=RevealPolicy.AFTER_EACH,
        help_text=_("When a learner may see the right answers and the feedback."),
    )
    time_limit = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
        help_text=_("Leave empty for no limit. At zero, what was answered is submitted."),
    )
    pass_message = models.TextField(_("message on passing"), max_length=1000, blank=True)
    fail_message = models.TextField(_("message on failing"), max_length=1000, blank=True)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("sub_sectors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("questions"),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempt_limit"),
                FieldPanel("time_limit"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("reveal"),
                FieldPanel("pass_message"),
                FieldPanel("fail_message"),
            ],
            heading=_("Grading"),
        ),
        *Page.settings_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.ModulePage", "courses.QuizIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    @path("", name="overview")
    def overview(self, request):
        from .quiz_views import overview

        return overview(self, request)

    @path("start/", name="start")
    def start(self, request):
        from .quiz_views import start

        return start(self, request)

    @path("attempts/<int:number>/", name="attempt")
    def attempt(self, request, number):
        from .quiz_views import attempt

        return attempt(self, request, number)


class QuizAttempt(models.Model):
    """One attempt at a quiz. What the learner was asked (question and choice order, drawn
    terms) is fixed when it starts and kept in `layout`; the quiz revision it started from is
    what it is graded against, so edits to the quiz never change an attempt under way."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz_key = models.UUIDField(_("quiz"))
    quiz = models.ForeignKey(
        QuizPage, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz page")
    )
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    layout = models.JSONField(default=list)
    responses = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)  # question key -> [points scored, points possible]
    score = models.FloatField(_("score"), null=True, blank=True)
    max_score = models.FloatField(_("maximum score"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("per cent"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "quiz_key", "number"], name="unique_attempt_number"
            ),
            models.UniqueConstraint(
                fields=["learner", "quiz_key"],
                condition=models.Q(submitted_at__isnull=True),
                name="one_open_attempt",
            ),
        ]
        ordering = ["-started_at"]
        verbose_name = _("quiz attempt")

    def __str__(self):
        return f"{self.learner} · {self.quiz_key} #{self.number}"

    @property
    def is_open(self):
        return self.submitted_at is None


class QuestionImport(UploadedImport):
    """A question bank a trainer uploaded into a quiz."""

    quiz = models.ForeignKey(
        QuizPage, on_delete=models.CASCADE, related_name="+", verbose_name=_("quiz")
    )
    questions_added = models.PositiveIntegerField(_("questions added"), default=0)

    class Meta(UploadedImport.Meta):
        verbose_name = _("question import")

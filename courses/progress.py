"""Progress through modules. The completion rule lives here and only here: a module is complete
when every one of its live lessons is complete and its final quiz, if it has one, is passed.
Progress keys on Wagtail's translation keys, so every language version shares it."""

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from .models import Certificate, Enrolment, LessonCompletion, LessonPage, QuizAttempt, QuizPage


def lessons_of(module):
    """The module's live lessons in order (one query)."""
    return list(LessonPage.objects.child_of(module).live().order_by("path"))


def final_quiz_of(module):
    """The module's live final quiz, or None (one query)."""
    return QuizPage.objects.child_of(module).live().first()


@dataclass
class ModuleProgress:
    lessons: list
    completed_keys: set = field(default_factory=set)
    quiz: object = None  # the final quiz, if the module has one
    quiz_passed: bool = False

    @property
    def total(self):
        return len(self.lessons)

    @property
    def completed(self):
        return sum(lesson.translation_key in self.completed_keys for lesson in self.lessons)

    @property
    def lessons_complete(self):
        return bool(self.lessons) and self.completed == self.total

    @property
    def is_complete(self):
        return self.lessons_complete and (self.quiz is None or self.quiz_passed)

    @property
    def started(self):
        return self.completed > 0

    @property
    def next_lesson(self):
        """The first lesson not yet completed: where "Start" or "Continue" leads."""
        return next(
            (
                lesson
                for lesson in self.lessons
                if lesson.translation_key not in self.completed_keys
            ),
            None,
        )

    def is_done(self, lesson):
        return lesson.translation_key in self.completed_keys


def progress_for(user, module, lessons=None):
    """The learner's progress through `module` (four queries at most)."""
    lessons = lessons_of(module) if lessons is None else lessons
    quiz = final_quiz_of(module)
    if not user.is_authenticated:
        return ModuleProgress(lessons, quiz=quiz)
    keys = set(
        LessonCompletion.objects.filter(
            learner=user, module_key=module.translation_key
        ).values_list("lesson_key", flat=True)
    )
    passed = bool(quiz) and (
        QuizAttempt.objects.filter(
            learner=user, quiz_key=quiz.translation_key, passed=True
        ).exists()
    )
    return ModuleProgress(lessons, keys, quiz, passed)


def progress_for_modules(user, modules):
    """{module translation key: ModuleProgress} for several modules at once, in four queries
    whatever their number (the learner dashboard)."""
    if not modules:
        return {}
    under = Q()
    for module in modules:
        under |= Q(path__startswith=module.path, depth=module.depth + 1)
    lessons = list(LessonPage.objects.live().filter(under).order_by("path"))
    quizzes = list(QuizPage.objects.live().filter(under))
    keys = [module.translation_key for module in modules]
    completed = set(
        LessonCompletion.objects.filter(learner=user, module_key__in=keys).values_list(
            "lesson_key", flat=True
        )
    )
    passed = set(
        QuizAttempt.objects.filter(
            learner=user, quiz_key__in=[quiz.translation_key for quiz in quizzes], passed=True
        ).values_list("quiz_key", flat=True)
    )
    progress = {}
    for module in modules:
        mine = [lesson for lesson in lessons if lesson.path.startswith(module.path)]
        quiz = next((quiz for quiz in quizzes if quiz.path.startswith(module.path)), None)
        progress[module.translation_key] = ModuleProgress(
            mine, completed, quiz, bool(quiz) and quiz.translation_key in passed
        )
    return progress


def enrol(user, module):
    """Enrol the learner in the module (on the first lesson they open); safe to repeat."""
    Enrolment.objects.get_or_create(learner=user, module_key=module.translation_key)


@transaction.atomic
def complete_lesson(user, lesson):
    """Record that the learner completed `lesson`; idempotent, safe from two tabs at once.
    Returns the certificate when this completes the module, else None."""
    module = lesson.get_parent().specific
    enrol(user, module)
    LessonCompletion.objects.get_or_create(
        learner=user, lesson_key=lesson.translation_key, module_key=module.translation_key
    )
    return finish_module(user, module)


def finish_module(user, module):
    """Close the enrolment and issue the certificate once the module is complete (after a
    lesson or the final quiz); returns the certificate, or None while something is left."""
    if not progress_for(user, module).is_complete:
        return None
    Enrolment.objects.filter(
        learner=user, module_key=module.translation_key, completed_at__isnull=True
    ).update(completed_at=timezone.now())
    certificate, _ = Certificate.objects.get_or_create(
        learner=user,
        module_key=module.translation_key,
        defaults={
            "code": uuid.uuid4(),
            "learner_name": user.get_full_name(),
            "module_title": module.title,
            "language": get_language() or "en",
        },
    )
    return certificate

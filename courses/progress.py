"""Progress through modules. The completion rule lives here and only here: a module is complete
when every one of its live lessons is complete (and, once quizzes exist, its quiz is passed).
Progress keys on Wagtail's translation keys, so every language version shares it."""

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from .models import Certificate, Enrolment, LessonCompletion, LessonPage


def lessons_of(module):
    """The module's live lessons in order (one query)."""
    return list(LessonPage.objects.child_of(module).live().order_by("path"))


@dataclass
class ModuleProgress:
    lessons: list
    completed_keys: set = field(default_factory=set)

    @property
    def total(self):
        return len(self.lessons)

    @property
    def completed(self):
        return sum(lesson.translation_key in self.completed_keys for lesson in self.lessons)

    @property
    def is_complete(self):
        return bool(self.lessons) and self.completed == self.total

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
    """The learner's progress through `module` (two queries at most)."""
    lessons = lessons_of(module) if lessons is None else lessons
    if not user.is_authenticated:
        return ModuleProgress(lessons)
    keys = set(
        LessonCompletion.objects.filter(
            learner=user, module_key=module.translation_key
        ).values_list("lesson_key", flat=True)
    )
    return ModuleProgress(lessons, keys)


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
    progress = progress_for(user, module)
    if not progress.is_complete:
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

"""`manage.py create_load_data` at a tiny scale: the counts it promises and the rules the site
keeps (reps equal reviews, one open attempt per quiz, grades as the grader gives them, progress
that agrees with itself), and a load learner who signs in and sees their progress."""

from collections import Counter, defaultdict

import pytest

from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from courses.models import (
    Certificate,
    Enrolment,
    ExerciseAnswer,
    LessonCompletion,
    LessonPage,
    ModulePage,
    QuizAttempt,
    QuizPage,
)
from courses.quizzes import grade
from glossary.models import Card, Review, Term, TermStatus
from home.models import HomePage, SubSector
from learners.loaddata import (
    LOAD_PASSWORD,
    LOAD_SOURCE,
    PRIORITY_LEARNERS,
    learner_email,
    scaled_counts,
)
from learners.models import Cohort, User

pytestmark = pytest.mark.django_db

SCALE = 0.002


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """The command run once for the module's tests (each test's changes are rolled back on
    their own, the load data at the end)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("create_load_data", scale=SCALE, seed=7, stdout=_Sink(), stderr=_Sink())
        yield scaled_counts(SCALE)
        transaction.set_rollback(True)


class _Sink:
    def write(self, text):
        pass

    def flush(self):
        pass


def test_counts_accounts_and_glossary(counts):
    learners = User.objects.filter(email__endswith="@load.sheber.kz", email__startswith="learner")
    assert learners.count() == counts["learners"] == 10
    assert set(learners.values_list("email", flat=True)) == {
        learner_email(number) for number in range(1, 11)
    }
    assert learners.filter(groups=Group.objects.get(name="Learners")).count() == 10
    trainers = User.objects.filter(groups=Group.objects.get(name="Trainers"))
    assert list(trainers.values_list("email", flat=True)) == ["trainer01@load.sheber.kz"]
    assert Cohort.objects.count() == counts["cohorts"]
    assert Cohort.objects.filter(members__isnull=False).exists()
    assert {user.native_language for user in learners} <= {"ru", "kk"}

    terms = Term.objects.prefetch_related("translations")
    assert terms.count() == counts["terms"] == 100
    assert terms.filter(status=TermStatus.APPROVED).count() > 90
    assert not terms.filter(sub_sectors__isnull=True).exists()
    compounds = terms.filter(source=LOAD_SOURCE)
    assert compounds.exists()
    assert not compounds.exclude(sub_sectors__in=SubSector.objects.sectors()).exists()
    for term in terms:
        assert {t.language for t in term.translations.all()} == {"ru", "kk"}
        stored = (term.headword_key, term.search_keys, term.slug)
        stored_sort_keys = {t.pk: t.sort_key for t in term.translations.all()}
        for translation in term.translations.all():
            translation.save()
        term.save()  # computes the keys as an edit in the admin would
        term.refresh_from_db()
        assert (term.headword_key, term.search_keys, term.slug) == stored
        assert {t.pk: t.sort_key for t in term.translations.all()} == stored_sort_keys


def test_pages_are_live_with_revisions(counts):
    assert HomePage.objects.live().filter(locale__language_code="en").exists()
    modules = ModulePage.objects.live()
    assert modules.count() == counts["modules"]
    for module in modules:
        assert LessonPage.objects.child_of(module).live().count() == 6
    assert QuizPage.objects.live().count() == counts["quizzes"]
    for model in (ModulePage, LessonPage, QuizPage):
        assert not model.objects.filter(Q(live=False) | Q(live_revision__isnull=True)).exists()


def test_cards_and_reviews_agree(counts):
    assert Review.objects.count() == counts["reviews"]
    cards = Card.objects.annotate(answers=Count("reviews"), last=Max("reviews__reviewed_at"))
    for card in cards:
        assert card.reps == card.answers
        assert card.last_review == card.last
        if card.reps:
            assert card.due > card.last_review
    assert not Review.objects.exclude(learner_id=F("card__learner_id")).exists()
    keys = Review.objects.values_list("learner_id", "idempotency_key")
    assert len(set(keys)) == len(keys)


def test_terms_and_cards_can_be_added_after_the_load(counts, learner):
    """Terms and cards go in with their keys: the next ones the site adds get new keys."""
    term = Term.objects.create(headword="after the load", slug="after-the-load")
    card = Card.objects.create(learner=learner, term=term, due=timezone.now())
    assert term.pk > Term.objects.exclude(pk=term.pk).aggregate(last=Max("pk"))["last"]
    assert card.pk > Card.objects.exclude(pk=card.pk).aggregate(last=Max("pk"))["last"]


def test_quiz_attempts_are_graded_and_numbered(counts):
    attempts = list(QuizAttempt.objects.select_related("quiz").order_by("number"))
    assert 0 < len(attempts) <= counts["attempts"]
    series = defaultdict(list)
    for attempt in attempts:
        series[(attempt.learner_id, attempt.quiz_key)].append(attempt)
        if attempt.is_open:
            assert attempt.score is None
            assert attempt.deadline is None
            continue
        result = grade(attempt.quiz, attempt.layout, attempt.responses)
        assert attempt.scores == result.scores
        assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (
            result.score,
            result.max,
            result.percent,
            result.passed,
        )
        assert attempt.submitted_at > attempt.started_at
    assert any(not attempt.is_open for attempt in attempts)
    for numbered in series.values():
        assert [attempt.number for attempt in numbered] == list(range(1, len(numbered) + 1))
        assert sum(attempt.is_open for attempt in numbered) <= 1
        assert all(not attempt.is_open for attempt in numbered[:-1])
        assert numbered[0].quiz.attempt_limit in (0, *range(len(numbered), 21))


def test_progress_agrees_with_itself(counts):
    lessons = defaultdict(set)
    for lesson in LessonPage.objects.all():
        lessons[lesson.get_parent().specific.translation_key].add(lesson.translation_key)
    completed = defaultdict(set)
    for row in LessonCompletion.objects.all():
        assert row.lesson_key in lessons[row.module_key]
        completed[(row.learner_id, row.module_key)].add(row.lesson_key)
    enrolments = {(e.learner_id, e.module_key): e for e in Enrolment.objects.all()}
    assert set(completed) <= set(enrolments)
    certificates = set(Certificate.objects.values_list("learner_id", "module_key"))
    for key, enrolment in enrolments.items():
        finished = completed[key] == lessons[key[1]]
        assert (enrolment.completed_at is not None) == finished == (key in certificates)
    done_by = defaultdict(set)
    for (learner, _module), done in completed.items():
        done_by[learner] |= done
    answers = ExerciseAnswer.objects.all()
    assert answers.exists()
    for answer in answers:
        assert answer.lesson_key in done_by[answer.learner_id]


def test_the_first_learners_have_everything_the_page_benchmark_needs(counts):
    first = User.objects.filter(
        email__in=[learner_email(n) for n in range(1, min(PRIORITY_LEARNERS, 10) + 1)]
    )
    for learner in first:
        assert (
            Card.objects.filter(learner=learner, reps__gt=0, due__lte=timezone.now()).count() >= 3
        )
        assert Enrolment.objects.filter(learner=learner).exists()
        assert LessonCompletion.objects.filter(learner=learner).exists()
        assert QuizAttempt.objects.filter(learner=learner, submitted_at__isnull=True).count() == 1


def test_a_load_learner_signs_in_and_sees_their_progress(client, counts):
    email = learner_email(1)
    response = client.post(
        "/en/accounts/login/", {"username": email, "password": LOAD_PASSWORD}, follow=True
    )
    learner = User.objects.get(email=email)
    assert response.wsgi_request.user == learner

    html = client.get(f"/{learner.interface_language}/me/").content.decode()

    assert learner.display_name in html
    done = Counter(
        LessonCompletion.objects.filter(learner=learner).values_list("module_key", flat=True)
    )
    for module_key, lessons in done.items():
        module = ModulePage.objects.get(translation_key=module_key)
        assert module.title in html
        assert f'<progress class="progress__bar" value="{lessons}" max="6"' in html


def test_refuses_to_run_twice(counts):
    with pytest.raises(CommandError, match="already"):
        call_command("create_load_data", scale=SCALE, stdout=_Sink(), stderr=_Sink())
    assert User.objects.filter(email=learner_email(1)).count() == 1

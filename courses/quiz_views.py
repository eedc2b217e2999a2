"""The quiz pages: the overview (start or resume, earlier attempts), the attempt (a plain form
that saves as the learner goes; static/js/quiz.js saves in the background and keeps time) and
the result. The rules they follow live in courses/quizzes.py."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ModulePage, QuizAttempt
from .progress import finish_module
from .quizzes import (
    answers_revealed,
    attempts_left,
    attempts_of,
    expired,
    reviewed_questions,
    save_responses,
    shown_questions,
    snapshot,
    start_attempt,
    submit_attempt,
    terms_of,
)


def _attempt_url(quiz, request, number):
    return quiz.get_url(request) + quiz.reverse_subpage("attempt", args=[number])


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def overview(quiz, request):
    attempts = attempts_of(request.user, quiz)
    parent = quiz.get_parent().specific
    return TemplateResponse(
        request,
        "courses/quiz_page.html",
        {
            "page": quiz,
            "self": quiz,
            "attempts": attempts,
            "open_attempt": next((attempt for attempt in attempts if attempt.is_open), None),
            "attempts_left": attempts_left(quiz, attempts),
            "question_count": len(quiz.questions),
            "module": parent if isinstance(parent, ModulePage) else None,
        },
    )


def start(quiz, request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(quiz.get_url(request))
    attempt, refusal = start_attempt(quiz, request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect(quiz.get_url(request))
    return redirect(_attempt_url(quiz, request, attempt.number))


def attempt(quiz, request, number):
    if not request.user.is_authenticated:
        return redirect_to_login(quiz.get_url(request))
    current = QuizAttempt.objects.filter(
        learner=request.user, quiz_key=quiz.translation_key, number=number
    ).first()
    if current is None:
        raise Http404
    if current.is_open and expired(current):
        current = submit_attempt(current, quiz)
        messages.warning(request, _("Time is up: what you had answered has been submitted."))
        _finish_module(quiz, request, current)  # a pass on time still completes the module
    if request.method == "POST":
        return _post(quiz, request, current)
    if current.is_open:
        return _form(quiz, request, current)
    return _result(quiz, request, current)


def _post(quiz, request, current):
    here = _attempt_url(quiz, request, current.number)
    if not current.is_open:
        if request.POST.get("action") == "submit":
            # A submission sent again because its answer was lost: the first may have been
            # graded and then cut off before the module was finished (certificate issued).
            _finish_module(quiz, request, current)
        if _wants_json(request):
            return JsonResponse({"saved": False, "submitted": True, "next": here}, status=409)
        return redirect(here)
    saved = save_responses(current, quiz, request.POST)
    if request.POST.get("action") == "submit" or not saved:
        submitted = submit_attempt(current, quiz)
        if not saved:
            messages.warning(request, _("Time is up: what you had answered has been submitted."))
        if certificate := _finish_module(quiz, request, submitted):
            messages.success(
                request, _("You have completed this module. Here is your certificate.")
            )
            if not _wants_json(request):
                return redirect("courses:certificate", code=certificate.code)
        return (
            JsonResponse({"submitted": True, "next": here})
            if _wants_json(request)
            else redirect(here)
        )
    if _wants_json(request):
        return JsonResponse({"saved": True})
    messages.success(request, _("Your answers are saved."))
    anchor = request.POST.get("move", "").partition(":")[0]
    return redirect(here + (f"#question-{anchor}" if anchor else ""))


def _finish_module(quiz, request, submitted):
    """Passing a module's final quiz may complete the module: its certificate, or None."""
    parent = quiz.get_parent().specific
    if submitted.passed and isinstance(parent, ModulePage):
        return finish_module(request.user, parent)
    return None


def _form(quiz, request, current):
    snapshot_quiz = snapshot(current, quiz)
    terms = terms_of(current.layout)
    remaining = None
    if current.deadline:
        remaining = max(int((current.deadline - timezone.now()).total_seconds()), 0)
    return TemplateResponse(
        request,
        "courses/quiz_attempt.html",
        {
            "page": quiz,
            "self": quiz,
            "attempt": current,
            "questions": shown_questions(current, snapshot_quiz, terms),
            "remaining": remaining,
            "action": _attempt_url(quiz, request, current.number),
        },
    )


def _result(quiz, request, current):
    attempts = attempts_of(request.user, quiz)
    snapshot_quiz = snapshot(current, quiz)
    revealed = answers_revealed(quiz, attempts)
    terms = terms_of(current.layout)
    return TemplateResponse(
        request,
        "courses/quiz_result.html",
        {
            "page": quiz,
            "self": quiz,
            "attempt": current,
            "attempts": attempts,
            "attempts_left": attempts_left(quiz, attempts),
            "revealed": revealed,
            "questions": reviewed_questions(current, snapshot_quiz, terms, revealed),
            "message": snapshot_quiz.pass_message if current.passed else snapshot_quiz.fail_message,
        },
    )

"""Loads the catalogue page (courses/data/catalogue.yaml), the seminar modules
(courses/data/modules/*.yaml) and the quizzes (courses/data/quiz_index.yaml and
courses/data/quizzes/*.yaml; formats in FORMAT.md beside them): English pages and their Russian
translations, which share translation keys and so share every learner's progress. Running it
again updates the pages in place."""

import uuid
from pathlib import Path

import yaml

from django.db import transaction

from wagtail.models import Locale

from glossary.models import Term
from home.content import translation_of
from home.models import HomePage, SubSector

from .models import CatalogueIndexPage, LessonPage, ModulePage, QuizIndexPage, QuizPage

DATA = Path(__file__).resolve().parent / "data"


def _publish(page):
    page.save_revision().publish()
    return page


def _load_index(model, slug, file_name):
    """An index page under each home page (English first, then its translations), with the
    copy of `file_name` (a mapping per language)."""
    copy = yaml.safe_load((DATA / file_name).read_text(encoding="utf-8"))
    index = model.objects.filter(locale__language_code="en").first()
    if index is None:
        english_home = HomePage.objects.get(locale__language_code="en")
        index = english_home.add_child(instance=model(slug=slug, live=False, **copy["en"]))
    for language, fields in copy.items():
        page = (
            index
            if language == "en"
            else translation_of(index, Locale.objects.get(language_code=language))
        )
        for name, value in fields.items():
            setattr(page, name, value)
        _publish(page)
    return index


def load_catalogue():
    return _load_index(CatalogueIndexPage, "modules", "catalogue.yaml")


def _stream(blocks, terms):
    """The StreamField data of a lesson's blocks as written in the module file."""
    stream = []
    for block in blocks:
        ((kind, value),) = block.items()
        if kind == "heading":
            value = {"text": value, "level": "h2"}
        elif kind == "key_terms":
            value = {"terms": [terms[name].pk for name in value]}
        elif kind == "case_study":
            value = {
                "title": value["title"],
                "text": value["text"],
                "questions": value.get("questions", []),
            }
        elif kind == "callout":
            value = {"kind": value["kind"], "title": value.get("title", ""), "text": value["text"]}
        stream.append({"type": kind, "value": value})
    return stream


@transaction.atomic
def load_module(path, catalogue):
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    names = set(data["key_terms"]) | {
        name
        for language in ("en", "ru")
        for lesson in data[language]["lessons"]
        for block in lesson["body"]
        for name in block.get("key_terms", [])
    }
    terms = {term.headword: term for term in Term.objects.filter(headword__in=names)}
    missing = names - terms.keys()
    if missing:
        raise ValueError(f"{path}: not in the glossary: {', '.join(sorted(missing))}")
    sectors = list(SubSector.objects.filter(slug__in=data["sectors"]))

    english = ModulePage.objects.filter(locale__language_code="en", slug=data["slug"]).first()
    for language in ("en", "ru"):
        copy = data[language]
        if language == "en":
            module = english or catalogue.add_child(
                instance=ModulePage(
                    title=copy["title"],
                    slug=data["slug"],
                    summary=copy["summary"],
                    track=data["track"],
                    level=data["level"],
                    live=False,
                )
            )
            english = module
        else:
            module = translation_of(english, Locale.objects.get(language_code=language))
        module.title, module.summary = copy["title"], copy["summary"]
        module.track, module.level = data["track"], data["level"]
        module.outcomes = [("outcome", outcome) for outcome in copy["outcomes"]]
        module.sub_sectors = sectors
        module.key_terms = [terms[name] for name in data["key_terms"]]
        _publish(module)

        english_lessons = list(LessonPage.objects.child_of(english).order_by("path"))
        for number, lesson_copy in enumerate(copy["lessons"]):
            if language == "en":
                lesson = (
                    english_lessons[number]
                    if number < len(english_lessons)
                    else module.add_child(
                        instance=LessonPage(title=lesson_copy["title"], body=[], live=False)
                    )
                )
            else:
                lesson = translation_of(english_lessons[number], module.locale)
            lesson.title = lesson_copy["title"]
            lesson.minutes = lesson_copy["minutes"]
            lesson.body = _stream(lesson_copy["body"], terms)
            _publish(lesson)
            if language == "en" and number >= len(english_lessons):
                english_lessons.append(lesson)
    return english


def load_modules(folder=DATA / "modules"):
    catalogue = load_catalogue()
    return [load_module(path, catalogue) for path in sorted(Path(folder).glob("*.yaml"))]


def load_quiz_index():
    return _load_index(QuizIndexPage, "quizzes", "quiz_index.yaml")


def _key(*parts):
    """A stable block id: the same in every language and every time the file is loaded."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "sheber-quiz:" + ":".join(map(str, parts))))


def quiz_stream(slug, questions):
    """The StreamField data of a quiz's questions as written in the quiz file."""
    stream = []
    for number, question in enumerate(questions):
        ((kind, value),) = question.items()
        value = dict(value)
        for name in ("choices", "pairs", "items"):
            if name in value:
                value[name] = [
                    {"type": "item", "value": item, "id": _key(slug, number, name, position)}
                    for position, item in enumerate(value[name])
                ]
        if kind != "glossary":
            value.setdefault("points", 1)
            value.setdefault("feedback_right", "")
            value.setdefault("feedback_wrong", "")
        stream.append({"type": kind, "value": value, "id": _key(slug, number)})
    return stream


@transaction.atomic
def load_quiz(path, index):
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    sectors = list(SubSector.objects.filter(slug__in=data["sectors"]))
    if data.get("module"):
        parent = ModulePage.objects.get(locale__language_code="en", slug=data["module"])
    else:
        parent = index
    english = QuizPage.objects.filter(locale__language_code="en", slug=data["slug"]).first()
    settings = {
        name: data[name]
        for name in (
            "pass_mark",
            "attempt_limit",
            "time_limit",
            "shuffle_questions",
            "shuffle_choices",
            "reveal",
        )
    }
    for language in ("en", "ru"):
        copy = data[language]
        if language == "en":
            quiz = english or parent.add_child(
                instance=QuizPage(title=copy["title"], slug=data["slug"], live=False)
            )
            english = quiz
        else:
            quiz = translation_of(english, Locale.objects.get(language_code=language))
        quiz.title, quiz.intro = copy["title"], copy["intro"]
        quiz.pass_message, quiz.fail_message = copy["pass_message"], copy["fail_message"]
        for name, value in settings.items():
            setattr(quiz, name, value)
        quiz.sub_sectors = sectors
        quiz.questions = quiz_stream(data["slug"], copy["questions"])
        _publish(quiz)
    return english


def load_quizzes(folder=DATA / "quizzes"):
    index = load_quiz_index()
    return [load_quiz(path, index) for path in sorted(Path(folder).glob("*.yaml"))]

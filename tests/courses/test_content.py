"""The shipped seminar modules meet the editorial bar of the issue that asked for them."""

import csv
import re
from pathlib import Path

import pytest
import yaml

from django.utils.html import strip_tags

from courses.content import DATA
from glossary.content import TERMS_DATA

MODULE_FILES = sorted((DATA / "modules").glob("*.yaml"))
REQUIRED_MODULES = {"project-management", "negotiation", "marketing-audiences", "stage-technology"}


def headwords():
    names = set()
    for path in Path(TERMS_DATA).glob("*.csv"):
        with path.open(encoding="utf-8") as file:
            names |= {row["headword"] for row in csv.DictReader(file)}
    return names


def prose_words(lesson):
    text = []
    for block in lesson["body"]:
        ((kind, value),) = block.items()
        if kind == "paragraph":
            text.append(value)
        elif kind in ("callout", "case_study"):
            text.append(value["text"])
    return len(re.findall(r"\w+", strip_tags(" ".join(text))))


def test_the_four_modules_are_there():
    assert {path.stem for path in MODULE_FILES} >= REQUIRED_MODULES


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda path: path.stem)
def test_module_file(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    known = headwords()
    assert set(data["key_terms"]) <= known
    english, russian = data["en"], data["ru"]
    assert len(english["lessons"]) == len(russian["lessons"]) >= 4
    for en_lesson, ru_lesson in zip(english["lessons"], russian["lessons"], strict=True):
        kinds = [next(iter(block)) for block in en_lesson["body"]]
        assert kinds == [next(iter(block)) for block in ru_lesson["body"]]
        assert "exercise" in kinds
        assert "key_terms" in kinds
        assert kinds.count("knowledge_check") == 1
        for lesson in (en_lesson, ru_lesson):
            assert prose_words(lesson) >= 600, lesson["title"]
            for block in lesson["body"]:
                ((kind, value),) = block.items()
                if kind == "key_terms":
                    assert set(value) <= known
                if kind == "knowledge_check":
                    assert sum(bool(choice["correct"]) for choice in value["choices"]) == 1
                    assert all(choice["feedback"] for choice in value["choices"])

"""The shipped quizzes meet the editorial bar of the issue that asked for them, and every
question is one a trainer could have saved in the admin (each block validates)."""

import pytest
import yaml

from wagtail.blocks import ListBlock, StructBlock

from courses.content import DATA, quiz_stream
from courses.quiz_blocks import QuestionStreamBlock
from home.models import SubSector

QUIZ_FILES = sorted((DATA / "quizzes").glob("*.yaml"))
MODULES = {"project-management", "negotiation", "marketing-audiences", "stage-technology"}
SETTINGS = {
    "pass_mark",
    "attempt_limit",
    "time_limit",
    "shuffle_questions",
    "shuffle_choices",
    "reveal",
}


def assert_known_fields(block, value):
    """No field the block does not have: a comma in an unquoted YAML mapping makes one."""
    assert set(value) <= set(block.child_blocks), sorted(set(value) - set(block.child_blocks))
    for name, child in block.child_blocks.items():
        if isinstance(child, ListBlock) and isinstance(child.child_block, StructBlock):
            for item in value.get(name, []):
                assert_known_fields(child.child_block, item["value"])


def quizzes():
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in QUIZ_FILES]


@pytest.mark.django_db
def test_every_sub_sector_and_module_has_its_quiz():
    sector_quizzes = [quiz for quiz in quizzes() if not quiz["module"]]
    covered = {slug for quiz in sector_quizzes for slug in quiz["sectors"]}
    assert covered >= set(SubSector.objects.sectors().values_list("slug", flat=True))
    assert {quiz["module"] for quiz in quizzes() if quiz["module"]} >= MODULES


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda path: path.stem)
def test_quiz_file(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(data) >= SETTINGS | {"slug", "module", "sectors", "en", "ru"}
    stream = QuestionStreamBlock()
    english, russian = data["en"]["questions"], data["ru"]["questions"]
    kinds = [next(iter(question)) for question in english]
    assert kinds == [next(iter(question)) for question in russian]
    authored = [kind for kind in kinds if kind != "glossary"]
    if data["module"]:
        assert len(kinds) >= 8
    else:
        assert len(kinds) >= 12
        assert kinds.count("glossary") >= 2
    assert len(set(authored)) >= 4
    for language in ("en", "ru"):
        copy = data[language]
        assert all(copy[name] for name in ("title", "intro", "pass_message", "fail_message"))
        for question in quiz_stream(data["slug"], copy["questions"]):
            block = stream.child_blocks[question["type"]]
            assert_known_fields(block, question["value"])
            block.clean(block.to_python(question["value"]))  # raises on an invalid question
            if question["type"] != "glossary":
                assert question["value"]["feedback_wrong"], question["value"]["prompt"]

"""Question banks in Moodle XML and GIFT read into the values of Sheber's question blocks: which
questions come out with what values, and which cannot be imported, on which line."""

from pathlib import Path

import pytest

from courses.question_formats import (
    MAX_BYTES,
    parse_gift,
    parse_moodle_xml,
    parse_question_file,
)
from courses.quiz_blocks import QuestionStreamBlock

DATA = Path(__file__).parent / "data"
BLOCKS = QuestionStreamBlock().child_blocks


def parse(name):
    bank = parse_question_file(name, (DATA / name).read_bytes())
    for question in bank.questions:
        block = BLOCKS[question.block_type]
        block.clean(block.to_python(question.value))
    return bank


def summary(bank):
    return [(q.line, q.block_type, q.title) for q in bank.questions]


def lines(problems):
    return [problem.line for problem in problems]


def only_error(bank):
    assert bank.questions == []
    assert len(bank.errors) == 1
    return bank.errors[0]


def true_false_xml(prompt):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n  <question type="truefalse">\n'
        f'    <questiontext format="html"><text><![CDATA[{prompt}]]></text></questiontext>\n'
        '    <answer fraction="100"><text>true</text></answer>\n'
        '    <answer fraction="0"><text>false</text></answer>\n  </question>\n</quiz>\n'
    ).encode()


# Moodle XML


def test_moodle_file_with_every_type_sheber_imports():
    bank = parse("moodle_all_types.xml")

    assert summary(bank) == [
        (18, "single_choice", "Soft-edged lantern"),
        (72, "multiple_choice", "Технический райдер"),
        (119, "true_false", "Gel and colour"),
        (149, "short_answer", "Штанкет"),
        (197, "matching", "Мұражай терминдері"),
        (249, "ordering", "Get-in"),
        (291, "gap_fill", "Film festival"),
    ]
    assert bank.errors == []
    assert lines(bank.warnings) == [18, 149, 149, 197, 291]


def test_moodle_single_choice_keeps_simple_markup_and_leaves_the_image_out():
    question = parse("moodle_all_types.xml").questions[0]

    assert question.value == {
        "prompt": "<p>Which lantern gives a <b>soft-edged</b> beam?</p>",
        "points": 3,  # <defaultgrade>2.5000000, rounded half up
        "feedback_right": "Right: the Fresnel.",
        "feedback_wrong": "A Fresnel's stepped lens softens the edge of its beam.",
        "choices": [
            {"text": "Fresnel", "correct": True, "feedback": "Yes: its stepped lens."},
            {"text": "Profile spot", "correct": False, "feedback": "It gives a hard edge."},
            {"text": "Parcan & gel", "correct": False, "feedback": ""},
        ],
    }


def test_moodle_multiple_choice_counts_positive_grades_as_right():
    value = parse("moodle_all_types.xml").questions[1].value

    assert [(c["text"], c["correct"]) for c in value["choices"]] == [
        ("Размеры сцены", True),
        ("Электропитание", True),
        ("Цены на билеты", False),
    ]
    assert value["prompt"] == (
        "<p>Что входит в технический райдер?</p>"
        "<ul><li>Отметьте <i>все</i> верные ответы.</li></ul>"
    )
    assert value["points"] == 3
    assert value["choices"][2]["feedback"] == "Это не техническое требование."


def test_moodle_true_false_takes_feedback_from_its_answers():
    value = parse("moodle_all_types.xml").questions[2].value

    assert value == {
        "prompt": "<p>A gel changes the colour of a lantern's light.<br/>"
        "It is also called a colour filter.</p>",
        "points": 1,  # <defaultgrade>0.4: at least 1
        "answer": True,
        "feedback_right": "Yes, gels colour the light.",
        "feedback_wrong": "It does: that is what a gel is for.",
    }


def test_moodle_short_answer_keeps_fully_right_answers_only():
    bank = parse("moodle_all_types.xml")
    value = bank.questions[3].value

    assert value["answers"] == ["batten", "pipe batten"]
    assert value["prompt"] == "<p>What is the English for «штанкет»? Type &lt;one&gt; word.</p>"
    assert value["feedback_right"] == "Right."
    assert value["feedback_wrong"] == "A batten is a bar lanterns and scenery hang from."
    assert [w.message for w in bank.warnings if w.line == 149] == [
        "Line 149: the partly right answer “pipe” was left out: Sheber accepts fully right "
        "answers only.",
        "Line 149: the answer “bat*” was left out: Sheber has no wildcard *, but it forgives "
        "letter case and small typos.",
    ]


def test_moodle_matching_leaves_extra_matches_out():
    bank = parse("moodle_all_types.xml")
    value = bank.questions[4].value

    assert value["pairs"] == [
        {"item": "экспонат", "match": "exhibit"},
        {"item": "қор", "match": "collection"},
        {"item": "реставрация", "match": "conservation"},
    ]
    assert value["points"] == 4
    assert (value["feedback_right"], value["feedback_wrong"]) == ("Жарайсыз!", "Қайта қараңыз.")
    assert "“ticket office” was left out" in bank.warnings[3].message


def test_moodle_ordering_takes_the_items_in_the_order_of_the_file():
    value = parse("moodle_all_types.xml").questions[5].value

    assert value["items"] == ["Rig the lanterns", "Build the set", "Focus the lanterns"]
    assert value["prompt"] == "<p>Put the steps of a get-in in order.</p>"


def test_moodle_cloze_with_short_answer_gaps_becomes_a_gap_fill():
    bank = parse("moodle_all_types.xml")
    value = bank.questions[6].value

    assert value["text"] == (
        "Hang the [[gel|colour filter]] in the frame.\n"
        "На фестивале фильм показывают с [[субтитрами]]."
    )
    assert value["prompt"] == "<p>Fill in the gaps.</p>"
    assert value["feedback_wrong"] == "Subtitles make a film travel."
    assert "“filter” was left out" in bank.warnings[4].message


def test_moodle_image_left_out_is_a_warning_not_an_error():
    warning = parse("moodle_all_types.xml").warnings[0]

    assert warning.line == 18
    assert warning.message == (
        "Line 18: “fresnel.jpg” was left out: images and media files cannot be imported, "
        "add them again in Sheber."
    )


def test_unsupported_and_broken_moodle_questions_are_errors_and_the_others_survive():
    bank = parse("moodle_mixed.xml")

    assert summary(bank) == [
        (12, "true_false", "Экспонат"),
        (65, "short_answer", "Қор"),
        (89, "single_choice", "Fresnel, plain"),
    ]
    assert bank.questions[0].value["answer"] is False
    assert bank.questions[0].value["points"] == 2
    errors = {error.line: error.message for error in bank.errors}
    assert list(errors) == [8, 19, 23, 28, 35, 42, 46, 50, 54, 58, 70, 74, 79, 83]
    assert errors[8] == (
        "Line 8: description questions cannot be imported: Sheber has no description question."
    )
    assert errors[19] == (
        "Line 19: essay questions cannot be imported: Sheber has no essay question."
    )
    assert errors[23].startswith("Line 23: numerical questions cannot be imported")
    assert errors[28] == "Line 28: the question has no answer marked right."
    assert errors[35].startswith("Line 35: several answers are marked fully right")
    assert errors[42].startswith("Line 42: calculated questions cannot be imported")
    assert errors[46].startswith("Line 46: drag and drop into text questions")
    assert errors[50].startswith("Line 50: select missing words questions")
    assert "cannot be imported as a gap fill" in errors[54]
    assert "MULTICHOICE" in errors[54]
    assert errors[58] == (
        "Line 58: the question cannot be imported: Each match must be different, or learners "
        "cannot tell them apart."
    )
    assert errors[70].startswith("Line 70: random questions cannot be imported")
    assert errors[74].startswith("Line 74: the question cannot be imported: Choices:")
    assert errors[79] == (
        "Line 79: “ddmarker” questions cannot be imported: Sheber has no “ddmarker” question."
    )
    assert errors[83] == (
        "Line 83: a choice or an item is only an image, and images cannot be imported."
    )
    assert bank.warnings == []  # those of rejected questions are not reported


def test_file_written_by_moodle():
    bank = parse("moodle_export_nested_categories.xml")

    assert summary(bank) == [
        (21, "true_false", "Iota Question"),
        (89, "true_false", "Kappa Question"),
        (129, "true_false", "Lambda Question"),
        (169, "true_false", "Mu Question"),
    ]
    assert bank.questions[0].value == {
        "prompt": "<p>Testing Iota Question</p>",
        "points": 1,
        "answer": True,
        "feedback_right": "",
        "feedback_wrong": "",
    }
    assert [(e.line, e.message) for e in bank.errors] == [
        (61, "Line 61: essay questions cannot be imported: Sheber has no essay question.")
    ]


def test_prompt_markup_is_reduced_to_what_sheber_keeps():
    prompt = (
        '<div><h2>Title</h2><p style="color:red">A <span>lantern</span> <strong>'
        '<em>rig</em></strong> &amp; <a href="https://example.org/rig?a=1&amp;b=2" '
        'onclick="x()">plan</a> <a href="javascript:alert(1)">click</a> '
        '<a href="@@PLUGINFILE@@/plan.pdf">the file</a></p>'
        "<table><tr><td>cell</td></tr></table><script>alert(1)</script>"
        '<video src="@@PLUGINFILE@@/focus.mp4">no video</video>'
        "<ol><li>one<ul><li>nested</li></ul></li><li>two<br>lines</li></ol>tail</div>"
    )
    bank = parse_moodle_xml(true_false_xml(prompt))

    assert bank.questions[0].value["prompt"] == (
        "<p>Title</p>"
        '<p>A lantern <b><i>rig</i></b> &amp; <a href="https://example.org/rig?a=1&amp;b=2">'
        "plan</a> click the file</p>"
        "<p>cell</p>"
        "<ol><li>one</li><li>nested</li><li>two<br/>lines</li></ol>"
        "<p>tail</p>"
    )
    assert [w.message.split("”")[0] for w in bank.warnings] == [
        "Line 3: “plan.pdf",
        "Line 3: “focus.mp4",
    ]


@pytest.mark.parametrize(
    ("grade", "points"), [("250", 100), ("0.0000000", 1), ("1.5", 2), ("2.4", 2), ("", 1)]
)
def test_moodle_grade_becomes_points_from_1_to_100(grade, points):
    data = true_false_xml("<p>Q</p>").replace(
        b"<answer", f"<defaultgrade>{grade}</defaultgrade><answer".encode(), 1
    )

    assert parse_moodle_xml(data).questions[0].value["points"] == points


def cloze_xml(text):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n  <question type="cloze">\n'
        f'    <questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>\n'
        "  </question>\n</quiz>\n"
    ).encode()


def test_cloze_gaps_sheber_cannot_take():
    case = parse_moodle_xml(cloze_xml("<p>A {1:SAC:=Fresnel} lantern.</p>"))
    bar = parse_moodle_xml(cloze_xml("<p>A {1:SA:=PC|Fresnel} lantern.</p>"))
    wrong_only = parse_moodle_xml(cloze_xml("<p>A {1:SA:%50%PC~*#No} lantern.</p>"))
    none = parse_moodle_xml(cloze_xml("<p>A Fresnel lantern.</p>"))

    assert case.questions[0].value["text"] == "A [[Fresnel]] lantern."
    assert case.warnings[0].message == (
        "Line 3: the gap “{1:SAC:=Fresnel}” will forgive letter case, which Moodle counted."
    )
    assert bar.errors[0].message == (
        "Line 3: the text or an answer holds [[, ]] or |, which mark the gaps of a gap fill."
    )
    assert wrong_only.errors[0].message == (
        "Line 3: the gap “{1:SA:%50%PC~*#No}” has no answer marked right."
    )
    assert none.errors[0].message == "Line 3: this cloze question has no gaps."


def test_question_with_only_an_image_is_an_error():
    bank = parse_moodle_xml(true_false_xml('<p><img src="@@PLUGINFILE@@/rig.png"></p>'))

    assert [(e.line, e.message) for e in bank.errors] == [(3, "Line 3: the question has no text.")]


# Moodle XML files that cannot be read


def test_file_that_is_not_xml():
    error = only_error(parse("not_xml.xml"))

    assert error.line is None
    assert error.message.startswith("This is not an XML file.")


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_entities_and_dtds_are_refused(name):
    error = only_error(parse(name))

    assert error.line == 2
    assert error.message.startswith("Line 2: the file declares a DTD or entities")


def test_xml_without_a_quiz_root():
    error = only_error(parse("wrong_root.xml"))

    assert error.message == (
        "This is not a Moodle XML question file: its root element is <tbx>, not <quiz>."
    )


def test_xml_that_is_not_well_formed():
    error = only_error(parse_moodle_xml(b"<quiz>\n  <question type='truefalse'>\n</quiz>\n"))

    assert error.line == 3
    assert error.message == ("Line 3: the file is not well-formed XML (column 3): mismatched tag.")


def test_xml_that_is_not_utf8():
    data = "<quiz>\n<question type='essay'><name><text>Рампа</text></name></question>\n</quiz>"
    error = only_error(parse_moodle_xml(data.encode("cp1251")))

    assert error.line == 2
    assert "the file is not in UTF-8" in error.message


def test_xml_in_an_encoding_expat_cannot_read():
    error = only_error(parse_moodle_xml(b'<?xml version="1.0" encoding="utf-7"?><quiz/>'))

    assert error.message.startswith("The file's text encoding cannot be read")


def test_quiz_without_questions():
    error = only_error(parse_moodle_xml(b"<quiz>\n<question type='category'/>\n</quiz>"))

    assert error.message == "The file holds no questions."


@pytest.mark.parametrize("reader", [parse_moodle_xml, parse_gift])
def test_files_over_2_mb_are_refused(reader):
    error = only_error(reader(b"<quiz>" + b" " * MAX_BYTES + b"</quiz>"))

    assert error.message.startswith("The file is larger than 2 MB.")


# GIFT


def test_gift_file_with_every_kind_sheber_imports():
    bank = parse("gift_all_types.gift")

    assert summary(bank) == [
        (7, "true_false", "Gel"),
        (9, "true_false", "Рампа"),
        (12, "single_choice", "Soft edge"),
        (20, "multiple_choice", "Райдер"),
        (27, "short_answer", "Штанкет"),
        (35, "matching", "Мұражай"),
        (43, "gap_fill", ""),
        (46, "single_choice", ""),
        (49, "ordering", "Get-in"),
    ]
    assert bank.errors == []
    assert [w.message for w in bank.warnings] == [
        "Line 27: the partly right answer “pipe” was left out: Sheber accepts fully right "
        "answers only.",
        "Line 35: the extra match “ticket office” was left out: Sheber offers the matches of "
        "the items only.",
    ]


def test_gift_true_false_feedback():
    questions = parse("gift_all_types.gift").questions

    assert questions[0].value == {
        "prompt": "<p>A gel changes the colour of a lantern's light.</p>",
        "points": 1,
        "answer": True,
        "feedback_right": "Yes.",
        "feedback_wrong": "It does: that is what a gel is for.",
    }
    assert questions[1].value["answer"] is False


def test_gift_single_choice_with_escapes_formats_and_feedback():
    value = parse("gift_all_types.gift").questions[2].value

    assert value == {
        "prompt": "<p>Which lantern gives a <b>soft-edged</b> beam {and a wide one}?</p>",
        "points": 1,
        "feedback_right": "",
        "feedback_wrong": "A Fresnel's lens has concentric steps.",
        "choices": [
            {"text": "Fresnel", "correct": True, "feedback": "Yes: its stepped lens."},
            {"text": "Profile spot", "correct": False, "feedback": "It gives a hard edge."},
            {
                "text": "Parcan <PAR 64>",
                "correct": False,
                "feedback": "It gives a near-parallel beam.",
            },
        ],
    }


def test_gift_weights_short_answers_matching_and_ordering():
    questions = parse("gift_all_types.gift").questions

    assert [c["correct"] for c in questions[3].value["choices"]] == [True, True, False]
    assert questions[4].value["answers"] == ["batten", "pipe batten"]
    assert questions[4].value["feedback_right"] == "Right."
    assert [pair["match"] for pair in questions[5].value["pairs"]] == [
        "exhibit",
        "collection",
        "conservation",
    ]
    assert questions[8].value["items"] == [
        "Rig the lanterns",
        "Build the set",
        "Focus the lanterns",
    ]


def test_gift_text_after_the_braces():
    questions = parse("gift_all_types.gift").questions

    assert questions[6].value["text"] == (
        "The [[gel|colour filter]] goes in the frame of the lantern."
    )
    assert questions[7].value["prompt"] == "<p>Фильм показывают на фестивале с _____.</p>"
    assert [c["correct"] for c in questions[7].value["choices"]] == [True, False, False]


def test_unsupported_and_broken_gift_questions_are_errors_and_the_others_survive():
    bank = parse("gift_mixed.gift")

    assert summary(bank) == [(9, "true_false", "Экспонат"), (23, "short_answer", "Қор")]
    assert [(e.line, e.message) for e in bank.errors] == [
        (3, "Line 3: numerical questions cannot be imported: Sheber has no numerical question."),
        (5, "Line 5: essay questions cannot be imported: Sheber has no essay question."),
        (
            7,
            "Line 7: description questions cannot be imported: Sheber has no description question.",
        ),
        (11, "Line 11: the question has no answer marked right."),
        (16, "Line 16: the question has more than one set of answers in braces."),
        (
            18,
            "Line 18: the pair “PC soft edge” has no -> between the item and its match.",
        ),
    ]


def test_gift_written_by_moodle():
    bank = parse("moodle_export_category.gift.txt")

    assert summary(bank) == [
        (12, "matching", "Moodle activities"),
        (21, "single_choice", "Greeting"),
        (29, "short_answer", "Moodle user"),
        (34, "true_false", "Moodle acronym"),
    ]
    assert bank.errors == []
    assert bank.questions[1].value["prompt"] == (
        '<p><a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this '
        "greeting:</a><br/><br/>What language is being spoken?</p>"
    )
    assert bank.questions[2].value["answers"] == ["Moodler"]
    assert [w.line for w in bank.warnings] == [12]  # the extra match "Chat"


def test_gift_with_an_unclosed_brace_is_refused_whole():
    error = only_error(parse("unclosed_brace.gift"))

    assert error.line == 6
    assert error.message == (
        "Line 6: the brace { opened on this line is not closed before the next one, on line 8: "
        "close it with }, or write \\{ for a brace in the text."
    )


def test_gift_brace_never_closed_or_closing_nothing():
    unclosed = only_error(parse_gift(b"::Gel::A gel colours the light.{T}\n\nThe {=gel\n"))
    stray = only_error(parse_gift(b"A gel colours the light.{T}}\n"))

    assert unclosed.line == 3
    assert "never closed" in unclosed.message
    assert stray.line == 1
    assert "closes no brace" in stray.message


def test_gift_that_is_not_utf8():
    data = "::Рампа::Рампа — прибор.{T}\n\n::Штанкет::Штанкет — это?{=batten}\n"
    error = only_error(parse_gift(data.encode("cp1251")))

    assert error.line == 1
    assert "the file is not in UTF-8" in error.message


def test_gift_with_byte_order_mark_and_windows_line_ends():
    bank = parse_gift("\ufeff// c\r\n::Gel::A gel colours the light.{T}\r\n".encode())

    assert summary(bank) == [(2, "true_false", "Gel")]


# Choosing the format


@pytest.mark.parametrize(
    ("name", "block_type"),
    [("bank.XML", "true_false"), ("bank.gift", "short_answer"), ("bank.txt", "short_answer")],
)
def test_format_chosen_by_extension(name, block_type):
    data = true_false_xml("<p>Q</p>") if block_type == "true_false" else b"Q? {=a}"

    assert parse_question_file(name, data).questions[0].block_type == block_type


def test_other_files_are_refused():
    error = only_error(parse_question_file("bank.docx", b"PK"))

    assert error.message == (
        "“bank.docx” is not a question file Sheber reads: import Moodle XML (.xml) or GIFT "
        "(.gift or .txt)."
    )

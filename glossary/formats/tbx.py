"""TBX-Basic import and export: TermBase eXchange v3 (ISO 30042:2019), dialect TBX-Basic,
DCA style, namespace urn:iso:std:iso:30042:ed-2.

One Sheber term is one <conceptEntry>. The mapping, written and read:

| Sheber                   | TBX-Basic                                                          |
| ------------------------ | ------------------------------------------------------------------ |
| headword                 | first <termSec> of <langSec xml:lang="en"> (on import: the first   |
|                          | English termSec marked preferredTerm-admn-sts, else the first one) |
| part_of_speech           | <termNote type="partOfSpeech"> on the English termSecs: noun,      |
|                          | verb, adjective, adverb as they are; Sheber "phrase" <-> "other"   |
| status                   | <termNote type="administrativeStatus"> on the English headword:    |
|                          | approved <-> preferredTerm-admn-sts, draft <-> admittedTerm-admn-  |
|                          | sts (on import deprecated/superseded give draft, none gives        |
|                          | approved, as a CSV file without a status column does)              |
| variants                 | the further English termSecs, written with                         |
|                          | <termNote type="termType">variant</termNote>                       |
| definition               | <descrip type="definition"> in the English langSec                 |
| example                  | <descrip type="context"> on the English headword termSec           |
| pronunciation            | <note>pronunciation: /…/</note> on the English headword termSec    |
|                          | (TBX-Basic has no data category for it)                            |
| sectors                  | one <descrip type="subjectField"> per sub-sector slug, on the      |
|                          | conceptEntry (on import a name such as "Performing arts" is        |
|                          | slugified, so it matches the slug performing-arts)                 |
| related                  | <ref type="crossReference" target="{entry id}">{headword}</ref> on |
|                          | the conceptEntry (target only when that entry is in the file)      |
| source                   | <admin type="source"> on the conceptEntry (a TBX-Basic data        |
|                          | category); <note>source: …</note> there is read as well            |
| translation              | one termSec of <langSec xml:lang="ru"> or "kk", in order           |
| translation.preferred    | administrativeStatus preferredTerm-admn-sts (else admittedTerm-    |
|                          | admn-sts); in a langSec without any status the first is preferred  |
| translation.definition   | <descrip type="definition"> of the langSec, for its first          |
|                          | preferred termSec (else its first); TBX-Basic allows definitions   |
|                          | on langSecs only, so a definition of a further equivalent is a     |
|                          | <note>definition: …</note> on its termSec                          |
| translation.note         | <note> on the termSec (several are joined with "; ")               |
| (entry id)               | id="{slug of the headword}-{part of speech}", "-2", "-3" if taken  |

Import is lenient with files of other tools: descrip, termNote and admin may be wrapped in
descripGrp, termNoteGrp and adminGrp; definitions are read at conceptEntry level (in the language
of their xml:lang, else the file's), langSec level or termSec level, and different definitions of
one language are joined rather than dropped; contexts are read at termSec or langSec level;
xml:lang may carry a region or script (en-US, ru-RU, kk-KZ, kk-Cyrl); a missing part of speech is
taken from another English termSec of the entry (never assumed); several langSecs of one language
are merged; data categories Sheber has no field for (transacGrp, xref, grammaticalGender,
geographicalUsage, …) are ignored. Inline markup such as <hi> is dropped, its text kept, and
white space is collapsed. A language other than English, Russian and Kazakh (or one of them in
another script, e.g. kk-Latn) is kept as written, e.g. "de", so that the importer rejects the
entry; so do unknown parts of speech and sub-sectors.

Parsing goes through defusedxml with DTDs forbidden: a <!DOCTYPE>, and with it any entity, is
refused before it is read, so no external file is opened and no entity is expanded.
"""

import re
from xml.etree import ElementTree  # for writing only: files are parsed with defusedxml
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from django.utils.text import slugify
from django.utils.translation import gettext as _

from home.text import normalise

from ..records import Problem, TermRecord, TranslationRecord

NAMESPACE = "urn:iso:std:iso:30042:ed-2"
# The namespace of the TBX v3 drafts, still written by some tools.
NAMESPACES = (NAMESPACE, "urn:iso:std:iso:30042:ed:3.0")
DIALECT = "TBX-Basic"
STYLE = "dca"
SCHEMA = (
    "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
    "TBXcoreStructV03_TBX-Basic_integrated.rng"
)
PROLOGUE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<?xml-model href="{SCHEMA}" type="application/xml"'
    ' schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ENGLISH = "en"
# Language subtag -> (Sheber language, the script that language is written in).
LANGUAGES = {"en": ("en", "Latn"), "ru": ("ru", "Cyrl"), "kk": ("kk", "Cyrl")}
EXPORT_LANGUAGES = ("ru", "kk")

PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
APPROVED, DRAFT = "approved", "draft"
PARTS_OF_SPEECH = {
    "noun": "noun",
    "verb": "verb",
    "adjective": "adjective",
    "adverb": "adverb",
    "other": "phrase",
    "phrase": "phrase",
}
TBX_PART_OF_SPEECH = {"phrase": "other"}

PRONUNCIATION = "pronunciation:"
SOURCE = "source:"
DEFINITION = "definition:"

_ENTRY_START = re.compile(
    r"(?P<skip><!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>)"
    r"|<(?:[A-Za-z_][\w.-]*:)?conceptEntry[\s/>]",
    re.DOTALL,
)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# Reading


def parse(data):
    """Records and problems from the bytes of a TBX-Basic file."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        return [], [
            Problem(
                _doctype_line(data),
                _(
                    "The file declares a DTD or entities (<!DOCTYPE …>). For security Sheber "
                    "refuses them: they can read files of the server or exhaust its memory. "
                    "Remove the <!DOCTYPE …> declaration and import the file again."
                ),
            )
        ]
    except ParseError as error:
        line, column = error.position
        return [], [
            Problem(
                line,
                _("The file is not well-formed XML (line %(line)d, column %(column)d): %(reason)s.")
                % {"reason": _expat_reason(error), "line": line, "column": column + 1},
            )
        ]

    problem = _root_problem(root)
    if problem:
        return [], [problem]

    reader = _Reader(root)
    entries = [element for element in root.iter() if _local(element.tag) == "conceptEntry"]
    lines = _entry_lines(data, len(entries))
    entries = [(entry, line) for entry, line in zip(entries, lines, strict=True)]
    entries = [(entry, line) for entry, line in entries if entry.tag == reader.q("conceptEntry")]
    if not entries:
        return [], [Problem(None, _("The TBX file has no entries (<conceptEntry>)."))]

    headwords = {}
    for entry, __ in entries:
        term_secs = reader.english_term_secs(entry)
        if entry.get("id") and term_secs:
            headwords.setdefault(entry.get("id"), reader.term(reader.headword_sec(term_secs)))

    records, problems = [], []
    for entry, line in entries:
        record, entry_problems = reader.record(entry, line, headwords)
        problems.extend(entry_problems)
        if record is not None:
            records.append(record)
    return records, problems


def _local(tag):
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _namespace(tag):
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def _expat_reason(error):
    try:
        return ErrorString(error.code)
    except (TypeError, ValueError):
        return str(error)


def _doctype_line(data):
    index = data.find(b"<!DOCTYPE")
    return data.count(b"\n", 0, index) + 1 if index >= 0 else None


def _root_problem(root):
    if _local(root.tag) == "martif":
        return Problem(
            None,
            _(
                "This is a TBX 2 file (<martif>). Sheber reads TBX-Basic version 3 "
                "(ISO 30042:2019): export the file again as TBX v3."
            ),
        )
    if _local(root.tag) != "tbx" or _namespace(root.tag) not in NAMESPACES:
        return Problem(
            None,
            _(
                "This is not a TBX file: its root element must be <tbx> in the namespace "
                "%(namespace)s (TBX version 3, ISO 30042:2019)."
            )
            % {"namespace": NAMESPACE},
        )
    dialect = (root.get("type") or "").strip()
    if dialect.casefold() != DIALECT.casefold():
        return Problem(
            None,
            _("This TBX file is of the dialect “%(dialect)s”: Sheber imports TBX-Basic only.")
            % {"dialect": dialect or "?"},
        )
    style = (root.get("style") or STYLE).strip().casefold()
    if style != STYLE:
        return Problem(
            None,
            _("This TBX file is in the style “%(style)s”: Sheber imports the DCA style only.")
            % {"style": style},
        )
    return None


def _entry_lines(data, count):
    """The line on which each conceptEntry starts, from a scan of the raw file that skips
    comments, CDATA sections and processing instructions; None for all if the scan and the
    parser disagree."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("latin-1")  # keeps every byte, and so every "<" and newline
    lines, line, position = [], 1, 0
    for match in _ENTRY_START.finditer(text):
        if match.group("skip"):
            continue
        line += text.count("\n", position, match.start())
        position = match.start()
        lines.append(line)
    return lines if len(lines) == count else [None] * count


def _language(code):
    """Sheber's code for a language tag (en-GB -> en, ru-RU -> ru, kk-Cyrl -> kk); any other
    language, or English, Russian or Kazakh in another script, is kept as written."""
    code = code.strip()
    primary, *subtags = re.split(r"[-_]", code)
    known = LANGUAGES.get(primary.casefold())
    if known is None:
        return code
    scripts = [tag.title() for tag in subtags if len(tag) == 4 and tag.isalpha()]
    return known[0] if scripts in ([], [known[1]]) else code


def _text(element):
    return " ".join("".join(element.itertext()).split())


def _after_prefix(text, prefix):
    return text[len(prefix) :].strip() if text.casefold().startswith(prefix) else None


class _Reader:
    def __init__(self, root):
        self.namespace = _namespace(root.tag)
        self.default_language = root.get(XML_LANG) or ENGLISH

    def q(self, name):
        return f"{{{self.namespace}}}{name}"

    def children(self, element, name, category=None):
        """The child elements `name` (of data category `category`), with those wrapped in a
        group element (descripGrp, termNoteGrp, adminGrp)."""
        for child in element:
            if child.tag == self.q(name):
                found = [child]
            elif child.tag == self.q(name + "Grp"):
                found = child.findall(self.q(name))
            else:
                continue
            yield from (item for item in found if category in (None, item.get("type")))

    def texts(self, element, name, category=None):
        return [text for item in self.children(element, name, category) if (text := _text(item))]

    def first(self, element, name, category=None):
        return next(iter(self.texts(element, name, category)), "")

    def term(self, term_sec):
        term = term_sec.find(self.q("term"))
        return _text(term) if term is not None else ""

    def lang_secs(self, entry):
        """(Sheber language, langSec) of the entry; a langSec without xml:lang is None."""
        for lang_sec in self.children(entry, "langSec"):
            code = (lang_sec.get(XML_LANG) or "").strip()
            yield (_language(code) if code else None), lang_sec

    def english_term_secs(self, entry):
        return [
            term_sec
            for language, lang_sec in self.lang_secs(entry)
            if language == ENGLISH
            for term_sec in self.children(lang_sec, "termSec")
            if self.term(term_sec)
        ]

    def headword_sec(self, term_secs):
        """The English headword: the first preferred term, else the first term."""
        return next(
            (
                t
                for t in term_secs
                if self.first(t, "termNote", "administrativeStatus") == PREFERRED
            ),
            term_secs[0],
        )

    def record(self, entry, line, headwords):
        """The record of a conceptEntry, or None when it cannot be one, and the problems."""
        problems = []
        term_secs = self.english_term_secs(entry)
        if not term_secs:
            return None, [Problem(line, self._missing_term(entry))]
        head = self.headword_sec(term_secs)
        headword = self.term(head)
        others = [t for t in term_secs if t is not head]

        part_of_speech = next(
            (pos for t in [head, *others] if (pos := self.first(t, "termNote", "partOfSpeech"))),
            "",
        )
        if not part_of_speech:
            return None, [
                Problem(
                    line,
                    _(
                        "Part of speech missing for “%(term)s”: add "
                        '<termNote type="partOfSpeech"> (noun, verb, adjective, adverb or '
                        "other)."
                    )
                    % {"term": headword},
                )
            ]
        part_of_speech = PARTS_OF_SPEECH.get(part_of_speech.casefold(), part_of_speech)

        english_secs, translations = [], []
        for language, lang_sec in self.lang_secs(entry):
            if language is None:
                problems.append(
                    Problem(line, _("A language section (<langSec>) has no xml:lang attribute."))
                )
            elif language == ENGLISH:
                english_secs.append(lang_sec)
            else:
                translations.extend(self.translations(language, lang_sec))

        definitions = [
            text for sec in english_secs for text in self.texts(sec, "descrip", "definition")
        ]
        definitions += [
            text for t in [head, *others] for text in self.texts(t, "descrip", "definition")
        ]
        for descrip in self.children(entry, "descrip", "definition"):
            language = _language(descrip.get(XML_LANG) or self.default_language)
            if language == ENGLISH:
                definitions.append(_text(descrip))
            else:
                _add_definition(translations, language, _text(descrip))

        status = self.first(head, "termNote", "administrativeStatus")
        notes = self.texts(head, "note")
        entry_notes = self.texts(entry, "note")
        refs = list(self.children(entry, "ref", "crossReference"))
        refs += [ref for t in term_secs for ref in self.children(t, "ref", "crossReference")]
        related = []
        for ref in refs:
            name = headwords.get(ref.get("target")) or _text(ref)
            if name:
                related.append(name)
            else:
                problems.append(
                    Problem(
                        line,
                        _("A cross-reference points to “%(target)s”, which is not in the file.")
                        % {"target": ref.get("target") or "?"},
                    )
                )

        record = TermRecord(
            headword=headword,
            part_of_speech=part_of_speech,
            definition=" ".join(dict.fromkeys(filter(None, definitions))),
            pronunciation=_first_prefixed(notes, PRONUNCIATION),
            example=self.first(head, "descrip", "context")
            or next((t for s in english_secs for t in self.texts(s, "descrip", "context")), ""),
            variants=list(dict.fromkeys(v for t in others if (v := self.term(t)) != headword)),
            sectors=list(
                dict.fromkeys(
                    slug
                    for text in self.texts(entry, "descrip", "subjectField")
                    if (slug := slugify(text))
                )
            ),
            related=list(dict.fromkeys(related)),
            translations=translations,
            status=APPROVED if status in ("", PREFERRED) else DRAFT,
            source=self.first(entry, "admin", "source") or _first_prefixed(entry_notes, SOURCE),
            line=line,
        )
        return record, problems

    def translations(self, language, lang_sec):
        records, statuses = [], []
        for term_sec in self.children(lang_sec, "termSec"):
            status = self.first(term_sec, "termNote", "administrativeStatus")
            statuses.append(status)
            definition = self.first(term_sec, "descrip", "definition")
            notes = []
            for note in self.texts(term_sec, "note"):
                from_note = _after_prefix(note, DEFINITION)
                if from_note is not None and not definition:
                    definition = from_note
                else:
                    notes.append(note)
            records.append(
                TranslationRecord(
                    language=language,
                    text=self.term(term_sec),
                    definition=definition,
                    note="; ".join(notes),
                    preferred=status == PREFERRED,
                )
            )
        if records and not any(statuses):
            records[0].preferred = True
        for definition in self.texts(lang_sec, "descrip", "definition"):
            _add_definition(records, language, definition)
        return records

    def _missing_term(self, entry):
        if entry.get("id"):
            return _(
                "The entry “%(id)s” has no English term: it needs "
                '<langSec xml:lang="en"> with a <termSec><term>.'
            ) % {"id": entry.get("id")}
        return _(
            'An entry has no English term: it needs <langSec xml:lang="en"> with a <termSec><term>.'
        )


def _first_prefixed(notes, prefix):
    return next((text for note in notes if (text := _after_prefix(note, prefix))), "")


def _add_definition(translations, language, definition):
    """Give a language's definition to its first preferred equivalent (else its first), after
    any definition it already has: a second definition is kept, not dropped."""
    candidates = [t for t in translations if t.language == language]
    if not candidates or not definition:
        return
    anchor = next((t for t in candidates if t.preferred), candidates[0])
    if not anchor.definition:
        anchor.definition = definition
    elif definition != anchor.definition or definition != anchor.definition:
        anchor.definition = f"{anchor.definition} {definition}"


# Writing


def export(records):
    """The bytes of a TBX-Basic file (UTF-8), the same for the same records."""
    ids = _entry_ids(records)
    targets = {}
    for record, entry_id in zip(records, ids, strict=True):
        targets.setdefault(normalise(record.headword), entry_id)

    root = ElementTree.Element("tbx")
    root.attrib.update({"type": DIALECT, "style": STYLE, XML_LANG: ENGLISH, "xmlns": NAMESPACE})
    file_desc = _add(_add(root, "tbxHeader"), "fileDesc")
    _add(_add(file_desc, "titleStmt"), "title", "Sheber glossary")
    _add(
        _add(file_desc, "sourceDesc"),
        "p",
        "Technical English of the cultural sector with "
        "Russian and Kazakh equivalents, exported from Sheber.",
    )
    body = _add(_add(root, "text"), "body")
    for record, entry_id in zip(records, ids, strict=True):
        _write_entry(body, record, entry_id, targets)

    ElementTree.indent(root, space="  ")
    return (PROLOGUE + ElementTree.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _add(parent, tag, text=None, **attributes):
    element = ElementTree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _entry_ids(records):
    ids, taken = [], set()
    for record in records:
        base = "-".join(filter(None, [slugify(record.headword), slugify(record.part_of_speech)]))
        if not base[:1].isalpha():
            base = f"term-{base}".rstrip("-")
        entry_id, number = base, 2
        while entry_id in taken:
            entry_id, number = f"{base}-{number}", number + 1
        taken.add(entry_id)
        ids.append(entry_id)
    return ids


def _write_entry(body, record, entry_id, targets):
    entry = _add(body, "conceptEntry", id=entry_id)
    for slug in record.sectors:
        _add(entry, "descrip", slug, type="subjectField")
    for name in dict.fromkeys(record.related):
        ref = _add(entry, "ref", name, type="crossReference")
        if normalise(name) in targets:
            ref.set("target", targets[normalise(name)])
    if record.source:
        _add(entry, "admin", record.source, type="source")

    english = _add(entry, "langSec", **{XML_LANG: ENGLISH})
    if record.definition:
        _add(english, "descrip", record.definition, type="definition")
    part_of_speech = TBX_PART_OF_SPEECH.get(record.part_of_speech, record.part_of_speech)
    head = _add(english, "termSec")
    _add(head, "term", record.headword)
    _add(head, "termNote", part_of_speech, type="partOfSpeech")
    status = PREFERRED if record.status == APPROVED else ADMITTED
    _add(head, "termNote", status, type="administrativeStatus")
    if record.example:
        _add(head, "descrip", record.example, type="context")
    if record.pronunciation:
        _add(head, "note", f"{PRONUNCIATION} {record.pronunciation}")
    for variant in record.variants:
        term_sec = _add(english, "termSec")
        _add(term_sec, "term", variant)
        _add(term_sec, "termNote", part_of_speech, type="partOfSpeech")
        _add(term_sec, "termNote", "variant", type="termType")

    languages = dict.fromkeys([*EXPORT_LANGUAGES, *(t.language for t in record.translations)])
    for language in languages:
        equivalents = [t for t in record.translations if t.language == language]
        if not equivalents:
            continue
        lang_sec = _add(entry, "langSec", **{XML_LANG: language})
        anchor = next((t for t in equivalents if t.preferred), equivalents[0])
        if anchor.definition:
            _add(lang_sec, "descrip", anchor.definition, type="definition")
        for equivalent in equivalents:
            term_sec = _add(lang_sec, "termSec")
            _add(term_sec, "term", equivalent.text)
            status = PREFERRED if equivalent.preferred else ADMITTED
            _add(term_sec, "termNote", status, type="administrativeStatus")
            if equivalent.definition and equivalent is not anchor:
                _add(term_sec, "note", f"{DEFINITION} {equivalent.definition}")
            if equivalent.note:
                _add(term_sec, "note", equivalent.note)

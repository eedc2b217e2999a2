"""Text rules shared by search, imports and drills: one place for each."""

import re
import unicodedata

STRESS_MARK = "\u0301"
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032`´"), "'") | dict.fromkeys(
    map(ord, "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"), '"'
)
_SPACES = re.compile(r"\s+")


def normalise(text):
    """The comparison key of a word or phrase in English, Russian or Kazakh.

    NFC, then case folding; the Russian stress mark (U+0301) is dropped and ё counts as е, since
    dictionaries write them and people do not. Other marks stay: й is not и, and ә, ғ, қ, ң, ө,
    ұ, ү, һ, і are letters of their own. Dashes and quotes are unified; spaces collapsed."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace(STRESS_MARK, "").casefold().replace("ё", "е")
    text = text.translate(_DASHES).translate(_QUOTES)
    return _SPACES.sub(" ", text).strip()


# Dictionary order of the Cyrillic alphabets (ё is filed under е, as `normalise` makes it).
ALPHABETS = {
    "ru": "абвгдежзийклмнопрстуфхцчшщъыьэюя",
    "kk": "аәбвгғдежзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
}
SORT_KEY_LENGTH = 60  # characters that decide the order: plenty for a word or phrase
_SORT_CODES = {
    language: {letter: 0x100 + index for index, letter in enumerate(alphabet)}
    for language, alphabet in ALPHABETS.items()
}


def sort_key(text, language):
    """A key that puts words of `language` ("ru" or "kk") in dictionary order: in Kazakh ә after
    а, ғ after г, қ after к, ң after н, ө after о, ұ and ү after у, һ after х, і after ы.

    Each character becomes six hexadecimal digits, so comparing keys byte by byte (SQLite) or
    under any collation (PostgreSQL) gives the same order: spaces and dashes first, then digits,
    then the alphabet, then any other letter by code point. Letter case, ё/е and stress marks
    are ignored, as by `normalise`."""
    codes = _SORT_CODES[language]
    key = []
    for character in normalise(text)[:SORT_KEY_LENGTH]:
        if character in codes:
            code = codes[character]
        elif character.isdecimal():
            code = 0x10 + unicodedata.decimal(character)
        elif character.isalpha():
            code = 0x1000 + ord(character)
        else:
            code = 1 + (character != " ")
        key.append(f"{code:06x}")
    return "".join(key)


def _script(character):
    name = unicodedata.name(character, "")
    if name.startswith("LATIN"):
        return "Latin"
    if name.startswith("CYRILLIC"):
        return "Cyrillic"
    return None


def mixed_script_words(text):
    """Words that mix Latin and Cyrillic letters, such as a Cyrillic word typed with a Latin
    "a" or "c": they look right and never match a search."""
    words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text or ""))
    return [word for word in words if len({_script(c) for c in word} - {None}) > 1]


_SLUG = re.compile(r"[-a-z0-9]{1,80}")


def slug_or_blank(value):
    """`value` if it can be a slug (a URL parameter naming a sector, say), else ""."""
    return value if value and _SLUG.fullmatch(value) else ""


def number_or_none(value, digits=9):
    """`value` as a non-negative int if it is up to `digits` ASCII digits (an id or a position
    from a form or a query string), else None. `str.isdigit()` also accepts "²", which `int()`
    refuses, and a long run of digits overflows a database integer."""
    value = str(value) if value is not None else ""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= digits else None

"""Text of question files made fit for Sheber: the simple rich text of a prompt (paragraphs, bold,
italic, web links, lists and line breaks) and the plain text of choices and feedback.

Every other tag is dropped and its text kept, except scripts, styles and embedded media, whose
content goes. Images and media cannot travel (Moodle keeps them as @@PLUGINFILE@@ files), so they
are left out and their file names reported."""

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

# Moodle's text formats; Markdown is read as plain text.
HTML, AUTO, PLAIN, MARKDOWN = "html", "moodle_auto_format", "plain_text", "markdown"

INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i"}
LISTS = {"ul", "ol"}
BLOCKS = {
    *("address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt"),
    *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr"),
    *("li", "main", "nav", "p", "pre", "section", "table", "td", "th", "tr"),
}
MEDIA = {"img", "embed", "source"}
MEDIA_CONTAINERS = {"audio", "video", "iframe", "object"}
SKIPPED = {"script", "style", "template", "svg", "math", "head", "title", *MEDIA_CONTAINERS}
LINK_SCHEMES = {"http", "https", "mailto"}
MOODLE_FILE = "@@PLUGINFILE@@"
BREAK = "<br/>"
_EMPTY_INLINE = re.compile(r"<(b|i|a)\b[^>]*>(\s*)</\1>")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


@dataclass
class Markup:
    html: str  # rich text for a prompt, "" when nothing is left
    text: str  # plain text, one line per paragraph or list item
    left_out: list[str] = field(default_factory=list)  # images and media files dropped


def convert(source, text_format=HTML):
    """Sheber's markup for `source` written in one of Moodle's text formats. Plain text and
    Markdown are escaped; they and Moodle's auto-format keep their paragraphs and line breaks."""
    source = source.replace("\r\n", "\n")
    if text_format in (PLAIN, MARKDOWN):
        source = escape(source, quote=False)
    if text_format != HTML:
        source = "".join(
            f"<p>{paragraph.replace(chr(10), '<br>')}</p>"
            for paragraph in _PARAGRAPHS.split(source)
        )
    reader = _Reader()
    reader.feed(source)
    reader.close()
    return Markup(
        "".join(reader.blocks), "\n".join(reader.texts), list(dict.fromkeys(reader.left_out))
    )


def one_line(text):
    return " ".join(text.split())


def _split(address):
    try:
        return urlsplit(address)
    except ValueError:  # such as a broken IPv6 host
        return urlsplit("")


def _file_name(address):
    return unquote(PurePosixPath(_split(address).path).name) or address


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks, self.texts, self.left_out = [], [], []
        self.skipping = 0
        self.list_depth, self.list_tag, self.items = 0, "", []
        self._start_block()

    def _start_block(self):
        self.parts, self.plain, self.open = [], [], []
        # Words were written; white space is pending; a space (or break) was written since.
        self.started = self.space = self.spaced = False

    def _emit(self, html, text=""):
        if self.space and self.started and not self.spaced:
            self.parts.append(" ")
            self.plain.append(" ")
            self.spaced = True
        self.space = False
        self.parts.append(html)
        self.plain.append(text)
        if text:
            self.spaced = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in MEDIA or tag in MEDIA_CONTAINERS:
            address = attributes.get("src") or attributes.get("data")
            if address:
                self.left_out.append(_file_name(address))
        if tag in SKIPPED:
            self.skipping += 1
        if self.skipping or tag in MEDIA:
            return
        if tag in INLINE:
            self._emit(f"<{INLINE[tag]}>")
            self.open.append((tag, INLINE[tag]))
        elif tag == "a":
            self._open_link(attributes.get("href") or "")
        elif tag == "br":
            if self.started:
                self.parts.append(BREAK)
                self.plain.append("\n")
                self.space, self.spaced = False, True
        elif tag in LISTS:
            self._flush()
            if not self.list_depth:
                self.list_tag, self.items = tag, []
            self.list_depth += 1
        elif tag in BLOCKS:
            self._flush()

    def _open_link(self, href):
        href = href.strip()
        if href.startswith(MOODLE_FILE):
            self.left_out.append(_file_name(href))
        if _split(href).scheme.lower() in LINK_SCHEMES:
            self._emit(f'<a href="{escape(href)}">')
            self.open.append(("a", "a"))
        else:
            self.open.append(("a", None))

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif self.skipping:
            return
        elif tag in INLINE or tag == "a":
            self._close(tag)
        elif tag in LISTS:
            self._end_list()
        elif tag in BLOCKS:
            self._flush()

    def _close(self, tag):
        """Close the last `tag` still open, and the tags opened inside it."""
        opened = [source for source, __ in self.open]
        if tag in opened:
            self._close_from(len(opened) - 1 - opened[::-1].index(tag))

    def _close_from(self, index):
        for __, output in reversed(self.open[index:]):
            if output:
                self.parts.append(f"</{output}>")
        del self.open[index:]

    def handle_data(self, data):
        if self.skipping:
            return
        if data[:1].isspace():
            self.space = True
        words = " ".join(data.split())
        if words:
            self._emit(escape(words, quote=False), words)
            self.started = True
            self.space = data[-1].isspace()

    def _flush(self):
        while self.parts and self.parts[-1] == BREAK:
            self.parts.pop()
        self._close_from(0)
        html = "".join(self.parts)
        while (cleaned := _EMPTY_INLINE.sub(r"\2", html)) != html:
            html = cleaned
        text = "".join(self.plain).strip()
        if text:
            if self.list_depth:
                self.items.append((html.strip(), text))
            else:
                self.blocks.append(f"<p>{html.strip()}</p>")
                self.texts.append(text)
        self._start_block()

    def _end_list(self):
        self._flush()
        if not self.list_depth:
            return
        self.list_depth -= 1
        if not self.list_depth and self.items:
            items = "".join(f"<li>{html}</li>" for html, __ in self.items)
            self.blocks.append(f"<{self.list_tag}>{items}</{self.list_tag}>")
            self.texts.extend(text for __, text in self.items)

    def close(self):
        super().close()
        self._flush()
        if self.list_depth:
            self.list_depth = 1
            self._end_list()

"""Reads what a person (or a screen reader) gets from a page: its text and the attributes that
are spoken or shown, so tests can compare pages across languages."""

from html.parser import HTMLParser

SPOKEN_ATTRIBUTES = {"alt", "aria-label", "title", "placeholder"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        attributes = dict(attrs)
        for name in SPOKEN_ATTRIBUTES:
            if attributes.get(name):
                self.texts.append(attributes[name].strip())
        if tag == "meta" and attributes.get("name") == "description":
            self.texts.append(attributes.get("content", "").strip())
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.texts.append(attributes.get("value", "").strip())

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skip:
            self.texts.append(text)


def visible_texts(html):
    collector = _TextCollector()
    collector.feed(html)
    return [text for text in collector.texts if text]

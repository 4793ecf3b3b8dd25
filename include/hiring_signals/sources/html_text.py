"""HN comment HTML to plain text (HN allows only <p>, <a>, <i>, <pre>, <code>)."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self.parts.append("\n")
        elif tag == "a":
            # HN shortens long link texts with "..."; the href is the whole URL.
            href = dict(attrs).get("href")
            if href:
                self.parts.append(href)
                self._in_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link = False

    def handle_data(self, data: str) -> None:
        if not self._in_link:
            self.parts.append(data)


def html_to_text(html: str | None) -> str:
    """Plain text of an HN comment: paragraphs become lines, entities are decoded."""
    if not html:
        return ""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)

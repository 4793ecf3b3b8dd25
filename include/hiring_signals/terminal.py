"""Scraped text made safe to print on a terminal."""

from __future__ import annotations

import re

from rich.markup import escape

# C0 controls but tab and newline, DEL and C1 controls. ESC starts sequences that can
# recolour, retitle or rewrite a terminal; a carriage return overwrites the line.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b``-style escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def cell(value: object) -> str:
    """A value as rich markup that prints literally: no markup, no control sequences."""
    return escape(visible(str(value)))

"""Decoding and cleaning of PDF-converted Markdown.

Every cleaning step that later code extracts positions from keeps a map from
each clean character back to its column in the original line, so a metric's
`raw` text is always an exact slice of the line it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

SENTENCE_END = "。！？!?；;"
CLAUSE_BREAK = "，,；;。：:！？!?、\n"

_HTML_TAG = re.compile(r"<[^<>\n]{0,400}>")
_LATEX_PERCENT = re.compile(r"\\%")


class DecodeError(ValueError):
    """The bytes are not a text document we can read."""


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes → text. UTF-8 first; GB18030 (a superset of GBK) as a fallback.

    Returns the text and notes for the user. Raises DecodeError for binary data.
    """
    notes: list[str] = []
    if b"\x00" in data[:65536] or b"\x00" in data[-65536:]:
        raise DecodeError("contains NUL bytes: it looks like a binary file, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"is neither UTF-8 nor GB18030/GBK text (bad byte at offset {exc.start})"
            ) from None
        notes.append("decoded as GB18030/GBK (not UTF-8)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\t\f\v")
    if controls > max(8, len(text[:65536]) // 100):
        raise DecodeError("contains many control characters: it looks like a binary file")
    return text, notes


@dataclass(slots=True)
class Clean:
    """Clean text plus, for each of its characters, (line, column) in the source."""

    text: str
    origin: list[tuple[int, int]]

    def span_origin(self, start: int, end: int) -> tuple[int, int, int] | None:
        """(line, start col, end col) of clean[start:end] when it lies on one line."""
        if start >= end:
            return None
        first_line, first_col = self.origin[start]
        last_line, last_col = self.origin[end - 1]
        if first_line != last_line:
            return None
        return first_line, first_col, last_col + 1


def strip_markup(line: str, line_no: int = 0) -> Clean:
    """Drop `**`, `__`, `$`, HTML tags and LaTeX escapes; map the rest back.

    Full-width digits become ASCII (one character for one, so the map holds).
    """
    out: list[str] = []
    origin: list[tuple[int, int]] = []
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == "*" and line.startswith("**", i):
            i += 2
            continue
        if ch == "$":
            i += 1
            continue
        if ch == "\\" and i + 1 < n and line[i + 1] in "%$_&#{}":
            out.append(line[i + 1])
            origin.append((line_no, i + 1))
            i += 2
            continue
        if ch == "<":
            m = _HTML_TAG.match(line, i)
            if m:
                # a tag separates what it stood between (</li><li> are list breaks)
                if out and out[-1] not in " \n":
                    out.append(" ")
                    origin.append((line_no, i))
                i = m.end()
                continue
        out.append(ch.translate(FULLWIDTH_DIGITS))
        origin.append((line_no, i))
        i += 1
    return Clean("".join(out), origin)


def join_clean(parts: list[Clean], glue: str = "") -> Clean:
    text: list[str] = []
    origin: list[tuple[int, int]] = []
    for k, part in enumerate(parts):
        if k and glue:
            text.append(glue)
            # glue belongs to the end of the previous part
            origin.extend([part.origin[0] if part.origin else (0, 0)] * len(glue))
        text.append(part.text)
        origin.extend(part.origin)
    return Clean("".join(text), origin)


def plain(line: str) -> str:
    """Display form of a line: markup gone, spacing tidied, bold kept out."""
    text = strip_markup(line).text
    return re.sub(r"[ \t\u3000]+", " ", text).strip()


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def outside_brackets(text: str) -> str:
    """Text with 《…》 and “…” content removed: punctuation inside titles is not prose."""
    return re.sub(r"《[^》]*》|“[^”]*”|\"[^\"]*\"", "", text)


def has_sentence_punctuation(text: str) -> bool:
    return any(ch in "，,；;。：:！？!?" for ch in outside_brackets(text))

"""Decoding and cleaning of PDF-converted Markdown.

Every cleaning step that later code extracts positions from keeps a map from
each clean character back to its column in the original line, so a metric's
`raw` text is always an exact slice of the line it came from.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

FULLWIDTH_DIGITS: Final = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

SENTENCE_END: Final = "。！？!?；;"
CLAUSE_BREAK: Final = "，,；;。：:！？!?、\n"

_HTML_TAG: Final = re.compile(r"<[^<>\n]{0,400}>")
_LATEX_PERCENT: Final = re.compile(r"\\%")


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


class Clean:
    """Clean text plus a map back to the source: `segments` holds
    (clean offset, line, column) where each unbroken run of copied text starts.

    A plain class, not a dataclass: compiled, its constructor is native (a dataclass's
    generated __init__ stays interpreted), and one is built per line."""

    __slots__ = ("text", "segments", "_starts")

    def __init__(self, text: str, segments: list[tuple[int, int, int]], _starts: list[int] | None = None) -> None:
        self.text = text
        self.segments = segments
        self._starts = _starts  # the segments' clean offsets, for bisection

    def locate(self, index: int) -> tuple[int, int]:
        """(line, column) in the source of clean character `index`."""
        starts = self._starts
        if starts is None:
            starts = self._starts = [seg[0] for seg in self.segments]
        k = bisect.bisect_right(starts, index) - 1
        start, line, col = self.segments[max(k, 0)]
        return line, col + (index - start)

    def span_origin(self, start: int, end: int) -> tuple[int, int, int] | None:
        """(line, start col, end col) of clean[start:end] when it lies on one line."""
        segments = self.segments
        if start >= end or not segments:
            return None
        if len(segments) == 1:  # most units: one line without markup
            first, line, col = segments[0]
            return line, col + start - first, col + end - first
        first_line, first_col = self.locate(start)
        last_line, last_col = self.locate(end - 1)
        if first_line != last_line:
            return None
        return first_line, first_col, last_col + 1


_MARKUP: Final = re.compile(r"\*\*|\$|\\(?=[%$_&#{}])|<[^<>\n]{0,400}>")


def strip_markup(line: str, line_no: int = 0, col_offset: int = 0) -> Clean:
    """Drop `**`, `$`, HTML tags and LaTeX escapes; map the rest back.

    Full-width digits become ASCII (one character for one, so the map holds).
    A tag becomes a space: it separated what it stood between (</li><li>)."""
    # ** and $ are markup wherever they stand (no search needed); a lone * is not, and a
    # backslash or a < only before some characters
    if "**" not in line and "$" not in line and (
        ("\\" not in line and "<" not in line) or _MARKUP.search(line) is None
    ):
        # most lines: nothing to strip, one segment
        return Clean(ascii_digits(line), [(0, line_no, col_offset)] if line else [])
    digits = ascii_digits(line)  # one character for one: sliced by the raw line's positions
    segments: list[tuple[int, int, int]] = []
    size = 0
    pos = 0
    if "$" not in line and "\\" not in line and "<" not in line:
        # bold only (most marked lines): the pieces between `**`, without a match object each
        for piece in digits.split("**"):
            if piece:
                segments.append((size, line_no, col_offset + pos))
                size += len(piece)
            pos += len(piece) + 2
        return Clean(digits.replace("**", ""), segments)
    out: list[str] = []
    last = ""  # the last piece appended
    for m in _MARKUP.finditer(line):
        start = m.start()
        if start > pos:
            last = digits[pos:start]
            segments.append((size, line_no, col_offset + pos))
            out.append(last)
            size += start - pos
        if line[start] == "<" and out and not last.endswith((" ", "\n")):
            segments.append((size, line_no, col_offset + start))
            out.append(" ")
            last = " "
            size += 1
        pos = m.end()
    if pos < len(line):
        segments.append((size, line_no, col_offset + pos))
        out.append(digits[pos:])
    return Clean("".join(out), segments)


def strip_text(line: str) -> str:
    """`strip_markup(line).text` without the map back to the source (for callers that need only the text)."""
    if "**" not in line and "$" not in line and (
        ("\\" not in line and "<" not in line) or _MARKUP.search(line) is None
    ):
        return ascii_digits(line)
    digits = ascii_digits(line)
    if "$" not in line and "\\" not in line and "<" not in line:
        return digits.replace("**", "")
    out: list[str] = []
    last = ""  # the last piece appended
    pos = 0
    for m in _MARKUP.finditer(line):
        start = m.start()
        if start > pos:
            last = digits[pos:start]
            out.append(last)
        if line[start] == "<" and out and not last.endswith((" ", "\n")):
            out.append(" ")
            last = " "
        pos = m.end()
    if pos < len(line):
        out.append(digits[pos:])
    return "".join(out)


def join_clean(parts: list[Clean], glue: str = "") -> Clean:
    if len(parts) == 1:
        return parts[0]  # most units: one line
    text: list[str] = []
    segments: list[tuple[int, int, int]] = []
    size = 0
    for k, part in enumerate(parts):
        if k and glue and part.segments:
            _, line, col = part.segments[0]
            segments.append((size, line, col))  # the glue stands for the join itself
            text.append(glue)
            size += len(glue)
        if size:
            segments.extend([(start + size, line, col) for start, line, col in part.segments])
        else:
            segments.extend(part.segments)
        text.append(part.text)
        size += len(part.text)
    return Clean("".join(text), segments)


_TAG_OR_MARK: Final = re.compile(r"\*\*|\$|\\(?=[%$_&#{}])|<[^<>\n]{0,400}>")
_SPACES: Final = re.compile(r"[ \t\u3000][ \t\u3000]*")  # one or more, led by one: the regex engine skips ahead


def plain(line: str) -> str:
    """Display form of a line: markup gone, spacing tidied."""
    if ("*" in line or "$" in line or "\\" in line or "<" in line) and _TAG_OR_MARK.search(line) is not None:
        line = _TAG_OR_MARK.sub(lambda m: " " if m.group().startswith("<") else "", line)
    line = ascii_digits(line)
    if " " in line or "\t" in line or "\u3000" in line:
        line = _SPACES.sub(" ", line)
    return line.strip()


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


_QUOTED: Final = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"")
_FULLWIDTH: Final = re.compile(r"[０-９．％]")


def ascii_digits(text: str) -> str:
    """Full-width digits to ASCII, one character for one (a no-op for most text)."""
    return text.translate(FULLWIDTH_DIGITS) if _FULLWIDTH.search(text) else text


def outside_brackets(text: str) -> str:
    """Text with 《…》 and “…” content removed: punctuation inside titles is not prose."""
    return _QUOTED.sub("", text)


_PUNCTUATION: Final = re.compile(r"[，,；;。：:！？!?]")


def has_sentence_punctuation(text: str) -> bool:
    if _PUNCTUATION.search(text) is None:
        return False  # no punctuation at all: nothing for the brackets to hide
    if "《" not in text and "“" not in text and '"' not in text:
        return True  # nothing in brackets (what outside_brackets takes out)
    return _PUNCTUATION.search(outside_brackets(text)) is not None

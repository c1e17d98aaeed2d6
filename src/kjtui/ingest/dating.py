"""The year a document describes, when the user gave none: from its title, its own 文号,
its own date, or a year that opens its text. Pure functions."""

from __future__ import annotations

import re
from typing import Final

from ..model import ParsedDocument

_YEAR: Final = re.compile(r"(?<![\d〔\[【])(19[5-9]\d|20\d\d|21\d\d)(?![\d〕\]】])(?!\s*[—–\-~～至到]\s*\d{4})")
_RANGE_TAIL: Final = re.compile(r"\d{4}\s*[—–\-~～至到]\s*$")
_DOC_NUMBER_YEAR: Final = re.compile(r"[〔\[【(（]\s*(19[5-9]\d|20\d\d|21\d\d)\s*[〕\]】)）]")
_ISO_YEAR: Final = re.compile(r"^(19[5-9]\d|20\d\d|21\d\d)-")
_OPENING: Final = re.compile(r"^\s*(?:[#*>\s]*)(?:截至|截止|到)?\s*(19[5-9]\d|20\d\d|21\d\d)\s*年(?:度|全年|以来)?\s*[,，、]")
_TITLE_QUOTE: Final = re.compile(r"《[^《》]*》")
_OPENING_LINES: Final = 12  # non-blank lines of the body searched for an opening year


def _title_year(title: str) -> int | None:
    text = _TITLE_QUOTE.sub("", title)  # a cited document's year is not this document's
    for m in _YEAR.finditer(text):
        if _RANGE_TAIL.search(text[: m.start()]):
            continue  # the end of a range (2024—2026)
        return int(m.group(1))
    return None


def _opening_year(text: str) -> tuple[int, str] | None:
    seen = 0
    for line in text.split("\n"):
        if not line.strip():
            continue
        seen += 1
        if seen > _OPENING_LINES:
            break
        m = _OPENING.match(line)
        if m:
            return int(m.group(1)), line.strip()[:12]
    return None


def _opening_text(doc: ParsedDocument) -> str:
    """The body's first lines, enough for `_opening_year` (not the whole text joined)."""
    parts: list[str] = []
    seen = 0
    for section in sorted(doc.sections, key=lambda s: s.order):
        parts.append(section.body)
        seen += sum(1 for line in section.body.split("\n", _OPENING_LINES * 4) if line.strip())
        if seen > _OPENING_LINES:
            break
    return "\n".join(parts)


def infer_year(doc: ParsedDocument | str) -> tuple[int | None, str]:
    """(year, reason) for a document parsed without a year; (None, reason) when nothing says."""
    if isinstance(doc, str):
        from . import parse_document  # late: the package imports this module's siblings

        doc = parse_document(doc)
    d = doc.document
    stem = d.source.rsplit(".", 1)[0] if d.source else ""
    # a title the parser fell back on (the file name, the first heading) is weaker evidence
    own_title = bool(d.title) and d.title != stem and not any(
        s.label == d.title and not s.id.endswith("/lead") for s in doc.sections
    )
    if own_title:
        year = _title_year(d.title)
        if year is not None:
            return year, f"from the title '{d.title}'"
    if d.doc_number:
        m = _DOC_NUMBER_YEAR.search(d.doc_number)
        if m:
            return int(m.group(1)), f"from the 文号 {d.doc_number}"
    for date in (d.date, d.meta.get("印发日期"), d.meta.get("发布时间")):
        if date:
            m = _ISO_YEAR.match(date)
            if m:
                return int(m.group(1)), f"from the document date {date}"
    opening = _opening_year(_opening_text(doc))
    if opening is not None:
        return opening[0], f"from the opening '{opening[1]}…'"
    if stem and d.title == stem:
        year = _title_year(stem.replace("_", " ").replace("-", " "))
        if year is not None:
            return year, f"from the file name '{d.source}'"
    return None, "nothing to go on (no year in the title, no 文号, no dated signature or opening year)"

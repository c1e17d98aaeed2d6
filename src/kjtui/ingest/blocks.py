"""Logical text units: list items, table rows and paragraphs re-joined across
the line breaks (and blank lines) that the PDF conversion put inside them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from .clean import Clean, has_sentence_punctuation, is_cjk, join_clean, strip_markup

_LIST: Final = re.compile(r"^\s*(?:[-*+•·]\s+|□\s*|☐\s*|√\s*|\d{1,2}[)）]\s+)(?:[◆■▶●»]\s*)?")
_TABLE_CELL_SPLIT: Final = re.compile(r"\t+|\s*\|\s*")
_HTML_CELL: Final = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
_ENDS_SENTENCE = tuple("。！？!?；;：:")
MIN_BROKEN_LINE = 30  # a shorter line that ends without punctuation is a heading, not a broken sentence


@dataclass(slots=True)
class Unit:
    kind: str  # "paragraph" | "item" | "row"
    clean: Clean
    first_line: int
    last_line: int
    cells: list[str] | None = None  # for table rows: clean cell texts


def _list_prefix(line: str) -> int:
    m = _LIST.match(line)
    return m.end() if m else 0


def build_units(lines: list[str], skip: set[int], is_structural: Callable[[str], object]) -> list[Unit]:
    """Group lines into units. `skip`: 1-based lines that are headings or metadata;
    `is_structural(line)`: month lines and other lines that never join prose."""
    units: list[Unit] = []
    current: list[Clean] = []
    cur_first = cur_last = 0
    cur_kind = "paragraph"
    pending_blank = False

    def flush() -> None:
        nonlocal current
        if current:
            units.append(Unit(cur_kind, join_clean(current), cur_first, cur_last))
        current = []

    for idx, line in enumerate(lines):
        no = idx + 1
        if no in skip or is_structural(line):
            flush()
            pending_blank = False
            continue
        if not line.strip():
            pending_blank = True
            continue
        if "\t" in line or line.lstrip().startswith("|") or "<td" in line:
            flush()
            clean = strip_markup(line, no)
            html_cells = _HTML_CELL.findall(line)
            if html_cells:
                cells = [strip_markup(c).text.strip() for c in html_cells]
            else:
                cells = [c.strip() for c in _TABLE_CELL_SPLIT.split(clean.text) if c.strip()]
            units.append(Unit("row", clean, no, no, cells))
            pending_blank = False
            continue
        prefix = _list_prefix(line)
        clean = strip_markup(line[prefix:], no, prefix)
        stripped = clean.text.strip()
        if prefix:
            flush()
            current, cur_first, cur_last, cur_kind = [clean], no, no, "item"
        elif current and not pending_blank:
            current.append(clean)  # a soft line break inside a unit
            cur_last = no
        elif current and pending_blank and continues_sentence(current[-1].text, stripped):
            current.append(clean)  # a sentence the conversion broke across a blank line
            cur_last = no
        else:
            flush()
            current, cur_first, cur_last, cur_kind = [clean], no, no, "paragraph"
        pending_blank = False
    flush()
    return units


def continues_sentence(previous: str, nxt: str) -> bool:
    """A sentence broken across a blank line: the first part stops mid-sentence
    (no closing punctuation) and the second part closes it. Documents whose
    items never end in 。 keep their items apart."""
    prev, nxt = previous.rstrip(), nxt.rstrip()
    if not prev or not nxt or prev.endswith(_ENDS_SENTENCE):
        return False
    if not nxt.endswith(("。", "；", ";", "！", "？")):
        return False
    if len(prev) < MIN_BROKEN_LINE and not has_sentence_punctuation(prev):
        return False
    return is_cjk(nxt[0]) or (nxt[0].isdigit() and prev.endswith(("、", "，", ",")))

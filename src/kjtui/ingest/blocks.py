"""Logical text units: list items, table rows and paragraphs re-joined across
the line breaks (and blank lines) that the PDF conversion put inside them; and
the layout of a section body (`layout`), stored with each section as blocks."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from ..model import Block, Metric, Section
from .clean import Clean, has_sentence_punctuation, is_cjk, join_clean, strip_markup, strip_text

_LIST: Final = re.compile(r"^\s*(?:[-*+•·]\s+|□\s*|☐\s*|√\s*|\d{1,2}[)）]\s+)(?:[◆■▶●»]\s*)?")
_TABLE_CELL_SPLIT: Final = re.compile(r"\t+|\s*\|\s*")
_HTML_CELL: Final = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
_ENDS_SENTENCE: Final = tuple("。！？!?；;：:")
MIN_BROKEN_LINE: Final = 30  # a shorter line that ends without punctuation is a heading, not a broken sentence
# a line that opens with a quantity (36家，… / 12.5亿元。): it goes on from the line before
_QUANTITY_LEAD: Final = re.compile(r"\**[0-9][0-9,.]*\**\s*(?:余|多)?(?:万亿|亿|千万|百万|万|千)?(?:余|多)?\s*(?:[家个项名人件台套次元%％倍位户所支场条]|亿|万)")


class Unit:
    """A plain class, not a dataclass: compiled, its constructor is native (a dataclass's
    generated __init__ stays interpreted)."""

    __slots__ = ("kind", "clean", "first_line", "last_line", "cells")

    def __init__(self, kind: str, clean: Clean, first_line: int, last_line: int,
                 cells: list[str] | None = None) -> None:
        self.kind = kind  # "paragraph" | "item" | "row"
        self.clean = clean
        self.first_line = first_line
        self.last_line = last_line
        self.cells = cells  # for table rows: clean cell texts


# what _LIST can find first after the white space (or else a digit): most lines start with none
_LIST_FIRST: Final = frozenset("-*+•·□☐√")


def _list_prefix(line: str) -> int:
    first = line[:1]  # \s and \d go by str.isspace and str.isdecimal
    if first not in _LIST_FIRST and not first.isspace() and not first.isdecimal():
        return 0
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

    # the unit being built is closed where it ends ("flush", written out in place: compiled, a
    # nested function keeps the state it shares in a heap object, read and written per line)
    for idx, line in enumerate(lines):
        no = idx + 1
        if no in skip or is_structural(line):
            if current:  # flush
                units.append(Unit(cur_kind, join_clean(current), cur_first, cur_last))
                current = []
            pending_blank = False
            continue
        if not line.strip():
            pending_blank = True
            continue
        if "\t" in line or line.lstrip().startswith("|") or "<td" in line:
            if current:  # flush
                units.append(Unit(cur_kind, join_clean(current), cur_first, cur_last))
                current = []
            clean = strip_markup(line, no)
            html_cells = _HTML_CELL.findall(line)
            if html_cells:
                cells = [strip_text(c).strip() for c in html_cells]
            else:
                cells = [c.strip() for c in _TABLE_CELL_SPLIT.split(clean.text) if c.strip()]
            units.append(Unit("row", clean, no, no, cells))
            pending_blank = False
            continue
        prefix = _list_prefix(line)
        clean = strip_markup(line[prefix:], no, prefix)
        stripped = clean.text.strip()
        if prefix:
            if current:  # flush
                units.append(Unit(cur_kind, join_clean(current), cur_first, cur_last))
                current = []
            current, cur_first, cur_last, cur_kind = [clean], no, no, "item"
        elif current and not pending_blank:
            current.append(clean)  # a soft line break inside a unit
            cur_last = no
        elif current and pending_blank and continues_sentence(current[-1].text, stripped):
            current.append(clean)  # a sentence the conversion broke across a blank line
            cur_last = no
        else:
            if current:  # flush
                units.append(Unit(cur_kind, join_clean(current), cur_first, cur_last))
                current = []
            current, cur_first, cur_last, cur_kind = [clean], no, no, "paragraph"
        pending_blank = False
    if current:  # flush
        units.append(Unit(cur_kind, join_clean(current), cur_first, cur_last))
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
    if is_cjk(prev[-1]) and _QUANTITY_LEAD.match(nxt):
        return True  # 全市新增科技小巨人企业 / blank line / 36家，…: a number needs what it counts
    if len(prev) < MIN_BROKEN_LINE and not has_sentence_punctuation(prev):
        return False
    return is_cjk(nxt[0]) or (nxt[0].isdigit() and prev.endswith(("、", "，", ",")))


# -- the section body's layout, stored with each section ------------------------------------
# The reader and the export render these blocks; neither parses text again, so they agree.

_ITEM: Final = re.compile(r"^\s*(?:[-*+•·]\s+|□\s*|☐\s*)")
_ITEM_FIRST: Final = frozenset("-*+•·□☐")
_LI: Final = re.compile(r"<li[^>]*>(.*?)</li>", re.S)
_CELL_END: Final = re.compile(r"</t[dh]>", re.I)
_ROW_SPLIT: Final = re.compile(r"\t+|\s*\|\s*")
_LATEX: Final = re.compile(r"\$([^$]*)\$")
_TAG: Final = re.compile(r"<[^<>\n]{0,400}>")
_SPACE_RUN: Final = re.compile(r"[ \u3000][ \u3000]+")  # two or more; led by one, the regex engine skips ahead
_WHITE: Final = re.compile(r"\s\s*")  # \s+, written so that the regex engine can skip ahead to a space
_MONTH_ONLY: Final = re.compile(r"\d{1,2}\s*月")


def plain_keep_bold(text: str) -> str:
    """Markup out (LaTeX, escapes, HTML tags), `**bold**` kept, runs of spaces squeezed."""
    if "$" in text:
        text = _LATEX.sub(r"\1", text)
        text = text.replace("$", "")
    if "\\%" in text:
        text = text.replace("\\%", "%")
    if "<" in text:
        text = _TAG.sub("", text)
    if "  " in text or "\u3000" in text:  # a run needs two spaces or an ideographic one
        return _SPACE_RUN.sub(" ", text)
    return text


# patterns of modules that import this one (Unit), looked up once instead of imported per call
_LATE: list[re.Pattern[str]] = []


def _late(k: int) -> re.Pattern[str]:
    """0: metrics.QUANTITY, 1: events.MONTH_ROW."""
    if not _LATE:
        from .events import MONTH_ROW
        from .metrics import QUANTITY

        _LATE.extend([QUANTITY, MONTH_ROW])
    return _LATE[k]


def _digits_end(text: str, k: int) -> int:
    """Past the ASCII digits from `k`."""
    n = len(text)
    while k < n and "0" <= text[k] <= "9":
        k += 1
    return k


def number_end(text: str) -> int:
    """Where metrics.NUMBER's match ends in `text`, which starts with an ASCII digit; read by hand
    (a call into the regex engine and a match object cost more than these few characters).
    NUMBER: a digit, then either up to two digits and groups of `,ddd` (one or more), or any
    digits; then a decimal part (`.` and digits) if one follows. tests/ingest/test_speed_forms_number.py
    holds this to NUMBER."""
    run = _digits_end(text, 1)
    end = run
    if run <= 3 and text.startswith(",", run):  # 1,234 … : the grouped form, when it has a group
        k = run
        while text.startswith(",", k) and _digits_end(text, k + 1) >= k + 4:
            k += 4  # a comma and exactly three digits (more digits stay for what follows)
        if k > run:
            end = k
    if text.startswith(".", end) and _digits_end(text, end + 1) > end + 1:
        end = _digits_end(text, end + 1)
    return end


def canonical(raw: str) -> str:
    """A metric as written → one bold form: `$49.99\\%$` → `**49.99**%`; `**376.55亿元**` → `**376.55**亿元`."""
    clean = strip_text(raw).strip()
    if clean and "0" <= clean[0] <= "9":
        # led by a digit (most metrics): QUANTITY's `num` is the number there, with no `pre`
        end = number_end(clean)
        # "".join(split()) drops what \s+ matches: both go by str.isspace
        return f"**{clean[:end]}**{''.join(clean[end:].split())}"
    m = _late(0).match(clean)
    if not m:
        return clean
    rest = _WHITE.sub("", clean[m.end("num"):])
    pre = m.group("pre") or ""
    return f"{pre}**{m.group('num')}**{rest}"


def markdown_line(line: str, metrics: list[Metric]) -> str:
    """One source line as clean text, the metrics on it (in line order) in canonical bold."""
    if not metrics:
        return plain_keep_bold(line).rstrip()  # most lines: no pieces to join
    out: list[str] = []
    cursor = 0
    for metric in metrics:
        at = line.find(metric.raw, cursor)
        if at == -1:
            continue
        out.append(plain_keep_bold(line[cursor:at]))
        out.append(canonical(metric.raw))
        cursor = at + len(metric.raw)
    out.append(plain_keep_bold(line[cursor:]))
    return "".join(out).rstrip()


def _unbold(text: str) -> str:
    return text.replace("**", "")


_NO_METRICS: Final[list[Metric]] = []  # a line's metrics when it has none (read, never changed)


def layout(body: str, body_line: int, by_line: dict[int, list[Metric]]) -> list[Block]:
    """A section body → paragraphs, list items, month lists and table rows.

    `body`: the section's own lines (one per source line, starting at `body_line`);
    `by_line`: the document's metrics by source line, in reading order. Lines broken
    by the PDF conversion are joined: a soft break inside a paragraph or item, and a
    sentence broken across one blank line (see `continues_sentence`)."""
    out: list[Block] = []
    if not body:
        return out
    month_row = _late(1)
    open_para: Block | None = None
    blank_run = 0
    no = body_line - 1
    for line in body.split("\n"):
        no += 1
        if not line.strip():
            blank_run += 1
            continue
        row = month_row.match(line) if "月" in line else None  # what every month row holds
        if row:
            out.append(Block("month", f"{int(row.group(1))}月", no, no))
            cell = row.group(2)
            items = _LI.findall(cell) or [cell]
            for item in items:
                text = plain_keep_bold(item).strip()
                if text:
                    out.append(Block("item", text, no, no))
            open_para = None
            blank_run = 0
            continue
        metrics = by_line.get(no, _NO_METRICS)
        if "\t" in line or line.lstrip().startswith("|") or "<td" in line:
            marked = _CELL_END.sub("\t", line) if "<t" in line else line
            cells = [c.strip() for c in _ROW_SPLIT.split(markdown_line(marked, metrics))]
            out.append(Block("row", "\t".join(c for c in cells if c), no, no))
            open_para = None
            blank_run = 0
            continue
        text = markdown_line(line, metrics).strip()
        first = line[0]  # _ITEM's first character, or white space before it (\s goes by str.isspace)
        item = _ITEM.match(line) if first in _ITEM_FIRST or first.isspace() else None
        if item:
            out.append(Block("item", _ITEM.sub("", text, count=1), no, no))
            open_para = None
        elif "月" in text and _MONTH_ONLY.fullmatch(_unbold(text)):
            out.append(Block("month", _WHITE.sub("", _unbold(text)), no, no))
            open_para = None
        elif blank_run == 0 and out and out[-1].kind in ("para", "item") and out[-1].last == no - 1:
            out[-1].text += text  # a soft line break inside a paragraph or list item
            out[-1].last = no
        elif open_para is not None and blank_run == 1 and continues_sentence(_unbold(open_para.text), _unbold(text)):
            open_para.text += text  # a sentence the conversion broke across a blank line
            open_para.last = no
        else:
            open_para = Block("para", text, no, no)
            out.append(open_para)
        blank_run = 0
    return out


def layout_sections(sections: list[Section], metrics: list[Metric]) -> None:
    """Fill each section's `blocks` (metrics: the document's, in the order they were found)."""
    by_line: dict[int, list[Metric]] = {}
    for metric in metrics:
        found = by_line.get(metric.line)
        if found is None:
            by_line[metric.line] = [metric]
        else:
            found.append(metric)
    for section in sections:
        section.blocks = layout(section.body, section.body_line, by_line)

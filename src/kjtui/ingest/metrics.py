"""Quantities in text → Metric records.

Numbers are found in the clean text of a unit (markup removed) and mapped back
to the source line, so `raw` is always the exact text on `line`, with the
bold/LaTeX marks that surround it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Final

from .blocks import Unit
from .clean import strip_text
from .labels import Found, Labeller, clause_breaks
from .units import (
    ALTERNATIVE_UNITS,
    BASE_UNITS,
    CN_NUMERAL_CHARS,
    MAGNITUDES,
    QUALIFIERS_BEFORE,
    chinese_to_number,
    scale,
)

_WS: Final = re.compile(r"\s\s*")  # \s+, written so that the regex engine can skip ahead to a space


def _by_first_char(words: list[str]) -> str:
    """`words` (longest first) as an alternation grouped by first character: 个(?:百分点|工作日|月)?
    for 个百分点|个工作日|个月|个. The regex engine tests one literal per group instead of one per
    word (81 units), and tries the words that can match in the same order as the flat list (all
    of them start with the character at hand; longest first, the bare character last), so the
    match, backtracking included, is the same."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    parts: list[str] = []
    for first, rests in groups.items():
        longer = [re.escape(rest) for rest in rests if rest]
        if not longer:
            parts.append(re.escape(first))
        else:
            parts.append(re.escape(first) + "(?:" + "|".join(longer) + ")" + ("?" if "" in rests else ""))
    return "|".join(parts)


_MAG: Final = _by_first_char(sorted(MAGNITUDES, key=len, reverse=True))
_BASE: Final = _by_first_char(list(BASE_UNITS))
_PRE: Final = "|".join(QUALIFIERS_BEFORE)
_ALT: Final = "|".join(ALTERNATIVE_UNITS)

_TAIL = (
    rf"\s*(?P<q1>余|多)?\s*(?P<mag>{_MAG})?(?P<q2>余|多)?\s*"
    rf"(?:(?P<base>{_BASE})(?P<alt>[(（](?:{_ALT})[)）])?)?(?P<post>以上|以下|左右)?"
)
# a note in brackets right after a quantity that says when: 500家（三年目标）, 12亿元（预计）
_PERIOD_NOTE: Final = re.compile(r"\s*[(（]([^()（）\n]{0,8}(?:目标|预计|累计|年|月|季度|以来|期间)[^()（）\n]{0,4})[)）]")
# a count of years is a length of time; a year number, a decade or a school year is not
_NOT_YEARS: Final = frozenset("月度底末初代级中前后份")
# one literal \d first: a pattern that starts with a character class lets the regex
# engine skip ahead to candidates instead of trying every position of the text
_DIGITS: Final = r"[0-9](?:[0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]*(?:\.[0-9]+)?)"
_CN: Final = rf"[{CN_NUMERAL_CHARS}]{{1,4}}"
# Any written quantity (used to read one back, as export does).
QUANTITY: Final = re.compile(rf"(?P<pre>{_PRE})?\s*(?P<num>{_DIGITS}|(?P<cn>{_CN})){_TAIL}")
# A number alone: what QUANTITY's `num` is when the text starts with a digit (its tail is all optional).
NUMBER: Final = re.compile(_DIGITS)
# Searching: led by a digit (a qualifier before the number is looked up by hand, as
# an optional group in front would defeat the skip-ahead); Chinese numerals only
# where a hint says so.
_DIGIT_QUANTITY: Final = re.compile(rf"(?P<num>{_DIGITS})(?P<cn>(?!))?{_TAIL}")
_CN_QUANTITY: Final = re.compile(rf"(?:(?P<pre>{_PRE})\s*)?(?P<num>(?P<cn>{_CN})){_TAIL}")
# led by a character class, so the regex engine can skip ahead instead of trying every position
_CN_HINT: Final = re.compile(
    rf"[不超近约逾一二三四五六七八九十]"
    rf"(?:(?<=[不超近约逾])(?:超过|少于|低于|到|过)?[{CN_NUMERAL_CHARS}]|(?<=[一二三四五六七八九十])成)"
)
_BOLD_CN: Final = re.compile(rf"\*\*{_CN}\*\*")

# A match's groups are read as one tuple in QUANTITY's order (m.groups() builds a tuple;
# m.groupdict() a dict keyed by name, per number): _DIGIT_QUANTITY has no `pre` in front,
# so its tuple is led by a None (see _groups).
_G_PRE: Final = 0
_G_NUM: Final = 1
_G_CN: Final = 2
_G_Q1: Final = 3
_G_MAG: Final = 4
_G_Q2: Final = 5
_G_BASE: Final = 6
_G_ALT: Final = 7
_G_POST: Final = 8
assert tuple(QUANTITY.groupindex) == tuple(_CN_QUANTITY.groupindex) == (
    "pre", "num", "cn", "q1", "mag", "q2", "base", "alt", "post")
assert tuple(_DIGIT_QUANTITY.groupindex) == tuple(QUANTITY.groupindex)[1:]
assert QUANTITY.groups == _CN_QUANTITY.groups == _DIGIT_QUANTITY.groups + 1 == len(QUANTITY.groupindex)


def _groups(m: re.Match[str]) -> tuple[str | None, ...]:
    """The match's groups in QUANTITY's order, whichever of the three patterns matched."""
    g: tuple[str | None, ...] = m.groups()
    return (None,) + g if len(g) < _G_POST + 1 else g


PERIOD: Final = re.compile(
    r"[截全年当上下前一二三四0-9]"  # each phrase's first character: lets the engine skip ahead
    # then the phrases grouped by that character, each group behind one look-behind: a candidate
    # tries one group, not every phrase (phrases of different first characters never match at
    # the same place, so their order changes no match)
    r"(?:(?<=[0-9])"
    r"(?:[0-9]?\s*[—–\-~至]\s*\d{1,2}\s*月"  # 1—9月
    r"|(?<![0-9]{2})[0-9]{3}\s*年\s*(?:[底末]|全年)?(?!\s*\d{1,2}\s*月)(?![—–\-~至]))"  # 2023年, not 2023年5月
    r"|(?<=截)"
    r"(?:至\s*(?:\d{4}\s*年\s*)?(?:\d{1,2}\s*月\s*)?年?\s*[底末]"
    r"|至\s*\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?"
    r"|至目前)"
    r"|(?<=全)年|(?<=年)内|(?<=当)年|(?<=[上下])半年|(?<=前)三季度|(?<=[一二三四])季度"
    r")"
)
_UNIT_IS_NOUN: Final = {"家", "户", "人", "名", "位", "个", "项", "件", "支", "所"}


def _extend_markup(line: str, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) over the ** and $ marks that wrap the number."""
    while True:
        if line.startswith("**", start - 2) and start >= 2:
            start -= 2
        elif start >= 1 and line[start - 1] == "$":
            start -= 1
        else:
            break
    # counted in place (str.count with bounds), not in a slice copied for it
    if line.count("**", start, end) % 2 and line.startswith("**", end):
        end += 2
    if line.count("$", start, end) % 2:
        k = line.find("$", end)
        if k != -1 and k - end <= 3:
            end = k + 1
    return start, end


SENTENCE_WINDOW: Final = 300  # characters: bounds a sentence in text with no full stops
CONTEXT_WINDOW: Final = 80  # characters of a long sentence kept on each side of its number
_SENTENCE_END_CHARS: Final = "。！？!?；;\n"  # each is a clause break too (labels._TOKEN)




class Sentences:
    """Sentence bounds, clause breaks and period phrases of a unit's text, found
    once per unit and looked up by bisection for each number."""

    def __init__(self, text: str) -> None:
        self.text = text
        # sentence ends and clause breaks: read when a number first asks (a unit whose numbers
        # are all rejected never reads them), in one scan (the ends are among the breaks)
        self._ends: list[int] | None = None
        self.breaks: list[int] | None = None
        # period phrases, read from the text only as far as a number asks (the text after
        # the unit's last number is never scanned); `_seen`: start of the last match read
        self._period_at: list[int] = []  # where each period phrase starts (bisected: plain ints)
        self._periods: list[str] = []
        self._scan: Iterator[re.Match[str]] | None = None
        self._seen = -1
        # every period phrase holds 年, 月, 季 or 截 (see PERIOD): a text with none of them has
        # none to scan for (about half of a report's text, the scan's costliest part)
        self._done = not ("年" in text or "月" in text or "季" in text or "截" in text)

    def period_before(self, sentence_start: int, pos: int) -> str | None:
        """The last period phrase (截至年底, 全年 …) in the sentence before `pos`."""
        period_at = self._period_at
        if not self._done and self._seen < pos:
            text = self.text
            scan = self._scan
            if scan is None:
                scan = self._scan = PERIOD.finditer(text)
            while self._seen < pos:
                m = next(scan, None)
                if m is None:
                    self._done = True
                    break
                at = m.start()
                self._seen = at
                if not _inside_title(text, at):
                    period_at.append(at)
                    self._periods.append("".join(m.group(0).split()))  # as \s+ → "": both go by str.isspace
        k = bisect.bisect_left(period_at, pos) - 1
        if k >= 0 and period_at[k] >= sentence_start:
            return self._periods[k]
        return None

    def ends(self) -> list[int]:
        """Where [。！？!?；;\n] stand in the text."""
        ends = self._ends
        if ends is None:
            text = self.text
            breaks = self.breaks = clause_breaks(text)
            ends = self._ends = [k for k in breaks if text[k] in _SENTENCE_END_CHARS]
        return ends

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        ends = self.ends()
        k = bisect.bisect_left(ends, start)
        s = ends[k - 1] + 1 if k else 0
        j = bisect.bisect_left(ends, end)
        e = ends[j] + 1 if j < len(ends) else len(self.text)
        return max(s, start - SENTENCE_WINDOW), min(e, end + SENTENCE_WINDOW)


def _inside_title(text: str, pos: int) -> bool:
    """Inside 《…》: numbers in a policy's name are part of the name."""
    opened = text.rfind("《", max(0, pos - SENTENCE_WINDOW), pos)
    return opened != -1 and text.rfind("》", opened, pos) == -1


_QUALIFIER_LAST_CHARS: Final = frozenset(q[-1] for q in QUALIFIERS_BEFORE)


def _qualifier_before(text: str, pos: int) -> tuple[str | None, int]:
    """The qualifier (超, 不到 …) written just before the number at `pos`, and where it starts."""
    k = pos
    while k and text[k - 1].isspace():
        k -= 1
    if not k or text[k - 1] not in _QUALIFIER_LAST_CHARS:
        return None, pos
    for q in QUALIFIERS_BEFORE:  # longest first: 不超过 before 超过 before 超
        if text.startswith(q, k - len(q)) and k >= len(q):
            return q, k - len(q)
    return None, pos


def _valid_number(text: str, num_start: int, end: int, g: tuple[str | None, ...]) -> bool:
    """`g`: the match's groups (_groups), `num_start` where its number starts, `end` where it
    ends: read once (each lookup in a match is a call)."""
    base, mag, cn = g[_G_BASE], g[_G_MAG], g[_G_CN]
    if not (mag or base):
        return False  # the commonest answer first: a number that names no unit
    before = text[num_start - 1] if num_start else ""
    if before and (before.isdigit() or before in ".．第" or before.isascii() and before.isalpha()):
        return False
    after = text[end:end + 1]
    if after and (after.isdigit() or (after.isascii() and after.isalpha() and not base)):
        return False
    if cn:
        # 一批, 三大, 十六届: a Chinese numeral is a quantity only when marked as one
        if not (g[_G_PRE] or base == "成" or mag):
            return False
        if base not in _CN_UNITS and not mag:
            return base == "成"
    if base == "成" and not cn:
        return False
    if base == "年" and (mag or len(g[_G_NUM] or "") >= 4 or after in _NOT_YEARS):
        return False
    return not _inside_title(text, num_start)


_CN_UNITS: Final = _UNIT_IS_NOUN | {"成", "亿元", "元"}


def _value(g: tuple[str | None, ...]) -> float | None:
    cn = g[_G_CN]
    if cn:
        return chinese_to_number(cn)
    return float((g[_G_NUM] or "").replace(",", ""))


def find_in_unit(unit: Unit, lines: list[str], fallback: str = "") -> list[Found]:
    """Quantities in one unit; `lines` are the document's source lines; `fallback` labels a
    number whose sentence names nothing (the section's title)."""
    if unit.kind == "row":
        return _find_in_row(unit, lines)
    text = unit.clean.text
    matches = list(_DIGIT_QUANTITY.finditer(text))
    if _CN_HINT.search(text) or any(
        "**" in lines[no - 1] and _BOLD_CN.search(lines[no - 1])
        for no in range(unit.first_line, unit.last_line + 1)
    ):
        taken = {m.start("num") for m in matches}
        matches += [m for m in _CN_QUANTITY.finditer(text) if m.start("num") not in taken]
        matches.sort(key=lambda m: m.start("num"))
    if not matches:
        return []
    sentences = Sentences(text)
    found: list[Found] = []
    for m in matches:
        g = _groups(m)
        num_start = m.start("num")
        end = m.end()
        if not _valid_number(text, num_start, end, g):
            continue
        cn = g[_G_CN]
        if cn:
            pre = g[_G_PRE]
            start = m.start("pre") if pre else num_start
        else:
            pre, start = _qualifier_before(text, num_start)
        value = _value(g)
        if value is None:
            continue
        where = unit.clean.span_origin(start, end)
        if where is None:
            continue
        if cn and not pre and not _bold_in_source(unit, m, lines):
            continue
        f = _make(unit, end, g, value, start, pre, where, lines, sentences)
        if text.startswith(("(", "（", " "), end):
            note = _PERIOD_NOTE.match(text, end)
            if note:  # （三年目标）: when, not what
                f.period, f.end = note.group(1), note.end()
        found.append(f)
    if found:
        Labeller(text, fallback, sentences.ends(), sentences.breaks).assign(found)
    return found


def _bold_in_source(unit: Unit, m: re.Match[str], lines: list[str]) -> bool:
    where = unit.clean.span_origin(m.start("num"), m.end("num"))
    return where is not None and where[1] >= 2 and lines[where[0] - 1].startswith("**", where[1] - 2)


def _make(unit: Unit, end: int, g: tuple[str | None, ...], value: float, start: int, pre: str | None,
          where: tuple[int, int, int], lines: list[str], sentences: Sentences) -> Found:
    """`end`: where the match ends; `start`: where the quantity starts (its qualifier included)."""
    line_no, col_start, col_end = where
    source = lines[line_no - 1]
    col_start, col_end = _extend_markup(source, col_start, col_end)
    mag = g[_G_MAG] or ""
    base = g[_G_BASE] or ""
    base_unit, multiplier = scale(mag, base)
    alt = g[_G_ALT]
    if alt:  # 台（套）: the bracket written either way reads as one unit
        alt = f"({alt[1:-1]})"
        base, base_unit = base + alt, base_unit + alt
    text = unit.clean.text
    s0, s1 = sentences.bounds(start, end)
    context = text[max(s0, start - CONTEXT_WINDOW):min(s1, end + CONTEXT_WINDOW)]
    return Found(
        line_no, source[col_start:col_end], value, mag + base, base_unit, multiplier,
        pre or g[_G_Q1] or g[_G_Q2] or g[_G_POST], sentences.period_before(s0, start), "",
        " ".join(context.split()), start, end, s0,
    )


ROW_CONTEXT: Final = 300  # a longer table row gives each of its numbers a window of it as context
HEADER_LOOKBACK: Final = 200  # lines a table row looks up for its header
_HEADER_UNIT: Final = re.compile(r"(?P<name>[^()（）]{1,20}?)\s*[(（]\s*(?P<unit>[^()（）]{1,6}?)\s*[)）]")
_UNIT_ONLY: Final = re.compile(rf"(?P<mag>{_MAG})?(?P<base>{_BASE})?")
_BARE_NUMBER: Final = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_ROW_SPLIT: Final = re.compile(r"\t+|\s*\|\s*")
_TR: Final = re.compile(r"<tr[^>]*>", re.I)
_TD: Final = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S | re.I)


def _is_table_line(line: str) -> bool:
    return "\t" in line or line.lstrip().startswith("|")


def _column_units(lines: list[str], line_no: int) -> dict[int, tuple[str, str, str]]:
    """Units a table's header gives its columns: `地市	合同数(项)	成交额(亿元)` → {1: (合同数, "", 项),
    2: (成交额, 亿, 元)}. The header is the table's first line, looked for up to HEADER_LOOKBACK lines."""
    top = 0
    k = line_no - 1  # 1-based number of the line above
    while k >= 1 and line_no - k <= HEADER_LOOKBACK and _is_table_line(lines[k - 1]):
        top = k
        k -= 1
    if not top or (k >= 1 and line_no - k > HEADER_LOOKBACK):
        return {}
    header = lines[top - 1]
    cells = [c.strip() for c in _ROW_SPLIT.split(strip_text(header)) if c.strip()]
    units: dict[int, tuple[str, str, str]] = {}
    for col, cell in enumerate(cells):
        m = _HEADER_UNIT.fullmatch(cell)
        if not m or not col:
            continue
        u = _UNIT_ONLY.fullmatch(m.group("unit"))
        if u is not None and (u.group("base") or u.group("mag")):
            units[col] = (_WS.sub("", m.group("name")), u.group("mag") or "", u.group("base") or "")
    return units


def _html_row_labels(source: str) -> list[tuple[int, str]]:
    """Several <tr> on one line: (column where each row starts, its first cell)."""
    rows: list[tuple[int, str]] = []
    for m in _TR.finditer(source):
        cell = _TD.search(source, m.end())
        if cell:
            rows.append((m.start(), _WS.sub("", strip_text(cell.group(1)))))
    return rows


def _find_in_row(unit: Unit, lines: list[str]) -> list[Found]:
    """A table row: the label is the left cell, quantities come from the others; a bare number
    under a header that names its unit (`成交额(亿元)`) takes that unit and the column's name."""
    cells = unit.cells or []
    if len(cells) < 2:
        return []
    label = _WS.sub("", cells[0])
    text = unit.clean.text
    label_end = text.find(cells[0]) + len(cells[0])
    found: list[Found] = []
    sentences = Sentences(text)
    short = len(text) <= ROW_CONTEXT
    row_context = _WS.sub(" ", text).strip() if short else ""  # once: never the whole of a long row per number
    source = lines[unit.first_line - 1]
    html_rows = _html_row_labels(source) if source.count("<tr") > 1 else []
    row_starts = [col for col, _ in html_rows]
    for m in QUANTITY.finditer(text, label_end):
        g = m.groups()
        num_start = m.start("num")
        end = m.end()
        if not _valid_number(text, num_start, end, g):
            continue
        value = _value(g)
        pre = g[_G_PRE]
        start = m.start("pre") if pre else num_start
        where = unit.clean.span_origin(start, end)
        if value is None or where is None:
            continue
        f = _make(unit, end, g, value, start, pre, where, lines, sentences)
        row_label = label
        if html_rows:  # <tr><td>类别</td>…</tr><tr><td>先导区</td><td>6个</td></tr> on one line
            k = bisect.bisect_right(row_starts, where[1]) - 1
            if k >= 0 and html_rows[k][1]:
                row_label = html_rows[k][1]
        f.label = row_label[:40]
        if short:
            f.context = row_context
        found.append(f)
    bare = not html_rows and any(_BARE_NUMBER.fullmatch(cell) is not None for cell in cells[1:])
    header = _column_units(lines, unit.first_line) if bare else {}  # only rows with bare numbers look up
    if header:
        cursor = label_end
        for col, cell in enumerate(cells):
            at = text.find(cell, cursor) if col else -1
            if at == -1:
                continue
            cursor = at + len(cell)
            if col not in header or _BARE_NUMBER.fullmatch(cell) is None:
                continue
            where = unit.clean.span_origin(at, at + len(cell))
            if where is None:
                continue
            name, mag, base = header[col]
            base_unit, multiplier = scale(mag, base)
            line_no, col_start, col_end = where
            col_start, col_end = _extend_markup(lines[line_no - 1], col_start, col_end)
            context = row_context or " ".join(text[max(0, at - CONTEXT_WINDOW):at + len(cell) + CONTEXT_WINDOW].split())
            found.append(Found(
                line_no, lines[line_no - 1][col_start:col_end], float(cell.replace(",", "")), mag + base,
                base_unit, multiplier, None, None, f"{label}{name}"[:40], context, at, at + len(cell),
            ))
        found.sort(key=lambda f: f.start)
    return found

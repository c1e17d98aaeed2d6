"""Quantities in text → Metric records.

Numbers are found in the clean text of a unit (markup removed) and mapped back
to the source line, so `raw` is always the exact text on `line`, with the
bold/LaTeX marks that surround it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Final

from .blocks import Unit
from .clean import is_cjk
from .units import (
    BASE_UNITS,
    CN_NUMERAL_CHARS,
    MAGNITUDES,
    QUALIFIERS_BEFORE,
    chinese_to_number,
    scale,
)

_WS: Final = re.compile(r"\s+")
_MAG = "|".join(sorted(MAGNITUDES, key=len, reverse=True))
_BASE = "|".join(re.escape(u) for u in BASE_UNITS)
_PRE = "|".join(QUALIFIERS_BEFORE)

_TAIL = rf"\s*(?P<q1>余|多)?\s*(?P<mag>{_MAG})?(?P<q2>余|多)?\s*(?P<base>{_BASE})?(?P<post>以上|以下|左右)?"
# one literal \d first: a pattern that starts with a character class lets the regex
# engine skip ahead to candidates instead of trying every position of the text
_DIGITS = r"[0-9](?:[0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]*(?:\.[0-9]+)?)"
_CN = rf"[{CN_NUMERAL_CHARS}]{{1,4}}"
# Any written quantity (used to read one back, as export does).
QUANTITY: Final = re.compile(rf"(?P<pre>{_PRE})?\s*(?P<num>{_DIGITS}|(?P<cn>{_CN})){_TAIL}")
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

PERIOD: Final = re.compile(
    r"[截全年当上下前一二三四0-9]"  # each phrase's first character: lets the engine skip ahead
    r"(?:(?<=截)至\s*(?:\d{4}\s*年\s*)?(?:\d{1,2}\s*月\s*)?年?\s*[底末]"
    r"|(?<=截)至\s*\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?"
    r"|(?<=截)至目前|(?<=全)年|(?<=年)内|(?<=当)年|(?<=上)半年|(?<=下)半年|(?<=前)三季度|(?<=[一二三四])季度"
    r"|(?<=[0-9])[0-9]?\s*[—–\-~至]\s*\d{1,2}\s*月"  # 1—9月
    r"|(?<=[0-9])(?<![0-9]{2})[0-9]{3}\s*年\s*(?:[底末]|全年)?(?!\s*\d{1,2}\s*月)(?![—–\-~至])"  # 2023年, not 2023年5月
    r")"
)
_GROWTH: Final = re.compile(
    r"(?:比上年|较上年度?|同比|环比|比去年|较去年)?(?:分别)?"
    r"(?:增长|增加|提高|提升|上升|下降|减少|降低|增幅|降幅)(?:了|约|达|为)?$"
)
_LEAD_FLUFF: Final = re.compile(
    r"^(?:其中|累计|共计|共有|合计|总计|全年|年内|当年|另外|此外|同时|并且?|已|共|计|和|及|与|、|其|分别|新增|实际|其余)+"
)
_TAIL_FLUFF: Final = re.compile(
    r"(?:达到|已达|高达|达|为|约为|约|累计|共计|合计|总计|共|计|分别|已有|有|超过|超|逾|近|至|从|由|突破|在)+$"
)
_PREPOSITIONS: Final = ("为", "向", "对", "给", "与", "同", "和", "及", "的")
_VERBS: Final = ("帮助", "助力", "带动", "吸引", "服务", "惠及", "覆盖", "保障", "支持", "举办", "引入", "承接", "培养", "扶持",
          "遴选", "推荐", "新增", "完成", "发放", "实现", "形成", "促成", "开展", "组织", "认定", "设立", "出具", "发布",
          "涉及", "受理", "审核通过", "联动", "培育", "获")
# The last characters the $-anchored patterns can end on: most labels end on none of
# them, and a set lookup is far cheaper than a search that tries every position.
_GROWTH_LAST: Final = frozenset("长加高升降少低幅了约达为")
_FLUFF_LAST: Final = frozenset("到达为约计共别有过超逾近至从由破在")
_FOLLOWING_NOUN: Final = re.compile(r"^[\u4e00-\u9fffA-Za-z“”]{1,12}?(?=提供|获得|获|参加|进入|的|中|等|报名|通过|实现|使用|购买|出具|申报|登陆|成功|在|，|,|。|；|;|、|和|及|（|\(|$|\d)")
_UNIT_IS_NOUN: Final = {"家", "户", "人", "名", "位", "个", "项", "件", "支", "所"}


@dataclass(slots=True)
class Found:
    line: int
    raw: str
    value: float
    unit: str
    base_unit: str
    multiplier: float
    qualifier: str | None
    period: str | None
    label: str
    context: str
    start: int  # index in the unit's clean text
    end: int
    sentence_start: int = 0
    growth: bool = False


def _extend_markup(line: str, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) over the ** and $ marks that wrap the number."""
    while True:
        if line.startswith("**", start - 2) and start >= 2:
            start -= 2
        elif start >= 1 and line[start - 1] == "$":
            start -= 1
        else:
            break
    raw = line[start:end]
    if raw.count("**") % 2 and line.startswith("**", end):
        end += 2
    raw = line[start:end]
    if raw.count("$") % 2:
        k = line.find("$", end)
        if k != -1 and k - end <= 3:
            end = k + 1
    return start, end


SENTENCE_WINDOW = 300  # characters: bounds a sentence in text with no full stops
CONTEXT_WINDOW = 80  # characters of a long sentence kept on each side of its number
_SENTENCE_END: Final = re.compile(r"[。！？!?；;\n]")


_PERIOD_HINT: Final = re.compile(r"[年月季截]")
_LABEL_BREAK: Final = re.compile(r"[，,；;。：:！？!?、\n（(]")


class Sentences:
    """Sentence bounds, clause breaks and period phrases of a unit's text, found
    once per unit and looked up by bisection for each number."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [m.start() for m in _SENTENCE_END.finditer(text)]
        self.breaks = [m.start() for m in _LABEL_BREAK.finditer(text)]
        self._periods: list[tuple[int, str]] | None = None

    def clause_start(self, pos: int, floor: int) -> int:
        """Just after the last clause break before `pos` (not before `floor`)."""
        k = bisect.bisect_left(self.breaks, pos) - 1
        return max(floor, self.breaks[k] + 1) if k >= 0 else floor

    def period_before(self, sentence_start: int, pos: int) -> str | None:
        """The last period phrase (截至年底, 全年 …) in the sentence before `pos`."""
        if self._periods is None:
            self._periods = [
                (m.start(), _WS.sub("", m.group(0))) for m in PERIOD.finditer(self.text)
                if not _inside_title(self.text, m.start())
            ]
        k = bisect.bisect_left(self._periods, (pos, "")) - 1
        if k >= 0 and self._periods[k][0] >= sentence_start:
            return self._periods[k][1]
        return None

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        k = bisect.bisect_left(self.ends, start)
        s = self.ends[k - 1] + 1 if k else 0
        j = bisect.bisect_left(self.ends, end)
        e = self.ends[j] + 1 if j < len(self.ends) else len(self.text)
        return max(s, start - SENTENCE_WINDOW), min(e, end + SENTENCE_WINDOW)


def _inside_title(text: str, pos: int) -> bool:
    """Inside 《…》: numbers in a policy's name are part of the name."""
    opened = text.rfind("《", max(0, pos - SENTENCE_WINDOW), pos)
    return opened != -1 and text.rfind("》", opened, pos) == -1


def _clean_label(label: str) -> str:
    label = "".join(label.split())
    if _PERIOD_HINT.search(label):
        label = PERIOD.sub("", label)
    label = label.strip(" ，,、；;：:（(）)“”\"'·-—")
    lead = _LEAD_FLUFF.match(label)
    if lead:
        label = label[lead.end():]
    label = _strip_tail_fluff(label)
    return _balance_quotes(label.strip(" ，,、；;：:（(\"'·-—"))


def _strip_tail_fluff(label: str) -> str:
    return _TAIL_FLUFF.sub("", label) if label and label[-1] in _FLUFF_LAST else label


def _balance_quotes(label: str) -> str:
    """The clause cut may fall inside “…”: close what it opened, open what it closed."""
    opened, closed = label.count("“"), label.count("”")
    if label.startswith("”"):
        label, closed = label[1:], closed - 1
    if closed > opened:
        label = "“" * (closed - opened) + label
    elif opened > closed:
        label = label + "”" * (opened - closed)
    return label


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


def _valid_number(text: str, m: re.Match[str], g: dict[str, str | None]) -> bool:
    """`g`: the match's groups, read once (each group lookup is a call)."""
    num_start = m.start("num")
    end = m.end()
    base, mag, cn = g["base"], g["mag"], g["cn"]
    before = text[num_start - 1] if num_start else ""
    if before and (before.isdigit() or before in ".．第" or before.isascii() and before.isalpha()):
        return False
    after = text[end:end + 1]
    if after and (after.isdigit() or (after.isascii() and after.isalpha() and not base)):
        return False
    if not (mag or base):
        return False
    if cn:
        # 一批, 三大, 十六届: a Chinese numeral is a quantity only when marked as one
        if not (g.get("pre") or base == "成" or mag):
            return False
        if base not in _CN_UNITS and not mag:
            return base == "成"
    if base == "成" and not cn:
        return False
    return not _inside_title(text, num_start)


_CN_UNITS = _UNIT_IS_NOUN | {"成", "亿元", "元"}


def _value(g: dict[str, str | None]) -> float | None:
    cn = g["cn"]
    if cn:
        return chinese_to_number(cn)
    return float((g["num"] or "").replace(",", ""))


def find_in_unit(unit: Unit, lines: list[str]) -> list[Found]:
    """Quantities in one unit; `lines` are the document's source lines."""
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
        g = m.groupdict()
        if not _valid_number(text, m, g):
            continue
        cn = g["cn"]
        if cn:
            pre = g["pre"]
            start = m.start("pre") if pre else m.start("num")
        else:
            pre, start = _qualifier_before(text, m.start("num"))
        value = _value(g)
        if value is None:
            continue
        where = unit.clean.span_origin(start, m.end())
        if where is None:
            continue
        if cn and not pre and not _bold_in_source(unit, m, lines):
            continue
        found.append(_make(unit, m, g, value, start, pre, where, lines, sentences))
    _assign_labels(text, found, sentences)
    return found


def _bold_in_source(unit: Unit, m: re.Match[str], lines: list[str]) -> bool:
    where = unit.clean.span_origin(m.start("num"), m.end("num"))
    return where is not None and where[1] >= 2 and lines[where[0] - 1].startswith("**", where[1] - 2)


def _make(unit: Unit, m: re.Match[str], g: dict[str, str | None], value: float, start: int, pre: str | None,
          where: tuple[int, int, int], lines: list[str], sentences: Sentences) -> Found:
    line_no, col_start, col_end = where
    source = lines[line_no - 1]
    col_start, col_end = _extend_markup(source, col_start, col_end)
    mag = g["mag"] or ""
    base = g["base"] or ""
    base_unit, multiplier = scale(mag, base)
    end = m.end()
    text = unit.clean.text
    s0, s1 = sentences.bounds(start, end)
    context = text[max(s0, start - CONTEXT_WINDOW):min(s1, end + CONTEXT_WINDOW)]
    return Found(
        line_no, source[col_start:col_end], value, mag + base, base_unit, multiplier,
        pre or g["q1"] or g["q2"] or g["post"], sentences.period_before(s0, start), "",
        " ".join(context.split()), start, end, s0,
    )


def _assign_labels(text: str, found: list[Found], sentences: Sentences) -> None:
    previous_end = 0
    previous_label = previous_growth = ""
    sentence_of_previous = -1
    for f in found:
        s0 = f.sentence_start
        boundary = max(s0, previous_end if sentence_of_previous == s0 else s0)
        clause = text[sentences.clause_start(f.start, boundary):f.start]
        label = _clean_label(clause)
        if len(label) <= 1:
            label = ""
        growth = _GROWTH.search(label) if label and label[-1] in _GROWTH_LAST else None
        following = _following_noun(text, f.end)
        if growth:
            f.growth = True
            if not label[: growth.start()].strip():
                subject = previous_label if sentence_of_previous == s0 else ""
                label = f"{subject} {growth.group(0)}".strip()
        elif not label and previous_growth and sentence_of_previous == s0 and not following:
            label, f.growth = previous_growth, True  # "分别增长 164% 和 87%"
        elif not label or label.endswith(_PREPOSITIONS):
            head = _strip_tail_fluff(label[:-1] if label.endswith(_PREPOSITIONS) else label)
            label = f"{head} {following}".strip() if following else head
        elif following and label.endswith(_VERBS):
            label = f"{label}{following}"
        if not label and previous_label and sentence_of_previous == s0:
            label = previous_label
        f.label = label[:40]
        previous_end = f.end + (len(following) if following and f.unit in _UNIT_IS_NOUN else 0)
        if f.growth:
            previous_growth = f.label
        else:
            previous_label, previous_growth = f.label, ""
        sentence_of_previous = s0


def _following_noun(text: str, end: int) -> str:
    m = _FOLLOWING_NOUN.match(text[end:end + 16])
    if not m:
        return ""
    noun = m.group(0).strip("“”（）() ")
    return noun if noun and is_cjk(noun[0]) else ""


def _find_in_row(unit: Unit, lines: list[str]) -> list[Found]:
    """A table row: the label is the left cell, quantities come from the others."""
    cells = unit.cells or []
    if len(cells) < 2:
        return []
    label = _WS.sub("", cells[0])
    text = unit.clean.text
    label_end = text.find(cells[0]) + len(cells[0])
    found: list[Found] = []
    sentences = Sentences(text)
    for m in QUANTITY.finditer(text, label_end):
        g = m.groupdict()
        if not _valid_number(text, m, g):
            continue
        value = _value(g)
        pre = g["pre"]
        start = m.start("pre") if pre else m.start("num")
        where = unit.clean.span_origin(start, m.end())
        if value is None or where is None:
            continue
        f = _make(unit, m, g, value, start, pre, where, lines, sentences)
        f.label = label[:40]
        f.context = _WS.sub(" ", text).strip()
        found.append(f)
    return found

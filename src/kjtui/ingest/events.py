"""Dated happenings → Event records: month lists, month table rows, inline dates."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final

from .blocks import Unit
from .clean import plain

MONTH_LINE: Final = re.compile(r"^\s*+(?:#+\s*+)?\**+\s*+(\d{1,2})\s*+月\s*+\**+\s*+$")
MONTH_ROW: Final = re.compile(
    r"^\s*+\**+\s*+(\d{1,2})[ \u3000]*+月[ \u3000]*+\**+(?:[ \u3000]*+\t+|\s*\|\s*|\s*<td[^>]*>)(.*)$"
)
LIST_ITEM: Final = re.compile(r"^\s*+(?:[-*+•·]\s+|□\s*|√\s*)(.*)$")
_LI: Final = re.compile(r"<li[^>]*>(.*?)</li>", re.S)

RANGE: Final = re.compile(
    r"(?:(?P<y1>\d{4})\s*年\s*)?(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?\s*(?:至|到|—|–|-|~|～)\s*"
    r"(?:(?P<y2>\d{4})\s*年\s*)?(?:(?P<m2>\d{1,2})\s*月\s*)?(?P<d2>\d{1,2})\s*日"
)
DAY: Final = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
MONTH_AT_START: Final = re.compile(
    r"(?:^|(?<=[。；;！？!?]))\s*(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月(?P<part>底|末|初|上旬|中旬|下旬|份)?\s*[,，、]"
)
_DAY_HINT: Final = re.compile(r"\d\s*日")  # what RANGE and DAY both need
_MONTH_HINT: Final = re.compile(r"\d\s*月(?:底|末|初|上旬|中旬|下旬|份)?\s*[,，、]")  # what MONTH_AT_START needs
TITLE: Final = re.compile(r"《([^《》]{2,120})》")
_RELEASE: Final = re.compile(r"发布|印发|出台|修订|修定|修正|颁布|施行|公布|推出|审议通过|正式实施|起实施|对外发布|制定出台")
_DOC_NOUN: Final = re.compile(r"办法|方案|意见|通知|指南|细则|规定|条例|计划|政策|规划|措施|标准|汇编|纲要|清单|指引")
_NOT_EVENT_BEFORE: Final = re.compile(r"(?:截至|截止|直至|至|到)\s*$")
MAX_TITLE: Final = 40


@dataclass(slots=True)
class FoundEvent:
    line: int
    year: int | None
    month: int
    day: int | None
    end: str | None
    title: str
    kind: str
    text: str
    also: list[int] = field(default_factory=list)  # lines that state the same event again


_ABBREVIATION: Final = re.compile(r"(?:简称|下称|称)\s*$")
# a policy named in quotes: “科技创新券”政策, “浦江之光”行动政策汇编
_QUOTED_POLICY: Final = re.compile(
    r"“[^“”]{2,40}”[\u4e00-\u9fff]{0,6}?(?:政策|办法|方案|意见|细则|规定|条例|计划|规划|措施|指引|指南|清单|标准|汇编|纲要)"
)
_POLICY_VERB: Final = re.compile(r"发布|印发|出台|实施|升级|修订|修定|修正|颁布|施行|公布|推出|审议通过")


def titles_in(text: str) -> list[str]:
    """The documents named in 《》, an abbreviation (以下简称《若干措施》) left out."""
    out: list[str] = []
    if "《" not in text:
        return out  # most texts name no document
    for m in TITLE.finditer(text):
        if _ABBREVIATION.search(text, max(0, m.start() - 6), m.start()):
            continue
        out.append(m.group(1).strip())
    return out


def classify(text: str) -> tuple[str, str]:
    """(title, kind) of an event's text. Only the release of a named document is a policy:
    a 《title》 with a release verb, or a policy named in quotes (“…”政策) with one."""
    titles = titles_in(text)
    if titles:
        kind = "policy" if _RELEASE.search(text) else "event"
        return titles[0], kind
    kind = "policy" if _QUOTED_POLICY.search(text) and _POLICY_VERB.search(text) else "event"
    title = text.strip(" ,，。；;、")
    return (title[: MAX_TITLE - 1] + "…") if len(title) > MAX_TITLE else title, kind


def _valid(month: int, day: int | None = None) -> bool:
    return 1 <= month <= 12 and (day is None or 1 <= day <= 31)


def from_month_lists(lines: list[str], skip: set[int], year: int | None) -> tuple[list[FoundEvent], set[int]]:
    """`3月` followed by `- …` items; `3月<TAB><ul><li>…</li></ul>` rows.

    A month's list ends at the next month line, a heading, a paragraph or a wide gap."""
    events: list[FoundEvent] = []
    used: set[int] = set()
    month: int | None = None
    blanks = 0
    for idx, line in enumerate(lines):
        no = idx + 1
        if no in skip:
            month = None
            continue
        if not line.strip():
            blanks += 1
            if blanks >= 2:
                month = None
            continue
        blanks = 0
        has_month = "月" in line  # what a month line and a month row both hold
        m = MONTH_LINE.match(line) if has_month else None
        if m:
            month = int(m.group(1)) if _valid(int(m.group(1))) else None
            used.add(no)
            continue
        row = MONTH_ROW.match(line) if has_month else None
        if row and _valid(int(row.group(1))):
            cell = row.group(2)
            items = [plain(x) for x in _LI.findall(cell)] or [
                x for x in (plain(p) for p in _ITEM_SPLIT.split(plain(cell))) if x
            ]
            for item in items:
                events.append(_month_item(no, year, int(row.group(1)), item))
            used.add(no)
            month = None
            continue
        listed = LIST_ITEM.match(line) if month is not None else None
        if listed and month is not None:
            events.append(_month_item(no, year, month, plain(listed.group(1))))
            used.add(no)
            continue
        month = None
    return events, used


# patterns compiled once (re.match(str, …) looks its pattern up in re's cache on every call)
_DAY_LEAD: Final = re.compile(r"^\s*(\d{1,2})\s*日")
_ITEM_SPLIT: Final = re.compile(r"[；;]")
_CLAUSE_SPLIT: Final = re.compile(r"[,，:：]")
_AT_END: Final = re.compile(r"[于在]\s*$")


def _month_item(line: int, year: int | None, month: int, text: str) -> FoundEvent:
    day_match = _DAY_LEAD.match(text) if "日" in text else None
    title, kind = classify(text)
    day = int(day_match.group(1)) if day_match else None
    return FoundEvent(line, year, month, day if day and day <= 31 else None, None, title, kind, text)


_HAPPENED: Final = re.compile(
    r"举行|举办|召开|发布|启动|签订|签署|开幕|闭幕|揭牌|成立|印发|出台|上线|开通|投入运行|落地|实施|开工|竣工"
    r"|获批|挂牌|授牌|启用|签约|考察|调研|视察|入选|颁发|批复|审议|建成|投用|投运"
)


def _headline(text: str) -> str:
    """The clause of a sentence that says what happened (the one with the verb)."""
    clauses = [c.strip(" ,，、:：") for c in _CLAUSE_SPLIT.split(text)]
    clauses = [c for c in clauses if c]
    for clause in clauses:
        if _HAPPENED.search(clause):
            return clause
    return clauses[0] if clauses else ""


def _iso(year: int | None, month: int, day: int | None) -> str:
    y = f"{year:04d}" if year else "????"
    return f"{y}-{month:02d}-{day:02d}" if day else f"{y}-{month:02d}"


# a month with its year inside a sentence (这是继2023年8月长沙市出台…); not a period or a cut-off
YEAR_MONTH: Final = re.compile(
    r"(?P<y>\d\d{3})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d{1,2}\s*日)(?!份|底|末|初|上旬|中旬|下旬|以来|至|到|\s*[-—–~～])"
)  # \d\d{3}: four digits, led by one so that the regex engine skips ahead to a digit
# a month opening a clause after a leading one (为加快…，6月，市政府印发…)
CLAUSE_MONTH: Final = re.compile(r"(?<=[,，])\s*(?P<m>\d{1,2})\s*月\s*[,，]")
# a month after 于/在 inside a sentence (“某某”政策于9月完成升级)
# (the 于/在 is part of the match, not a look-behind: a pattern led by a class lets the regex engine
# skip ahead; the month's own place is the group's)
AT_MONTH: Final = re.compile(r"[于在]\s*(?P<m>\d{1,2})\s*月(?!\s*\d{1,2}\s*日)(?!份|底|末|初|上旬|中旬|下旬|以来|至|到|\s*[-—–~～])")
# a month after 今年/去年/同年 (今年3月，市政府印发《…》)
RELATIVE_MONTH: Final = re.compile(
    r"(?P<rel>今年|本年|去年|上年|前年|同年|当年)\s*(?P<m>\d{1,2})\s*月(?!份|底|末|初|上旬|中旬|下旬|以来|至|到|\s*[-—–~～])"
)
_YEAR_SHIFT: Final = {"今年": 0, "本年": 0, "当年": 0, "同年": 0, "去年": -1, "上年": -1, "前年": -2}
# a day without its month (3月2日召开动员会，9日，发布《…》): the month is the one before it
DAY_ONLY: Final = re.compile(
    r"(?:^|(?<=[,，；;。！？!?]))\s*(?P<d>\d{1,2})\s*日\s*(?=[,，]|" + _HAPPENED.pattern + r")"
)


_SENTENCE_ENDS: Final = "。！？!?；;"
_SENTENCE_END: Final = re.compile(r"[。！？!?；;]")


@dataclass(slots=True)
class _Date:
    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    until: str | None
    needs_verb: bool  # a date inside a sentence is an event only when something happens
    own_year: bool = False  # its year is written with it (2024年3月, 今年3月), not the document's
    until_md: tuple[int, int] | None = None  # a range's end (month, day) when it has no year of its own


def from_unit(unit: Unit, year: int | None) -> list[FoundEvent]:
    """Inline dates in a paragraph or list item. Each date names the documents (《…》) that
    follow it in its sentence, one event each; a date with no document is one event."""
    text = unit.clean.text
    if "月" not in text:
        return []
    dates: list[_Date] = []
    # the dates kept never overlap one another: kept sorted by start, only the last one that
    # starts before b can overlap [a, b) (a bisection, so a one-line page stays linear)
    starts: list[int] = []
    ends: list[int] = []
    by_start: list[_Date] = []

    def overlaps(a: int, b: int) -> bool:
        k = bisect.bisect_left(starts, b) - 1
        return k >= 0 and ends[k] > a

    def add(date: _Date) -> None:
        k = bisect.bisect_left(starts, date.start)
        starts.insert(k, date.start)  # finditer order: almost always at the end
        ends.insert(k, date.end)
        by_start.insert(k, date)
        dates.append(date)

    # The date patterns open with an optional year, so the regex engine tries them at
    # every position; a digit-led hint finds first whether the unit holds one at all.
    with_days = _DAY_HINT.search(text) is not None
    for m in RANGE.finditer(text) if with_days else ():
        m1, d1 = int(m.group("m1")), int(m.group("d1"))
        y1 = int(m.group("y1")) if m.group("y1") else year
        m2 = int(m.group("m2")) if m.group("m2") else m1
        d2 = int(m.group("d2"))
        y2 = int(m.group("y2")) if m.group("y2") else y1
        if _valid(m1, d1) and _valid(m2, d2):
            add(_Date(m.start(), m.end(), y1, m1, d1, _iso(y2, m2, d2), False, m.group("y1") is not None,
                      None if m.group("y2") else (m2, d2)))
    for m in DAY.finditer(text) if with_days else ():
        if overlaps(m.start(), m.end()):
            continue
        month, day = int(m.group("m")), int(m.group("d"))
        if _valid(month, day):
            add(_Date(m.start(), m.end(), int(m.group("y")) if m.group("y") else year, month, day, None, False,
                      m.group("y") is not None))
    for m in MONTH_AT_START.finditer(text) if _MONTH_HINT.search(text) else ():
        if overlaps(m.start("m"), m.end()):
            continue
        month = int(m.group("m"))
        if _valid(month):
            # 6月末，贷款余额… is a data cut-off: a month opening a sentence dates something that happens
            add(_Date(m.start(), m.end(), int(m.group("y")) if m.group("y") else year, month, None, None, True,
                      m.group("y") is not None))
    if "年" in text:
        for m in YEAR_MONTH.finditer(text):
            month = int(m.group("m"))
            if _valid(month) and not overlaps(m.start(), m.end()):
                add(_Date(m.start(), m.end(), int(m.group("y")), month, None, None, True, True))
    for m in RELATIVE_MONTH.finditer(text) if "年" in text else ():
        month = int(m.group("m"))
        if _valid(month) and not overlaps(m.start(), m.end()):
            rel = m.group("rel")
            if rel in ("同年", "当年"):
                k = bisect.bisect_left(starts, m.start()) - 1
                y = by_start[k].year if k >= 0 and by_start[k].year else year
            else:
                y = year + _YEAR_SHIFT[rel] if year else None
            add(_Date(m.start(), m.end(), y, month, None, None, True, True))
    for m in AT_MONTH.finditer(text) if ("于" in text or "在" in text) else ():
        month = int(m.group("m"))
        if _valid(month) and not overlaps(m.start("m"), m.end()):
            add(_Date(m.start("m"), m.end(), year, month, None, None, True))
    for m in CLAUSE_MONTH.finditer(text) if _MONTH_HINT.search(text) else ():
        month = int(m.group("m"))
        if _valid(month) and not overlaps(m.start("m"), m.end()):
            add(_Date(m.start("m"), m.end(), year, month, None, None, True))
    if dates and with_days:
        full = sorted(dates, key=lambda d: d.start)  # disjoint: sorted by start is sorted by end
        full_ends = [d.end for d in full]
        for m in DAY_ONLY.finditer(text):
            day = int(m.group("d"))
            if overlaps(m.start("d"), m.end("d")) or not 1 <= day <= 31:
                continue
            k = bisect.bisect_right(full_ends, m.start("d"))
            if k:
                prev = full[k - 1]  # the nearest full date before the day gives its month
                add(_Date(m.start("d"), m.end(), prev.year, prev.month, day, None, True))
    dates.sort(key=lambda d: d.start)
    # a month without its year (8月，…) after a date with one in the same paragraph
    # (2024年3月，…) is in that year, not the document's
    carried: int | None = None
    for d in dates:
        if d.own_year:
            carried = d.year
        elif carried is not None and d.year != carried:
            d.year = carried
            if d.until_md is not None:
                d.until = _iso(carried, d.until_md[0], d.until_md[1])

    events: list[FoundEvent] = []
    for k, d in enumerate(dates):
        if _NOT_EVENT_BEFORE.search(text[max(0, d.start - 4):d.start]):
            continue
        opened = text.rfind("《", max(0, d.start - 300), d.start)
        if opened != -1 and text.rfind("》", opened, d.start) == -1:
            continue
        floor = max(0, d.start - 300)
        s = max(floor, max(text.rfind(ch, floor, d.start) for ch in _SENTENCE_ENDS) + 1)
        ceiling = min(len(text), d.end + 300)
        ended = _SENTENCE_END.search(text, d.end, ceiling)
        e = ended.start() if ended is not None else ceiling
        sentence = text[s:e].strip()
        after = text[d.end:e]
        if d.needs_verb and not (_HAPPENED.search(after) or _RELEASE.search(after) or _POLICY_VERB.search(after)):
            continue
        # the documents this date names: those after it up to the next date of the sentence,
        # else those before it since the previous date
        nxt = dates[k + 1].start if k + 1 < len(dates) and dates[k + 1].start < e else e
        prv = dates[k - 1].end if k > 0 and dates[k - 1].end > s else s
        titles = titles_in(text[d.end:nxt]) or titles_in(text[prv:d.start])
        if text.startswith("电", d.end) and not (titles and _RELEASE.search(sentence)):
            continue  # a news dateline (某地3月5日电) dates the page, not an event
        where = unit.clean.span_origin(d.start, d.end)
        line = where[0] if where else unit.first_line
        if titles:
            kind = "policy" if _RELEASE.search(sentence) else "event"
            for title in titles:
                events.append(FoundEvent(line, d.year, d.month, d.day, d.until, title, kind, sentence))
            continue
        scope = _AT_END.sub("", text[prv:d.start]) + text[d.end:nxt]
        title, kind = classify(_headline(scope))
        events.append(FoundEvent(line, d.year, d.month, d.day, d.until, title or sentence[:MAX_TITLE], kind, sentence))
    events.sort(key=lambda e: (e.line, e.month, e.day or 0))
    return events


def dedupe(events: list[FoundEvent]) -> list[FoundEvent]:
    """The same policy or event stated twice in one document is one entry: the first
    sentence stays its source, the lines of the others are noted in its `also`.
    Same title (full- and half-width brackets alike), year and month."""
    seen: dict[tuple[str, int | None, int], FoundEvent] = {}
    out: list[FoundEvent] = []
    for e in events:
        key = (_title_key(e.title), e.year, e.month)
        first = seen.get(key)
        if first is not None:
            if first.day is None and e.day is not None:
                first.day, first.end = e.day, e.end  # the second statement gives the day
            if e.line != first.line and e.line not in first.also:
                first.also.append(e.line)
            continue
        seen[key] = e
        out.append(e)
    return out


_KEY_DROP: Final = re.compile(r"[\s《》“”\"'‘’()（）\[\]【】,，、.。:：;；\-—–~～]")


def _title_key(title: str) -> str:
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", title))

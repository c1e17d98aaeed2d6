"""The same measure across documents and years: series, conflicts, two years compared.

A metric's *name* is its label folded (text.fold); a short label (授信金额) that
does not say what it counts borrows the subject its clause opens with
(`科技履约贷(含微贷通)授信企业 368 家,授信金额 18.69 亿元` → 科技履约贷授信企业 + 授信金额).
Two metrics measure the same thing when their names are similar (rapidfuzz:
the mean of the plain and the partial ratio), their base units are equal and
their periods compatible (see `period_class`). These are rules about the form of
the text, not about any corpus.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from .text import fold

if TYPE_CHECKING:
    from ..model import Document, Metric, Section
    from .source import Source

SAME_MEASURE = 80.0  # similarity (0–100) at and above which two names are one measure
SHORT_LABEL = 5  # a label this short (folded) borrows its clause's subject
CONFLICT_RATIO = 2.0  # values further apart than this are taken as different measures, not a conflict
AGREE = 1e-3  # relative difference below which two values agree

_PAREN = re.compile(r"[(（\[【〔][^)）\]】〕]*[)）\]】〕]")
_NUMBER_UNIT = re.compile(r"[0-9.,%]+[万亿千百]*[^\s,，、;；。0-9]?")
_PERIOD_WORDS = re.compile(r"截至|截止|到|其中|全年|当年|年末|年底|月底|月末|上半年|前三季度|\d+年|\d+月|年|月|底|末|约|近|超过|超|逾|共|累计")
_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』《》")
_CLAUSE_ENDS = re.compile(r"[。；;：:!?！？]")
_SEGMENT = re.compile(r"[,，、]")


# -- names ------------------------------------------------------------------------

def _clean(text: str) -> str:
    text = _PAREN.sub("", text.translate(_QUOTES))
    text = _NUMBER_UNIT.sub("", text)
    return text.strip("-—·•- ")


def _is_period_phrase(segment: str) -> bool:
    return not _PERIOD_WORDS.sub("", segment).strip()


def measure_name(metric: Metric) -> str:
    label = fold(metric.label).translate(_QUOTES)
    if len(label) > SHORT_LABEL or not metric.context:
        return label
    context = fold(metric.context).translate(_QUOTES)
    at = context.find(label)
    if at <= 0:
        return label
    clause = _CLAUSE_ENDS.split(context[:at])[-1]
    earlier = _SEGMENT.split(clause)[:-1]  # the last part is the label's own segment
    for segment in earlier:
        if not segment or _is_period_phrase(segment):
            continue
        subject = _clean(segment)
        if subject and subject != label:
            return subject + label
        break
    return label


def similarity(a: str, b: str) -> float:
    if a == b:
        return 100.0
    if not a or not b:
        return 0.0
    score = (fuzz.ratio(a, b) + fuzz.partial_ratio(a, b)) / 2
    if a[:2] != b[:2] and a not in b and b not in a:
        # a measure's name opens with what it counts: 发明专利授权量 is not 全市专利授权量
        score = min(score, SAME_MEASURE - 1)
    return score


# -- periods ------------------------------------------------------------------------

_MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})月")
_UP_TO_MONTH = re.compile(r"(\d{1,2})月")


def period_class(period: str | None) -> str | None:
    """A coarse class of a period: None (not said) is compatible with any other.
    "to-M": a stock at the end of month M (截至年底 = to-12); "M1-M2": a flow over
    those months; "half"; "year": a flow over the whole year."""
    if not period:
        return None
    p = fold(period)
    if any(w in p for w in ("截至", "截止", "累计", "末", "底")):
        month = _UP_TO_MONTH.findall(p)
        return f"to-{int(month[-1]) if month and '年底' not in p and '年末' not in p else 12}"
    span = _MONTH_RANGE.search(p)
    if span:
        return f"{int(span.group(1))}-{int(span.group(2))}"
    if "半年" in p:
        return "half"
    return "year"


def compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


# -- records --------------------------------------------------------------------------

_UNSET: Any = object()


@dataclass(slots=True)
class Point:
    """One metric seen as a measure: where it stands and what it says."""

    metric: Metric
    document: Document
    name: str
    period: str | None  # period_class
    source: Source | None = field(default=None, repr=False)
    _section: Any = field(default=_UNSET, repr=False)

    @property
    def year(self) -> int | None:
        return self.metric.year if self.metric.year is not None else self.document.year

    @property
    def section(self) -> Section | None:
        """Its section, read when first asked for (a shard of the sharded store)."""
        if self._section is _UNSET:
            self._section = self.source.section(self.metric.section) if self.source is not None else None
        return self._section

    def to_dict(self) -> dict:
        m = self.metric
        section = self.section
        return {
            "year": self.year, "label": m.label, "name": self.name, "value": m.value, "unit": m.unit,
            "base_unit": m.base_unit, "normalized": m.normalized, "qualifier": m.qualifier,
            "period": m.period, "document": m.document, "title": self.document.title,
            "section": m.section, "section_title": section.label if section else "",
            "line": m.line, "context": m.context, "metric": m.id,
        }


def points(source: Source) -> list[Point]:
    """Every metric as a Point (from the store's year index where it has one: no shard is read)."""
    docs = {d.id: d for d in source.documents()}
    out: list[Point] = []
    names: dict[tuple[str, str], str] = {}  # (label, context) → name: copies are named once
    periods: dict[str | None, str | None] = {}
    for m in source.metrics():
        doc = docs.get(m.document)
        if doc is None:
            continue
        key = (m.label, m.context)
        name = names.get(key)
        if name is None:
            name = names[key] = measure_name(m)
        if m.period not in periods:
            periods[m.period] = period_class(m.period)
        out.append(Point(m, doc, name, periods[m.period], source))
    return out


def _bigrams(text: str) -> set[str]:
    return {text[k:k + 2] for k in range(len(text) - 1)}


def borrowed(point: Point) -> str | None:
    """The short label of a name that borrowed its clause's subject, else None."""
    label = fold(point.metric.label).translate(_QUOTES)
    return label if point.name != label and point.name.endswith(label) else None


def shown_label(point: Point) -> str:
    """The label as written, with the subject it borrowed in brackets: 授信金额（甲贷授信企业）."""
    label = borrowed(point)
    if label is None:
        return point.metric.label
    return f"{point.metric.label}（{point.name[:-len(label)]}）"


def related(p: Point, other_name: str) -> bool:
    """A borrowed name is one measure with another name only if its own short label
    says the same kind of thing (shares two characters in a row with it): the clause
    `甲贷为 9729 家高企提供信贷支持,其中中小企业 8890 家` borrows 甲贷… for 中小企业, which
    is not the 9729 家 another document gives for 甲贷…"""
    label = borrowed(p)
    if label is None or len(label) < 2:
        return True
    return bool(_bigrams(label) & _bigrams(other_name))


def same_measure(p: Point, q: Point, threshold: float = 0.0) -> float:
    """The similarity of two points' names, or 0 when one borrowed a subject unrelated to the other."""
    if not (related(p, q.name) and related(q, p.name)):
        return 0.0
    return similarity(p.name, q.name)


def _agree(a: float, b: float) -> bool:
    scale = max(abs(a), abs(b))
    return scale == 0 or abs(a - b) / scale < AGREE


# -- a measure across years -------------------------------------------------------------

def base_unit_of(unit: str) -> str:
    from ..ingest.units import MAGNITUDES, scale

    for magnitude in sorted(MAGNITUDES, key=len, reverse=True):
        if unit.startswith(magnitude) and len(unit) > len(magnitude):
            return scale(magnitude, unit[len(magnitude):])[0]
    return scale("", unit)[0]


@dataclass(slots=True)
class Row:
    point: Point
    score: float
    conflict: bool = False  # another row of the same year and period disagrees


@dataclass(slots=True)
class Series:
    label: str
    base_unit: str
    rows: list[Row]  # by year, best match first within a year

    def by_year(self, dropped: Iterable[str] = ()) -> list[tuple[int, Row]]:
        """One row per year (the best match that is not dropped), oldest first."""
        gone = set(dropped)
        best: dict[int, Row] = {}
        for row in self.rows:
            year = row.point.year
            if year is None or row.point.metric.id in gone:
                continue
            if year not in best:
                best[year] = row
        return sorted(best.items())

    def changes(self, dropped: Iterable[str] = ()) -> list[tuple[int, float, float | None]]:
        """(year, normalized value, change from the previous year shown in %)."""
        out: list[tuple[int, float, float | None]] = []
        prev: float | None = None
        for year, row in self.by_year(dropped):
            value = row.point.metric.normalized
            change = None if not prev else (value - prev) / abs(prev) * 100  # no change from nothing or zero
            out.append((year, value, change))
            prev = value
        return out


def series(all_points: list[Point], label: str, unit: str | None = None,
           threshold: float = SAME_MEASURE) -> Series:
    target = fold(label)
    scored: list[tuple[float, Point]] = []
    known: dict[tuple[str, str], float] = {}  # (label, name) → score: repeated names are scored once
    for p in all_points:
        key = (p.metric.label, p.name)
        score = known.get(key, -1.0)
        if score < 0:
            score = max(similarity(target, fold(p.metric.label)),
                        similarity(target, p.name) if related(p, target) else 0.0)
            if target and (target in p.name) and score < 90:
                score = 90.0
            known[key] = score
        if score >= threshold:
            scored.append((score, p))
    if unit:
        base = base_unit_of(unit)
    elif scored:
        best = max(s for s, _ in scored)
        counts: dict[str, int] = defaultdict(int)
        for s, p in scored:
            if s == best:
                counts[p.metric.base_unit] += 1
        base = max(counts, key=lambda u: counts[u])
    else:
        base = ""
    rows = [Row(p, s) for s, p in scored if p.metric.base_unit == base]
    rows.sort(key=lambda r: (r.point.year or 0, -r.score))
    by_year: dict[int | None, list[Row]] = defaultdict(list)
    for r in rows:
        by_year[r.point.year].append(r)
    for group in by_year.values():
        for a in group:
            for b in group:
                if (a is not b and a.point.document.id != b.point.document.id
                        and compatible(a.point.period, b.point.period)
                        and not _agree(a.point.metric.normalized, b.point.metric.normalized)):
                    a.conflict = True
    return Series(label, base, rows)


# -- conflicts --------------------------------------------------------------------------

@dataclass(slots=True)
class Conflict:
    year: int
    base_unit: str
    a: Point
    b: Point
    similarity: float
    also: list[Point] = field(default_factory=list)  # the same disagreement seen again (copies)

    def to_dict(self) -> dict:
        return {"year": self.year, "base_unit": self.base_unit, "similarity": round(self.similarity, 1),
                "a": self.a.to_dict(), "b": self.b.to_dict(), "repeats": len(self.also)}


def conflicts(all_points: list[Point], threshold: float = SAME_MEASURE) -> list[Conflict]:
    """The same measure (name, base unit, compatible period) and year given with
    different values by two documents. Linear in the number of metrics for a
    corpus of repeated documents: identical claims are merged first, and only
    values within CONFLICT_RATIO of each other are compared."""
    claims: dict[tuple, list[Point]] = {}
    for p in all_points:
        if p.year is None or not p.metric.base_unit:
            continue
        key = (p.year, p.metric.base_unit, p.name, p.period, round(p.metric.normalized, 6))
        claims.setdefault(key, []).append(p)
    buckets: dict[tuple[int, str, str], list[tuple[float, tuple]]] = defaultdict(list)
    for key in claims:  # names of one measure open the same way (see similarity)
        buckets[(key[0], key[1], key[2][:2])].append((key[4], key))
    found: dict[tuple, Conflict] = {}
    for (year, base, _), entries in buckets.items():
        entries.sort(key=lambda e: e[0])
        for i, (va, ka) in enumerate(entries):
            for vb, kb in entries[i + 1:]:
                if va > 0 and vb > va * CONFLICT_RATIO:
                    break
                if _agree(va, vb) or not compatible(ka[3], kb[3]):
                    continue
                sim = same_measure(claims[ka][0], claims[kb][0])
                if sim < threshold:
                    continue
                pa, pb = claims[ka], claims[kb]
                if not any(x.document.id != y.document.id for x in pa[:2] for y in pb[:2]):
                    continue
                pair = (ka, kb)
                found[pair] = Conflict(year, base, pa[0], pb[0], sim, pa[1:] + pb[1:])
    return sorted(found.values(), key=lambda c: (-c.year, -c.similarity, c.a.metric.label))


# -- two years -------------------------------------------------------------------------

@dataclass(slots=True)
class Pair:
    a: Point
    b: Point
    similarity: float

    @property
    def change(self) -> float:
        return self.b.metric.normalized - self.a.metric.normalized

    @property
    def change_pct(self) -> float | None:
        before = self.a.metric.normalized
        return None if before == 0 else self.change / abs(before) * 100

    def to_dict(self) -> dict:
        pct = self.change_pct
        return {"label": self.a.metric.label, "a": self.a.to_dict(), "b": self.b.to_dict(),
                "change": self.change, "change_pct": None if pct is None else round(pct, 2),
                "similarity": round(self.similarity, 1)}


@dataclass(slots=True)
class Comparison:
    year_a: int
    year_b: int
    both: list[Pair]
    only_a: list[Point]
    only_b: list[Point]


def _distinct(all_points: list[Point], year: int) -> list[Point]:
    """A year's measures, one point per (base unit, name, period): copies collapse."""
    seen: dict[tuple, Point] = {}
    for p in all_points:
        if p.year == year:
            seen.setdefault((p.metric.base_unit, p.name, p.period), p)
    return list(seen.values())


def compare(all_points: list[Point], year_a: int, year_b: int, threshold: float = SAME_MEASURE) -> Comparison:
    """Measures of two years matched one to one (the same name first, then the most
    similar among names that open the same way): the pairs sorted by the size of the
    change in %, and the measures only one year has."""
    in_a = _distinct(all_points, year_a)
    in_b = _distinct(all_points, year_b)
    exact: dict[tuple[str, str], list[int]] = defaultdict(list)
    block: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, p in enumerate(in_b):
        exact[(p.metric.base_unit, p.name)].append(j)
        block[(p.metric.base_unit, p.name[:2])].append(j)
    candidates: list[tuple[float, int, int]] = []
    for i, p in enumerate(in_a):
        for j in exact.get((p.metric.base_unit, p.name), ()):
            if compatible(p.period, in_b[j].period):
                candidates.append((101.0, i, j))  # the same name beats any similar one
        for j in block.get((p.metric.base_unit, p.name[:2]), ()):
            q = in_b[j]
            if q.name == p.name or not compatible(p.period, q.period):
                continue
            sim = same_measure(p, q)
            if sim >= threshold:
                candidates.append((sim, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[Pair] = []
    for sim, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append(Pair(in_a[i], in_b[j], min(sim, 100.0)))

    def size(pair: Pair) -> float:
        pct = pair.change_pct
        return math.inf if pct is None and pair.change else abs(pct or 0.0)

    pairs.sort(key=lambda pr: (-size(pr), pr.a.metric.label))
    return Comparison(year_a, year_b, pairs,
                      [p for i, p in enumerate(in_a) if i not in used_a],
                      [p for j, p in enumerate(in_b) if j not in used_b])

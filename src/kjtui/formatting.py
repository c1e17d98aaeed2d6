"""How numbers and dates read on screen; shared by the CLI tables and the browser."""

from __future__ import annotations

from pathlib import Path

from .model import Event, Metric

_BEFORE = {"不超过", "不少于", "不低于", "不到", "超过", "近", "约", "超", "逾"}


def number(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):  # a 5000-digit number overflows
        return "∞" if value == float("inf") else "-∞" if value == float("-inf") else "?"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def written(metric: Metric) -> str:
    """The value as the document wrote it, e.g. 超190亿元, 4800余家, 80%以上."""
    num = number(metric.value).replace(",", "") if metric.value < 1e6 else number(metric.value)
    q = metric.qualifier or ""
    unit = metric.unit
    if q in _BEFORE:
        return f"{q}{num}{unit}"
    if q in {"余", "多"}:
        # 25余万次 and 2.5万余篇 both read naturally with 余 straight after the number
        return f"{num}{q}{unit}"
    return f"{num}{unit}{q}"


_MAGNITUDES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_NO_MAGNITUDE = {"%", "‰", "个百分点", "倍", "成"}


def compact_number(value: float, base_unit: str) -> str:
    """A normalized value in its own magnitude: 1048631000000 元 → 1.05万亿元,
    29900 户 → 2.99万户, 27940000000 元 → 279.4亿元. Two decimals at most,
    trailing zeros dropped; ratios (%, 倍) keep their number as it is."""
    if base_unit in _NO_MAGNITUDE or value != value:  # NaN: nothing to scale
        return f"{number(value).replace(',', '')}{base_unit}"
    size = abs(value)
    for scale, name in _MAGNITUDES:
        # 9999.996万 would round up to 10000万: such a value reads in the next magnitude
        if round(size / scale, 2) >= 1:
            if round(size / scale, 2) >= 1e4 and scale < 1e12:
                continue
            return f"{_two_decimals(value / scale)}{name}{base_unit}"
    return f"{_two_decimals(value)}{base_unit}"


def _two_decimals(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def normalized(metric: Metric) -> str:
    """The normalized value, compact (see `compact_number`)."""
    return compact_number(metric.normalized, metric.base_unit)


def short_period(period: str | None) -> str:
    """A period for a narrow column: 截至2023年末 → 2023年末, 截至11月底 → 11月底."""
    if not period:
        return ""
    for lead in ("截至", "截止到", "截止"):
        if period.startswith(lead) and len(period) > len(lead):
            return period[len(lead):]
    return period


def citation(metric: Metric, document: str, section: str) -> str:
    """A metric as a citation: `label value (period) — document section`."""
    head = f"{metric.label} {written(metric)}"
    if metric.period:
        head += f" ({metric.period})"
    where = " ".join(part for part in (document, section) if part)
    return f"{head} — {where}" if where else head


def event_date(event: Event) -> str:
    day = f"{event.day}日" if event.day else ""
    text = f"{event.month}月{day}"
    if event.end:
        parts = event.end.split("-")
        if len(parts) == 3:
            y, m, d = parts
            same_year = y == (f"{event.year:04d}" if event.year else "????")
            text += "至" + ("" if same_year else f"{y}年") + (f"{int(m)}月" if int(m) != event.month or not same_year else "") + f"{int(d)}日"
    return text


def short_path(path: Path) -> str:
    """A path as a user would type it: under the home folder it starts with ~."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):
        return str(path)

"""How numbers and dates read on screen; shared by the CLI tables and the browser."""

from __future__ import annotations

from pathlib import Path

from .model import Event, Metric

_BEFORE = {"不超过", "不少于", "不低于", "不到", "超过", "近", "约", "超", "逾"}


def number(value: float) -> str:
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


def normalized(metric: Metric) -> str:
    base = "" if metric.base_unit in {"%", "‰", "个百分点"} and metric.multiplier == 1 else metric.base_unit
    if metric.base_unit == "%":
        return f"{number(metric.normalized)}%"
    return f"{number(metric.normalized)} {base}".rstrip()


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

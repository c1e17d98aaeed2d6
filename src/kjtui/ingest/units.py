"""Units, magnitudes and Chinese numerals: the vocabulary of quantities."""

from __future__ import annotations

from typing import Final

MAGNITUDES: Final[dict[str, float]] = {
    "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8,
    "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3,
}

# Longest first so that 人次 wins over 人 and 个百分点 over 个.
BASE_UNITS: Final[tuple[str, ...]] = tuple(sorted(
    {
        "平方公里", "平方米", "立方米", "千瓦时", "万千瓦", "千瓦", "兆瓦", "公里", "千米", "公顷",
        "美元", "欧元", "港元", "日元", "元",
        "个百分点", "百分点", "个工作日", "工作日", "个月",
        "人次", "家次", "户次", "场次", "批次", "项次", "台次", "架次", "次", "人", "名", "位", "岁", "年",
        "户", "家", "个", "项", "件", "笔", "支", "场", "款", "倍", "所", "座", "台", "套",
        "篇", "部", "条", "种", "批", "亩", "吨", "公斤", "千克", "米", "天", "小时", "分钟", "周", "门", "册",
        "份", "辆", "架", "艘", "颗", "株", "张", "块", "处", "栋", "间", "类", "节", "集",
        "%", "‰", "成",
    },
    key=len, reverse=True,
))

PERCENT_LIKE: Final = {"%": ("%", 1.0), "‰": ("‰", 1.0), "个百分点": ("个百分点", 1.0),
                "百分点": ("个百分点", 1.0), "成": ("%", 10.0)}

QUALIFIERS_BEFORE: Final = ("不超过", "不少于", "不低于", "不到", "超过", "突破", "近", "约", "超", "逾")
# a unit written with its alternative in brackets: 台（套）, 家（次）
ALTERNATIVE_UNITS: Final = ("套", "台", "次", "个", "件", "项", "家", "人", "名", "户", "座", "处")
# the units of a length of time (连续8年, 3个工作日): a count of them is no date
DURATIONS: Final = frozenset({"年", "个月", "天", "小时", "分钟", "周", "个工作日", "工作日", "岁"})
QUALIFIERS_AFTER: Final = ("余", "多", "以上", "以下", "左右")

_CN_DIGITS: Final = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS: Final = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUMERAL_CHARS: Final = "".join(_CN_DIGITS) + "".join(_CN_UNITS)


def chinese_to_number(text: str) -> float | None:
    """一 → 1, 十六 → 16, 三百 → 300, 千 → 1000, 两万 → 20000. None if not a numeral."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
            continue
        unit = _CN_UNITS[ch]
        if unit == 10000:
            section = (section + (digit or 0)) * unit if (section or digit) else unit
            total += section
            section, digit = 0, None
        else:
            section += (digit if digit is not None else 1) * unit
            digit = None
    return float(total + section + (digit or 0))


def scale(unit_magnitude: str, base: str) -> tuple[str, float]:
    """(base unit, multiplier) for a written unit split into magnitude and base."""
    multiplier = MAGNITUDES.get(unit_magnitude, 1.0) if unit_magnitude else 1.0
    if base in PERCENT_LIKE:
        canonical, factor = PERCENT_LIKE[base]
        return canonical, multiplier * factor
    return base, multiplier

"""The unit and magnitude alternations are grouped by first character for speed
(metrics._by_first_char): the patterns built so must match what the flat, longest-first
alternations match, groups included."""

import random
import re

from kjtui.ingest import metrics
from kjtui.ingest.units import BASE_UNITS, MAGNITUDES

_FLAT_MAG = "|".join(sorted(MAGNITUDES, key=len, reverse=True))
_FLAT_BASE = "|".join(re.escape(u) for u in BASE_UNITS)


def _flat(pattern: re.Pattern[str]) -> re.Pattern[str]:
    assert metrics._BASE in pattern.pattern or metrics._MAG in pattern.pattern
    text = pattern.pattern.replace(metrics._BASE, _FLAT_BASE).replace(metrics._MAG, _FLAT_MAG)
    return re.compile(text, pattern.flags)


def test_grouped_alternations_match_as_the_flat_ones() -> None:
    pairs = [(p, _flat(p)) for p in (metrics.QUANTITY, metrics._DIGIT_QUANTITY, metrics._CN_QUANTITY)]
    words = [*BASE_UNITS, *MAGNITUDES, "余", "多", "以上", "左右", "(套)", "（次）", "瓦", "方", "工作", "十", "约"]
    rng = random.Random(5)
    for _ in range(5000):
        text = "".join(
            rng.choice(words) if rng.random() < 0.6 else rng.choice(["12", "3.5", "1,234", " ", "企业", "2023"])
            for _ in range(rng.randrange(1, 6))
        )
        for grouped, flat in pairs:
            assert [(m.span(), m.groups()) for m in grouped.finditer(text)] == [
                (m.span(), m.groups()) for m in flat.finditer(text)
            ], text
    unit_only, flat_unit_only = metrics._UNIT_ONLY, _flat(metrics._UNIT_ONLY)
    for a in words:
        for b in ["", *words[:40]]:
            m, f = unit_only.fullmatch(a + b), flat_unit_only.fullmatch(a + b)
            assert (m is None) == (f is None) and (m is None or m.groups() == f.groups()), a + b

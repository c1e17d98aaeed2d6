"""metrics.Sentences skips the period scan of a text without 年, 月, 季 and 截: every phrase
PERIOD finds holds one of them."""

import random

from kjtui.ingest.metrics import PERIOD, Sentences


def test_a_period_phrase_always_holds_one_of_its_marks() -> None:
    rng = random.Random(3)
    pieces = ["截", "至", "全", "年", "月", "季", "度", "当", "上", "下", "半", "前", "一", "二", "三", "四", "内", "底", "末",
              "目前", "日", "份", "0", "1", "2", "3", "9", " ", "—", "-", "~", "企业", "家"]
    for _ in range(50000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        for m in PERIOD.finditer(text):
            assert any(mark in m.group() for mark in "年月季截"), text


def test_sentences_without_marks_find_no_period() -> None:
    text = "新增企业12家，其中国家级3家；累计培育9家"
    assert Sentences(text).period_before(0, len(text)) is None
    text = "截至目前，新增企业12家"
    assert Sentences(text).period_before(0, text.index("12")) == "截至目前"

from pathlib import Path

from kjtui import formatting
from kjtui.model import Metric


def test_short_path_abbreviates_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert formatting.short_path(tmp_path / "out" / "2024-7.1.md") == "~/out/2024-7.1.md"
    assert formatting.short_path(Path("/elsewhere/a.md")) == "/elsewhere/a.md"


def test_numbers_drop_a_trailing_zero_but_keep_real_decimals():
    assert formatting.number(12.0) == "12"
    assert formatting.number(279.4) == "279.4"


def _metric(value, unit, qualifier=None):
    return Metric("m", "d", "s", "label", value, "raw", unit, unit, 1, value, qualifier, None, 1)


def test_written_puts_each_qualifier_where_chinese_puts_it():
    assert formatting.written(_metric(190, "亿元", "超")) == "超190亿元"
    assert formatting.written(_metric(4800, "家", "余")) == "4800余家"
    assert formatting.written(_metric(25, "万次", "余")) == "25余万次"
    assert formatting.written(_metric(80, "%", "以上")) == "80%以上"


def _normal(normalized, base):
    return Metric("m", "d", "s", "label", normalized, "raw", base, base, 1, normalized, None, None, 1)


def test_normalized_values_read_compactly_in_their_own_magnitude():
    assert formatting.normalized(_normal(1_048_631_000_000, "元")) == "1.05万亿元"
    assert formatting.normalized(_normal(29_900, "户")) == "2.99万户"
    assert formatting.normalized(_normal(27_940_000_000, "元")) == "279.4亿元"
    assert formatting.normalized(_normal(47, "个")) == "47个"
    assert formatting.normalized(_normal(5_000, "家")) == "5000家"  # below 万: as it is
    assert formatting.normalized(_normal(0.5, "元")) == "0.5元"
    assert formatting.normalized(_normal(-25_000, "元")) == "-2.5万元"


def test_compact_numbers_never_round_up_into_a_wrong_magnitude_and_ratios_stay_plain():
    assert formatting.compact_number(99_999_999, "元") == "1亿元"  # not 10000万元
    assert formatting.compact_number(9_999.999, "人") == "1万人"
    assert formatting.compact_number(10.5, "%") == "10.5%"
    assert formatting.compact_number(12_000, "%") == "12000%"  # a ratio never gets 万
    assert formatting.compact_number(5.4, "倍") == "5.4倍"
    assert "," not in formatting.compact_number(123_456_789_012_345, "元")


def test_short_period_drops_the_cumulative_lead_only():
    assert formatting.short_period("截至2023年末") == "2023年末"
    assert formatting.short_period("截至11月底") == "11月底"
    assert formatting.short_period("全年") == "全年"
    assert formatting.short_period("截至") == "截至"
    assert formatting.short_period(None) == ""


def test_a_metric_citation_names_value_period_document_and_section():
    m = Metric("m", "d", "s", "投决金额", 279.4, "raw", "亿元", "元", 1e8, 2.794e10, None, "截至11月底", 1)
    assert formatting.citation(m, "2024报告", "7.1 科技金融") == "投决金额 279.4亿元 (截至11月底) — 2024报告 7.1 科技金融"
    m.period = None
    assert formatting.citation(m, "", "") == "投决金额 279.4亿元"

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

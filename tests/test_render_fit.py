"""CLI tables fit the terminal: long labels end in …, numbers are never cut, one line a row."""

from rich.cells import cell_len

from kjtui import render
from kjtui.model import Event, Metric


def _metric(label, value, unit, normalized, base):
    return Metric("d#m1", "d", "d/5.1/" + "t" * 40, label, value, "raw", unit, base, normalized / value, normalized,
                  None, "截至2023年末", 3, "", 2023)


def _render(width, fn, rows):
    import io

    old, old_file = render.console.width, render.console._file  # None: sys.stdout when written
    render.console.width = width
    render.console.file = out = io.StringIO()  # what the console writes, styled or not
    try:
        fn(rows)
    finally:
        render.console.width, render.console._file = old, old_file
    return out.getvalue().splitlines()


def test_metrics_table_fits_80_columns_with_whole_values():
    rows = [_metric("科技型中小企业技术创新基金项目累计支持企业数量与金额" * 2, 10486.31, "亿元", 1.048631e12, "元"),
            _metric("投决金额", 279.4, "亿元", 2.794e10, "元")]
    lines = _render(80, render.print_metrics, rows)
    assert len(lines) == 4  # header, rule, one line a row
    assert all(cell_len(line) <= 80 for line in lines)
    assert "10486.31亿元" in lines[2] and "1.05万亿元" in lines[2] and "…" in lines[2]
    assert "279.4亿元" in lines[3]
    wide = _render(260, render.print_metrics, rows)
    assert rows[0].label in wide[2]  # room enough: nothing cut


def test_timeline_table_fits_and_keeps_dates():
    long_title = "关于进一步推进科技创新中心建设的若干政策措施实施细则" * 3
    rows = [Event("e1", "d", "d/1", 2023, 10, 21, None, long_title, "policy", "text", 3)]
    lines = _render(60, render.print_timeline, rows)
    assert all(cell_len(line) <= 60 for line in lines) and len(lines) == 3
    assert "10月21日" in lines[2] and "policy" in lines[2] and lines[2].rstrip().endswith("…")

"""A big table is measured on a sample first, then in full from a thread: the widest value
is never cut, however far down it lies."""

from textual.app import App, ComposeResult

from kjtui.model import Metric
from kjtui.tui import metrics_pane
from kjtui.tui.metrics_pane import MetricsPane
from kjtui.tui.vtable import VirtualTable


def _metric(k: int, value: float) -> Metric:
    return Metric(f"d#m{k}", "d", "d/1", f"指标{k}", value, f"{value:g}家", "家", "家", 1.0, value, None, None, k, "", 2024)


class _Host(App):
    def compose(self) -> ComposeResult:
        yield MetricsPane()


async def test_a_wide_value_outside_the_sample_widens_its_column_once_measured():
    rows = [_metric(k, 5) for k in range(3 * metrics_pane.MEASURED_AT_ONCE)]
    half = metrics_pane.MEASURED_AT_ONCE // 2
    stride = (len(rows) - half) // half
    wide = half + 1  # between two sampled rows
    assert stride > 1 and (wide - half) % stride
    rows[wide] = _metric(wide, 123456.25)
    app = _Host()
    async with app.run_test(size=(120, 30)) as pilot:
        pane = app.query_one(MetricsPane)
        pane.show(None, rows, in_reading_order=True)
        sampled = pane._measured[0]
        await pilot.pause(metrics_pane.MEASURE_AFTER + 0.1)  # the exact measure starts after the first frame
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sampled == 3 and pane._measured[0] == len("123456.25") + 2  # 家 is two cells
        value = next(c for c in app.query_one(VirtualTable).columns if c.key == "value")
        assert value.width >= pane._measured[0]

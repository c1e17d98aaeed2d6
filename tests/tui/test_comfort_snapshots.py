"""SVG snapshots of the metrics table with its detail panel at 80×24 and 120×40: whole
values, compact normalized values, the highlighted metric's label, facts and sentence.
Baselines: pytest tests/tui/test_comfort_snapshots.py --snapshot-update"""

import pytest

from kjtui.tui.catalog import NodeRef
from kjtui.tui.vtable import VirtualTable

from .conftest import ready


async def _year_metrics_on_a_long_value(app, pilot):
    app.open_node(NodeRef("year", "2023"))
    await pilot.press("2")
    await pilot.pause(0.2)
    table = app.query_one("#metrics-table", VirtualTable)
    table.move_cursor(next(k for k, m in enumerate(table.rows) if m.raw == "**2.5万亿元**"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_metrics_table_and_detail_panel(snap_compare, make_app, size):
    app = make_app()

    async def run_before(pilot):
        await ready(app, pilot)
        await _year_metrics_on_a_long_value(app, pilot)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=size, run_before=run_before)

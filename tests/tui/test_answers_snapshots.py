"""SVG snapshots of the search, series and calendar screens at 80×24 and 160×48, on
made-up documents. The lead generates the baselines:
    pytest tests/tui/test_answers_snapshots.py --snapshot-update"""

import pytest

from kjtui.tui.catalog import NodeRef
from kjtui.tui.vtable import VirtualTable

from .conftest import ready

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


@pytest.fixture
def still_app(answers_app, monkeypatch):
    # the status line shows how long the query took: a constant clock keeps the picture still
    monkeypatch.setattr("kjtui.tui.search_screen.time.thread_time", lambda: 0.0)
    return answers_app


async def _search(app, pilot):
    await pilot.press("slash")
    for ch in "甲乙贷":
        await pilot.press(ch)
    screen = app.screen
    for _ in range(200):
        await pilot.pause(0.02)
        if screen.results is not None and screen.results.query == "甲乙贷":
            break


async def _series(app, pilot):
    app.open_node(NodeRef("year", "2023"))
    await pilot.pause(0.1)
    await pilot.press("2")
    table = app.query_one("#metrics-table", VirtualTable)
    for _ in range(100):
        await pilot.pause(0.02)
        if table.rows:
            break
    table.focus()
    table.move_cursor(next(k for k, m in enumerate(table.rows) if m.label == "授信金额"))
    await pilot.press("t")
    for _ in range(200):
        await pilot.pause(0.02)
        if getattr(app.screen, "series", None) is not None:
            break


async def _calendar(app, pilot):
    await pilot.press("c")


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
@pytest.mark.parametrize("action", [_search, _series, _calendar], ids=["search", "series", "calendar"])
def test_answers_snapshot(snap_compare, still_app, action, size):
    app = still_app()

    async def run_before(pilot):
        await ready(app, pilot)
        await action(app, pilot)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)

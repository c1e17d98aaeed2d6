"""SVG snapshots of the three views (pytest-textual-snapshot). Update them after
an intended change with: pytest tests/tui/test_snapshots.py --snapshot-update"""

import pytest

from kjtui.tui.catalog import NodeRef

from .conftest import ready

SIZE = (110, 30)


def _section(app, number):
    sections = (s for d in app.catalog.documents for s in app.catalog.doc(d.id).sections)
    return next(s.id for s in sections if s.number == number)


async def _open_section(app, pilot, number):
    app.open_node(NodeRef("section", _section(app, number)))


async def _open_document_metrics(app, pilot):
    app.open_node(NodeRef("document", app.catalog.documents[0].id))
    await pilot.press("2")


async def _open_timeline(app, pilot):
    await pilot.press("3")


@pytest.mark.parametrize("action, size", [
    (lambda app, pilot: _open_section(app, pilot, "5"), SIZE),
    (_open_document_metrics, SIZE),
    (_open_timeline, SIZE),
    (lambda app, pilot: _open_section(app, pilot, "5.1"), (80, 24)),
], ids=["reader", "metrics", "timeline", "small_terminal"])
def test_view_snapshot(snap_compare, make_app, action, size):
    app = make_app()

    async def run_before(pilot):
        await ready(app, pilot)
        await action(app, pilot)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=size, run_before=run_before)

"""SVG snapshots of the three views (pytest-textual-snapshot). Update them after
an intended change with: pytest tests/tui/test_snapshots.py --snapshot-update"""

from kjtui.tui.catalog import NodeRef

from .conftest import ready

SIZE = (110, 30)


def _section(app, number):
    return next(s.id for s in app.catalog.reading_order if s.number == number)


def test_reader_view(snap_compare, make_app):
    app = make_app()

    async def run_before(pilot):
        await ready(app, pilot)
        app.open_node(NodeRef("section", _section(app, "5")))
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_metrics_view(snap_compare, make_app):
    app = make_app()

    async def run_before(pilot):
        await ready(app, pilot)
        app.open_node(NodeRef("document", app.catalog.documents[0].id))
        await pilot.press("2")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_timeline_view(snap_compare, make_app):
    app = make_app()

    async def run_before(pilot):
        await ready(app, pilot)
        await pilot.press("3")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_small_terminal(snap_compare, make_app):
    app = make_app()

    async def run_before(pilot):
        await ready(app, pilot)
        app.open_node(NodeRef("section", _section(app, "5.1")))
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

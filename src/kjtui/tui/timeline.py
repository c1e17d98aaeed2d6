"""The timeline: twelve month rows for one year, policy releases marked apart."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from ..model import Event
from .catalog import Catalog
from .metrics_pane import OpenSource, VimTable

POLICY_MARK = "◆ 政策"
EVENT_MARK = "· 事件"


class TimelinePane(Vertical):
    DEFAULT_CSS = """
    TimelinePane {
        height: 1fr;
    }

    #timeline-table {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }

    #timeline-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    """

    BINDINGS = [
        Binding("left,h", "year(-1)", "上一年", tooltip="Earlier year", id="timeline.prev_year"),
        Binding("right,l", "year(1)", "下一年", tooltip="Later year", id="timeline.next_year"),
        Binding("p", "toggle_policies", "仅政策", tooltip="Policies only", id="timeline.policies"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalog: Catalog | None = None
        self.year: int | None = None
        self.policies_only = False
        self._events: dict[str, Event] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="timeline-title")
        table = VimTable(id="timeline-table", cursor_type="row", zebra_stripes=False)
        table.add_column("月", key="month", width=4)
        table.add_column("日", key="day", width=8)
        table.add_column("类型", key="kind", width=7)
        table.add_column("标题 Title", key="title")
        yield table

    def show(self, catalog: Catalog, year: int | None) -> None:
        self.catalog = catalog
        if year is not None:
            self.year = year
        elif self.year is None and catalog.years:
            self.year = catalog.years[0]
        self.refresh_rows()

    def refresh_rows(self) -> None:
        catalog = self.catalog
        if catalog is None:
            return
        events = catalog.events_by_year.get(self.year, []) if self.year else []
        if self.policies_only:
            events = [e for e in events if e.kind == "policy"]
        seen: set[tuple] = set()
        by_month: dict[int, list[Event]] = {m: [] for m in range(1, 13)}
        for e in sorted(events, key=lambda e: (e.month, e.day or 0, e.document, e.line)):
            key = (e.month, e.day, e.title)  # one release mentioned in several chapters is one row
            if key in seen:
                continue
            seen.add(key)
            by_month[e.month].append(e)
        table = self.query_one(VimTable)
        table.clear()
        self._events = {}
        for month, items in by_month.items():
            if not items:
                table.add_row(Text(f"{month}月", style="dim"), Text(""), Text(""), Text("—", style="dim"), key=f"empty-{month}")
                continue
            for k, e in enumerate(items):
                mark = Text(POLICY_MARK, style="bold") if e.kind == "policy" else Text(EVENT_MARK, style="dim")
                title = Text(f"《{e.title}》" if f"《{e.title}》" in e.text else e.title)
                day = _day(e)
                table.add_row(Text(f"{month}月" if k == 0 else ""), Text(day), mark, title, key=e.id)
                self._events[e.id] = e
        title = Text("◀ ", style="dim")
        title.append(f"{self.year}年" if self.year else "无年份", style="bold")
        title.append(" ▶", style="dim")
        count = sum(len(v) for v in by_month.values())
        title.append(f"   {count} 项 · {'仅政策 policies only' if self.policies_only else '全部 all'}", style="dim")
        title.append("   ←/→ 切换年份 · p 仅政策", style="dim")
        self.query_one("#timeline-title", Static).update(title)

    def action_year(self, step: int) -> None:
        if self.catalog is None or not self.catalog.years:
            return
        years = sorted(self.catalog.years)
        if self.year not in years:
            self.year = years[-1]
        else:
            k = years.index(self.year) + step
            if 0 <= k < len(years):
                self.year = years[k]
            else:
                self.app.bell()
                return
        self.refresh_rows()

    def action_toggle_policies(self) -> None:
        self.policies_only = not self.policies_only
        self.refresh_rows()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        chosen = self._events.get(str(event.row_key.value))
        if chosen is not None:
            self.post_message(OpenSource(chosen.section, chosen.line, chosen.title))


def _day(e: Event) -> str:
    if e.day is None:
        return ""
    text = f"{e.day}日"
    if e.end:
        parts = e.end.split("-")
        if len(parts) == 3:
            text += f"–{int(parts[1])}/{int(parts[2])}" if int(parts[1]) != e.month else f"–{int(parts[2])}日"
    return text

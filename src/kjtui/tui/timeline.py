"""The timeline: twelve month rows for one year, policy releases marked apart."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from ..model import Event
from .catalog import Catalog
from .messages import OpenSource
from .textline import DetailPanel, TextLine
from .vtable import TableColumn, VirtualTable

POLICY_MARK = "◆ 政策"
EVENT_MARK = "· 事件"


class TimelinePane(Vertical):
    DEFAULT_CSS = """
    TimelinePane {
        height: 1fr;
    }

    #timeline-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    """

    BINDINGS = [
        # priority: the table inside would take ←/→ to scroll sideways
        Binding("left,h", "year(-1)", "上一年", tooltip="Earlier year", id="timeline.prev_year", priority=True),
        Binding("right,l", "year(1)", "下一年", tooltip="Later year", id="timeline.next_year", priority=True),
        Binding("p", "toggle_policies", "仅政策", tooltip="Policies only", id="timeline.policies"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalog: Catalog | None = None
        self.year: int | None = None
        self.policies_only = False

    def compose(self) -> ComposeResult:
        yield TextLine(id="timeline-title")
        yield VirtualTable(
            [TableColumn("month", "月", 4), TableColumn("day", "日", 10), TableColumn("kind", "类型", 7),
             TableColumn("title", "标题 Title", None)],
            id="timeline-table", zebra=False,
        )
        yield DetailPanel(id="timeline-detail")

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
        events = catalog.events_of_year(self.year) if self.year else []
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
        # one row per event, and a dim row for each month with none
        rows: list[tuple[int, bool, Event | None]] = []
        for month, items in by_month.items():
            rows += [(month, k == 0, e) for k, e in enumerate(items)] or [(month, True, None)]
        self.query_one(VirtualTable).set_rows(rows, _cells)
        title = Text("◀ ", style="dim")
        title.append(f"{self.year}年" if self.year else "无年份", style="bold")
        title.append(" ▶", style="dim")
        count = sum(len(v) for v in by_month.values())
        title.append(f"   {count} 项 · {'仅政策 policies only' if self.policies_only else '全部 all'}", style="dim")
        title.append("   ←/→ 切换年份 · p 仅政策", style="dim")
        self.query_one("#timeline-title", TextLine).update(title)

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
                from .messages import Status

                self.post_message(Status("没有更晚的年份 · No later year" if step > 0 else "没有更早的年份 · No earlier year"))
                return
        self.refresh_rows()

    def action_toggle_policies(self) -> None:
        self.policies_only = not self.policies_only
        self.refresh_rows()

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        """The highlighted event in full under the table: title, date, kind, place, sentence."""
        chosen: Event | None = event.row[2] if event.row is not None else None
        text = Text()
        if chosen is not None:
            text.append(f"《{chosen.title}》" if f"《{chosen.title}》" in chosen.text else chosen.title, style="bold")
            text.append("\n")
            text.append(f"{chosen.year or ''}年{_date(chosen)} · ", style="dim")
            text.append(POLICY_MARK if chosen.kind == "policy" else EVENT_MARK)
            catalog = self.catalog
            doc = catalog.document_by_id.get(chosen.document) if catalog else None
            section = catalog.section_by_id.get(chosen.section) if catalog else None
            where = " › ".join(p for p in (catalog.short_title(doc) if catalog and doc else "",
                                           section.label if section else "") if p)
            if where:
                text.append(f" · {where}", style="dim italic")
            if chosen.text:
                text.append("\n")
                text.append(chosen.text)
        self.query_one("#timeline-detail", DetailPanel).show(text, self.size.height)

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        chosen: Event | None = event.row[2]
        if chosen is not None:
            self.post_message(OpenSource(chosen.section, chosen.line, chosen.title))


def _cells(row: tuple[int, bool, Event | None]) -> list[Text]:
    month, first, e = row
    if e is None:
        return [Text(f"{month}月", style="dim"), Text(""), Text(""), Text("—", style="dim")]
    mark = Text(POLICY_MARK, style="bold") if e.kind == "policy" else Text(EVENT_MARK, style="dim")
    title = Text(f"《{e.title}》" if f"《{e.title}》" in e.text else e.title)
    return [Text(f"{month}月" if first else ""), Text(_day(e)), mark, title]


def _day(e: Event) -> str:
    if e.day is None:
        return ""
    text = f"{e.day}日"
    if e.end:
        parts = e.end.split("-")
        if len(parts) == 3:
            text += f"–{int(parts[1])}/{int(parts[2])}" if int(parts[1]) != e.month else f"–{int(parts[2])}日"
    return text


def _date(e: Event) -> str:
    from ..formatting import event_date

    return event_date(e)

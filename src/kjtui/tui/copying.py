"""What `y` copies: the highlighted metric or event as a citation in the metrics
and timeline views, the text shown in the reader otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import formatting

if TYPE_CHECKING:
    from ..model import Event, Metric
    from .catalog import Catalog


def metric_citation(catalog: Catalog, metric: Metric) -> str:
    """`label value unit (period) — document section`."""
    doc = catalog.document_by_id.get(metric.document)
    section = catalog.section_by_id.get(metric.section)
    return formatting.citation(metric, doc.title if doc else "", section.label if section else "")


def event_citation(catalog: Catalog, event: Event) -> str:
    """`《title》 (2024年3月5日) — document section`."""
    doc = catalog.document_by_id.get(event.document)
    section = catalog.section_by_id.get(event.section)
    title = f"《{event.title}》" if f"《{event.title}》" in event.text else event.title
    when = (f"{event.year}年" if event.year else "") + formatting.event_date(event)
    where = " ".join(part for part in (doc.title if doc else "", section.label if section else "") if part)
    return f"{title} ({when}) — {where}" if where else f"{title} ({when})"


def copy_text(catalog: Catalog, views) -> tuple[str, str]:
    """(what, text) for the view on screen; text is empty when there is nothing."""
    from .vtable import VirtualTable

    active = views.active
    if active == "metrics":
        metric = views.query_one("#metrics-table", VirtualTable).current
        return ("指标引文 metric citation", metric_citation(catalog, metric) if metric is not None else "")
    if active == "timeline":
        row = views.query_one("#timeline-table", VirtualTable).current
        event = row[2] if row is not None else None
        return ("事件引文 event citation", event_citation(catalog, event) if event is not None else "")
    from .reader import Block

    body = views.query_one("#reader-body")
    paragraphs = [block.text.plain for block in body.query(Block)]
    crumbs = " › ".join(catalog.breadcrumb(views.showing)) if views.showing is not None else ""
    text = "\n\n".join(p for p in paragraphs if p.strip())
    if text and crumbs:
        text = f"{crumbs}\n\n{text}"
    return ("本节文字 section text", text)

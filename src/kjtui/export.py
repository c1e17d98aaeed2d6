"""A section and its subsections → clean Markdown with YAML front matter.

Parsing the written file gives back the section's metrics and events: metric
numbers are written in one canonical bold form, month tables become month lists,
and the front matter carries the year the events need.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from . import atomic
from .sanitize import clean
from .ingest.blocks import continues_sentence
from .ingest.clean import strip_markup
from .ingest.events import MONTH_ROW
from .ingest.metrics import QUANTITY
from .model import Document, Metric, Section

LIST_ITEMS = re.compile(r"<li[^>]*>(.*?)</li>", re.S)
_SAFE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff._-]+")


class ExportError(Exception):
    """The file cannot be written; the message is one line for the user."""


def default_filename(document: Document, section: Section) -> str:
    name = section.number or section.title
    slug = _SAFE.sub("-", name).strip("-.") or "section"
    year = document.year or "x"
    return f"{year}-{slug[:60]}.md"


def _canonical(raw: str) -> str:
    """`$49.99\\%$` → `**49.99**%`; `**376.55亿元**` → `**376.55**亿元`."""
    clean = strip_markup(raw).text.strip()
    m = QUANTITY.match(clean)
    if not m:
        return clean
    rest = re.sub(r"\s+", "", clean[m.end("num"):])
    return f"{m.group('pre') or ''}**{m.group('num')}**{rest}"


def markdown_line(line: str, metrics: list[Metric]) -> str:
    """One source line as clean Markdown, the metrics on it in canonical bold."""
    out: list[str] = []
    cursor = 0
    for metric in metrics:
        at = line.find(metric.raw, cursor)
        if at == -1:
            continue
        out.append(plain_keep_bold(line[cursor:at]))
        out.append(_canonical(metric.raw))
        cursor = at + len(metric.raw)
    out.append(plain_keep_bold(line[cursor:]))
    return "".join(out).rstrip()


def plain_keep_bold(text: str) -> str:
    text = re.sub(r"\$([^$]*)\$", r"\1", text)
    text = text.replace("\\%", "%").replace("$", "")
    text = re.sub(r"<[^<>\n]{0,400}>", "", text)
    return re.sub(r"[ \u3000]{2,}", " ", text)


def _body_lines(section: Section, by_line: dict[int, list[Metric]]) -> list[str]:
    out: list[str] = []
    if not section.body:
        return out
    for k, line in enumerate(section.body.split("\n")):
        no = section.body_line + k
        row = MONTH_ROW.match(line)
        if row:
            items = [plain_keep_bold(x).strip() for x in LIST_ITEMS.findall(row.group(2))]
            out.extend(["", f"{int(row.group(1))}月", ""])
            out.extend(f"- {item}" for item in (items or [plain_keep_bold(row.group(2)).strip()]))
            out.append("")
            continue
        out.append(markdown_line(line, by_line.get(no, [])))
    return _join_broken(out)


def _join_broken(lines: list[str]) -> list[str]:
    """Sentences the PDF conversion broke across a blank line are put back together."""
    out: list[str] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        if (
            line.strip() and k + 2 < len(lines) and not lines[k + 1].strip()
            and lines[k + 2].strip() and not lines[k + 2].lstrip().startswith(("-", "#"))
            and continues_sentence(strip_markup(line).text.strip(), strip_markup(lines[k + 2]).text.strip())
        ):
            lines[k + 2] = line.rstrip() + lines[k + 2].lstrip()
            k += 2
            continue
        out.append(line)
        k += 1
    # collapse runs of blank lines to one
    tidy: list[str] = []
    for line in out:
        if not line.strip() and tidy and not tidy[-1].strip():
            continue
        tidy.append(line)
    return tidy


def section_path(section: Section, by_id: dict[str, Section]) -> list[str]:
    path: list[str] = []
    node: Section | None = section
    while node is not None:
        path.append(node.label)
        node = by_id.get(node.parent) if node.parent else None
    return list(reversed(path))


def to_markdown(document: Document, section: Section, sections: list[Section],
                metrics: list[Metric]) -> str:
    """`sections`: the document's sections (any order); `metrics`: the document's metrics."""
    by_id = {s.id: s for s in sections}
    prefix = section.id + "/"
    tree = sorted((s for s in sections if s.id == section.id or s.id.startswith(prefix)), key=lambda s: s.order)
    by_line: dict[int, list[Metric]] = {}
    for metric in sorted(metrics, key=lambda m: (m.line, _metric_order(m))):
        by_line.setdefault(metric.line, []).append(metric)
    front = {
        "title": section.label,
        "number": section.number,
        "document": document.title,
        "year": document.year,
        "kind": document.kind,
        "source": document.source,
        "section": section.id,
        "path": section_path(section, by_id),
    }
    if document.doc_number:
        front["doc_number"] = document.doc_number
    lines = ["---", yaml.safe_dump(front, allow_unicode=True, sort_keys=False).rstrip(), "---", ""]
    for node in tree:
        depth = node.level - section.level + 1
        marker = f"{node.marker} " if node.marker else ""
        lines.append(f"{'#' * min(depth, 6)} {marker}{node.label}")
        lines.append("")
        lines.extend(_body_lines(node, by_line))
        if lines[-1].strip():
            lines.append("")
    text = "\n".join(lines).rstrip() + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)


def _metric_order(metric: Metric) -> int:
    tail = metric.id.rsplit("#m", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def write(path: Path, text: str, *, force: bool = False) -> Path:
    path = Path(path).expanduser()
    if path.parent.exists() and not path.parent.is_dir():
        raise ExportError(f"{path}: {path.parent} is not a directory; choose another path")
    if path.is_dir():
        raise ExportError(f"{path}: is a directory; give a file name")
    if path.exists() and not force:
        raise ExportError(f"{path}: exists; choose another name or use --force to overwrite")
    try:
        # document text leaves sanitized whatever the store held; a device, FIFO or
        # read-only file is refused by atomic (never replaced), a symlink keeps its link
        atomic.write_text(path, clean(text))
    except PermissionError as exc:
        if "read-only" in (exc.strerror or ""):
            raise ExportError(f"{path}: {exc.strerror}") from None
        raise ExportError(f"{path}: permission denied; choose a folder you can write to") from None
    except atomic.NotARegularFile as exc:
        raise ExportError(f"{path}: {exc.strerror}; choose another path") from None
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror}); choose another path") from None
    return path

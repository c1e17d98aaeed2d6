"""The store: a folder of TinyDB files, so that a write touches one document.

    STORE/                      the path given by --db / KJTUI_DB (kjtui.json by default)
      catalog.json              TinyDB: _meta (schema, shipped-corpus stamp), documents (each with
                                its counts, years and the name of its shard), years (counts and
                                the name of each year's index files)
      docs/<id>.<tag>.json      TinyDB, one per document: _meta, document, sections (with body),
                                metrics, events
      index/metrics-<year>.<tag>.jsonl   one line per metric of that year, "doc-id\\t\\t{json}", in
                                document order then reading order: what `kjtui metrics --year`
                                streams and what a text search scans without opening shards
      index/events-<year>.<tag>.jsonl    likewise for events, "doc-id\\tMMDD\\t{json}", by date

The catalog is the commit point: shards and index files are written under new names first,
then the catalog is replaced atomically (kjtui.atomic), then the files it no longer names are
removed. A writer killed at any moment leaves the previous catalog and every file it names
whole; the files it had begun are unreferenced and removed by the next write. Writers take a
lock beside the store (the symlink-resolved path), so two ingests never interleave; parsing
and shard writing happen before the lock, only the commit holds it.

A single-file store of schema 1 (the previous format) is migrated on first open: the new
folder is built beside it and the old file is kept as NAME.schema1-<time>.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import os
import re
import secrets
import sys
import stat as stat_module
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from . import atomic, sanitize
from .model import Document, Event, Metric, ParsedDocument, Section

SCHEMA_VERSION = 2
ORDER_VERSION = 1  # catalog _meta "ordered": documents written in document_order (bump if that order changes)
LEGACY_SCHEMA = 1
CATALOG = "catalog.json"
DOCS = "docs"
INDEX = "index"
META = "_meta"
TABLES = ("documents", "sections", "metrics", "events")  # schema 1's tables

# field order of the records as the command line prints them (cli.METRIC_FIELDS …)
METRIC_FIELDS = ("id", "document", "section", "label", "value", "raw", "unit", "base_unit", "multiplier",
                 "normalized", "qualifier", "period", "line", "year", "context")
EVENT_FIELDS = ("id", "document", "section", "year", "month", "day", "end", "title", "kind", "text", "line")
DOCUMENT_NAMES = ("id", "title", "year", "kind", "source", "doc_number", "date", "addressee", "publisher",
                  "meta", "notes", "origin")

Notify = Callable[[str], None]


class StoreError(Exception):
    """The store cannot be used; the message is one line for the user."""


def _stderr(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(message, file=sys.stderr, flush=True)


# -- TinyDB storage ----------------------------------------------------------------

class AtomicJSONStorage(Storage):
    """TinyDB storage: JSON via orjson (UTF-8, Chinese readable), written atomically."""

    def __init__(self, path: str | os.PathLike[str], **_: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        return orjson.loads(raw)

    def write(self, data: dict[str, Any]) -> None:
        atomic.write_bytes(self.path, orjson.dumps(data))

    def close(self) -> None:
        pass


# -- validation ----------------------------------------------------------------------

_NONE = type(None)
_NUM = (int, float)
_S = (str,)
_SN = (str, _NONE)
_I = (int,)
_IN = (int, _NONE)
# field → allowed types; fields not listed here are free; "required" ones have no default
DOCUMENT_SPEC: dict[str, tuple[type, ...]] = {
    "id": _S, "title": _S, "year": _IN, "kind": _S, "source": _S, "doc_number": _SN, "date": _SN,
    "addressee": _SN, "publisher": _SN, "meta": (dict,), "notes": (list,), "origin": _S,
}
DOCUMENT_REQUIRED = ("id", "title", "year", "kind", "source")
SECTION_SPEC: dict[str, tuple[type, ...]] = {
    "id": _S, "document": _S, "parent": _SN, "level": _I, "number": _SN, "title": _S, "line": _I,
    "start": _I, "end": _I, "order": _I, "body": _S, "body_line": _I, "marker": _SN, "blocks": (list,),
}
SECTION_REQUIRED = ("id", "document", "parent", "level", "number", "title", "line", "start", "end", "order")
METRIC_SPEC: dict[str, tuple[type, ...]] = {
    "id": _S, "document": _S, "section": _S, "label": _S, "value": _NUM, "raw": _S, "unit": _S,
    "base_unit": _S, "multiplier": _NUM, "normalized": _NUM, "qualifier": _SN, "period": _SN, "line": _I,
    "context": _S, "year": _IN,
}
METRIC_REQUIRED = ("id", "document", "section", "label", "value", "raw", "unit", "base_unit", "multiplier",
                   "normalized", "qualifier", "period", "line")
EVENT_SPEC: dict[str, tuple[type, ...]] = {
    "id": _S, "document": _S, "section": _S, "year": _IN, "month": _I, "day": _IN, "end": _SN,
    "title": _S, "kind": _S, "text": _S, "line": _I,
}
EVENT_REQUIRED = tuple(EVENT_SPEC)
CATALOG_SPEC: dict[str, tuple[type, ...]] = {
    **DOCUMENT_SPEC, "shard": _S, "sections": _I, "metrics": _I, "events": _I, "policies": _I,
    "metric_years": (dict,), "event_years": (dict,), "path": _SN, "sha": _SN,
}
CATALOG_REQUIRED = (*DOCUMENT_REQUIRED, "shard", "metrics", "events", "metric_years", "event_years")
YEAR_SPEC: dict[str, tuple[type, ...]] = {
    "year": _IN, "metrics_file": _SN, "events_file": _SN, "metrics": _I, "events": _I, "policies": _I,
}

_REBUILD = "run `kjtui ingest --rebuild` (the old store is kept aside)"


def _bad(where: Path | str, what: str) -> StoreError:
    return StoreError(f"{where}: {what}; {_REBUILD}")


def _table(data: dict[str, Any], name: str, where: Path | str, *, required: bool = True) -> dict[str, Any]:
    table = data.get(name)
    if table is None and not required:
        return {}
    if not isinstance(table, dict):
        raise _bad(where, f"table {name!r} is {_kind(table)}, not a table of records")
    return table


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(type(value), "a number")


_EXACT: dict[int, tuple[dict[str, frozenset[type]], frozenset[str]]] = {}
_GOOD_SHAPES: set[tuple[int, tuple[str, ...], tuple[type, ...]]] = set()


def _check_records(table: dict[str, Any], name: str, spec: dict[str, tuple[type, ...]],
                   required: tuple[str, ...], where: Path | str) -> None:
    # exact types (what JSON gives: no subclasses, so a bool never passes for an int): one set
    # lookup per field, ~2 µs a record
    cached = _EXACT.get(id(spec))
    if cached is None:
        cached = _EXACT[id(spec)] = ({k: frozenset(v) for k, v in spec.items()}, frozenset(required))
    exact, needed = cached
    good = _GOOD_SHAPES
    tag = id(spec)
    for key, row in table.items():
        if type(row) is not dict:
            raise _bad(where, f"record {key} of {name!r} is {_kind(row)}, not an object")
        # a record of a shape already checked (same fields, same types) passes at C speed
        shape = (tag, tuple(row), tuple(map(type, row.values())))
        if shape in good:
            continue
        if not needed <= row.keys():
            missing = sorted(needed - row.keys())[0]
            raise _bad(where, f"record {key} of {name!r} has no {missing!r}")
        for fname, value in row.items():
            allowed = exact.get(fname)
            if allowed is not None and type(value) not in allowed:
                raise _bad(where, f"record {key} of {name!r} has {fname!r} = {_kind(value)}")
        if len(good) > 4096:
            good.clear()
        good.add(shape)


def _meta_of(data: Any, where: Path | str) -> dict[str, Any]:
    if data is None:
        raise _bad(where, "the store holds null, not a kjtui store")
    if not isinstance(data, dict):
        raise _bad(where, f"the store holds {_kind(data)}, not a kjtui store")
    meta = data.get(META)
    if meta is None:
        raise _bad(where, "not a kjtui store (no _meta table with a schema)")
    if not isinstance(meta, dict) or not isinstance(meta.get("1"), dict):
        raise _bad(where, f"its _meta table is {_kind(meta) if not isinstance(meta, dict) else 'malformed'}")
    return meta["1"]


def _load_json(path: Path, where: Path | str | None = None) -> Any:
    where = where or path
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise StoreError(f"{where}: is a folder where a store file belongs; {_REBUILD}") from None
    except PermissionError:
        raise StoreError(f"{where}: permission denied; pass a readable store with --db or KJTUI_DB") from None
    except OSError as exc:
        raise StoreError(f"{where}: cannot read ({exc.strerror}); check the path") from None
    if not raw.strip():
        raise _bad(where, "the file is empty")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise _bad(where, f"not a valid store (JSON error at line {exc.lineno})") from None


def validate_catalog(data: Any, where: Path | str) -> dict[str, Any]:
    meta = _meta_of(data, where)
    schema = meta.get("schema")
    if schema != SCHEMA_VERSION:
        found = "no schema" if schema is None else f"schema {schema!r}"
        raise StoreError(f"{where}: store has {found}, this kjtui reads schema {SCHEMA_VERSION}; {_REBUILD}")
    _check_records(_table(data, "documents", where), "documents", CATALOG_SPEC, CATALOG_REQUIRED, where)
    _check_records(_table(data, "years", where, required=False), "years", YEAR_SPEC, ("year",), where)
    return data


def validate_legacy(data: Any, where: Path | str) -> dict[str, Any]:
    """A schema-1 single-file store, checked table by table before it is migrated."""
    meta = _meta_of(data, where)
    schema = meta.get("schema")
    if schema != LEGACY_SCHEMA:
        found = "no schema" if schema is None else f"schema {schema!r}"
        raise StoreError(f"{where}: store has {found}, this kjtui reads schema {SCHEMA_VERSION}; {_REBUILD}")
    for name, spec, required in (
        ("documents", DOCUMENT_SPEC, DOCUMENT_REQUIRED), ("sections", SECTION_SPEC, SECTION_REQUIRED),
        ("metrics", METRIC_SPEC, METRIC_REQUIRED), ("events", EVENT_SPEC, EVENT_REQUIRED),
    ):
        _check_records(_table(data, name, where, required=False), name, spec, required, where)
    return data


def _validate_shard(data: Any, where: Path) -> dict[str, Any]:
    meta = _meta_of(data, where)
    if meta.get("schema") != SCHEMA_VERSION:
        raise _bad(where, "a document shard of another schema")
    docs = _table(data, "document", where)
    _check_records(docs, "document", DOCUMENT_SPEC, DOCUMENT_REQUIRED, where)
    if len(docs) != 1:
        raise _bad(where, "a shard must hold exactly one document")
    _check_records(_table(data, "sections", where), "sections", SECTION_SPEC, SECTION_REQUIRED, where)
    _check_records(_table(data, "metrics", where), "metrics", METRIC_SPEC, METRIC_REQUIRED, where)
    _check_records(_table(data, "events", where), "events", EVENT_SPEC, EVENT_REQUIRED, where)
    return data


# -- records ---------------------------------------------------------------------------

def document_from(row: dict[str, Any]) -> Document:
    return Document(**{k: row[k] for k in DOCUMENT_NAMES if k in row})


def record_of(line: bytes, where: Path | str = "index") -> dict[str, Any]:
    """One index line's record (its JSON after "doc-id\tkey\t": neither holds "\t{")."""
    try:
        return orjson.loads(line[line.index(b"\t{") + 1:])
    except (ValueError, orjson.JSONDecodeError):
        raise _bad(where, "an index file is damaged") from None


R = TypeVar("R")


def record_from_line(line: bytes, make: Callable[[dict[str, Any]], R], names: tuple[str, ...]) -> R:
    """The record of one index line, sanitized: scrubbed only when its bytes hold anything the
    sanitizer would remove (a fast bytes check; scrubbing every record cost more than reading it)."""
    record = make(record_of(line))
    if sanitize.json_may_be_unsafe(line):
        sanitize.scrub((record,), names)
    return record


def metric_from(row: dict[str, Any]) -> Metric:
    return Metric.from_dict(row)


def event_from(row: dict[str, Any]) -> Event:
    return Event.from_dict(row)


def section_from(row: dict[str, Any]) -> Section:
    return Section.from_dict(row)


def _clean_text(value: Any) -> Any:
    from .sanitize import clean_value

    return clean_value(value)


_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_NUMBER_RUN = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[Any, ...]:
    """Text with its digit runs compared as numbers: （9） before （10）, full-width digits too."""
    parts = _NUMBER_RUN.split(text.translate(_DIGITS))
    return tuple(int(p) if k % 2 else p for k, p in enumerate(parts))


def document_order(row: dict[str, Any] | Document) -> tuple[Any, ...]:
    """Newest year first (undated last), then the title in natural order."""
    if isinstance(row, Document):
        year, title, doc_id = row.year, row.title, row.id
    else:
        year, title, doc_id = row.get("year"), row.get("title", ""), row.get("id", "")
    return (year is None, -(year or 0), natural_key(title), doc_id)


def year_key(year: int | None) -> str:
    return "x" if year is None else str(year)


def _year_of(key: str) -> int | None:
    return None if key == "x" else int(key)


def _safe(doc_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", doc_id)[:80] or "doc"


def _tag() -> str:
    """A fresh part of a file name: the writer's pid (so a dead writer's leftovers are known)."""
    return f"{os.getpid()}-{secrets.token_hex(4)}"


# -- a document prepared for the store (in a worker process) ------------------------------

@dataclass(slots=True)
class Prepared:
    """One parsed document, its shard already written: what the commit needs of it."""

    record: dict[str, Any]  # the catalog record (document fields, counts, years, shard name)
    # year key → index lines ("doc\t\t{json}\n" …), or where a worker spooled them (SpoolFile)
    metric_lines: dict[str, bytes | Spooled]
    event_lines: dict[str, bytes | Spooled]
    notes: list[str] = field(default_factory=list)


Spooled = tuple[str, int, int]  # (spool file, offset, length)


class SpoolFile:
    """A worker's index lines, appended document by document to one file in the store folder
    (`.spool-<pid>-…`, swept if the worker dies): a worker returns where its lines are instead
    of the lines themselves, so tens of MB of index lines never cross the process pipe."""

    def __init__(self, root: Path) -> None:
        self.path = root / f".spool-{_tag()}"
        self.fd: int | None = None
        self.size = 0

    def put(self, blocks: list[bytes]) -> list[Spooled]:
        """Append blocks in one write; where each one lies. Written before the result is
        sent, so the reader (another process) sees them."""
        if self.fd is None:
            self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        data = b"".join(blocks)
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]
        refs = []
        at = self.size
        for block in blocks:
            refs.append((str(self.path), at, len(block)))
            at += len(block)
        self.size = at
        return refs

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _metric_json(m: Metric) -> bytes:
    return orjson.dumps(m.to_stored())


def _event_json(e: Event) -> bytes:
    return orjson.dumps(e.to_dict())  # `also` (the lines that state it again): absent in older stores


def _table_bytes(rows: list[bytes]) -> bytes:
    return b"{" + b",".join(b'"%d":%s' % (k, r) for k, r in enumerate(rows, 1)) + b"}"


def prepare(parsed: ParsedDocument, root: Path, *, path: str | None = None, sha: str | None = None,
            sync: bool = True, spool: SpoolFile | None = None) -> Prepared:
    """Write a parsed document's shard under a new name in ROOT/docs (not yet in the catalog)
    and return its catalog record and index lines (or, with `spool`, where it put them)."""
    doc = parsed.document
    doc_row = {k: getattr(doc, k) for k in DOCUMENT_NAMES}
    metric_rows = [_metric_json(m) for m in parsed.metrics]
    event_rows = [_event_json(e) for e in parsed.events]
    shard_name = f"{_safe(doc.id)}.{_tag()}.json"
    meta = orjson.dumps({"schema": SCHEMA_VERSION, "document": doc.id})
    data = b"".join((
        b'{"_meta":{"1":', meta, b'},"document":{"1":', orjson.dumps(doc_row), b'},"sections":',
        orjson.dumps({str(k): s.to_dict() for k, s in enumerate(parsed.sections, 1)}),  # one call for the table
        b',"metrics":', _table_bytes(metric_rows), b',"events":', _table_bytes(event_rows), b"}",
    ))
    folder = root / DOCS
    try:
        _write_new(folder / shard_name, data, sync=sync)
    except FileNotFoundError:  # the first document of a new store
        folder.mkdir(parents=True, exist_ok=True)
        _write_new(folder / shard_name, data, sync=sync)
    prefix = doc.id.encode("utf-8") + b"\t"
    metric_lines: dict[str, list[bytes]] = {}
    metric_years: dict[str, int] = {}
    for m, js in zip(parsed.metrics, metric_rows):
        key = year_key(m.year)
        metric_lines.setdefault(key, []).append(prefix + b"\t" + js + b"\n")
        metric_years[key] = metric_years.get(key, 0) + 1
    event_lines: dict[str, list[bytes]] = {}
    event_years: dict[str, int] = {}
    for e, js in zip(parsed.events, event_rows):
        key = year_key(e.year)
        sort = b"%02d%02d%d" % (e.month, e.day or 0, 0 if e.kind == "policy" else 1)
        event_lines.setdefault(key, []).append(prefix + sort + b"\t" + js + b"\n")
        event_years[key] = event_years.get(key, 0) + 1
    record = dict(doc_row)
    record.update({
        "shard": shard_name, "sections": len(parsed.sections), "metrics": len(parsed.metrics),
        "events": len(parsed.events), "policies": sum(1 for e in parsed.events if e.kind == "policy"),
        "metric_years": metric_years, "event_years": event_years, "path": path, "sha": sha,
    })
    metric_blocks: dict[str, bytes | Spooled] = {k: b"".join(v) for k, v in metric_lines.items()}
    event_blocks: dict[str, bytes | Spooled] = {k: b"".join(v) for k, v in event_lines.items()}
    if spool is not None and (metric_blocks or event_blocks):
        blocks = [b for b in (*metric_blocks.values(), *event_blocks.values()) if isinstance(b, bytes)]
        refs = iter(spool.put(blocks))
        metric_blocks = {k: next(refs) for k in metric_blocks}
        event_blocks = {k: next(refs) for k in event_blocks}
    return Prepared(record, metric_blocks, event_blocks, list(parsed.document.notes) + list(parsed.warnings))


def _write_new(path: Path, data: bytes, *, sync: bool) -> None:
    """A file under a fresh name: nothing refers to it yet, so no temp-and-rename is needed;
    a writer killed here leaves an unreferenced file the next commit removes."""
    with open(path, "xb") as handle:
        handle.write(data)
        if sync:
            handle.flush()
            os.fsync(handle.fileno())


# -- the lock ------------------------------------------------------------------------------

@contextlib.contextmanager
def write_lock(path: Path, timeout: float = 60.0, notify: Notify | None = _stderr) -> Iterator[None]:
    """An exclusive lock beside the store (the resolved path, so a symlinked --db and its
    target share it). A wait says who holds it within a second; past `timeout`, a StoreError."""
    target = resolve(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(target.with_name(target.name + ".lock"), "a+")
    except NotADirectoryError:
        raise StoreError(f"{path}: a folder on the way is a file; pass another --db") from None
    except PermissionError:
        raise StoreError(f"{path}: the store's folder is read-only; pass a writable --db") from None
    try:
        try:
            import fcntl
        except ImportError:  # not POSIX: no cross-process lock, one writer assumed
            yield
            return
        start = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                holder = _lock_holder(handle)
                if waited > timeout:
                    raise StoreError(
                        f"{path}: another kjtui ingest ({holder}) still holds the lock after {timeout:g} s; "
                        "try again when it ends, or wait longer with --wait SECONDS"
                    ) from None
                if not told and notify is not None and waited >= 0.2:
                    notify(f"waiting for another kjtui ingest ({holder})…")
                    told = True
                time.sleep(0.05)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        except OSError:
            pass
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                handle.seek(0)
                handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _lock_holder(handle: Any) -> str:
    try:
        handle.seek(0)
        pid = handle.read().strip()
    except OSError:
        pid = ""
    return f"pid {pid}" if pid.isdigit() else "pid unknown"


def resolve(path: Path) -> Path:
    """The store's real place: a symlinked --db is followed (the link stays a link)."""
    path = Path(path).expanduser()
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


_FOLDERS: dict[Path, Path] = {}  # a folder → its resolved path (file_identity, within one process)


def forget_folders() -> None:
    """Resolve folders afresh from now on (an ingest starts: links may have changed since)."""
    _FOLDERS.clear()


def file_identity(path: Path) -> Path:
    """A file's resolved path, resolving its folder once per process: a bulk ingest asks it of
    thousands of files in a few folders (Path.resolve walks every component each time)."""
    try:
        if stat_module.S_ISLNK(os.lstat(path).st_mode):
            return resolve(path)
    except OSError:
        return resolve(path)
    folder = path.parent
    real = _FOLDERS.get(folder)
    if real is None:
        real = _FOLDERS[folder] = resolve(folder)
    return real / path.name


# -- the store -------------------------------------------------------------------------------

@dataclass(slots=True)
class Shard:
    """One document and everything in it."""

    document: Document
    sections: list[Section]
    metrics: list[Metric]
    events: list[Event]


class Store:
    """A read view of the catalog (loaded once); shards and index files are read on demand."""

    SHARD_CACHE = 16

    def __init__(self, path: Path, root: Path, catalog: dict[str, Any] | None) -> None:
        self.path = path  # as the user named it
        self.root = root  # the folder it resolves to
        self._set_catalog(catalog)
        self._shards: OrderedDict[str, Shard] = OrderedDict()

    def _set_catalog(self, catalog: dict[str, Any] | None) -> None:
        catalog = catalog or {META: {"1": {"schema": SCHEMA_VERSION}}, "documents": {}, "years": {}}
        self._catalog = catalog
        rows = list(catalog.get("documents", {}).values())
        if catalog.get(META, {}).get("1", {}).get("ordered") != ORDER_VERSION:
            # written in document order by a commit (the browser's first frame need not sort
            # 5000 titles); a catalog from elsewhere is sorted here
            rows.sort(key=document_order)
        self._rows: dict[str, dict[str, Any]] = {r["id"]: r for r in rows}
        self._documents: list[Document] | None = None
        self._by_id: dict[str, Document] | None = None
        self._years: dict[str, dict[str, Any]] = {
            year_key(r.get("year")): r for r in catalog.get("years", {}).values()
        }
        self._all: dict[str, list[Any]] = {}
        if hasattr(self, "_shards"):
            self._shards.clear()

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, migrate: bool = True, notify: Notify | None = _stderr) -> Store:
        path = Path(path).expanduser()
        root = resolve(path)
        if root.is_file():
            if not migrate:
                validate_legacy(_load_json(root, path), path)
                raise StoreError(f"{path}: a store of schema 1; open it once with this kjtui to migrate it")
            return migrate_legacy(path, notify=notify)
        if root.exists() and not root.is_dir():
            raise StoreError(f"{path}: not a file or folder kjtui can use as a store; pass another --db")
        catalog_path = root / CATALOG
        if not root.exists():
            return cls(path, root, None)
        if not catalog_path.exists():
            if _foreign(root):
                raise StoreError(f"{path}: a folder that is not a kjtui store (no {CATALOG}); pass another --db")
            return cls(path, root, None)
        data = validate_catalog(_load_json(catalog_path, catalog_path), catalog_path)
        return cls(path, root, data)

    def reload(self) -> None:
        """Read the catalog again (after another process wrote the store)."""
        fresh = Store.open(self.path, migrate=False)
        self._set_catalog(fresh._catalog)

    @property
    def catalog_path(self) -> Path:
        return self.root / CATALOG

    def stamp(self) -> tuple[int, int] | None:
        """The catalog file's (mtime_ns, size): changes whenever the store is written."""
        try:
            st = self.catalog_path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    @property
    def meta(self) -> dict[str, Any]:
        return self._catalog.get(META, {}).get("1", {})

    # -- the catalog ---------------------------------------------------------------------
    def documents(self) -> list[Document]:
        """Every document, newest year first, titles in natural order (（9） before （10））."""
        if self._documents is None:
            from .sanitize import DOCUMENT_TEXT, scrub

            self._documents = [document_from(r) for r in self._rows.values()]
            scrub(self._documents, DOCUMENT_TEXT)
        return self._documents

    def document(self, doc_id: str) -> Document | None:
        if self._by_id is None:
            self._by_id = {d.id: d for d in self.documents()}
        return self._by_id.get(doc_id)

    def rows(self) -> Iterable[dict[str, Any]]:
        """The catalog's document records (plain dicts, read-only), in document order:
        cheaper than documents() when only ids, years and counts are needed."""
        return self._rows.values()

    def info(self, doc_id: str) -> dict[str, Any] | None:
        """The document's catalog record: counts (sections, metrics, events, policies),
        metric_years / event_years ({"2024": n}), shard, path, sha."""
        return self._rows.get(doc_id)

    def counts(self, doc_id: str) -> tuple[int, int]:
        row = self._rows.get(doc_id)
        return (row["metrics"], row["events"]) if row else (0, 0)

    def documents_in(self, year: int | None) -> list[Document]:
        return [d for d in self.documents() if d.year == year]

    def years(self) -> list[int]:
        """Years that have documents, newest first."""
        return sorted({d.year for d in self.documents() if d.year is not None}, reverse=True)

    def index_years(self, kind: str = "metrics") -> list[int | None]:
        """Years with metrics (or events) in the index, newest first, undated (None) last."""
        keys = [k for k, r in self._years.items() if r.get(kind)]
        return sorted((_year_of(k) for k in keys), key=lambda y: (y is None, -(y or 0)))

    def year_counts(self, year: int | None) -> tuple[int, int]:
        """(metrics whose year is Y, events whose year is Y), across all documents."""
        row = self._years.get(year_key(year))
        return (row.get("metrics", 0), row.get("events", 0)) if row else (0, 0)

    def is_empty(self) -> bool:
        return not self._rows

    # -- shards --------------------------------------------------------------------------
    def shard(self, doc_id: str) -> Shard:
        """One document's sections (with body), metrics and events; the last few are cached."""
        cached = self._shards.get(doc_id)
        if cached is not None:
            self._shards.move_to_end(doc_id)
            return cached
        row = self._rows.get(doc_id)
        if row is None:
            raise KeyError(doc_id)
        shard = self._read_shard(row)
        self._shards[doc_id] = shard
        if len(self._shards) > self.SHARD_CACHE:
            self._shards.popitem(last=False)
        return shard

    def _read_shard(self, row: dict[str, Any]) -> Shard:
        path = self.root / DOCS / row["shard"]
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            # another process replaced the document since the catalog was read
            self.reload()
            fresh = self._rows.get(row["id"])
            if fresh is None:
                raise StoreError(f"{path}: the document was removed by another kjtui; reopen the store") from None
            path = self.root / DOCS / fresh["shard"]
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                raise _bad(path, "a document's shard is missing") from None
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise _bad(path, "a document shard is not valid JSON") from None
        _validate_shard(data, path)
        try:
            shard = Shard(
                document_from(next(iter(data["document"].values()))),
                sorted((section_from(r) for r in data["sections"].values()), key=lambda s: s.order),
                [metric_from(r) for r in data["metrics"].values()],
                [event_from(r) for r in data["events"].values()],
            )
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise _bad(path, f"a malformed record ({exc.__class__.__name__})") from None
        # records leave the store sanitized, whoever wrote it (one regex search per record)
        from . import sanitize

        sanitize.scrub((shard.document,), sanitize.DOCUMENT_TEXT)
        sanitize.scrub(shard.sections, sanitize.SECTION_TEXT)
        sanitize.scrub(shard.metrics, sanitize.METRIC_TEXT)
        sanitize.scrub(shard.events, sanitize.EVENT_TEXT)
        return shard

    def iter_shards(self, doc_ids: Iterable[str] | None = None) -> Iterator[Shard]:
        """Shards one at a time (in document order by default); memory stays one shard."""
        for doc_id in (self._rows if doc_ids is None else doc_ids):
            if doc_id in self._shards:
                yield self._shards[doc_id]
            elif doc_id in self._rows:
                yield self._read_shard(self._rows[doc_id])

    def tinydb(self, doc_id: str | None = None) -> TinyDB:
        """The catalog, or one document's shard, as a TinyDB database (for scripts)."""
        if doc_id is None:
            return TinyDB(self.catalog_path, storage=AtomicJSONStorage)
        return TinyDB(self.root / DOCS / self._rows[doc_id]["shard"], storage=AtomicJSONStorage)

    # -- the per-year index ----------------------------------------------------------------
    def _index_file(self, kind: str, year: int | None | str) -> Path | None:
        key = year if isinstance(year, str) else year_key(year)
        row = self._years.get(key)
        name = row.get(f"{kind}_file") if row else None
        return self.root / INDEX / name if name else None

    def index_lines(self, kind: str, year: int | None) -> Iterator[bytes]:
        """The raw index lines of one year ("doc-id\\tkey\\t{json}\\n"), streamed from disk."""
        path = self._index_file(kind, year)
        if path is None:
            return
        try:
            handle = open(path, "rb")
        except FileNotFoundError:
            self.reload()
            path = self._index_file(kind, year)
            if path is None:
                return
            handle = open(path, "rb")
        with handle:
            yield from handle

    def index_records(self, kind: str, year: int | None) -> list[bytes]:
        """A year's index lines ("doc-id\tkey\t{json}", without the newline), the file read
        whole and split; `record_of` parses one. A year of 30 000 metrics: ~40 ms, where
        streaming and parsing it line by line took ~150 ms."""
        path = self._index_file(kind, year)
        if path is None:
            return []
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.reload()
            path = self._index_file(kind, year)
            if path is None:
                return []
            data = path.read_bytes()
        lines = data.split(b"\n")
        if lines and not lines[-1]:
            lines.pop()
        return lines

    def metric_json(self, year: int | None) -> Iterator[bytes]:
        """The metrics of one year as compact JSON objects (cli field order), streamed."""
        for line in self.index_lines("metrics", year):
            yield line.split(b"\t", 2)[2].rstrip(b"\n")

    def event_json(self, year: int | None) -> Iterator[bytes]:
        for line in self.index_lines("events", year):
            yield line.split(b"\t", 2)[2].rstrip(b"\n")

    def metrics_of_year(self, year: int | None) -> Iterator[Metric]:
        """A year's metrics from its index, sanitized (readmodel.metrics_of_year: lazily)."""
        for line in self.index_records("metrics", year):
            yield record_from_line(line, Metric.from_dict, sanitize.METRIC_TEXT)

    def events_of_year(self, year: int | None) -> Iterator[Event]:
        for line in self.index_records("events", year):
            yield record_from_line(line, Event.from_dict, sanitize.EVENT_TEXT)

    def index_chunks(self, kind: str, years: Iterable[int | None] | None = None,
                     chunk_size: int = 1 << 19) -> Iterator[bytes]:
        """The index lines of `kind` ("metrics"/"events") of the given years (default all, newest
        first) in chunks of whole lines of about chunk_size bytes (512 kB): what a text search scans
        (bytes.find runs at ~1 GB/s) with memory flat in the store's size."""
        for year in (self.index_years(kind) if years is None else years):
            path = self._index_file(kind, year)
            if path is None:
                continue
            try:
                handle = open(path, "rb")
            except FileNotFoundError:
                continue  # replaced by another writer meanwhile; reload() and scan again for it
            with handle:
                while True:
                    block = handle.read(chunk_size)
                    if not block:
                        break
                    if not block.endswith(b"\n"):
                        block += handle.readline()  # to the end of the line: one copy, not two
                        if not block.endswith(b"\n"):
                            block += b"\n"
                    yield block

    # -- compatibility: everything at once (small stores, tests) ---------------------------
    def _everything(self, what: str) -> list[Any]:
        if what not in self._all:
            sections: list[Section] = []
            metrics: list[Metric] = []
            events: list[Event] = []
            for shard in self.iter_shards():
                sections.extend(shard.sections)
                metrics.extend(shard.metrics)
                events.extend(shard.events)
            self._all = {"sections": sections, "metrics": metrics, "events": events}
        return self._all[what]

    def sections(self, document: str | None = None) -> list[Section]:
        """A document's sections in reading order (all sections: reads every shard)."""
        if document is not None:
            return list(self.shard(document).sections) if document in self._rows else []
        return self._everything("sections")

    def metrics(self) -> list[Metric]:
        """Every metric (reads every shard; prefer readmodel.metrics_in or iter_shards)."""
        return self._everything("metrics")

    def events(self) -> list[Event]:
        return self._everything("events")

    def section(self, section_id: str) -> Section | None:
        doc_id = section_id.split("/", 1)[0]
        if doc_id not in self._rows:
            return None
        return next((s for s in self.shard(doc_id).sections if s.id == section_id), None)

    def descendants(self, section_id: str) -> set[str]:
        from .readmodel import descendants

        doc_id = section_id.split("/", 1)[0]
        return {s.id for s in descendants(self.sections(doc_id), section_id)}

    # -- writing -------------------------------------------------------------------------------
    def writable(self) -> None:
        """Refuse (one line) to write a store that is read-only (by its permission bits, as
        kjtui.atomic judges, so root is refused too), or whose path runs through a file."""
        read_only = StoreError(f"{self.path}: the store is read-only; make it writable or pass another --db")
        if self.catalog_path.exists():
            if not self.catalog_path.is_file():
                raise StoreError(f"{self.catalog_path}: not a regular file; {_REBUILD}")
            if not self.catalog_path.stat().st_mode & 0o222 or not os.access(self.catalog_path, os.W_OK):
                raise read_only
        folder = self.root
        while not folder.exists() and folder.parent != folder:
            folder = folder.parent
        if not folder.is_dir():
            raise StoreError(f"{self.path}: {folder} is a file, not a folder; pass another --db")
        if not folder.stat().st_mode & 0o222 or not os.access(folder, os.W_OK | os.X_OK):
            raise read_only

    def replace(self, parsed: Iterable[ParsedDocument], *, drop_origin: str | None = None,
                meta: dict[str, Any] | None = None, wait: float = 60.0, notify: Notify | None = _stderr) -> None:
        """Put parsed documents in (replacing any with the same id) in one commit."""
        self.writable()
        prepared = [prepare(p, self.root) for p in parsed]
        self.commit(prepared, drop_origin=drop_origin, meta=meta, wait=wait, notify=notify)

    def remove(self, doc_ids: Iterable[str], *, wait: float = 60.0, notify: Notify | None = _stderr) -> list[str]:
        """Remove documents (their shards and index lines); returns the ids that were there."""
        self.writable()
        wanted = set(doc_ids)
        return self.commit([], remove=wanted, wait=wait, notify=notify)

    def commit(self, prepared: Iterable[Prepared], *, drop_origin: str | None = None,
               meta: dict[str, Any] | None = None, remove: set[str] | None = None,
               wait: float = 60.0, notify: Notify | None = _stderr,
               settle: Callable[[], None] | None = None) -> list[str]:
        """Make prepared documents part of the store (under the lock): an incoming document
        replaces one with the same id, the same source path, or the same content and file name.
        `settle` runs just before the catalog is replaced (a bulk ingest waits there for its
        shards to reach the disk, synced meanwhile).
        Returns the ids of the documents that were dropped."""
        spool = _Spool(self.root)
        incoming: dict[str, dict[str, Any]] = {}
        try:
            for p in prepared:
                if p.record["id"] in incoming:  # the same id twice in one batch: the later wins
                    spool.forget(incoming[p.record["id"]]["shard"])
                    _unlink(self.root / DOCS / incoming[p.record["id"]]["shard"])
                incoming[p.record["id"]] = p.record
                spool.add(p)
            with write_lock(self.path, timeout=wait, notify=notify):
                return self._commit_locked(incoming, spool, drop_origin, meta, remove or set(), settle)
        except BaseException:
            for rec in incoming.values():  # the shards written for this batch are not in the catalog
                if rec["shard"] not in self._referenced():
                    _unlink(self.root / DOCS / rec["shard"])
            raise
        finally:
            spool.close()

    def _referenced(self) -> set[str]:
        return {r["shard"] for r in self._rows.values()}

    def _commit_locked(self, incoming: dict[str, dict[str, Any]], spool: _Spool, drop_origin: str | None,
                       meta: dict[str, Any] | None, remove: set[str],
                       settle: Callable[[], None] | None = None) -> list[str]:
        # the catalog as it is now (another ingest may have committed since we opened it)
        catalog_path = self.catalog_path
        if catalog_path.exists():
            current = validate_catalog(_load_json(catalog_path), catalog_path)
        else:
            if self.root.exists() and _foreign(self.root):
                raise StoreError(f"{self.path}: a folder that is not a kjtui store; pass another --db")
            current = {META: {"1": {"schema": SCHEMA_VERSION}}, "documents": {}, "years": {}}
        old_rows = {r["id"]: r for r in current["documents"].values()}
        by_path = {r["path"]: r["id"] for r in old_rows.values() if r.get("path")}
        by_content = {(r["sha"], r["source"]): r["id"] for r in old_rows.values() if r.get("sha")}
        gone: set[str] = set(remove) & set(old_rows)
        for rec in incoming.values():
            if rec["id"] in old_rows:
                gone.add(rec["id"])
            if rec.get("path") and rec["path"] in by_path:
                gone.add(by_path[rec["path"]])
            if rec.get("sha") and (rec["sha"], rec["source"]) in by_content:
                gone.add(by_content[(rec["sha"], rec["source"])])
        if drop_origin:
            gone |= {i for i, r in old_rows.items() if r.get("origin") == drop_origin}
        final = {i: r for i, r in old_rows.items() if i not in gone}
        final.update(incoming)
        if current[META]["1"].get("ordered") == ORDER_VERSION and len(incoming) < 64:
            # the catalog is stored in order: the few new documents go in by binary search
            ordered = [r for r in current["documents"].values() if r["id"] not in gone]
            for rec in sorted(incoming.values(), key=document_order):
                ordered.insert(bisect.bisect_right(ordered, document_order(rec), key=document_order), rec)
        else:
            ordered = sorted(final.values(), key=document_order)
        position = {r["id"]: k for k, r in enumerate(ordered)}

        years_table = {year_key(r.get("year")): dict(r) for r in current.get("years", {}).values()}
        dropped_files: list[Path] = []
        folder = self.root / INDEX

        def build(kind: str, key: str, old_name: str | None) -> tuple[str | None, int, int]:
            """One year's index file of one kind: kept lines of the old file and the incoming
            documents' lines, in catalog order (events: by date). Its name, lines and policies."""
            blocks: dict[str, list[bytes]] = {}
            if old_name:
                with contextlib.suppress(FileNotFoundError), open(folder / old_name, "rb") as handle:
                    for line in handle:
                        doc = line[: line.find(b"\t")].decode("utf-8")
                        if doc in final and doc not in incoming:
                            blocks.setdefault(doc, []).append(line)
            for doc, block in spool.blocks(kind, key):
                if doc in incoming:
                    blocks.setdefault(doc, []).append(block)
            order = sorted(blocks, key=lambda d: position.get(d, len(position)))
            parts = [part for d in order for part in blocks[d]]
            del blocks
            policies = 0
            if kind == "events":  # by date; documents in catalog order on the same date
                lines = [ln for part in parts for ln in part.splitlines(keepends=True)]
                lines.sort(key=lambda ln: ln[ln.find(b"\t") + 1: ln.find(b"\t") + 5])
                policies = sum(1 for ln in lines if ln[ln.find(b"\t") + 5: ln.find(b"\t") + 6] == b"0")
                parts = lines
            payload = b"".join(parts)
            del parts
            count = payload.count(b"\n")
            if not count:
                return None, 0, policies
            name = f"{kind}-{key}.{_tag()}.jsonl"
            folder.mkdir(parents=True, exist_ok=True)
            _write_new(folder / name, payload, sync=True)
            return name, count, policies

        jobs: list[tuple[str, str, str | None]] = []
        for kind in ("metrics", "events"):
            touched: set[str] = set(spool.years(kind))
            for doc_id in gone:
                touched |= set(old_rows[doc_id].get(f"{kind[:-1]}_years", {}))
            for key in sorted(touched):
                row = years_table.setdefault(key, {"year": _year_of(key)})
                jobs.append((kind, key, row.get(f"{kind}_file")))
        if len(jobs) > 2:
            # reading the spools and writing and syncing each file release the GIL: a few
            # files at once keep both the disk and a core busy (a whole corpus: ~40 % less)
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=3) as pool:
                built = list(pool.map(lambda job: build(*job), jobs))
        else:
            built = [build(*job) for job in jobs]
        for (kind, key, old_name), (name, count, policies) in zip(jobs, built):
            row = years_table[key]
            if old_name:
                dropped_files.append(folder / old_name)
            row[f"{kind}_file"] = name
            row[kind] = count
            if kind == "events":
                row["policies"] = policies
        years_table = {k: r for k, r in years_table.items() if r.get("metrics_file") or r.get("events_file")}
        new_meta = dict(current[META]["1"])
        new_meta.update(meta or {})
        new_meta["schema"] = SCHEMA_VERSION
        new_meta["ordered"] = ORDER_VERSION  # the rows below are in document_order
        data = {
            META: {"1": new_meta},
            "documents": {str(k): r for k, r in enumerate(ordered, 1)},
            "years": {str(k): years_table[key] for k, key in enumerate(sorted(years_table), 1)},
        }
        if settle is not None:
            settle()
        atomic.write_bytes(catalog_path, orjson.dumps(data))
        # committed: what the catalog no longer names goes
        for doc_id in gone:
            if doc_id not in final or final[doc_id]["shard"] != old_rows[doc_id]["shard"]:
                _unlink(self.root / DOCS / old_rows[doc_id]["shard"])
        for path in dropped_files:
            _unlink(path)
        self._set_catalog(data)
        _sweep(self.root, data)
        return sorted(gone - set(incoming))


class _Spool:
    """Index lines of prepared documents, one block per document and year, kept until the
    commit: in memory up to a few MB, then in one file beside the catalog (memory stays flat);
    blocks a worker spooled (SpoolFile) are read from its file, removed on close."""

    LIMIT = 4 << 20

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path: Path | None = None
        self.handle: Any = None
        self.memory: list[bytes] = []
        self.size = 0
        # (kind, year key, shard, doc id, file (None: memory), offset or memory index, length)
        self.entries: list[tuple[str, str, str, str, str | None, int, int]] = []
        self.forgotten: set[str] = set()
        self.files: dict[str, int] = {}  # spool files of workers → an open descriptor (-1: not yet)
        self.opening = threading.Lock()

    def add(self, p: Prepared) -> None:
        shard, doc = p.record["shard"], p.record["id"]
        for kind, lines_by_year in (("metrics", p.metric_lines), ("events", p.event_lines)):
            for key, data in lines_by_year.items():
                if isinstance(data, bytes):
                    self._put(kind, key, shard, doc, data)
                else:
                    name, offset, length = data
                    self.files.setdefault(name, -1)
                    self.entries.append((kind, key, shard, doc, name, offset, length))

    def _put(self, kind: str, key: str, shard: str, doc: str, data: bytes) -> None:
        if self.handle is None and self.size + len(data) > self.LIMIT:
            self.path = self.root / f".spool-{_tag()}"
            self.root.mkdir(parents=True, exist_ok=True)
            self.handle = open(self.path, "w+b")
            moved: list[tuple[str, str, str, str, str | None, int, int]] = []
            for (k, y, sh, d, _, index, _), chunk in zip(self.entries, self.memory):
                moved.append((k, y, sh, d, str(self.path), self.handle.tell(), len(chunk)))
                self.handle.write(chunk)
            self.entries = moved
            self.memory = []
        if self.handle is not None:
            self.entries.append((kind, key, shard, doc, str(self.path), self.handle.tell(), len(data)))
            self.handle.write(data)
        else:
            self.entries.append((kind, key, shard, doc, None, len(self.memory), -1))
            self.memory.append(data)
            self.size += len(data)

    def forget(self, shard: str) -> None:
        self.forgotten.add(shard)

    def years(self, kind: str) -> set[str]:
        return {e[1] for e in self.entries if e[0] == kind}

    def blocks(self, kind: str, key: str) -> Iterator[tuple[str, bytes]]:
        """(doc id, its lines) for one kind and year."""
        if self.handle is not None:
            self.handle.flush()
        for k, y, shard, doc, name, where, length in self.entries:
            if k != kind or y != key or shard in self.forgotten:
                continue
            if name is None:
                yield doc, self.memory[where]
                continue
            if name == str(self.path):
                fd = self.handle.fileno()
            else:
                fd = self.files[name]
                if fd < 0:
                    with self.opening:  # the commit reads years in threads: one descriptor per file
                        fd = self.files[name]
                        if fd < 0:
                            fd = self.files[name] = os.open(name, os.O_RDONLY)
            data = os.pread(fd, length, where)
            if len(data) != length:
                raise StoreError(f"{name}: an ingest worker's spool file is short; run the ingest again")
            yield doc, data

    def close(self) -> None:
        if self.handle is not None:
            with contextlib.suppress(OSError):
                self.handle.close()
            self.handle = None
        if self.path is not None:
            _unlink(self.path)
            self.path = None
        for name, fd in self.files.items():
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
            _unlink(Path(name))
        self.files = {}


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
        path.unlink()


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


_TAGGED = re.compile(r"\.(\d+)-[0-9a-f]{8}\.jsonl?$|^\.spool-(\d+)-[0-9a-f]{8}$")


def _sweep(root: Path, catalog: dict[str, Any]) -> None:
    """Remove what no catalog names and no living writer is making: shards and index files of
    killed writers, their spools, and stale temp files of the catalog."""
    keep = {r["shard"] for r in catalog["documents"].values()}
    keep |= {r[f] for r in catalog.get("years", {}).values() for f in ("metrics_file", "events_file") if r.get(f)}
    day_ago = time.time() - 86400
    for folder in (root / DOCS, root / INDEX, root):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name in keep:
                continue
            m = _TAGGED.search(name)
            if m is None:
                if folder == root and name.startswith(f".{CATALOG}.") and name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        if entry.stat().st_mtime < time.time() - 600:
                            _unlink(Path(entry.path))
                continue
            pid = int(m.group(1) or m.group(2))
            try:
                old = entry.stat(follow_symlinks=False).st_mtime < day_ago
            except OSError:
                continue
            if not _pid_alive(pid) or old:
                if entry.is_dir(follow_symlinks=False):
                    for child in Path(entry.path).iterdir():
                        _unlink(child)
                    with contextlib.suppress(OSError):
                        os.rmdir(entry.path)
                else:
                    _unlink(Path(entry.path))


def _foreign(folder: Path) -> bool:
    """A folder with things in it that are not ours: never write a store into it."""
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return False
    return any(not (n in (DOCS, INDEX) or n.startswith((".spool-", f".{CATALOG}.")) or n.endswith(".lock"))
               for n in names)


# -- set-aside, migration ----------------------------------------------------------------------

def set_aside(path: Path) -> Path | None:
    """Rename a bad store (file or folder) out of the way (never delete a user's data)."""
    target = resolve(path)
    if not target.exists():
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.name}.bad-{stamp}")
    k = 1
    while aside.exists():
        k += 1
        aside = target.with_name(f"{target.name}.bad-{stamp}-{k}")
    try:
        os.replace(target, aside)
    except OSError as exc:
        raise StoreError(f"{path}: cannot set the old store aside ({exc.strerror}); check the folder's permissions") from None
    return aside


def migrate_legacy(path: Path, *, notify: Notify | None = _stderr) -> Store:
    """Turn a schema-1 single-file store into a store folder at the same path. The new folder
    is built beside it; only when it is complete is the old file renamed aside
    (NAME.schema1-<time>) and the folder renamed into place."""
    path = Path(path).expanduser()
    target = resolve(path)
    data = validate_legacy(_load_json(target, path), path)
    if not os.access(target.parent, os.W_OK):
        raise StoreError(f"{path}: a store of schema 1 in a read-only folder; make it writable to migrate it")
    with write_lock(path, notify=notify):
        if not target.is_file():  # another process migrated it while we waited
            return Store.open(path)
        building = target.with_name(f".{target.name}.migrating-{_tag()}")
        building.mkdir()
        try:
            store = Store(path, building, None)
            by_doc: dict[str, ParsedDocument] = {}
            for row in data.get("documents", {}).values():
                doc = document_from(_clean_text(row))
                by_doc[doc.id] = ParsedDocument(doc, [], [], [])
            for table, target_list, make in (
                ("sections", "sections", section_from), ("metrics", "metrics", metric_from), ("events", "events", event_from),
            ):
                for row in data.get(table, {}).values():
                    parsed = by_doc.get(row["document"])
                    if parsed is not None:
                        getattr(parsed, target_list).append(make(_clean_text(row)))
            old_meta = {k: v for k, v in data[META]["1"].items() if k != "schema"}
            del data
            prepared = []
            for parsed in by_doc.values():
                parsed.sections.sort(key=lambda s: s.order)
                prepared.append(prepare(parsed, building, sync=False))
            os.sync()
            spool = _Spool(building)
            for p in prepared:
                spool.add(p)
            incoming = {p.record["id"]: p.record for p in prepared}
            store._commit_locked(incoming, spool, None, old_meta, set())
            spool.close()
            stamp = time.strftime("%Y%m%d-%H%M%S")
            kept = target.with_name(f"{target.name}.schema1-{stamp}")
            os.replace(target, kept)
            try:
                os.replace(building, target)
            except OSError:
                os.replace(kept, target)  # put the old file back: the migration did not happen
                raise
        except BaseException:
            if building.exists():
                import shutil

                shutil.rmtree(building, ignore_errors=True)
            raise
    if notify is not None:
        notify(f"kjtui: {path}: migrated to the store folder of schema {SCHEMA_VERSION}; the old file is kept as {kept.name}")
    return Store.open(path)


def content_hash(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()

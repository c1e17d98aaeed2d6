"""The model in TinyDB: one JSON file, written whole and atomically.

TinyDB's JSONStorage rewrites its file in place, so a process killed mid-write
can leave it truncated. AtomicJSONStorage writes a temp file beside it and
renames it over the old one instead. Ingests are serialised by a lock file.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from . import atomic
from .model import Document, Event, Metric, ParsedDocument, Section

SCHEMA_VERSION = 1
TABLES = ("documents", "sections", "metrics", "events")
META = "_meta"


class StoreError(Exception):
    """The store file cannot be used; the message is one line for the user."""


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | os.PathLike[str], **_: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        return orjson.loads(raw)  # UTF-8 in, like TinyDB's encoding="utf-8"

    def write(self, data: dict[str, Any]) -> None:
        # orjson writes UTF-8 as is (Chinese stays readable) and is several times faster than json
        atomic.write_bytes(self.path, orjson.dumps(data))

    def close(self) -> None:
        pass


@contextlib.contextmanager
def write_lock(path: Path, timeout: float = 60.0) -> Iterator[None]:
    """An exclusive lock beside the store, so two ingests never interleave."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    handle = open(lock_path, "a+")
    try:
        try:
            import fcntl
        except ImportError:  # not POSIX: no cross-process lock, one writer assumed
            yield
            return
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"{path}: another kjtui ingest holds the lock; try again when it ends") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _record(cls, data: dict[str, Any]):
    if cls is Section:
        return Section.from_dict(data)  # its blocks are stored as compact rows
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


class Store:
    """A read view of the store file, loaded once; writes replace the whole file."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self._data = data
        self._cache: dict[str, list[Any]] = {}

    # -- opening ---------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> Store:
        data = read_raw(path)
        if data is None:
            data = empty_data()
        return cls(path, data)

    @property
    def meta(self) -> dict[str, Any]:
        return self._data.get(META, {}).get("1", {})

    def _rows(self, table: str, cls) -> list[Any]:
        if table not in self._cache:
            rows = self._data.get(table, {})
            self._cache[table] = [_record(cls, row) for row in rows.values()]
        return self._cache[table]

    # -- queries ---------------------------------------------------------------
    def documents(self) -> list[Document]:
        docs = self._rows("documents", Document)
        return sorted(docs, key=lambda d: (-(d.year or 0), d.title))

    def sections(self, document: str | None = None) -> list[Section]:
        rows = self._rows("sections", Section)
        return [s for s in rows if document is None or s.document == document]

    def metrics(self) -> list[Metric]:
        return self._rows("metrics", Metric)

    def events(self) -> list[Event]:
        return self._rows("events", Event)

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents() if d.id == doc_id), None)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections() if s.id == section_id), None)

    def descendants(self, section_id: str) -> set[str]:
        """The section and everything below it (ids are paths, so a prefix test)."""
        prefix = section_id + "/"
        return {s.id for s in self.sections() if s.id == section_id or s.id.startswith(prefix)}

    def is_empty(self) -> bool:
        return not self._data.get("documents")

    # -- writing ---------------------------------------------------------------
    def replace(self, parsed: Iterable[ParsedDocument], *, drop_origin: str | None = None,
                meta: dict[str, Any] | None = None) -> None:
        """Put documents in (replacing any with the same id) and write the file once."""
        with write_lock(self.path):
            current = read_raw(self.path) or empty_data()
            incoming = list(parsed)
            replaced = {p.document.id for p in incoming}
            kept = {t: [] for t in TABLES}
            docs = current.get("documents", {}).values()
            gone = {d["id"] for d in docs if d["id"] in replaced or (drop_origin and d.get("origin") == drop_origin)}
            for table in TABLES:
                key = "id" if table == "documents" else "document"
                kept[table] = [r for r in current.get(table, {}).values() if r.get(key) not in gone]
            for p in incoming:
                kept["documents"].append(p.document.to_dict())
                kept["sections"].extend(s.to_dict() for s in p.sections)
                kept["metrics"].extend(m.to_dict() for m in p.metrics)
                kept["events"].extend(e.to_dict() for e in p.events)
            new_meta = dict(current.get(META, {}).get("1", {}))
            new_meta.update(meta or {})
            new_meta["schema"] = SCHEMA_VERSION
            data = {META: {"1": new_meta}}
            for table in TABLES:
                data[table] = {str(k + 1): row for k, row in enumerate(kept[table])}
            AtomicJSONStorage(self.path).write(data)
            self._data = data
            self._cache.clear()

    def tinydb(self) -> TinyDB:
        """The store as a TinyDB database (for queries from scripts)."""
        return TinyDB(self.path, storage=AtomicJSONStorage)


def empty_data() -> dict[str, Any]:
    return {META: {"1": {"schema": SCHEMA_VERSION}}, **{t: {} for t in TABLES}}


def read_raw(path: Path) -> dict[str, Any] | None:
    """The store's JSON, validated; None when there is no store yet."""
    try:
        data = AtomicJSONStorage(path).read()
    except orjson.JSONDecodeError as exc:
        raise StoreError(
            f"{path}: not a valid store (JSON error at line {exc.lineno}); "
            "run `kjtui ingest --rebuild` (the bad file is kept aside)"
        ) from None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory; pass a file path with --db or KJTUI_DB") from None
    except PermissionError:
        raise StoreError(f"{path}: permission denied; pass a readable path with --db or KJTUI_DB") from None
    if data is None:
        return None
    schema = data.get(META, {}).get("1", {}).get("schema") if isinstance(data, dict) else None
    if schema != SCHEMA_VERSION:
        found = "no schema" if schema is None else f"schema {schema}"
        raise StoreError(
            f"{path}: store has {found}, this kjtui reads schema {SCHEMA_VERSION}; "
            "run `kjtui ingest --rebuild` (the old file is kept aside)"
        )
    return data


def set_aside(path: Path) -> Path | None:
    """Rename a bad store out of the way (never delete a user's file)."""
    if not path.exists():
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bad-{stamp}")
    k = 1
    while target.exists():
        k += 1
        target = path.with_name(f"{path.name}.bad-{stamp}-{k}")
    os.replace(path, target)
    return target

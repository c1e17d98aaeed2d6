"""The headless core the CLI and the browser share: open the store (building it from the
shipped corpus when needed), ingest files (in parallel), remove documents. Queries live in
kjtui.readmodel; the names below are kept for callers of the previous API."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING, Any

from .model import Document
from .readmodel import Resolved, events_in, metrics_in, resolve_section, sections_in, years  # noqa: F401
from .store import (Notify, Prepared, SpoolFile, Store, StoreError, _stderr, content_hash, file_identity,
                    forget_folders, prepare, set_aside)

if TYPE_CHECKING:
    from . import corpus

Progress = Callable[[int, int, str], None]


def open_store(path: Path, *, build: bool = True, wait: float = 60.0, notify: Notify | None = _stderr) -> Store:
    """Open the store (the catalog only: cheap); build it from the shipped corpus on first
    use, and refresh the shipped documents when the corpus (or the parser) has changed.
    A store that cannot be written is read as it is."""
    store = Store.open(path, notify=notify)
    if not build:
        return store
    quick = _quick_stamp()
    if quick is not None and store.meta.get("shipped_quick") == quick and store.meta.get("shipped"):
        return store  # nothing the stamp depends on has changed: no need to import the parser
    from . import corpus

    entries, manifest = corpus.shipped_entries()
    stamp = corpus.fingerprint(entries, manifest)
    if store.meta.get("shipped") != stamp:
        try:
            store.writable()
        except StoreError:
            if store.is_empty():
                raise
            return store
        ingest(store, entries, origin="shipped", drop_origin="shipped",
               meta={"shipped": stamp, "shipped_quick": quick or ""}, jobs=1, wait=wait, notify=notify)
    return store


def _quick_stamp() -> str | None:
    """A cheap key (file names, sizes and times only) of everything the shipped-corpus stamp
    depends on: the shipped files and the parser's files. While it matches the one recorded
    at the last refresh, a read command need not import the parser to hash the corpus."""
    import hashlib
    import importlib.util

    from . import __version__

    try:
        spec = importlib.util.find_spec("kjtui.ingest")  # imports kjtui only, not the parser
        folders = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
        package = Path(__file__).resolve().parent
        data = package / "_data"
        folders.append(data if (data / "manifest.yaml").is_file() else package.parents[1] / "data")
        parts = [__version__]
        for folder in folders:
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.is_file():
                    st = entry.stat()
                    parts.append(f"{folder.name}/{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    except (OSError, ImportError, ValueError):
        return None
    return hashlib.sha1("\n".join(parts).encode("utf-8", "backslashreplace")).hexdigest()


def rebuild(path: Path, *, wait: float = 60.0, notify: Notify | None = _stderr) -> tuple[Store, Path | None]:
    """Start over: the old store (bad, old or good) is renamed aside, never deleted."""
    from .store import write_lock

    with write_lock(path, timeout=wait, notify=notify):  # not while another ingest commits
        aside = set_aside(path)
    return open_store(path, wait=wait, notify=notify), aside


@dataclass(slots=True)
class Ingested:
    document: Document
    metrics: int
    events: int
    notes: list[str] = field(default_factory=list)


Job = tuple["corpus.Entry", int | None, str, str, bool]  # entry, year, origin, store root, fsync each shard

# The jobs of the ingest under way. Pool workers are forked after this is set, so they find
# their job by its index: no entry is pickled to them.
_JOBS: list[Job] = []
# a worker's spool file (its index lines), one per process and store
_SPOOLS: dict[tuple[int, str], SpoolFile] = {}


def _prepare_entry(job: Job | int) -> tuple[Prepared | None, str]:
    """In a worker: parse one file and write its shard (not yet in the catalog). An index
    (into _JOBS) in a forked worker, which also spools its index lines to a file."""
    import gc

    from . import corpus

    forked = isinstance(job, int)
    entry, year, origin, root, sync = _JOBS[job] if isinstance(job, int) else job
    paused = gc.isenabled()
    if paused:  # a document's records hold no cycles; the collector's passes over them are waste
        gc.disable()
    try:
        try:
            data = corpus.read_bytes(entry.path)  # read once: parsed and hashed
            parsed = corpus.parse_entry(entry, origin=origin, year=year, data=data)
            sha = content_hash(data)
        except corpus.CorpusError as exc:
            return None, str(exc)
        # the file's identity; a name that is not UTF-8 is kept as \xNN escapes (JSON holds UTF-8 only)
        path = None if origin == "shipped" else os.fsencode(file_identity(entry.path)).decode("utf-8", "backslashreplace")
        spool = None
        if forked:
            key = (os.getpid(), root)
            spool = _SPOOLS.get(key)
            if spool is None:
                spool = _SPOOLS[key] = SpoolFile(Path(root))
        return prepare(parsed, Path(root), path=path, sha=sha, sync=sync, spool=spool), ""
    finally:
        if paused:
            gc.enable()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def ingest(store: Store, entries: list[corpus.Entry], *, year: int | None = None, jobs: int | None = None,
           progress: Progress | None = None, origin: str = "user", drop_origin: str | None = None,
           meta: dict[str, str] | None = None, wait: float = 60.0, notify: Notify | None = _stderr) -> list[Ingested]:
    """Parse files (in a process pool of `jobs` workers, default the core count) and put them
    in the store in one commit. Each shard is written as its file is parsed, so memory stays
    flat; a document replaces the one with the same id, source path, or content and file name.
    A file that cannot be read stops the ingest with a CorpusError before anything is committed."""
    from . import corpus

    store.writable()
    forget_folders()  # folders resolved afresh for each ingest (a long-lived browser imports many)
    total = len(entries)
    jobs = max(1, min(jobs or default_jobs(), total or 1))
    bulk = total > 8
    work = [(e, year, origin, str(store.root), not bulk) for e in entries]
    done: list[Ingested] = []

    def results() -> Iterator[Prepared]:
        if progress:
            progress(0, total, entries[0].path.name if entries else "")
        workers: set[str] = set()
        if jobs <= 1 or total <= 2:
            outcomes: Iterator[tuple[Prepared | None, str]] = map(_prepare_entry, work)
            pool = None
        else:
            import multiprocessing

            forked = "fork" in multiprocessing.get_all_start_methods()
            _JOBS[:] = work if forked else []  # inherited by the workers forked next
            pool = multiprocessing.get_context("fork" if forked else None).Pool(jobs)
            _JOBS.clear()  # the workers have their copy
            workers = {str(proc.pid) for proc in getattr(pool, "_pool", [])}
            tasks: list[Job | int] = list(range(total)) if forked else list(work)
            outcomes = pool.imap_unordered(_prepare_entry, tasks, chunksize=max(1, min(16, total // (jobs * 8))))
        try:
            for k, (prepared, error) in enumerate(outcomes, 1):
                if prepared is None:
                    raise corpus.CorpusError(error)
                rec = prepared.record
                done.append(Ingested(
                    Document(**{n: rec[n] for n in ("id", "title", "year", "kind", "source", "doc_number", "date",
                                                    "addressee", "publisher", "meta", "notes", "origin")}),
                    rec["metrics"], rec["events"], prepared.notes,
                ))
                if progress:
                    progress(k, total, rec["source"])
                yield prepared
        except BaseException:
            if pool is not None:  # shards the workers wrote for results never received
                pool.terminate()
                pool.join()
                pool = None
                _drop_worker_files(store, workers)
            raise
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
        if bulk and hasattr(os, "sync"):
            # every shard on disk before the catalog names them: one sync, not one per file,
            # in a thread while the commit builds the index files; the commit waits for it
            # just before it replaces the catalog
            import threading

            syncing.append(threading.Thread(target=os.sync, name="kjtui-sync"))
            syncing[0].start()

    syncing: list[Any] = []

    def settle() -> None:
        for thread in syncing:
            thread.join()

    try:
        store.commit(results(), drop_origin=drop_origin, meta=meta, wait=wait, notify=notify, settle=settle)
    finally:
        settle()  # never leave with a sync running (a failed commit too)
    return done


def _drop_worker_files(store: Store, workers: set[str]) -> None:
    """Shards and spool files written by our (now stopped) workers that no catalog names."""
    import re

    from .store import DOCS, _unlink

    tagged = re.compile(r"\.(\d+)-[0-9a-f]{8}\.json$|^\.spool-(\d+)-[0-9a-f]{8}$")
    named = {row["shard"] for row in store.rows()}
    for folder in (store.root / DOCS, store.root):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            m = tagged.search(entry.name)
            if m and (m.group(1) or m.group(2)) in workers and entry.name not in named:
                _unlink(Path(entry.path))


def remove(store: Store, doc_ids: list[str], *, wait: float = 60.0, notify: Notify | None = _stderr) -> list[str]:
    """Remove documents by id; returns the ids that were in the store."""
    present = [d for d in doc_ids if store.info(d) is not None]
    if present:
        store.remove(present, wait=wait, notify=notify)
    return present

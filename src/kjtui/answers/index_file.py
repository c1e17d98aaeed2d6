"""The search index kept in a file, so that only the first search after the store
changes reads every document: later ones (a new browser, `kjtui search`) map the
file instead. One file per store in the user cache dir (`search/<hash>.idx`, beside
the YAML cache; $KJTUI_SEARCH_CACHE names another folder), valid while the store's stamp (the
catalog's mtime and size) is the one it was built from; written atomically, so
a reader sees the old file or the new one. A missing, stale or damaged file is
rebuilt, never an error.

Layout: a magic line, the length of the JSON header, the header (documents, per
section: id, heading, lines, path, offsets), the folded haystack (UTF-8), then each
section's original text (UTF-8, read by offset when a hit in it is shown)."""

from __future__ import annotations

import hashlib
import mmap
import os
from pathlib import Path
from typing import Any

import orjson

from .. import atomic
from .search import SearchIndex
from .source import Source

MAGIC = b"KJTUI-SEARCH 2\n"  # 2: texts sanitized before indexing


def cache_folder() -> Path:
    """$KJTUI_SEARCH_CACHE, else `search/` beside kjtui's other cache (locations.cache_path:
    the user cache dir, or wherever $KJTUI_CACHE puts it — tests point that at a temp dir)."""
    value = os.environ.get("KJTUI_SEARCH_CACHE", "").strip()
    if value:
        return Path(value).expanduser()
    from ..locations import cache_path

    return cache_path().parent / "search"


def cache_file(store_path: Path) -> Path:
    key = hashlib.sha1(str(Path(store_path).expanduser().resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_folder() / f"{key}.idx"


def save(index: SearchIndex, path: Path, stamp: Any) -> None:
    originals = [index.original(k).encode("utf-8") for k in range(len(index))]
    offsets = [0]
    for chunk in originals:
        offsets.append(offsets[-1] + len(chunk))
    folded = index.haystack.encode("utf-8")
    meta = {
        "stamp": list(stamp), "docs": [d.id for d in index.documents], "size": index._size,
        "starts": index._starts, "title_ends": index._title_ends, "ids": index._ids, "labels": index._labels,
        "titles": index._titles, "lines": index._lines, "body_lines": index._body_lines, "paths": index._paths,
        "doc_of": index._doc_of, "year_span": [[y, lo, hi] for y, (lo, hi) in index._year_span.items()],
        "folded_bytes": len(folded), "offsets": offsets,
    }
    head = orjson.dumps(meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(path, b"".join([MAGIC, str(len(head)).encode("ascii"), b"\n", head, folded, *originals]))


def load(path: Path, stamp: Any, documents: dict[str, Any]) -> SearchIndex | None:
    try:
        with open(path, "rb") as handle:
            mm = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        if mm[:len(MAGIC)] != MAGIC:
            return None
        eol = mm.find(b"\n", len(MAGIC))
        start = eol + 1
        end = start + int(mm[len(MAGIC):eol])
        meta = orjson.loads(mm[start:end])
        if meta.get("stamp") != list(stamp):
            return None
        docs = [documents.get(doc_id) for doc_id in meta["docs"]]
        if any(d is None for d in docs):
            return None
        index = SearchIndex()
        index.documents = [d for d in docs if d is not None]  # all there: checked above
        index._size = meta["size"]
        index._starts, index._title_ends = meta["starts"], meta["title_ends"]
        index._ids, index._labels, index._titles = meta["ids"], meta["labels"], meta["titles"]
        index._lines, index._body_lines, index._paths = meta["lines"], meta["body_lines"], meta["paths"]
        index._doc_of = meta["doc_of"]
        index._year_span = {y: (lo, hi) for y, lo, hi in meta["year_span"]}
        index.haystack = mm[end:end + meta["folded_bytes"]].decode("utf-8")
        base = end + meta["folded_bytes"]
        offsets = meta["offsets"]
        if base + offsets[-1] != len(mm) or len(offsets) != len(index._ids) + 1:
            return None
        index._originals = None
        index._read_original = lambda k: mm[base + offsets[k]:base + offsets[k + 1]].decode("utf-8")
        return index
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError, UnicodeDecodeError):
        return None


def open_index(source: Source, progress: Any = None) -> SearchIndex:
    """The search index of a source: from its file when the store has not changed since,
    else built from every document (and its file written for next time)."""
    store = getattr(source, "store", None)
    stamp = store.stamp() if store is not None and hasattr(store, "stamp") else None
    path = getattr(store, "path", None)
    if stamp is None or path is None:
        return SearchIndex.build(source, progress)
    target = cache_file(Path(path))
    documents = {d.id: d for d in source.documents()}
    index = load(target, stamp, documents)
    if index is not None:
        return index
    index = SearchIndex.build(source, progress)
    try:
        save(index, target, stamp)
    except OSError:
        pass  # a read-only cache folder: search still works, the next start builds again
    return index

"""Files on disk → parsed documents: the manifest, decoding, the shipped corpus."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from .ingest import PARSER_VERSION, DecodeError, decode, parse_document
from .model import DOCUMENT_KINDS, ParsedDocument

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
KINDS = set(DOCUMENT_KINDS)


class CorpusError(Exception):
    """A user's file cannot be read; the message is one line naming the file."""


@dataclass(slots=True)
class Entry:
    path: Path
    year: int | None = None
    kind: str | None = None
    title: str | None = None
    publisher: str | None = None


def shipped_dir() -> Path:
    """The bundled corpus: inside the wheel, or data/ beside src/ in a checkout."""
    packaged = Path(str(resources.files("kjtui"))) / "_data"
    if (packaged / "manifest.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def read_manifest(path: Path) -> list[Entry]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError(f"{path}: manifest not found; pass an existing manifest.yaml") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read the manifest ({exc.__class__.__name__}); check the file") from None
    try:
        data = yaml.load(raw, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CorpusError(f"{path}{where}: {problem}; fix the YAML and try again") from None
    docs = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        raise CorpusError(f"{path}: expected a top-level 'documents:' list of entries with 'file:'")
    entries = []
    for k, item in enumerate(docs, 1):
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            raise CorpusError(f"{path}: entry {k} has no 'file:' name; every entry needs one")
        year = item.get("year")
        if year is not None and not (isinstance(year, int) and 1900 <= year <= 2200):
            raise CorpusError(f"{path}: entry {k} ({item['file']}) has year {year!r}; use a four-digit year")
        kind = item.get("kind")
        if kind is not None and kind not in KINDS:
            raise CorpusError(f"{path}: entry {k} ({item['file']}) has kind {kind!r}; use one of {', '.join(sorted(KINDS))}")
        entries.append(Entry(path.parent / item["file"], year, kind, item.get("title"), item.get("publisher")))
    return entries


def read_document_text(path: Path) -> tuple[str, list[str]]:
    if not path.exists():
        raise CorpusError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise CorpusError(f"{path}: is a directory; pass a text file (or a folder to `kjtui ingest`)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror}); check its permissions") from None
    try:
        return decode(data)
    except DecodeError as exc:
        raise CorpusError(f"{path}: {exc}; pass a UTF-8 or GB18030 text file") from None


def parse_entry(entry: Entry, *, origin: str = "user", year: int | None = None) -> ParsedDocument:
    text, notes = read_document_text(entry.path)
    parsed = parse_document(
        text, source=entry.path.name, year=entry.year or year, kind=entry.kind,
        title=entry.title, origin=origin, publisher=entry.publisher,
    )
    parsed.document.notes.extend(notes)
    return parsed


def entries_for(paths: list[Path], manifest: Path | None = None) -> list[Entry]:
    """Command-line paths → entries. A folder with a manifest uses it; else its text files."""
    entries: list[Entry] = []
    if manifest is not None:
        entries.extend(read_manifest(manifest))
    for path in paths:
        if path.is_dir():
            inner = path / "manifest.yaml"
            if inner.is_file():
                entries.extend(read_manifest(inner))
            else:
                found = sorted(p for p in path.iterdir() if p.suffix.lower() in TEXT_SUFFIXES)
                if not found:
                    raise CorpusError(f"{path}: no .txt or .md files and no manifest.yaml in this folder")
                entries.extend(Entry(p) for p in found)
        else:
            entries.append(Entry(path))
    return entries


def fingerprint(entries: list[Entry], manifest: Path | None) -> str:
    """Content hash of a corpus (and the parser version), to know when to rebuild."""
    digest = hashlib.sha256(f"parser:{PARSER_VERSION}".encode())
    if manifest is not None and manifest.is_file():
        digest.update(manifest.read_bytes())
    for entry in entries:
        digest.update(entry.path.name.encode("utf-8"))
        try:
            digest.update(entry.path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def shipped_entries() -> tuple[list[Entry], Path]:
    manifest = shipped_dir() / "manifest.yaml"
    return read_manifest(manifest), manifest


def default_db_path() -> Path:
    env = os.environ.get("KJTUI_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("kjtui", appauthor=False)) / "kjtui.json"

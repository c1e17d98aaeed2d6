"""Files on disk → parsed documents: the manifest, decoding, the shipped corpus."""

from __future__ import annotations

import contextlib
import datetime
import errno
import hashlib
import math
import os
import stat
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any


from .ingest import PARSER_VERSION, DecodeError, decode, parse_document
from .model import DOCUMENT_KINDS, ParsedDocument
from .sanitize import clean

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


def read_manifest(path: Path, *, allow_outside: bool = False) -> list[Entry]:
    """The manifest's entries. Every `file:` must lie inside the manifest's folder once
    symlinks are resolved (absolute paths too) unless `allow_outside`."""
    data_bytes = _read_bytes(path, what="manifest")
    try:
        raw = data_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{show(path)}: the manifest is not UTF-8 (bad byte at offset {exc.start}); save it as UTF-8") from None
    import yaml  # here, not at the top: `kjtui parse` and the browser never read a manifest

    # CSafeLoader is safe_load's loader compiled in C (the same safe subset of YAML), when
    # PyYAML was built with libyaml: a manifest of thousands of entries reads ~10x faster
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader, see above
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CorpusError(f"{show(path)}{where}: {problem}; fix the YAML and try again") from None
    docs = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        raise CorpusError(f"{show(path)}: expected a top-level 'documents:' list of entries with 'file:'")
    folder = path.parent
    try:
        root = folder.resolve()
    except (OSError, RuntimeError):
        root = Path(os.path.abspath(folder))
    entries = []
    for k, item in enumerate(docs, 1):
        if not isinstance(item, dict) or not isinstance(item.get("file"), str) or not item["file"].strip():
            raise CorpusError(f"{show(path)}: entry {k} has no 'file:' name; every entry needs one")
        name = item["file"]
        where = f"{show(path)}: entry {k} ({clean(name)})"
        year = item.get("year")
        if year is not None and (isinstance(year, bool) or not (isinstance(year, int) and 1900 <= year <= 2200)):
            raise CorpusError(f"{where} has year {_shown(year)}; use a four-digit year")
        kind = item.get("kind")
        if kind is not None and kind not in KINDS:
            raise CorpusError(f"{where} has kind {_shown(kind)}; use one of {', '.join(sorted(KINDS))}")
        for field in ("title", "publisher"):
            value = item.get(field)
            if value is not None and not isinstance(value, str):
                raise CorpusError(f"{where}: '{field}' is {_kind_of(value)} {_shown(value)}; "
                                  f"write it as text in quotes, e.g. {field}: \"…\"")
        target = folder / name
        if not allow_outside and not _plain_file_in(target, name):
            try:
                resolved = target.resolve()
            except RuntimeError:  # Python < 3.13 on a symlink loop
                raise CorpusError(f"{where}: is a symlink loop; fix the link") from None
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise CorpusError(f"{where}: is a symlink loop; fix the link") from None
                resolved = Path(os.path.abspath(target))
            if resolved != root and root not in resolved.parents:
                raise CorpusError(f"{where}: lies outside the manifest's folder {show(folder)}; "
                                  "move it there or pass --allow-outside")
        title, publisher = item.get("title"), item.get("publisher")
        entries.append(Entry(target, year, kind, clean(title) if title else title,
                             clean(publisher) if publisher else publisher))
    return entries


def _plain_file_in(target: Path, name: str) -> bool:
    """`name` is a bare file name (no folder, no ..) and `target` (the manifest's folder / name)
    is not a symlink: then it lies in the folder, without resolving every part of its path (a
    manifest of thousands of entries: one lstat each instead of one per path component)."""
    if not name or name in (".", "..") or "/" in name or os.sep in name or (os.altsep and os.altsep in name):
        return False
    try:
        return not stat.S_ISLNK(os.lstat(target).st_mode)
    except OSError:
        return False  # let the full check say what is wrong


def show(path: Path | str) -> str:
    """A path for a message: a name that is not UTF-8 shows its bad bytes as \\xNN,
    and no control character of a file name reaches the terminal."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return clean(text).replace("\n", "\\n")


def display_name(path: Path) -> str:
    """A file's name as text that is always valid UTF-8 (for the store and output)."""
    return clean(os.fsencode(path.name).decode("utf-8", "replace"))


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _shown(value: object) -> str:
    text = clean(repr(value) if not isinstance(value, (datetime.date, datetime.datetime)) else value.isoformat())
    return text if len(text) <= 40 else text[:39] + "…"


def _special(mode: int) -> str | None:
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device"
    if stat.S_ISDIR(mode):
        return "is a directory"
    if not stat.S_ISREG(mode):
        return "is not a regular file"
    return None


def _read_bytes(path: Path, *, what: str = "file") -> bytes:
    """A regular file's bytes. Never blocks: a FIFO, socket or device is refused by its
    stat before any open, and the open itself is non-blocking."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise CorpusError(_os_message(path, exc, what)) from None
    problem = _special(info.st_mode)
    if problem:
        hint = "pass a text file (or a folder to `kjtui ingest`)" if stat.S_ISDIR(info.st_mode) else "pass a regular text file"
        raise CorpusError(f"{show(path)}: {problem}; {hint}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise CorpusError(_os_message(path, exc, what)) from None
    try:
        problem = _special(os.fstat(fd).st_mode)  # swapped between the stat and the open
        if problem:
            raise CorpusError(f"{show(path)}: {problem}; pass a regular text file")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise CorpusError(_os_message(path, exc, what)) from None
    finally:
        os.close(fd)


def _os_message(path: Path, exc: OSError, what: str) -> str:
    if exc.errno == errno.ENOENT:
        return f"{show(path)}: no such {what}; check the path"
    if exc.errno == errno.ELOOP:
        return f"{show(path)}: is a symlink loop; fix the link"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{show(path)}: permission denied; check its permissions"
    if exc.errno == errno.ENOTDIR:
        return f"{show(path)}: a folder on the way is a file; check the path"
    if exc.errno == errno.EISDIR:
        return f"{show(path)}: is a directory; pass a text file"
    return f"{show(path)}: cannot read ({exc.strerror or exc.__class__.__name__}); check the file"


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
         (b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16"))


def decode_bytes(data: bytes, path: Path | str = "<text>") -> tuple[str, list[str]]:
    """A file's bytes → clean text and notes. UTF-16/32 are known by their BOM; NUL
    bytes anywhere mean binary; the text is sanitized (kjtui.sanitize) before parsing."""
    notes: list[str] = []
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                break  # not UTF-16/32 after all: the byte-oriented decoders report where it breaks
            if "\ufeff" in text or (text and not any(ch < "\x80" for ch in text[:4096])):
                break  # real UTF-16 text has newlines, digits or spaces; binary noise rarely does
            data = text.encode("utf-8")
            notes.append(f"decoded as {name} (not UTF-8)")
            break
    nul = data.find(b"\x00")
    if nul >= 0:
        raise CorpusError(f"{show(path)}: contains a NUL byte at offset {nul}: it looks like a binary file, "
                          "not text; pass a UTF-8 or GB18030 text file")
    try:
        text, more = decode(data)
    except DecodeError as exc:
        text_or_none = _mostly_escape_codes(data) if "control characters" in str(exc) else None
        if text_or_none is None:
            raise CorpusError(f"{show(path)}: {_decode_problem(data, exc)}; pass a UTF-8 or GB18030 text file") from None
        text, more = text_or_none
    return clean(text), notes + more


def _mostly_escape_codes(data: bytes) -> tuple[str, list[str]] | None:
    """Text whose many control characters are escape sequences (a saved terminal log, a
    hostile page) is text: counted without its sequences, it has few controls left."""
    from .sanitize import without_sequences

    raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    notes: list[str] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            return None
        notes.append("decoded as GB18030/GBK (not UTF-8)")
    head = without_sequences(text[:65536])
    bare = sum(1 for ch in head if ord(ch) < 32 and ch not in "\n\t\f\v\r")
    if bare > max(8, len(head) // 100):
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n"), notes


def _decode_problem(data: bytes, exc: DecodeError) -> str:
    """The right byte offset: the first bad byte for the encoding that read furthest."""
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    offsets = []
    for codec in ("utf-8", "gb18030"):
        try:
            data[skip:].decode(codec)
        except UnicodeDecodeError as err:
            offsets.append((err.start + skip, codec))
    if len(offsets) < 2:
        return str(exc)
    (u8, _), (gb, _) = offsets
    if u8 >= gb:
        return f"is neither UTF-8 nor GB18030/GBK text (read as UTF-8, byte {u8} is invalid: 0x{data[u8]:02x})"
    return f"is neither UTF-8 nor GB18030/GBK text (read as GB18030, byte {gb} is invalid: 0x{data[gb]:02x})"


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes (a FIFO, device or folder is refused with a CorpusError)."""
    return _read_bytes(path)


def read_document_text(path: Path) -> tuple[str, list[str]]:
    return decode_bytes(_read_bytes(path), path)


def _outline(text: str, entry: Entry, origin: str) -> ParsedDocument | None:
    """parse_document(..., outline=True): the document and its sections only, enough to infer
    a year; None when this parser has no outline mode (then the file is parsed twice)."""
    global _OUTLINE
    if not _OUTLINE:
        return None
    try:
        return parse_document(
            text, source=display_name(entry.path), year=None, kind=entry.kind,
            title=entry.title, origin=origin, publisher=entry.publisher, outline=True,  # type: ignore[call-arg]
        )
    except TypeError:
        _OUTLINE = False
        return None


_OUTLINE = True


def parse_entry(entry: Entry, *, origin: str = "user", year: int | None = None,
                layout: bool = True, both: Any = None, data: bytes | None = None) -> ParsedDocument:
    """`both`: parse_document's (two calls at once, kjtui.forked.both), for a long text;
    `data`: the file's bytes when the caller has read them already (ingest hashes them)."""
    text, notes = read_document_text(entry.path) if data is None else decode_bytes(data, entry.path)
    wanted = entry.year or year

    def parse(with_year: int | None) -> ParsedDocument:
        return _finite(parse_document(
            text, source=display_name(entry.path), year=with_year, kind=entry.kind,
            title=entry.title, origin=origin, publisher=entry.publisher, layout=layout, both=both,
        ))

    sketch = _outline(text, entry, origin) if wanted is None else None
    if sketch is not None:
        # no year given: infer it from the outline, then parse once
        from .ingest.dating import infer_year

        if sketch.document.year is None:
            found, why = infer_year(sketch)
            parsed = parse(found)
            parsed.warnings.append(
                f"no --year given; using {found} {why}" if found is not None
                else f"no --year given and {why}; filed under 未标年份 (pass --year Y)"
            )
        else:
            parsed = parse(sketch.document.year)
        parsed.document.notes.extend(notes)
        return parsed
    parsed = parse(wanted)
    if wanted is None and parsed.document.year is None:
        # no year given: take it from the title, 文号 or dates, and say which (events need a year)
        from .ingest.dating import infer_year

        found, why = infer_year(parsed)
        if found is not None:
            parsed = parse(found)
            parsed.warnings.append(f"no --year given; using {found} {why}")
        else:
            parsed.warnings.append(f"no --year given and {why}; filed under 未标年份 (pass --year Y)")
    parsed.document.notes.extend(notes)
    return parsed


def _finite(parsed: ParsedDocument) -> ParsedDocument:
    """A number too large for a float (`9999…` with 5000 digits is inf) is no metric: JSON
    cannot hold it, and a store holding it could not be read back."""
    kept = [m for m in parsed.metrics if math.isfinite(m.value) and math.isfinite(m.normalized)]
    if len(kept) != len(parsed.metrics):
        parsed.warnings.append(f"{len(parsed.metrics) - len(kept)} numbers too large to hold were left out")
        parsed.metrics = kept
    return parsed


def entries_for(paths: list[Path], manifest: Path | None = None, *, allow_outside: bool = False) -> list[Entry]:
    """Command-line paths → entries. A folder with a manifest uses it; else its text files."""
    entries: list[Entry] = []
    if manifest is not None:
        entries.extend(read_manifest(manifest, allow_outside=allow_outside))
    for path in paths:
        try:
            info = os.stat(path)
        except OSError as exc:
            raise CorpusError(_os_message(path, exc, "file or folder")) from None
        if stat.S_ISDIR(info.st_mode):
            inner = path / "manifest.yaml"
            if inner.is_file():
                entries.extend(read_manifest(inner, allow_outside=allow_outside))
            else:
                try:
                    found = sorted(p for p in path.iterdir() if p.suffix.lower() in TEXT_SUFFIXES)
                except OSError as exc:
                    raise CorpusError(f"{show(path)}: cannot list this folder ({exc.strerror}); check its permissions") from None
                if not found:
                    raise CorpusError(f"{show(path)}: no .txt or .md files and no manifest.yaml in this folder")
                entries.extend(Entry(p) for p in found)
        else:
            problem = _special(info.st_mode)
            if problem:
                raise CorpusError(f"{show(path)}: {problem}; pass a regular text file or a folder")
            entries.append(Entry(path))
    return entries


def fingerprint(entries: list[Entry], manifest: Path | None) -> str:
    """Content hash of a corpus (and the parser version), to know when to rebuild."""
    digest = hashlib.sha256(f"parser:{PARSER_VERSION}".encode())
    if manifest is not None and manifest.is_file():
        with contextlib.suppress(OSError):
            digest.update(manifest.read_bytes())
    for entry in entries:
        digest.update(os.fsencode(entry.path.name))
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

"""Small YAML files (settings, themes) read through a JSON cache.

Importing PyYAML costs about 15 ms, a tenth of the browser's first paint. The
data `yaml.safe_load` gave for a file is kept in a JSON file keyed by the
file's path, size and modification time; a start where nothing changed reads
that instead and never imports yaml. A file whose data JSON cannot hold
(dates, say) is simply not cached.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import orjson  # a C extension: far cheaper to import than json

from . import atomic

MAX_ENTRIES = 64  # temporary files come and go; the cache keeps the newest


class YamlProblem(ValueError):
    """Not valid YAML; `line` is 1-based when the parser knew it."""

    def __init__(self, line: int | None) -> None:
        super().__init__(f"invalid YAML{f' at line {line}' if line else ''}")
        self.line = line


def user_dir(kind: str) -> Path:
    """The user's config/cache folder for kjtui. On Linux this is the XDG rule
    platformdirs applies, without importing it on the way to the first paint."""
    if sys.platform.startswith("linux"):
        variable, fallback = {"config": ("XDG_CONFIG_HOME", ".config"), "cache": ("XDG_CACHE_HOME", ".cache")}[kind]
        base = os.environ.get(variable, "").strip()
        return Path(base if base and os.path.isabs(base) else Path.home() / fallback) / "kjtui"
    import platformdirs

    finder = platformdirs.user_config_dir if kind == "config" else platformdirs.user_cache_dir
    return Path(finder("kjtui", appauthor=False))


def cache_path() -> Path:
    env = os.environ.get("KJTUI_CACHE")
    return Path(env).expanduser() if env else user_dir("cache") / "yaml-cache.json"


def _key(path: Path) -> tuple[str, list[int]] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path.resolve()), [stat.st_size, stat.st_mtime_ns]


def _read_cache(where: Path) -> dict[str, Any]:
    try:
        data = orjson.loads(where.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def load(path: Path) -> Any:
    """What `yaml.safe_load` gives for the file. Raises OSError, UnicodeDecodeError
    or YamlProblem."""
    key = _key(path)
    where = cache_path()
    cache = _read_cache(where) if key else {}
    if key and isinstance(hit := cache.get(key[0]), dict) and hit.get("stamp") == key[1]:
        return hit.get("data")
    data = parse(_read_regular(path))
    if key:
        try:
            if orjson.loads(orjson.dumps(data)) != data:  # e.g. a date would come back as text
                return data
        except TypeError:  # orjson.JSONEncodeError: sets, keys that are not text
            return data
        cache.pop(key[0], None)
        cache[key[0]] = {"stamp": key[1], "data": data}
        for old in list(cache)[:-MAX_ENTRIES]:
            del cache[old]
        try:
            atomic.write_bytes(where, orjson.dumps(cache))
        except OSError:
            pass  # a read-only cache folder only costs speed
    return data


def _read_regular(path: Path) -> str:
    """A settings or theme file's text; a FIFO, socket or device in its place is refused
    (reading one would block the browser's start) with an OSError."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read().decode("utf-8")
    finally:
        os.close(fd)


def parse(text: str) -> Any:
    """`yaml.safe_load`, with the C loader when PyYAML has one."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlProblem(mark.line + 1 if mark else None) from None

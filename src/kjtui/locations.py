"""Every path kjtui keeps for the user, in one place: the store, settings, caches
and bookmarks. Environment variables override each (for tests and odd setups).

On Linux the XDG rules are applied directly, without importing platformdirs on
the way to the browser's first paint; elsewhere platformdirs decides."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal

Kind = Literal["config", "cache", "data"]

_XDG: dict[str, tuple[str, str]] = {
    "config": ("XDG_CONFIG_HOME", ".config"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
    "data": ("XDG_DATA_HOME", ".local/share"),
}


def user_dir(kind: Kind) -> Path:
    """kjtui's folder of this kind for the user (not created here)."""
    if sys.platform.startswith("linux"):
        variable, fallback = _XDG[kind]
        base = os.environ.get(variable, "").strip()
        return Path(base if base and os.path.isabs(base) else Path.home() / fallback) / "kjtui"
    import platformdirs

    finder = {"config": platformdirs.user_config_dir, "cache": platformdirs.user_cache_dir,
              "data": platformdirs.user_data_dir}[kind]
    return Path(finder("kjtui", appauthor=False))


def _env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def db_path() -> Path:
    """The store: $KJTUI_DB, else kjtui.json in the user data dir."""
    return _env("KJTUI_DB") or user_dir("data") / "kjtui.json"


def config_path() -> Path:
    """Settings: $KJTUI_CONFIG, else config.yaml in the user config dir."""
    return _env("KJTUI_CONFIG") or user_dir("config") / "config.yaml"


def cache_path() -> Path:
    """The YAML cache: $KJTUI_CACHE, else yaml-cache.json in the user cache dir."""
    return _env("KJTUI_CACHE") or user_dir("cache") / "yaml-cache.json"


def bookmarks_path() -> Path:
    """Bookmarks: $KJTUI_BOOKMARKS, else bookmarks.json in the user data dir. They are
    kept apart from the store, so `ingest --rebuild` never touches them."""
    return _env("KJTUI_BOOKMARKS") or user_dir("data") / "bookmarks.json"

"""The user's config file: chosen theme and keymap, in the user config dir.

Written on first run with the defaults, so users can find and edit it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic, yamlcache

DEFAULT_THEME = "kjtui-ink"

TEMPLATE = """\
# kjtui settings. Delete this file to get the defaults back.
theme: {theme}
# Rebind any key by its binding id (see the help screen, `?`), e.g.
# keymap:
#   view.metrics: m
#   export: ctrl+e
keymap: {{}}
"""


@dataclass(slots=True)
class Config:
    path: Path
    theme: str = DEFAULT_THEME
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def save_theme(self, theme: str) -> None:
        """Remember a theme choice, keeping the rest of the user's file as it is."""
        self.theme = theme
        data = _read(self.path) or {}
        data["theme"] = theme
        if not self.path.exists():
            atomic.write_text(self.path, TEMPLATE.format(theme=theme))
            return
        import yaml

        atomic.write_text(self.path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def config_path() -> Path:
    env = os.environ.get("KJTUI_CONFIG")
    if env:
        return Path(env).expanduser()
    return yamlcache.user_dir("config") / "config.yaml"


def _read(path: Path) -> dict | None:
    try:
        data = yamlcache.load(path)
    except (OSError, UnicodeDecodeError, yamlcache.YamlProblem):
        return None
    return data if isinstance(data, dict) else None


def load(path: Path | None = None) -> Config:
    path = path or config_path()
    config = Config(path)
    if not path.exists():
        try:
            atomic.write_text(path, TEMPLATE.format(theme=DEFAULT_THEME))
        except OSError:
            pass  # a read-only home still gets a working browser
        return config
    data = _read(path)
    if data is None:
        config.problems.append(f"{path}: not valid YAML; using default settings")
        return config
    if isinstance(data.get("theme"), str):
        config.theme = data["theme"]
    keymap = data.get("keymap") or {}
    if isinstance(keymap, dict):
        config.keymap = {str(k): str(v) for k, v in keymap.items()}
    else:
        config.problems.append(f"{path}: 'keymap' should be a mapping of binding id to keys")
    return config

"""The user's config file: chosen theme and keymap, in the user config dir.

Written on first run with the defaults, so users can find and edit it. After
that it is the user's file, and sacred:

* a file that cannot be read (bad YAML, not a mapping, not UTF-8) is never
  written: the browser warns once and runs on the defaults;
* remembering a theme changes only the `theme:` line, in place: comments, key
  order, quoting and blank lines stay byte for byte. (An in-place edit of the
  one line rather than a round-trip YAML editor such as ruamel.yaml: no new
  dependency on the way to the first paint, and nothing else in the file can
  be re-flowed; the result is parsed again and written only if it holds the
  same settings with the new theme, otherwise the file is left alone);
* keymap entries are checked against the binding ids: one naming no binding,
  or one that would leave no key to quit or to open help, is ignored and
  reported in one notification.
"""

from __future__ import annotations

import json
import os
import re
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
    readable: bool = True  # False: the file had a mistake; it is never written

    def save_theme(self, theme: str) -> bool:
        """Remember a theme choice by changing only the `theme:` line of the user's file.
        Returns False (file untouched) when that cannot be done safely. Raises OSError
        when the file cannot be written."""
        self.theme = theme
        if not self.readable:
            return False  # never rewrite a file we could not read: the user's keymap is in it
        if not self.path.exists():
            atomic.write_text(self.path, TEMPLATE.format(theme=_scalar(theme)))
            return True
        try:
            text = self.path.read_bytes().decode("utf-8")
            before = yamlcache.parse(text)
        except (OSError, UnicodeDecodeError, yamlcache.YamlProblem):
            return False
        if before is None and not text.strip(" \t\r\n"):
            before = {}  # an empty file: the theme becomes its first line
        if not isinstance(before, dict):
            return False
        after = set_top_level(text, "theme", _scalar(theme))
        if after is None:
            return False
        try:
            check = yamlcache.parse(after)
        except yamlcache.YamlProblem:
            return False
        if check != {**before, "theme": theme}:
            return False  # the edit would have changed something else: leave the file alone
        if after != text:
            atomic.write_text(self.path, after)
        return True


_TOP_KEY = r"^{key}[ \t]*:(?P<gap>[ \t]*)(?P<value>[^#\r\n]*?)(?P<tail>[ \t]*(?:#[^\r\n]*)?)(?=\r?$)"


def set_top_level(text: str, key: str, value: str) -> str | None:
    """`text` with the top-level `key:` line's value replaced (its comment kept), or the
    line appended when there is none; None when the key appears more than once."""
    pattern = re.compile(_TOP_KEY.format(key=re.escape(key)), re.M)
    found = list(pattern.finditer(text))
    if len(found) > 1:
        return None
    if not found:
        newline = "\r\n" if "\r\n" in text else "\n"
        joiner = "" if not text or text.endswith(("\n", "\r")) else newline
        return f"{text}{joiner}{key}: {value}{newline}"
    m = found[0]
    gap = m.group("gap") or " "
    return f"{text[:m.start('gap')]}{gap}{value}{m.group('tail')}{text[m.end():]}"


def _scalar(name: str) -> str:
    """A theme name as a YAML scalar: plain when it is safe, else double-quoted."""
    if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name) and name.lower() not in ("null", "true", "false", "yes", "no", "on", "off", "~"):
        return name
    return json.dumps(name, ensure_ascii=False)


# keys that must keep working whatever the keymap says
ESSENTIAL = {"quit": "quit", "help": "open help"}
_KEY_NAMES = {"?": "question_mark", "[": "left_square_bracket", "]": "right_square_bracket", "/": "slash"}


def _keys(spec: str) -> list[str]:
    return [_KEY_NAMES.get(k.strip(), k.strip()) for k in spec.split(",") if k.strip()]


def check_keymap(keymap: dict[str, str], bindings: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keymap entries that are safe to apply, and a line for each one ignored.

    `bindings` maps every binding id to its default keys ("q", "alt+left,backspace").
    Ignored: an id that names no binding; keys that are not text; an entry for an
    essential binding (quit, help) that leaves it no key; an entry that takes the last
    key of an essential binding for something else."""
    accepted: dict[str, str] = {}
    ignored: list[str] = []
    current = {bid: _keys(keys) for bid, keys in bindings.items()}
    for bid, spec in keymap.items():
        if bid not in bindings:
            ignored.append(f"{bid}: no binding has this id (see ? for the ids)")
            continue
        if not isinstance(spec, str) or not _keys(spec) or any(not re.fullmatch(r"[\w+\-]+|\S", k) for k in _keys(spec)):
            ignored.append(f"{bid}: {spec!r} is not a key")
            continue
        new = _keys(spec)
        taken = [k for k in new if k not in current[bid]]  # keys this entry takes from others
        trial = {b: [k for k in keys if k not in taken] for b, keys in current.items()}
        trial[bid] = new
        lost = [ESSENTIAL[e] for e in ESSENTIAL if e in trial and not trial[e]]
        if lost:
            ignored.append(f"{bid}: {spec} would leave no key to {' or '.join(lost)}")
            continue
        current = trial
        accepted[bid] = spec
    return accepted, ignored


def config_path() -> Path:
    env = os.environ.get("KJTUI_CONFIG")
    if env:
        return Path(env).expanduser()
    return yamlcache.user_dir("config") / "config.yaml"


def _read(path: Path) -> tuple[dict | None, str]:
    """The settings, or None and why they could not be read."""
    try:
        data = yamlcache.load(path)
    except yamlcache.YamlProblem as exc:
        return None, str(exc)
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    if data is None:
        return {}, ""  # an empty file: nothing set
    return (data, "") if isinstance(data, dict) else (None, "not a mapping of settings")


def load(path: Path | None = None) -> Config:
    path = path or config_path()
    config = Config(path)
    if not path.exists():
        try:
            atomic.write_text(path, TEMPLATE.format(theme=DEFAULT_THEME))
        except OSError:
            pass  # a read-only home still gets a working browser
        return config
    data, why = _read(path)
    if data is None:
        config.readable = False
        config.problems.append(f"{path}: {why}; using default settings and leaving the file as it is")
        return config
    if isinstance(data.get("theme"), str):
        config.theme = data["theme"]
    keymap = data.get("keymap") or {}
    if isinstance(keymap, dict):
        config.keymap = {str(k): v if isinstance(v, str) else repr(v) for k, v in keymap.items()}
    else:
        config.problems.append(f"{path}: 'keymap' should be a mapping of binding id to keys")
    return config

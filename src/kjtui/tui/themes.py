"""YAML theme files → Textual themes. A bad file is skipped and reported;
colours are validated before registering, because a bad colour only fails
when the theme is switched on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from .. import yamlcache

COLOUR_FIELDS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
                 "success", "warning", "error", "boost")


def shipped_dir() -> Path:
    """The shipped themes: in the wheel, or themes/ in a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "_themes"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "themes"


def theme_dirs(extra: list[Path] | None = None) -> list[Path]:
    """The shipped themes, then the user's."""
    return [d for d in (shipped_dir(), *(extra or [])) if d.is_dir()]


def load_theme(path: Path, *, check: bool = True) -> Theme:
    """Raises ValueError with a one-line reason. `check`: try the theme's own variables
    as CSS (a few ms a theme; the shipped themes are checked by a test instead, at no
    cost to the first frame)."""
    try:
        data = yamlcache.load(path)
    except yamlcache.YamlProblem as exc:
        raise ValueError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ValueError("needs at least 'name' and 'primary'")
    if not isinstance(data.get("primary"), str):
        raise ValueError("needs a 'primary' colour")
    for key in COLOUR_FIELDS:
        value = data.get(key)
        if value is None:
            continue
        try:
            Color.parse(str(value))
        except ColorParseError:
            raise ValueError(f"{key}: {value!r} is not a colour") from None
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise ValueError("'variables' should be a mapping")
    for key, value in variables.items():
        if not isinstance(key, str) or not _VARIABLE_NAME.fullmatch(key):
            raise ValueError(f"variables: {str(key)[:40]!r} is not a variable name")
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ValueError(f"variables.{key}: {str(value)[:40]!r} is not a colour or a style")
    colours: dict[str, Any] = {k: str(data[k]) for k in COLOUR_FIELDS if data.get(k) is not None}
    theme = Theme(
        name=data["name"], dark=bool(data.get("dark", True)),
        variables={str(k): str(v) for k, v in variables.items()},
        **colours,
    )
    if variables and check:
        check_variables(theme)
    return theme


_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def check_variables(theme: Theme) -> None:
    """Build the theme's CSS variables and try each of the theme's own `variables` in a
    declaration, as the stylesheet will: a value that is neither a colour (`#004578`,
    `red 30%`, `$primary`) nor a text style (`bold`) raises ValueError now, instead of
    stopping the browser when the theme is switched on."""
    from textual.css.stylesheet import Stylesheet

    try:
        generated = theme.to_color_system().generate()
    except Exception as exc:  # noqa: BLE001 - Textual raises several kinds; one line for the user
        raise ValueError(f"its colours do not combine ({exc.__class__.__name__})") from None
    for key, value in (theme.variables or {}).items():
        ok = False
        for prop in ("background", "text-style"):
            sheet = Stylesheet(variables={**generated, key: value})
            try:
                sheet.add_source(f"Screen {{ {prop}: ${key}; }}", read_from=("<theme>", ""))
                sheet.parse()
            except Exception:  # noqa: BLE001 - a TokenError, StylesheetParseError, DeclarationError …
                continue
            ok = True
            break
        if not ok:
            raise ValueError(f"variables.{key}: {str(value)[:40]!r} is not a colour or a style")


def load_themes(folders: list[Path]) -> tuple[list[Theme], list[str]]:
    themes: list[Theme] = []
    problems: list[str] = []
    shipped = shipped_dir().resolve()
    for folder in folders:
        check = folder.resolve() != shipped
        for path in sorted(folder.glob("*.y*ml")):
            try:
                themes.append(load_theme(path, check=check))
            except ValueError as exc:
                problems.append(f"{path.name}: {exc}")
    return themes, problems

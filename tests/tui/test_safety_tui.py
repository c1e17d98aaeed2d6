"""Issue 8 in the browser: a store holding raw escape sequences (written by hand or by an
older kjtui) shows nothing that could act on the terminal, in any view; the user's
config is never lost; bad themes and keymaps are refused with a notification."""

from pathlib import Path

import pytest

from kjtui import sanitize
from kjtui.ingest import parse_document
from kjtui.store import Store
from kjtui.tui import config as config_mod
from kjtui.tui.app import KjtuiApp
from kjtui.tui.catalog import NodeRef
from kjtui.tui.themes import load_theme

from .conftest import ready

SEQUENCES = {
    "title": "\x1b]2;PWNED\x07", "clipboard": "\x1b]52;c;cHduZWQ=\x07", "clear": "\x1b[2J",
    "colour": "\x1b[31m", "c1": "\x9b2J\x9d0;x\x9c", "bidi": "\u202e\u2066", "bel": "\x07", "bs": "\x08",
}


def unsafe_in(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if c in sanitize.UNSAFE_CHARACTERS})


def report(seq: str) -> str:
    return (f"# 1 标题{seq}甲\n\n新增{seq}科技企业12家,授信{seq}额5亿元。\n\n"
            f"3月,发布《测试{seq}办法》。\n\n## 1.1 小节{seq}\n\n服务企业**48**家{seq}。\n\n"
            f"| 指标{seq} | 数值 |\n| --- | --- |\n| 企业{seq} | 12家 |\n")


@pytest.fixture
def dirty_app(tmp_path, monkeypatch):
    path = tmp_path / "dirty.json"
    store = Store.open(path)
    docs = [parse_document(report(seq), source=f"evil-{name}.md", year=2030, title=f"报告{seq}{name}")
            for name, seq in SEQUENCES.items()]
    assert any(unsafe_in(s.body + s.title) for p in docs for s in p.sections), "the store must hold raw escapes"
    store.replace(docs)
    monkeypatch.setenv("KJTUI_CONFIG", str(tmp_path / "config" / "config.yaml"))
    monkeypatch.chdir(tmp_path)

    def make() -> KjtuiApp:
        return KjtuiApp(path, config=config_mod.load(tmp_path / "config" / "config.yaml"), shipped=False)

    return make


def shown(app) -> str:
    """What the terminal would receive as text: the screen rendered to SVG (every widget,
    the header's title, toasts), with its markup intact."""
    return app.export_screenshot()


async def test_no_escape_reaches_any_view(dirty_app):
    app = dirty_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(app, pilot)
        catalog = app.catalog
        seen = []
        for doc in list(catalog.documents):
            sections = [s for s in catalog.sections_for(NodeRef("document", doc.id))]
            for section in sections:
                for view in ("reader", "metrics", "timeline"):
                    app.open_node(NodeRef("section", section.id), view=view)
                    await pilot.pause(0.05)
                    screen = shown(app)
                    assert not unsafe_in(screen), (doc.title, section.id, view, unsafe_in(screen))
                    seen.append(screen)
            # the tree, with the document open, and the export dialog naming the section
            await pilot.press("e")
            await pilot.pause(0.05)
            assert not unsafe_in(shown(app))
            await pilot.press("escape")
        text = "".join(seen)
        assert "科技企业" in text and "测试办法" in text  # the text itself is shown
        # and the records the views read are clean (the catalog is the browser's door)
        for doc in catalog.documents:
            assert not unsafe_in(doc.title)
            for s in catalog.sections_for(NodeRef("document", doc.id)):
                assert not unsafe_in(s.title + s.body) and not any(unsafe_in(b.text) for b in s.blocks)


async def test_a_notification_with_document_text_is_clean(dirty_app):
    app = dirty_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(app, pilot)
        doc = app.catalog.documents[0]
        app.notify(f"已打开 {doc.title}")
        await pilot.pause(0.05)
        assert not unsafe_in(shown(app))


# -- the user's config ------------------------------------------------------------------

@pytest.fixture
def cfg(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "config" / "config.yaml"
    path.parent.mkdir(parents=True)
    monkeypatch.setenv("KJTUI_CONFIG", str(path))
    return path


def test_an_unreadable_config_is_never_written(cfg):
    text = "# my settings\ntheme: kjtui-ink\nkeymap:\n  view.metrics: m\n  broken: [\n"
    cfg.write_text(text, encoding="utf-8")
    config = config_mod.load(cfg)
    assert not config.readable and config.problems and config.theme == config_mod.DEFAULT_THEME
    assert config.save_theme("kjtui-paper") is False
    assert cfg.read_text(encoding="utf-8") == text


def test_a_theme_change_edits_only_its_line(cfg):
    text = ("# my settings: keep this line\n\ntheme:  'kjtui-ink'   # my theme\nkeymap:\n"
            "  view.metrics: m   # m for metrics\n  export: ctrl+e\n")
    cfg.write_text(text, encoding="utf-8")
    cfg.chmod(0o640)
    config = config_mod.load(cfg)
    assert config.save_theme("kjtui-paper") is True
    after = cfg.read_text(encoding="utf-8")
    assert after == text.replace("'kjtui-ink'", "kjtui-paper")
    assert oct(cfg.stat().st_mode & 0o777) == oct(0o640)


def test_a_theme_is_added_when_the_config_has_none(cfg):
    cfg.write_text("# mine\nkeymap: {}", encoding="utf-8")
    assert config_mod.load(cfg).save_theme("kjtui-paper") is True
    assert cfg.read_text(encoding="utf-8") == "# mine\nkeymap: {}\ntheme: kjtui-paper\n"


def test_a_config_the_line_edit_cannot_handle_is_left_alone(cfg):
    for text in ("theme: a\ntheme: b\n", "{theme: kjtui-ink, keymap: {}}\n"):
        cfg.write_text(text, encoding="utf-8")
        config = config_mod.load(cfg)
        assert config.save_theme("kjtui-paper") is False, text
        assert cfg.read_text(encoding="utf-8") == text


def test_a_symlinked_config_keeps_its_link(cfg, tmp_path):
    real = tmp_path / "dotfiles" / "kjtui.yaml"
    real.parent.mkdir()
    real.write_text("theme: kjtui-ink  # synced\n", encoding="utf-8")
    cfg.symlink_to(real)
    assert config_mod.load(cfg).save_theme("kjtui-paper")
    assert cfg.is_symlink() and real.read_text(encoding="utf-8") == "theme: kjtui-paper  # synced\n"


BINDINGS = {"quit": "q", "help": "question_mark", "export": "e", "view.metrics": "2", "help.close": "escape,q"}


@pytest.mark.parametrize("keymap, accepted, why", [
    ({"view.metrics": "m"}, {"view.metrics": "m"}, None),
    ({"no.such": "x"}, {}, "no binding"),
    ({"export": "q"}, {}, "no key to quit"),
    ({"export": "?"}, {}, "no key to quit or open help".split(" or ")[1]),
    ({"quit": ""}, {}, "not a key"),
    ({"quit": "x", "export": "q"}, {"quit": "x", "export": "q"}, None),  # q moved away first: fine
    ({"help.close": "escape,q"}, {"help.close": "escape,q"}, None),  # its own key already
])
def test_keymap_entries_are_checked(keymap, accepted, why):
    ok, ignored = config_mod.check_keymap(keymap, BINDINGS)
    assert ok == accepted
    assert (why is None and not ignored) or (why is not None and any(why in line for line in ignored))


async def test_a_bad_keymap_is_reported_once_and_q_still_quits(cfg, tmp_path, make_app):
    config = tmp_path / "config" / "config.yaml"
    config.write_text("keymap:\n  export: q\n  nothing.here: x\n  view.metrics: m\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        notes = [n.message for n in app._notifications if "keymap" in n.message.lower()]
        assert len(notes) == 1 and "export" in notes[0] and "nothing.here" in notes[0]
        await pilot.press("m")
        assert app.views.query_one("TabbedContent").active == "metrics"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


# -- themes ------------------------------------------------------------------------------

def _theme(tmp_path, body: str) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text("name: t\ndark: true\nprimary: '#004578'\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["rgb(1,2)", "not a colour", "[1, 2]", "#12345"])
def test_a_bad_variable_is_refused_before_registering(tmp_path, value):
    with pytest.raises(ValueError, match="block-cursor-background"):
        load_theme(_theme(tmp_path, f"variables:\n  block-cursor-background: \"{value}\"\n"))


def test_good_variables_pass(tmp_path):
    theme = load_theme(_theme(tmp_path, "variables:\n  block-cursor-background: '#81a1c1 35%'\n"
                                        "  block-cursor-text-style: bold\n  footer-key-foreground: ansi_blue\n"))
    assert theme.variables["block-cursor-text-style"] == "bold"


async def test_a_remembered_broken_theme_falls_back_with_a_warning(cfg, tmp_path, make_app):
    themes = cfg.parent / "themes"
    themes.mkdir()
    (themes / "broken.yaml").write_text('name: broken\ndark: true\nprimary: "#004578"\nvariables:\n'
                                        '  block-cursor-background: "rgb(1,2)"\n', encoding="utf-8")
    cfg.write_text("theme: broken  # mine\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        assert app.theme == config_mod.DEFAULT_THEME
        messages = " ".join(n.message for n in app._notifications)
        assert "broken.yaml" in messages and "'broken'" in messages
    assert cfg.read_text(encoding="utf-8") == "theme: broken  # mine\n"  # the choice stays the user's


async def test_a_theme_failing_at_switch_time_is_rolled_back(make_app):
    from textual.theme import Theme

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        # past every check: a variable the stylesheet cannot use
        app.register_theme(Theme(name="sneaky", primary="#004578", variables={"block-cursor-background": "rgb(1,2)"}))
        before = app.theme
        app.theme = "sneaky"
        await pilot.pause(0.2)
        assert app.theme == before and app.is_running
        assert any("sneaky" in n.message for n in app._notifications)


async def test_answers_screens_show_no_escape(dirty_app, tmp_path, monkeypatch):
    """The calendar, search and series screens read records from the store, not the
    catalog's copies: the store's reading is where a hand-made store is made safe."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = dirty_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("c")  # the calendar
        await pilot.pause(0.5)
        assert not unsafe_in(shown(app)), "calendar"
        await pilot.press("escape", "slash", *"企业")  # search as you type
        await pilot.pause(1.0)
        screen = shown(app)
        assert "企业" in screen and not unsafe_in(screen), "search"
        await pilot.press("escape", "2")
        await pilot.pause(0.5)
        await pilot.press("t")  # the highlighted metric across years
        await pilot.pause(1.0)
        assert not unsafe_in(shown(app)), "series"


def test_a_fifo_in_place_of_the_config_or_a_theme_does_not_block(cfg, tmp_path):
    import os

    os.mkfifo(cfg)
    themes = cfg.parent / "themes"
    themes.mkdir()
    os.mkfifo(themes / "x.yaml")
    config = config_mod.load(cfg)  # would block forever on a FIFO opened for reading
    assert not config.readable and config.problems
    from kjtui.tui.themes import load_themes

    loaded, problems = load_themes([themes])
    assert loaded == [] and any("x.yaml" in p for p in problems)
    assert config.save_theme("kjtui-paper") is False
    assert cfg.is_fifo()


def test_problems_name_what_is_wrong_and_an_empty_config_is_fine(cfg):
    cfg.write_text("- a list\n", encoding="utf-8")
    assert "not a mapping" in config_mod.load(cfg).problems[0]
    cfg.write_bytes(b"theme: \xff\n")
    assert "UTF-8" in config_mod.load(cfg).problems[0]
    cfg.write_text("", encoding="utf-8")
    config = config_mod.load(cfg)
    assert config.readable and not config.problems
    assert config.save_theme("kjtui-paper") and cfg.read_text(encoding="utf-8") == "theme: kjtui-paper\n"

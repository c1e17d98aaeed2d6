"""Documents from the browser: import files or a folder (palette → Import), and
notice when another process changed the store, offering to reload it.

The import runs the same core as `kjtui ingest` (service.ingest) in a worker
thread; the dialog shows its progress, and the tree is reloaded when it is done."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, ProgressBar, Static

STORE_CHECK_EVERY = 2.0  # seconds between looks at the store's catalog file


class PathSuggester(Suggester):
    """Completes the last component of a path from what is on disk (folders end in /)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


def complete_path(value: str) -> str | None:
    if not value:
        return None
    expanded = os.path.expanduser(value)
    folder, stem = os.path.split(expanded)
    if not stem:
        return None  # after a slash: nothing typed to complete yet
    try:
        names = sorted(n for n in os.listdir(folder or ".") if n.startswith(stem) and not n.startswith(".") or
                       (stem.startswith(".") and n.startswith(stem)))
    except OSError:
        return None
    for name in names:
        if name == stem and not os.path.isdir(os.path.join(folder or ".", name)):
            continue
        full = os.path.join(folder or ".", name) if folder else name
        suffix = "/" if os.path.isdir(full) else ""
        completed = full + suffix
        if completed != expanded:
            # keep what the user typed (~ stays ~)
            return value + completed[len(expanded):]
    return None


class PathInput(Input):
    BINDINGS = [
        Binding("tab", "complete", "补全", tooltip="Complete the path", id="import.complete"),
        Binding("enter", "submit", "导入", tooltip="Import", id="import.go"),
    ]

    def action_complete(self) -> None:
        completed = complete_path(self.value)
        if completed and completed != self.value:
            self.value = completed
            self.cursor_position = len(self.value)
        else:
            self.app.bell()


class ImportScreen(ModalScreen[str | None]):
    """Asks for a file or folder, imports it with a progress bar; dismisses with a summary."""

    DEFAULT_CSS = """
    ImportScreen {
        align: center middle;
        background: $background 60%;
    }
    #import-dialog {
        width: 80%;
        max-width: 100;
        height: auto;
        padding: 1 2;
        border: thick $primary;
        border-title-color: $primary;
        background: $surface;
    }
    #import-error {
        color: $error;
        height: auto;
    }
    #import-progress, #import-now {
        display: none;
    }
    ImportScreen.-running #import-progress, ImportScreen.-running #import-now {
        display: block;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "取消", tooltip="Cancel", id="import.cancel")]

    def __init__(self, db_path: Path, start: str | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.start = start or (str(Path.cwd()) + os.sep)
        self.running = False
        self.seen: list[tuple[int, int]] = []  # (done, total) as the worker reported them

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog") as box:
            box.border_title = "导入 Import documents"
            yield Static(Text("文件或文件夹 A file or a folder (.md/.txt, or a folder with manifest.yaml)", style="dim"))
            yield PathInput(value=self.start, suggester=PathSuggester(), id="import-path")
            yield Static("", id="import-error")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static("", id="import-now")
            yield Static(Text("Tab 补全 complete · Enter 导入 import · Esc 取消 cancel", style="dim"))

    def on_mount(self) -> None:
        box = self.query_one(PathInput)
        box.focus()
        box.cursor_position = len(box.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.running:
            return
        raw = event.value.strip()
        path = Path(raw).expanduser()
        if not raw or not path.exists():
            self._error(f"{raw or '(empty)'}: 没有这个文件或文件夹 no such file or folder")
            return
        self.running = True
        self.add_class("-running")
        self.query_one(PathInput).disabled = True
        self._error("")
        self.run_import(path)

    def _error(self, message: str) -> None:
        self.query_one("#import-error", Static).update(Text(message))

    def _progress(self, done: int, total: int, name: str) -> None:
        self.seen.append((done, total))
        bar = self.query_one(ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#import-now", Static).update(Text(f"{done}/{total} {name}", style="dim"))

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, path: Path) -> None:
        from .. import corpus, service
        from ..store import StoreError

        try:
            entries = corpus.entries_for([path])
            store = service.open_store(self.db_path, build=False, notify=None)
            done = service.ingest(store, entries, jobs=1, notify=None,
                                  progress=lambda k, n, name: self.app.call_from_thread(self._progress, k, n, name))
        except (corpus.CorpusError, StoreError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        metrics = sum(d.metrics for d in done)
        events = sum(d.events for d in done)
        notes = [f"{d.document.source}: {n}" for d in done for n in d.notes]
        summary = f"已导入 Imported {len(done)} documents ({metrics} metrics, {events} events)"
        if notes:
            summary += "\n" + "\n".join(notes[:5])
        self.app.call_from_thread(self.dismiss, summary)

    def _failed(self, message: str) -> None:
        self.running = False
        self.remove_class("-running")
        box = self.query_one(PathInput)
        box.disabled = False
        box.focus()
        self._error(message)

    def action_cancel(self) -> None:
        if self.running:
            self.app.bell()  # an ingest commits at its end: let it finish
            return
        self.dismiss(None)


def open_import(app) -> None:
    def done(summary: str | None) -> None:
        if summary:
            app.notify(summary, title="Import", timeout=8)
            reload_store(app)

    app.push_screen(ImportScreen(app.db_path), done)


# -- the store changed ------------------------------------------------------------
def store_stamp(app):
    catalog = getattr(app, "catalog", None)
    store = getattr(catalog, "store", None)
    return store.stamp() if store is not None and hasattr(store, "stamp") else None


def watch_store(app) -> None:
    """Called every few seconds: a store written by someone else gets one notification."""
    catalog = getattr(app, "catalog", None)
    if catalog is None:
        return
    now = store_stamp(app)
    known = getattr(app, "_store_seen", None)
    if known is None or known[0] is not catalog:
        app._store_seen = (catalog, now, False)
        return
    _, stamp, offered = known
    if now != stamp and not offered:
        app._store_seen = (catalog, stamp, True)
        app.notify("库已被其他程序更新 The store changed on disk. ctrl+r 重新载入 reload", title="Store",
                   timeout=20)


def reload_store(app) -> None:
    """Read the store again and rebuild the tree, staying where the user was if it is still there."""
    _reload_worker(app, app.current)


def _reload_worker(app, keep) -> None:
    from ..corpus import CorpusError
    from ..store import StoreError

    def load() -> None:
        try:
            catalog = app._open_catalog()
        except (StoreError, CorpusError) as exc:
            app.call_from_thread(app.notify, f"kjtui: {exc}", severity="error", timeout=10)
            return
        app.call_from_thread(_swap, app, catalog, keep)

    app.run_worker(load, thread=True, exclusive=True, group="reload")


def _swap(app, catalog, keep) -> None:
    app._loaded(catalog)
    if keep is not None:
        still = (keep.kind == "year" and keep.key.isdigit() and int(keep.key) in catalog.years) or \
            (keep.kind == "document" and keep.key in catalog.document_by_id) or \
            (keep.kind == "section" and catalog.section_by_id.get(keep.key) is not None)
        if still:
            app.open_node(keep, record=False)

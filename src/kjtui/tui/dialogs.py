"""The export dialog (the help screen lives in help_screen.py)."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class ExportScreen(ModalScreen[Path | None]):
    """Asks where to write; shows write errors in place; dismisses with the path."""
    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
        background: $background 60%;
    }

    #export-dialog {
        width: 80%;
        max-width: 100;
        height: auto;
        padding: 1 2;
        border: thick $primary;
        background: $surface;
    }

    #export-title {
        text-style: bold;
        margin-bottom: 1;
    }

    #export-error {
        height: auto;
        color: $error;
        display: none;
    }

    #export-error.-shown {
        display: block;
    }

    #export-buttons {
        height: auto;
        layout: horizontal;
        margin-top: 1;
    }

    #export-buttons Button {
        margin-right: 2;
    }
    """


    BINDINGS = [Binding("escape", "cancel", "取消", tooltip="Cancel", id="export.cancel"),
                Binding("enter", "write", "写入", tooltip="Write", id="export.write", show=True)]

    def __init__(self, title: str, default_path: Path, markdown: str) -> None:
        super().__init__()
        self.section_title = title
        self.default_path = default_path
        self.markdown = markdown
        self.asking: Path | None = None  # the existing file we asked about overwriting

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label(Text(f"导出 Export: {self.section_title}"), id="export-title")
            yield Input(value=str(self.default_path), id="export-path")
            yield Static("", id="export-error")
            yield Static(Text("Enter 写入 write · Esc 取消 cancel", style="dim"), id="export-hint")
            with Vertical(id="export-buttons"):
                yield Button("写入 Write", variant="primary", id="export-write")
                yield Button("取消 Cancel", id="export-cancel")

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.focus()
        box.cursor_position = len(box.value)

    def _write(self, force: bool = False) -> None:
        from .. import export

        raw = self.query_one(Input).value.strip()
        if not raw:
            self._error("请输入文件名 Enter a file name")
            return
        path = Path(raw).expanduser()
        force = force or self.asking == path  # Enter again on the same name: yes, overwrite
        try:
            written = export.write(path, self.markdown, force=force)
        except export.FileExists:
            self.asking = path
            self._error(f"{path.name} 已存在，覆盖吗？ Overwrite the existing file? Enter 覆盖 overwrite · "
                        "改名 edit the name · Esc 取消 cancel")
            self.query_one("#export-write", Button).label = "覆盖 Overwrite"
            return
        except export.ExportError as exc:
            self._error(str(exc))
            return
        self.dismiss(written)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.asking is not None and Path(event.value.strip()).expanduser() != self.asking:
            self.asking = None  # another name: ask again if that one exists too
            self.query_one("#export-write", Button).label = "写入 Write"
            self.query_one("#export-error").remove_class("-shown")

    def action_write(self) -> None:
        self._write()

    def _error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(Text(message, style="bold"))
        self.query_one("#export-error").add_class("-shown")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._write()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-write":
            self._write()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


from .help_screen import HelpScreen  # noqa: E402,F401  (moved; imported from here by older code)

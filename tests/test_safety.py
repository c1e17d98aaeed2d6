"""Issue 8: hostile text never reaches the terminal raw, the user's files are never lost or
replaced, bad inputs get one line and no traceback. (The browser's side is in
tests/tui/test_safety_tui.py, the hostile corpus in tests/adversarial/.)"""

import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kjtui import atomic, sanitize
from kjtui.cli import main
from kjtui.ingest import parse_document
from kjtui.store import Store

# every kind of sequence a document may try: retitle, clipboard, clear screen, colours, DCS,
# C1 CSI/OSC, bidi override and isolate, BEL, NUL, DEL, backspace, a lone ESC, CR
HOSTILE = {
    "osc-title": "\x1b]2;PWNED\x07",
    "osc-clipboard": "\x1b]52;c;cHduZWQ=\x07",
    "osc-st": "\x1b]0;PWNED\x1b\\",
    "csi-clear": "\x1b[2J",
    "csi-colour": "\x1b[31m",
    "dcs": "\x1bP1$r\x1b\\",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;PWNED\x9c",
    "bidi": "\u202e",
    "isolate": "\u2066",
    "bel": "\x07",
    "del": "\x7f",
    "bs": "\x08",
    "lone-esc": "\x1b",
    "cr": "\r",
}
UNSAFE = sanitize.UNSAFE_CHARACTERS


def unsafe_in(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if c in UNSAFE})


def hostile_report(seq: str) -> str:
    return (f"# 1 标题{seq}甲\n\n新增{seq}科技企业12家,授信{seq}额5亿元。\n\n"
            f"3月,发布《测试{seq}办法》。\n\n## 1.1 小节{seq}\n\n服务企业**48**家{seq}。\n")


# -- the sanitizer ---------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_sanitizer_removes_each_kind_of_sequence_whole(name):
    seq = HOSTILE[name]
    out = sanitize.clean(f"前{seq}后\n\t下一行")
    assert out == "前后\n\t下一行"
    assert not unsafe_in(out)


def test_sanitizer_keeps_ordinary_text_as_is():
    text = "截至年底，高企贷授信**120**家 [bold]x[/bold] $2.99$ 万户 \\% <td>a</td>\n\t末"
    assert sanitize.clean(text) is text  # nothing to do: the same object, no copy


def test_sanitizer_leaves_no_escape_whatever_the_input():
    # truncated and nested sequences: whatever is left holds no control character
    for text in ["\x1b[", "\x1b]2;unterminated", "\x1b\x1b[31m", "\x1b]\x1b]2;x\x07", "\x9b", "a\x1b[1;2;3",
                 "\x1bP" + "x" * 50, "\x1b" * 10 + "[2J", "\x00\x01\x02", "\u202a\u202b\u202c\u202d\u2067\u2068\u2069"]:
        assert not unsafe_in(sanitize.clean(text)), repr(text)


def test_sanitizer_stops_an_unterminated_string_at_the_line_end():
    assert sanitize.clean("a\x1b]2;title\n第二行") == "a\n第二行"


def test_sanitizer_is_linear():
    def cost(n):
        text = ("\x1b[" + "1;" * 20 + "中文\x1b]2;x" + "甲" * 30 + "\n") * n
        start = time.process_time()
        out = sanitize.clean(text)
        assert not unsafe_in(out)
        return time.process_time() - start
    small, big = cost(5_000), cost(40_000)
    assert big < max(small, 0.005) * 8 * 3  # 8x the text: well under 64x


def test_clean_row_and_value():
    row = {"a": "x\x1b[2Jy", "meta": {"k\x07": ["v\u202e"]}, "n": 3}
    assert sanitize.clean_row(row) == {"a": "xy", "meta": {"k": ["v"]}, "n": 3}
    clean = {"a": "x", "n": None}
    assert sanitize.clean_row(clean) is clean


# -- a store written by hand / by an older version: every output format ------------

@pytest.fixture
def dirty_store(tmp_path) -> Path:
    """A store whose records hold raw escapes (parse_document does not sanitize; the
    reading path does): the output layers must clean what they show."""
    path = tmp_path / "dirty" / "kjtui.json"
    store = Store.open(path)
    docs = []
    for k, (name, seq) in enumerate(sorted(HOSTILE.items())):
        parsed = parse_document(hostile_report(seq), source=f"evil-{name}.md", year=2030,
                                title=f"报告{seq}{name}")
        parsed.document.notes.append(f"note{seq}")
        docs.append(parsed)
    assert any(unsafe_in(m.context) for p in docs for m in p.metrics), "the fixture must hold raw escapes"
    store.replace(docs)
    return path


COMMANDS = [
    ["sections"], ["sections", "--format", "json"],
    ["metrics"], ["metrics", "--format", "csv"], ["metrics", "--format", "json"],
    ["timeline"], ["timeline", "--format", "csv"], ["timeline", "--format", "json"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a))
def test_listing_commands_never_print_escapes(capsys, dirty_store, argv):
    code = main(["--db", str(dirty_store), *argv])
    out, err = capsys.readouterr()
    assert code == 0
    # (the parser may have dropped an escape's control bytes and kept its payload as text:
    # harmless letters; what matters is that no control byte is left)
    assert not unsafe_in(out) and not unsafe_in(err)
    assert "标题甲" in out or "企业" in out or "测试办法" in out  # the text itself is kept


@pytest.mark.parametrize("argv", [
    ["documents"], ["search", "企业"], ["search", "企业", "--format", "json"], ["series", "企业"],
    ["series", "企业", "--format", "json"], ["conflicts"],
], ids=lambda a: " ".join(a))
def test_answer_commands_never_print_escapes(capsys, dirty_store, argv):
    code = main(["--db", str(dirty_store), *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert not unsafe_in(out) and not unsafe_in(err)


def test_json_output_is_clean_after_decoding_too(capsys, dirty_store):
    main(["--db", str(dirty_store), "metrics", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(not unsafe_in(v) for r in rows for v in r.values() if isinstance(v, str))


def test_export_of_a_hostile_section_is_clean(capsys, dirty_store, tmp_path):
    out = tmp_path / "out.md"
    store = Store.open(dirty_store)
    section = next(s for d in store.documents() for s in store.sections(d.id) if s.number == "1")
    code = main(["--db", str(dirty_store), "export", section.id, "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "科技企业" in text and not unsafe_in(text)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_parse_of_a_hostile_file_is_clean(capsys, tmp_path, fmt):
    f = tmp_path / "evil.md"
    filler = "\n\n" + "全市科技创新体系建设稳步推进，各项工作取得积极成效。" * 80 + "\n"
    f.write_text(hostile_report("".join(HOSTILE.values())) + filler, encoding="utf-8")
    code = main(["parse", str(f), "--year", "2024", "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 0 and not unsafe_in(out) and not unsafe_in(err)
    assert "科技企业" in out and "PWNED" not in out  # sanitized before parsing: sequences go whole


def test_ingest_sanitizes_on_the_way_in(capsys, tmp_path):
    f = tmp_path / "evil.md"
    f.write_text(hostile_report("\x1b]2;PWNED\x07\u202e"), encoding="utf-8")
    db = tmp_path / "s.json"
    assert main(["--db", str(db), "ingest", str(f), "--year", "2030"]) == 0
    store = Store.open(db)
    doc = next(d for d in store.documents() if d.year == 2030)
    texts = [s.title + s.body for s in store.sections(doc.id)]
    assert texts and not any(unsafe_in(t) or "PWNED" in t for t in texts)


def test_an_error_naming_a_hostile_file_name_is_clean(capsys, tmp_path):
    code = main(["parse", str(tmp_path / "no\x1b]2;PWNED\x07such.md")])
    err = capsys.readouterr().err
    assert code == 1 and not unsafe_in(err) and len(err.strip().splitlines()) == 1


# -- atomic writes: only over what is ours ----------------------------------------------

def test_atomic_refuses_a_fifo_and_leaves_it(tmp_path):
    fifo = tmp_path / "f.fifo"
    os.mkfifo(fifo)
    with pytest.raises(atomic.NotARegularFile, match="FIFO"):
        atomic.write_text(fifo, "x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["f.fifo"]  # no temp file left


def test_atomic_refuses_a_device_and_a_folder(tmp_path):
    with pytest.raises(atomic.NotARegularFile, match="device"):
        atomic.write_text("/dev/null", "x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(atomic.NotARegularFile, match="folder"):
        atomic.write_text(tmp_path, "x")


def test_atomic_follows_a_symlink_and_keeps_it(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real.name)
    atomic.write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_atomic_keeps_a_files_mode_and_new_files_get_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.md"
        atomic.write_text(fresh, "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    kept = tmp_path / "kept.md"
    kept.write_text("x")
    kept.chmod(0o604)
    atomic.write_text(kept, "y")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604 and kept.read_text() == "y"


def test_atomic_refuses_a_read_only_file(tmp_path):
    ro = tmp_path / "ro.md"
    ro.write_text("mine")
    ro.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        atomic.write_text(ro, "x")
    assert ro.read_text() == "mine"


def test_atomic_cleans_its_own_stale_temp_files_only(tmp_path):
    target = tmp_path / "store.json"
    stale = tmp_path / ".store.json.abcd1234.tmp"
    fresh = tmp_path / ".store.json.efgh5678.tmp"  # a writer still at work
    other = tmp_path / ".other.json.abcd1234.tmp"
    for p in (stale, fresh, other):
        p.write_text("partial")
    old = time.time() - 2 * atomic.STALE_AFTER
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    atomic.write_text(target, "{}")
    assert not stale.exists() and fresh.exists() and other.exists()


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_export_force_never_replaces_what_is_not_a_file(capsys, tmp_path, kind, db):
    target = Path("/dev/full") if kind == "device" else tmp_path / "f.fifo"
    if kind == "fifo":
        os.mkfifo(target)
    code = main(["export", "7.1", "--year", "2024", "--force", "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and "not a regular file" in err and len(err.strip().splitlines()) == 1
    mode = os.lstat(target).st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISCHR(mode)


# -- inputs ------------------------------------------------------------------------------

def _run_cli(*argv, timeout=20, **kw):
    return subprocess.run([sys.executable, "-m", "kjtui", *argv], capture_output=True, text=True,
                          timeout=timeout, **kw)


def test_a_fifo_as_input_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    for argv in (["parse", str(fifo)], ["--db", str(tmp_path / "s.json"), "ingest", str(fifo)]):
        result = _run_cli(*argv)  # a hang fails by timeout
        assert result.returncode == 1 and "FIFO" in result.stderr and "Traceback" not in result.stderr
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("documents:\n  - file: in.fifo\n    year: 2024\n")
    result = _run_cli("--db", str(tmp_path / "s.json"), "ingest", str(tmp_path))
    assert result.returncode == 1 and "FIFO" in result.stderr


def test_a_socket_as_input_is_refused(capsys, tmp_path):
    path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        assert main(["parse", str(path)]) == 1
        assert "socket" in capsys.readouterr().err
    finally:
        sock.close()


def test_a_device_as_input_is_refused(capsys):
    assert main(["parse", "/dev/zero"]) == 1  # would never end if read
    assert "device" in capsys.readouterr().err


def test_nul_bytes_in_the_middle_are_refused_with_their_offset(capsys, tmp_path):
    f = tmp_path / "nul.md"
    body = "中文段落。\n".encode() * 20000  # far beyond the first and last 64 KB
    f.write_bytes(body + b"x\x00y" + body)
    assert main(["parse", str(f)]) == 1
    err = capsys.readouterr().err
    assert f"NUL byte at offset {len(body) + 1}" in err


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_decoded(capsys, tmp_path, codec):
    f = tmp_path / "u16.md"
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    f.write_bytes(bom + "1.1 科技金融\n\n支持企业**5**家。\n".encode(codec))
    code = main(["parse", str(f), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0 and "UTF-16" in err
    assert json.loads(out)["metrics"][0]["value"] == 5


def test_a_decoding_error_reports_the_right_byte_offset(capsys, tmp_path):
    f = tmp_path / "bad.md"
    good = "中文。".encode()  # 9 bytes, after a 3-byte BOM
    f.write_bytes(b"\xef\xbb\xbf" + good + b"\xff\xfe\xfd\x80\x81\xff" * 3)
    assert main(["parse", str(f)]) == 1
    err = capsys.readouterr().err
    assert "byte 12 " in err  # 3 (BOM) + 9: the first byte that is not UTF-8


def test_a_symlink_loop_is_called_a_loop(capsys, tmp_path):
    (tmp_path / "a.md").symlink_to("b.md")
    (tmp_path / "b.md").symlink_to("a.md")
    assert main(["parse", str(tmp_path / "a.md")]) == 1
    assert "symlink loop" in capsys.readouterr().err


def test_a_file_name_that_is_not_utf8_is_ingested(capsys, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    name = os.fsdecode(b"\xb1\xa8\xb8\xe6.md")  # 报告 in GBK: not UTF-8
    (folder / name).write_text("1.1 科技\n\n支持企业**5**家。\n", encoding="utf-8")
    db = tmp_path / "s.json"
    code = main(["--db", str(db), "ingest", str(folder), "--year", "2024"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert main(["--db", str(db), "metrics", "--year", "2024", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["value"] == 5


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_is_one_line(capsys, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0)
    try:
        assert main(["--db", str(tmp_path / "s.json"), "ingest", str(folder)]) == 1
        err = capsys.readouterr().err
        assert "permission" in err.lower() and len(err.strip().splitlines()) == 1
    finally:
        folder.chmod(0o755)


# -- manifests ------------------------------------------------------------------------

@pytest.fixture
def outside(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# 秘密\n\nSECRET-LINE 全年新增企业42家。\n", encoding="utf-8")
    folder = tmp_path / "m"
    folder.mkdir()
    return folder, secret


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_manifest_paths_stay_inside_its_folder(capsys, tmp_path, outside, how):
    folder, secret = outside
    if how == "symlink":
        (folder / "inside.md").symlink_to(secret)
        name = "inside.md"
    else:
        name = "../secret.md" if how == "dotdot" else str(secret)
    (folder / "manifest.yaml").write_text(f"documents:\n  - file: {name}\n    year: 2024\n    title: x\n")
    db = tmp_path / "s.json"
    assert main(["--db", str(db), "ingest", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "outside the manifest's folder" in err and "--allow-outside" in err and "entry 1" in err
    assert not db.exists() or "SECRET" not in db.read_text(errors="replace")
    assert main(["--db", str(db), "ingest", str(folder), "--allow-outside"]) == 0  # the user's choice
    capsys.readouterr()
    assert main(["--db", str(db), "metrics", "--year", "2024", "--format", "json"]) == 0
    assert 42 in [m["value"] for m in json.loads(capsys.readouterr().out)]


@pytest.mark.parametrize("value, kind", [("2024", "a number"), ("2024-03-01", "a date"), ("[a, b]", "a list")])
def test_manifest_titles_must_be_text(capsys, tmp_path, value, kind):
    (tmp_path / "a.md").write_text("1.1 科技\n\n支持企业**5**家。\n", encoding="utf-8")
    (tmp_path / "manifest.yaml").write_text(f"documents:\n  - file: a.md\n    year: 2024\n    title: {value}\n")
    assert main(["--db", str(tmp_path / "s.json"), "ingest", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "entry 1 (a.md)" in err and "'title'" in err and kind in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# -- the command line never shows a traceback for a user's mistake ------------------------

def test_parse_piped_into_head_exits_0_quietly(tmp_path):
    f = tmp_path / "big.md"
    f.write_text("".join(f"# {k} 标题\n\n新增企业{k}家。\n\n" for k in range(1, 20000)), encoding="utf-8")
    for fmt in ("json", "text"):
        # the pipeline's status is head's: ask bash for kjtui's own
        result = subprocess.run(["bash", "-c", f"'{sys.executable}' -m kjtui parse '{f}' --year 2024 --format {fmt} 2>'{tmp_path}/err' "
                                 f"| head -1 >/dev/null; echo ${{PIPESTATUS[0]}}"], capture_output=True, text=True, timeout=120)
        assert result.stdout.strip() == "0", (fmt, (tmp_path / "err").read_text())
        assert (tmp_path / "err").read_text() == ""


def test_a_closed_stdout_is_not_an_error(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("1.1 科技\n\n支持企业**5**家。\n", encoding="utf-8")
    result = subprocess.run(["bash", "-c", f"'{sys.executable}' -m kjtui parse '{f}' --format json >&-"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Traceback" not in result.stderr


def test_a_db_whose_parent_is_a_file_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    result = _run_cli("--db", str(tmp_path / "file" / "s.json"), "metrics", timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "file" in result.stderr


def test_an_unwritable_home_is_one_line_or_works(tmp_path):
    home = tmp_path / "home"
    home.write_text("not a folder")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KJTUI_", "XDG_"))}
    env["HOME"] = str(home)
    result = subprocess.run([sys.executable, "-m", "kjtui", "metrics", "--year", "2024"], capture_output=True,
                            text=True, timeout=120, env=env)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0 or len(result.stderr.strip().splitlines()) == 1


def test_json_bytes_with_any_unsafe_character_are_flagged_and_plain_text_is_not():
    import orjson

    from kjtui.sanitize import UNSAFE_CHARACTERS, json_may_be_unsafe

    for ch in UNSAFE_CHARACTERS:  # every character the sanitizer removes, as orjson writes it
        assert json_may_be_unsafe(orjson.dumps({"label": f"甲{ch}乙"})), hex(ord(ch))
    assert not json_may_be_unsafe(orjson.dumps({"label": "“科技”履约贷\t—·…\n", "value": 1.5}))


def test_json_bytes_escaping_an_unsafe_character_by_hand_are_flagged():
    from kjtui.sanitize import json_may_be_unsafe

    for escape in (rb"\u202e", rb"\u009b", rb"\u001b", rb"\u2066", rb"\u007f"):  # a store edited by hand
        assert json_may_be_unsafe(b'{"label":"\xe7\x94\xb2' + escape + b'"}'), escape

"""Crash-safe file writes: a reader sees the old file or the new one, never half.

Writes only over what is ours to replace:

* anything that is not a regular file (a device such as /dev/full, a FIFO, a
  socket, a folder) is refused with `NotARegularFile` (an OSError) and left alone;
* a symlink is followed: its target is replaced and the link stays a link;
* an existing file we may not write to (read-only) is refused (PermissionError):
  a rename would replace it anyway, behind its owner's back;
* an existing file keeps its permission bits; a new file gets the umask's
  (0666 & ~umask, like any editor), not mkstemp's 0600;
* our own temporary files (`.NAME.XXXXXXXX.tmp` beside the target) that a killed
  writer left behind are removed on the next write once they are stale.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

STALE_AFTER = 600.0  # seconds: an older temp file of ours is a killed writer's, not a running one's


class NotARegularFile(OSError):
    """The path exists but is a device, FIFO, socket or folder: never replaced."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(errno.EINVAL, f"is {what}, not a regular file; kjtui only writes regular files", str(path))


def write_text(path: str | os.PathLike[str], text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    target = resolve_target(Path(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(target)
    clean_stale(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            with contextlib.suppress(OSError):
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def resolve_target(path: Path) -> Path:
    """The file a write to `path` must replace: a symlink's final target (the link is
    kept), checked to be a regular file we may write, or a path that does not exist yet.
    Raises NotARegularFile, PermissionError, or OSError(ELOOP) for a symlink loop."""
    if os.path.islink(path):
        real = Path(os.path.realpath(path))
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OSError(errno.ELOOP, "is a symlink loop; fix the link", str(path)) from None
            # a dangling link: write the file it points to
        path = real
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return path
    check_regular(path, info.st_mode)
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):  # no write bit: read-only even for root
        raise PermissionError(errno.EACCES, "is read-only; kjtui will not replace it (change its permissions first)", str(path))
    return path


def check_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    what = ("a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a special file")
    raise NotARegularFile(path, what)


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (threads)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temp_pattern(target: Path) -> re.Pattern[str]:
    """Names of the temporary files write_bytes makes for `target` (mkstemp: 8 random characters)."""
    return re.compile(rf"\.{re.escape(target.name)}\.[A-Za-z0-9_]{{8}}\.tmp")


def clean_stale(target: Path, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove our own temp files for `target` left by killed writers (older than
    `older_than` seconds; 0 under a lock that excludes other writers). Returns them."""
    pattern = temp_pattern(target)
    removed: list[Path] = []
    now = time.time()
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        if not pattern.fullmatch(name):
            continue
        stale = target.parent / name
        with contextlib.suppress(OSError):
            info = os.lstat(stale)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime >= older_than:
                os.unlink(stale)
                removed.append(stale)
    return removed


def _fsync_dir(folder: Path) -> None:
    # the rename itself must reach the disk, or a crash can bring the old name back
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

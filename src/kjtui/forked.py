"""Two calls at once on a machine with more than one core: the second in a forked child.

`kjtui parse` hands `both` to parse_document, which finds the metrics of a long text's
second half in the child while the parent does the first. Fork shares the parsed text
with the child for free; only the child's result (plain tuples) comes back, pickled
through a pipe. Anything unusual (no fork, one core, threads running, the child failing)
and the second call simply runs here, after the first: the result is the same.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def usable() -> bool:
    """Fork is safe and worth it: POSIX fork, two cores or more, and no other thread (a
    thread holding a lock at the fork would leave that lock held forever in the child)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return cores > 1


def both(first: Callable[[], T], second: Callable[[], T]) -> tuple[T, T]:
    """(first(), second()), the second computed in a forked child when `usable()`."""
    if not usable():
        return first(), second()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return first(), second()
    if pid == 0:  # the child: compute, send, and leave without running any of the parent's exit code
        code = 0
        try:
            os.close(read_end)
            data = pickle.dumps(second(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        result_first = first()
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not data:
        return result_first, second()  # the child failed (killed, out of memory): do it here
    return result_first, pickle.loads(data)

"""The plain terminal view of a large selection laid out by two processes, in the same order.

Decoding and laying out an event is the whole cost of the view (the text is the same whoever
makes it), so the rows of a selection are cut into batches: this process takes the even ones,
a forked child the odd ones. Each reads every row from its own connection to the index, decodes
and checks only its own batches, and passes over the others (``display.Passed``) knowing only
their first day, so that both see the same years and eras and lay them out by the one layout
code path (``render.plain_chunks``). The child sends each batch's text back through a pipe; it
blocks there until this process reads it, so at most a batch is held on either side, and the
text is written in order as it comes.

Anything wrong with the child (it fails, dies, or sends less than it should) or with this
process's own batches is answered by laying out the rest in this process alone, from the index
or, if that is damaged, from the files (``index.Selected``), skipping what was already written:
the output is the same bytes either way. The child ends with this process, however that ends
(a reader that went away, Ctrl-C): it is killed and waited for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import sys
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from timeline.index import Index, Related, Selected
from timeline.query import Filter

MIN_EVENTS = 20000  # below this, one process: forking and reading every row twice do not pay
_HEADER = struct.Struct("<q")  # the length of a batch's text in bytes; negative: the child failed


def worth(count: int) -> bool:
    """Whether to lay out ``count`` events with a second process: a large view, fork, and a core
    that nothing else wants at the moment. With every core busy the child's half of the work
    only waits for a core, and the view is slower by what reading every row twice costs."""
    if count < MIN_EVENTS or not hasattr(os, "fork"):
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cores or 1) < 2:
        return False
    try:  # Linux: "0.52 0.58 0.59 2/183 1234", the 2 being the tasks running now, this one too
        with open("/proc/loadavg", encoding="ascii") as stats:
            running = int(stats.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return True
    return running < (cores or 1)


def chunks(
    console: Any,
    index: Index,
    criteria: Filter,
    count: int,
    understood: list[str],
    related: Related,
    serial: Callable[[], Any],
) -> Iterator[str]:
    """The view's text (as ``render.plain_chunks`` makes it for ``count`` selected events), laid
    out by this process and a child; ``related`` finds the events of "See also" here, ``serial``
    gives the selection's events for the fallback."""
    from timeline.render import plain_chunks

    def laid_out(events: Any, related: Related) -> Iterator[str]:
        return plain_chunks(console, events, index.header, understood=understood, count=count, by_id=related)

    size = Selected.BATCH
    batches = -(-count // size)
    sys.stdout.flush()
    sys.stderr.flush()
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child (its exit status is what tests see)
        os.close(reader)
        _child(writer, index, criteria, laid_out)
    os.close(writer)
    written = 0  # blocks written: the heading, then one per event
    try:
        try:
            mine = index.select(criteria)[1].alternate(lambda n: n % 2 == 0)
            own = laid_out(related.ahead(mine), related)
            yield next(own)  # the heading
            written = 1
            for number in range(batches):
                yield "".join(islice(own, size)) if number % 2 == 0 else _receive(reader)
                written += min(size, count - number * size)
            return
        except Exception:  # whatever failed, the rest is laid out here alone
            pass
        _stop(child)
        child = 0
        yield from islice(laid_out(related.ahead(serial()), related), written, None)
    finally:
        os.close(reader)
        if child:
            _stop(child)


def _child(writer: int, parent_index: Index, criteria: Filter, laid_out: Any) -> None:  # pragma: no cover
    """Lay out the odd batches and send them; never returns (never runs the parent's exit code)."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it at once, quietly
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)  # a reader of the parent's output must not wait for the child's copy
        os.dup2(null, 2)
        index = Index(parent_index.path, parent_index.key)  # a connection of its own
        related = Related(index)
        own = laid_out(related.ahead(index.select(criteria)[1].alternate(lambda n: n % 2 == 1)), related)
        next(own)  # the heading: the parent's
        size = Selected.BATCH
        while True:
            text = "".join(islice(own, size))
            if not text:
                break
            data = text.encode("utf-8", "surrogatepass")
            _send(writer, _HEADER.pack(len(data)) + data)
        status = 0
    except BaseException:  # the parent lays the rest out itself
        with contextlib.suppress(BaseException):
            _send(writer, _HEADER.pack(-1))
    finally:
        os._exit(status)


def _send(writer: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(writer, view) :]


def _read(reader: int, size: int) -> bytes:
    parts: list[bytes] = []
    while size:
        part = os.read(reader, min(size, 1 << 20))
        if not part:
            raise EOFError("the child ended early")
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _receive(reader: int) -> str:
    (size,) = _HEADER.unpack(_read(reader, _HEADER.size))
    if size < 0:
        raise RuntimeError("the child failed")
    return _read(reader, size).decode("utf-8", "surrogatepass")


def _stop(child: int) -> None:
    """End the child if it still runs, and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(child, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(child, 0)

"""A second core for large outputs: numbered batches of events turned into text by two processes.

A large dataset's selection (``timeline.index.Selected``) is read in batches of consecutive
events. ``Child`` is the one home of the plumbing: a forked child computes a sequence of
results (the odd batches) while this process computes the even ones, and sends each back
through a pipe as soon as this process is ready for it; it blocks there, so neither holds more
than about one batch, and the output is written in order as it is made. The child reads its
batches from the index itself (a connection of its own), so nothing large is copied.

- ``map_batches`` / ``map_events``: a pure function of each batch (CSV rows, JSON records,
  Markdown entries);
- ``view_chunks``: the plain terminal view, whose years and eras run across batches: each
  process reads every row, decodes only its own batches and passes over the others
  (``display.Passed``) knowing only their first day, so both lay out by the one code path
  (``render.plain_chunks``).

This process stays the one source of truth: anything the child cannot do (a damaged batch, an
error, a crash, a child that cannot be started) is done here instead, exactly as it would have
been without the child, and the child is not used again; the bytes are the same either way.
Whatever happens (the reader of the output goes away, Ctrl-C, an exception), the child is
killed and reaped. A child is used only for a large selection, on a machine with a core free at
that moment (with every core busy it would only wait for one); ``TIMELINE_JOBS=1`` never uses
one, ``TIMELINE_JOBS=2`` always does (where fork exists).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, cast

R = TypeVar("R")

MISSING: Any = object()  # what ``Child.take`` answers when the child could not give the next result
_HEADER = 8  # bytes of the length that precedes each result; 0 means "could not"


class Batches(Protocol):
    """What ``map_batches`` reads: numbered batches (``timeline.index.Selected``)."""

    def __len__(self) -> int: ...  # events in all
    def batch_count(self) -> int: ...
    def batch(self, number: int) -> list[Any]: ...
    def decode_batch(self, number: int) -> list[Any]: ...
    @property
    def fell_back(self) -> bool: ...


MIN_EVENTS = 20000  # below this, one process: forking and reading rows twice do not pay


def worth(count: int) -> bool:
    """Whether to use a second process for an output of ``count`` events: ``TIMELINE_JOBS`` when
    set (1 or 2), else a large output, fork, and a core that nothing else wants at the moment.
    With every core busy the child's half of the work only waits for a core."""
    if not hasattr(os, "fork"):
        return False
    chosen = os.environ.get("TIMELINE_JOBS", "").strip()
    if chosen.isdigit() and int(chosen) >= 1:
        return int(chosen) >= 2
    if count < MIN_EVENTS:
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


def map_events(events: Sequence[Any], work: Callable[[list[Any]], R], size: int = 500) -> Iterator[R]:
    """``work`` applied to consecutive slices of ``events``, in order: through ``map_batches`` for a
    large dataset's selection (which has batches of its own), else slices of ``size`` here."""
    if hasattr(events, "batch_count"):
        yield from map_batches(cast(Batches, events), work)
        return
    for start in range(0, len(events), size):
        yield work(list(events[start : start + size]))


def map_batches(batches: Batches, work: Callable[[list[Any]], R]) -> Iterator[R]:
    """``work(batch)`` for each batch of ``batches``, in order (see the module's docstring).

    ``work`` must be pure and its result made of strings, numbers, lists, tuples and dicts
    (it is sent through a pipe with ``marshal``).
    """
    count = batches.batch_count()
    if count < 2 or not worth(len(batches)):
        for number in range(batches.batch_count()):
            yield work(batches.batch(number))
        return
    child = Child.start(lambda: (work(batches.decode_batch(n)) for n in range(1, count, 2)))
    try:
        number = 0
        while number < batches.batch_count():
            result: Any = MISSING
            if number % 2 and child is not None and not batches.fell_back:
                result = child.take()
                if result is MISSING:  # it could not: done here, and the child is not used again
                    child.stop()
                    child = None
            if result is MISSING:
                result = work(batches.batch(number))
            yield result
            number += 1
    finally:
        if child is not None:
            child.stop()


class Child:
    """A forked process that computes a sequence of results and sends each back through a pipe,
    one at a time: it runs ahead of this process by at most one result (it blocks on the pipe).

    The one home of the plumbing of a second process (``map_batches``, ``view_chunks``).
    ``stop`` kills and reaps it; always call it.
    """

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.stream = os.fdopen(reader, "rb")

    @classmethod
    def start(cls, results: Callable[[], Iterator[Any]]) -> Child | None:
        """Fork a child that sends ``results()`` (each made of strings, numbers, lists, tuples
        and dicts: sent with ``marshal``); None when no child can be started."""
        try:
            reader, writer = os.pipe()
        except OSError:
            return None
        try:
            import fcntl

            fcntl.fcntl(writer, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)  # room for a batch
        except (ImportError, OSError):
            pass
        for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            return None
        if pid == 0:  # the child: never returns
            os.close(reader)
            _serve(results, writer)
        os.close(writer)
        return cls(pid, reader)

    def take(self) -> Any:
        """The child's next result, or MISSING if it could not give it (failed, died, ended)."""
        import marshal

        try:
            header = self.stream.read(_HEADER)
            size = int.from_bytes(header, "big") if len(header) == _HEADER else 0
            if size == 0:
                return MISSING
            payload = self.stream.read(size)
            if len(payload) != size:
                return MISSING
            return marshal.loads(payload)
        except (OSError, ValueError, EOFError, TypeError):
            return MISSING

    def stop(self) -> None:
        """Kill and reap the child (it may be blocked writing a result nobody will read)."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)
        self.stream.close()


def _serve(results: Callable[[], Iterator[Any]], writer: int) -> None:
    """The child's whole life: send each result; exit without cleanup handlers (the parent's
    buffers, files and atexit hooks are the parent's). Any failure sends "could not"."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it quietly, with the parent
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # so does a parent that went away
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # a reader of the parent's output must not wait for the child's copy
            os.dup2(null, fd)
        import marshal

        with os.fdopen(writer, "wb") as out:
            try:
                for result in results():
                    _send(out, marshal.dumps(result))
            except Exception:  # anything: the parent does the rest itself
                out.write(bytes(_HEADER))
                out.flush()
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def view_chunks(
    console: Any,
    index: Any,
    criteria: Any,
    count: int,
    understood: list[str],
    related: Any,
    serial: Callable[[], Any],
) -> Iterator[str]:
    """The plain view's text (as ``render.plain_chunks`` makes it for ``count`` selected events),
    laid out by this process and a child; ``related`` (``index.Related``) finds the events of
    "See also" here, ``serial`` gives the selection's events for the fallback."""
    from itertools import islice

    from timeline.index import Index, Related, Selected
    from timeline.render import plain_chunks

    def laid_out(events: Any, related: Any) -> Iterator[str]:
        return plain_chunks(console, events, index.header, understood=understood, count=count, by_id=related)

    size = Selected.BATCH

    def odd() -> Iterator[str]:  # in the child: a connection of its own
        own_index = Index(index.path, index.key)
        own_related = Related(own_index)
        own = laid_out(
            own_related.ahead(own_index.select(criteria)[1].alternate(lambda n: n % 2 == 1)), own_related
        )
        next(own)  # the heading: the parent's
        while text := "".join(islice(own, size)):
            yield text

    batches = -(-count // size)
    child = Child.start(odd) if batches > 1 else None
    written = 0  # blocks written: the heading, then one per event
    try:
        try:
            mine = index.select(criteria)[1].alternate(lambda n: n % 2 == 0 or child is None)
            own = laid_out(related.ahead(mine), related)
            yield next(own)  # the heading
            written = 1
            for number in range(batches):
                if number % 2 == 0 or child is None:
                    text = "".join(islice(own, size))
                else:
                    text = child.take()
                    if text is MISSING or type(text) is not str:
                        raise RuntimeError("the child could not")
                yield text
                written += min(size, count - number * size)
            return
        except Exception:  # whatever failed, the rest is laid out here alone
            pass
        if child is not None:
            child.stop()
            child = None
        yield from islice(laid_out(related.ahead(serial()), related), written, None)
    finally:
        if child is not None:
            child.stop()


def _send(out: Any, payload: bytes) -> None:
    """One result to the parent: its length, then its bytes."""
    out.write(len(payload).to_bytes(_HEADER, "big"))
    out.write(payload)
    out.flush()

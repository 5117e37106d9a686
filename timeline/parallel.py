"""The second core for large outputs: numbered batches of events turned into text by two processes.

A large dataset's selection (``timeline.index.Batched``) is read in batches of consecutive
events. ``map_batches`` applies a pure function to each batch, in order; when the machine has
more than one core and can fork, a forked child computes the odd batches while this process
computes the even ones, and sends each result back through a pipe as soon as this process is
ready for it. The child decodes its batches from the index itself (its own connection), so
nothing large is copied between the two, and neither holds more than about one batch at a
time: the output is written as it is made, and memory does not grow with it.

This process stays the one source of truth: anything the child cannot do (a damaged batch,
an error, a crash, a child that cannot be started) is done here instead, exactly as it would
have been without the child, and the child is not used again. Whatever happens (the reader of
the output goes away, Ctrl-C, an exception), the child is killed and reaped before
``map_batches`` returns. ``TIMELINE_JOBS=1`` turns the child off; results are the same either way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, cast

R = TypeVar("R")

_HEADER = 8  # bytes of the length that precedes each result; 0 means "could not"


class Batches(Protocol):
    """What ``map_batches`` reads: numbered batches (``timeline.index.Batched``)."""

    def batch_count(self) -> int: ...
    def batch(self, number: int) -> list[Any]: ...
    def decode_batch(self, number: int) -> list[Any]: ...
    @property
    def fell_back(self) -> bool: ...


def jobs() -> int:
    """How many processes may work on one output: TIMELINE_JOBS (1 or 2), else 2 when this process
    may run on more than one core."""
    chosen = os.environ.get("TIMELINE_JOBS", "").strip()
    if chosen.isdigit() and int(chosen) >= 1:
        return min(int(chosen), 2)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return 2 if cores > 1 else 1


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
    if count < 2 or jobs() < 2 or not hasattr(os, "fork"):
        for number in range(batches.batch_count()):
            yield work(batches.batch(number))
        return
    child = Child.start(lambda: (work(batches.decode_batch(n)) for n in range(1, count, 2)))
    try:
        number = 0
        while number < batches.batch_count():
            result: Any = _MISSING
            if number % 2 and child is not None and not batches.fell_back:
                result = child.take()
                if result is _MISSING:  # it could not: done here, and the child is not used again
                    child.stop()
                    child = None
            if result is _MISSING:
                result = work(batches.batch(number))
            yield result
            number += 1
    finally:
        if child is not None:
            child.stop()


_MISSING: Any = object()
MISSING = _MISSING  # what ``Child.take`` answers when the child could not give the next result


class Child:
    """A forked process that computes a sequence of results and sends each back through a pipe,
    one at a time: it runs ahead of this process by at most one result (it blocks on the pipe).

    The one home of the plumbing of a second process: ``map_batches`` here, and the terminal view
    (``timeline.viewpair``) use it. ``stop`` kills and reaps it; always call it.
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
                return _MISSING
            payload = self.stream.read(size)
            if len(payload) != size:
                return _MISSING
            return marshal.loads(payload)
        except (OSError, ValueError, EOFError, TypeError):
            return _MISSING

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
                    payload = marshal.dumps(result)
                    out.write(len(payload).to_bytes(_HEADER, "big"))
                    out.write(payload)
                    out.flush()
            except Exception:  # anything: the parent does the rest itself
                out.write(bytes(_HEADER))
                out.flush()
    except BaseException:
        status = 1
    finally:
        os._exit(status)

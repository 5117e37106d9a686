"""Find the dataset (--data, $TIMELINE_DATA, packaged copy, checkout copy), read it, validate it.

A valid file is read fast without positions (``timeline.fastload``: yaml-rs for YAML, json for
``.json`` files); a file with any problem is read again by ``timeline.yamlread`` (or
``timeline.jsonread``), which keeps each value's line and column for the messages.
Only regular files up to ``MAX_BYTES`` (1 GiB) are read; devices, FIFOs and sockets are refused.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from timeline.errors import DataError, Problem

if TYPE_CHECKING:
    from timeline.models import Event, Timeline
    from timeline.query import Filter

ENV_VAR = "TIMELINE_DATA"
# A hard limit on a data file's size: 1 GiB. An honest 100,000-event file is about 165 MB; reading
# YAML peaks at roughly 20x the file's size in memory, so a larger file is refused with a reason
# rather than exhausting memory. The shape of what is read is limited in timeline.yamlread.
MAX_BYTES = 1024 * 1024 * 1024

# (name, the text or its UTF-8 bytes, or None: then the problems that kept the file from being read)
Texts = list[tuple[str, "str | bytes | None", list[Problem]]]


def packaged_dataset() -> Path:
    """The shipped dataset: inside the installed package, or in the checkout for editable installs."""
    here = Path(__file__).resolve().parent
    inside = here / "data" / "events.yaml"
    if inside.is_file():
        return inside
    checkout = here.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "data" / "events.yaml").is_file():
        return checkout / "data" / "events.yaml"
    raise DataError([Problem(str(inside), "the shipped dataset is missing; reinstall, or pass --data")])


def locate(paths: list[Path] | None = None, environ: dict[str, str] | None = None) -> list[Path]:
    """The files to read: explicit paths, else $TIMELINE_DATA (os.pathsep-separated), else shipped."""
    if paths:
        return list(paths)
    env = (os.environ if environ is None else environ).get(ENV_VAR, "")
    if env.strip():
        return [Path(p) for p in env.split(os.pathsep) if p.strip()]
    return [packaged_dataset()]


def read_text(path: Path) -> str:
    """The file's text, UTF-8 (a byte-order mark is allowed); every failure is a DataError.

    Only a regular file of at most MAX_BYTES is read: a device (/dev/zero), a FIFO or a socket
    is refused before it is read, and the file is opened without blocking and checked again.
    """
    return _read_text(path)[0]


def _read_text(path: Path, *, digest: bool = False) -> tuple[str, str | None]:
    """(``read_text``, with ``digest``: the digest ``cache.key`` takes of that text, from the
    bytes read, which are its UTF-8 once decoded strictly)."""
    name = str(path)
    data = _read_data(path, name)
    text = _decoded(data, name)
    if not digest:
        return text, None
    from timeline import cache

    return text, cache.digest_file([data])


def _read_data(path: Path, name: str) -> bytes:
    """The file's bytes, its byte-order mark left out; a binary file is refused."""
    data = _read_regular(path, name)
    if b"\x00" in data[:8192]:
        raise DataError([Problem(name, "is a binary file, not YAML text")])
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _decoded(data: bytes, name: str) -> str:
    """The text of a file's bytes, UTF-8; a DataError located where the UTF-8 breaks."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            [Problem(name, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})", line, column)]
        ) from None


def _as_read(data: bytes, name: str) -> str | bytes:
    """A file as the fast path reads it: a YAML file's bytes, decoded there a piece at a time
    (``fastload.parse_plain``); a JSON file's text, which ``json`` reads whole."""
    return _decoded(data, name) if is_json(name) else data


def _read_regular(path: Path, name: str) -> bytes:
    def refuse(message: str) -> NoReturn:
        raise DataError([Problem(name, message)])

    try:
        _check_kind(os.stat(path), refuse)
        # O_NONBLOCK: should the path have become a FIFO since, opening it does not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            _check_kind(os.fstat(handle.fileno()), refuse)
            data = handle.read(MAX_BYTES + 1)  # bounded, even if the file grows meanwhile
    except FileNotFoundError:
        refuse("no such file")
    except PermissionError:
        refuse("permission denied")
    except OSError as exc:
        refuse(f"cannot read: {exc.strerror or exc}")
    if len(data) > MAX_BYTES:
        refuse(_too_big(len(data)))
    return data


def _check_kind(info: os.stat_result, refuse: Callable[[str], NoReturn]) -> None:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        refuse("is a directory, not a YAML file")
    if not stat.S_ISREG(mode):
        kinds = (
            (stat.S_ISFIFO, "a named pipe (FIFO)"),
            (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a device"),
        )
        kind = next((label for test, label in kinds if test(mode)), "a device or special file")
        refuse(f"is {kind}, not a regular file; only regular files are read")
    if info.st_size > MAX_BYTES:
        refuse(_too_big(info.st_size))


def _too_big(size: int) -> str:
    return f"is {size / 1048576:.1f} MiB; datasets over {MAX_BYTES // 1048576} MiB (1 GiB) are refused"


def is_json(name: str) -> bool:
    """Whether a data file is JSON (``.json``, the same schema) rather than YAML."""
    return name.lower().endswith(".json")


def parse_positioned(text: str, name: str) -> Any:
    """Text into values that know their line and column: YAML, or JSON for a ``.json`` file."""
    if is_json(name):
        from timeline.jsonread import parse_json

        return parse_json(text, name)
    from timeline.yamlread import parse_yaml

    return parse_yaml(text, name)


def load_raw(path: Path) -> Any:
    """Read one file into positioned plain values."""
    return parse_positioned(read_text(path), str(path))


def load(paths: list[Path] | None = None, *, use_cache: bool = True) -> Timeline:
    """Locate, read and validate the dataset(s); raises DataError listing every problem.

    An unchanged dataset comes from the cache of validated data (``timeline.cache``), so a
    normal start-up neither parses YAML nor imports the validator. The cache is keyed on the
    very text that is parsed here, so what it stores can only ever stand for that text.
    """
    files = locate(paths)
    return _load(files, _stored_key(files) if use_cache else None, use_cache=use_cache)


def load_selected(paths: list[Path] | None, criteria: Filter) -> tuple[Timeline, Sequence[Event]]:
    """(timeline, the events ``query.select`` picks from it), as ``load`` then ``select`` answer.

    The timeline may hold only the selected events: when the cache of a large dataset is an
    index (``timeline.index``), only the matching events are decoded, a batch at a time as
    they are read (``index.Selected``).
    """
    found = load_indexed(paths, criteria)
    if found is not None:
        return found
    from timeline.query import select

    files = locate(paths)
    timeline = _load(files, _stored_key(files), use_cache=True)
    return timeline, select(timeline, criteria)


def load_indexed(
    paths: list[Path] | None,
    criteria: Filter,
    words: Sequence[str] = (),
    read_as: list[Filter] | None = None,
) -> tuple[Timeline, Sequence[Event]] | None:
    """What ``load_selected`` answers, from a large dataset's index only; None when there is no
    valid index for the files as they are, or the criteria need the whole load (an unknown id:
    its message names close ones), and the caller then loads them. ``words``: the free words of
    `show`/`filter`, looked up as ids when all are (``query.lookup``); ``read_as``, if given,
    receives the criteria as the index read them."""
    from timeline import cache

    index = open_index(paths)
    if index is None:
        return None
    import sqlite3

    from timeline.index import Corrupt

    try:
        found = index.select(criteria, words)
        if not hasattr(found[1], "batch_count"):  # decoded already (a search): nothing more to read
            index.close()  # (a selection reads its batches as they are asked for)
        if read_as is not None:
            read_as.append(index.criteria)
        return found  # type: ignore[no-any-return]
    except (Corrupt, cache.Corrupt, sqlite3.Error, ValueError, TypeError, KeyError):
        index.close()  # a bad entry is a miss: the caller reads the files, which rebuilds it
        return None


def _stored_key(files: list[Path]) -> Any:
    """``_quick_key`` when the cache holds an entry for these files, else None: a first run
    hashes the text it reads once, for the entry it writes (``_load``), and not before."""
    from timeline import cache

    return _quick_key(files) if cache.present([str(path) for path in files]) else None


def open_index(paths: list[Path] | None) -> Any:
    """The open index (``timeline.index.Index``) of a large dataset's files as they are, or None
    when there is no valid one (the caller then loads the files); the files are hashed only when
    the cache holds an index for them."""
    from timeline import cache

    files = locate(paths)
    if not cache.present([str(path) for path in files], index=True):
        return None  # nothing to open: the files are not hashed for nothing
    key = _quick_key(files)
    return cache.open_index(key) if key is not None else None


def _quick_key(files: list[Path]) -> Any:
    """The cache key of the files as they are, hashed in chunks without decoding or keeping
    them; None when any of them is not a readable regular file (reading it then says why)."""
    from timeline import cache

    digests: list[tuple[str, str]] = []
    for path in files:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        except OSError:
            return None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            os.close(fd)
            return None
        with os.fdopen(fd, "rb") as handle:
            try:
                first = handle.read(1 << 20)
                if first.startswith(b"\xef\xbb\xbf"):
                    first = first[3:]

                def chunks(first: bytes = first) -> Iterator[bytes]:
                    yield first
                    read = len(first)
                    while chunk := handle.read(1 << 20):
                        read += len(chunk)
                        if read > MAX_BYTES:
                            raise OSError("too big")
                        yield chunk

                digests.append((str(path), cache.digest_file(chunks())))
            except OSError:
                return None
    return cache.key_of(digests)


def _load(files: list[Path], quick_key: Any, *, use_cache: bool) -> Timeline:
    from timeline import cache

    if quick_key is not None:
        cached = cache.read(quick_key)
        if cached is not None:
            return cached
    texts: Texts = []  # a YAML file's bytes: decoded a piece at a time on the fast path (fastload)
    digests: list[tuple[str, str]] = []
    for path in files:
        try:
            data = _read_data(path, str(path))
            digest = cache.digest_file([data]) if use_cache else ""
            texts.append((str(path), _as_read(data, str(path)), []))
            digests.append((str(path), digest))
            del data  # a JSON file's bytes, once decoded
        except DataError as exc:
            texts.append((str(path), None, exc.problems))
    key = None
    if use_cache and all(text is not None for _, text, _ in texts):
        key = cache.key_of(digests)  # what cache.key(texts) is, without encoding the texts again
    from timeline.gcpause import paused_gc

    with paused_gc():  # millions of objects built, none of them garbage (see timeline.fastload)
        timeline = _load_fast(texts)
        if timeline is None:
            timeline = _load_positioned(texts)
        del texts  # the files: writing the cache does not need them
        if key:
            cache.write(key, timeline)
    return timeline


def read_texts(files: Sequence[Path]) -> Texts:
    """Each file as the loader reads it (a YAML file's bytes, decoded a piece at a time on the fast
    path; a JSON file's text), or None and the problems that kept it from being read."""
    texts: Texts = []
    for path in files:
        try:
            texts.append((str(path), _as_read(_read_data(path, str(path)), str(path)), []))
        except DataError as exc:
            texts.append((str(path), None, exc.problems))
    return texts


def plain_documents(texts: Texts) -> list[tuple[str, Any]] | None:
    """Each text read fast without positions (``timeline.fastload``), or None when any file
    could not be read or the fast path cannot vouch for one: ``positioned_documents`` then
    says exactly what is wrong. The caller pauses the collector (``gcpause``)."""
    if any(text is None for _, text, _ in texts):
        return None
    from timeline.fastload import parse_json, parse_plain

    docs: list[tuple[str, Any]] = []
    for name, text, _ in texts:
        ok, value = parse_json(text or "") if is_json(name) else parse_plain(text or "")
        if not ok:
            return None
        docs.append((name, value))
    return docs


def positioned_documents(texts: Texts) -> list[tuple[str, Any]]:
    """Each text read into values that know their line and column; raises DataError with
    every problem of every file (those that could not be read, and syntax errors) at once."""
    docs: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    for name, text, unreadable in texts:
        problems.extend(unreadable)
        if text is None:
            continue
        try:
            docs.append((name, parse_positioned(_decoded(text, name) if type(text) is bytes else text, name)))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return docs


def _load_fast(texts: Texts) -> Timeline | None:
    """The timeline from plain values read without positions, or None when anything is wrong
    (or the fast path cannot vouch for the text): the positioned path then says exactly what."""
    from timeline.gcpause import paused_gc
    from timeline.validate import build

    with paused_gc():
        docs = plain_documents(texts)
        if docs is None:
            return None
        try:
            return build(docs)
        except DataError:
            return None


def _load_positioned(texts: Texts) -> Timeline:
    from timeline.gcpause import paused_gc
    from timeline.validate import build

    with paused_gc():
        return build(positioned_documents(texts))

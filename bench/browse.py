"""`timeline browse` benchmark: time to the first screen, and time to answer a key at scale.

Usage:
  python bench/browse.py --generate 10000 -o /tmp/10k.yaml     # a dataset of N events (copies)
  python bench/browse.py open [--data FILE] [--runs N]          # the real command on a pseudo-terminal
  python bench/browse.py keys [--data FILE] [--runs N]          # keys in the app, headless, 200x60

`open` starts the installed console script on a pseudo-terminal (80x24) and times from the
start of the process until the first frame with the event count is written, then quits it
with `q`. `keys` runs the app in-process with Textual's pilot and times each key from the
moment it is sent until the app has handled it and everything it started (the search, the
list, the event in full, the ruler) and composed the screen. Targets (issue 15): open < 1.5 s
on the shipped data, a key < 100 ms at 10,000 events. A benchmark, not a test: it never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "events.yaml"


def generate(count: int, output: Path) -> None:
    """Copies of the shipped events with new ids (same dates: a denser story), up to ``count``."""
    text = SHIPPED.read_text(encoding="utf-8")
    head, events = text.split("\nevents:\n", 1)
    blocks = re.split(r"(?m)^(?=- id: )", events)
    blocks = [b for b in blocks if b.strip()]
    out = [head, "\nevents:\n"]
    made = 0
    copy = 0
    while made < count:
        for block in blocks:
            if made >= count:
                break
            out.append(re.sub(r"^- id: (\S+)", rf"- id: \1-{copy}", block, count=1) if copy else block)
            if not out[-1].endswith("\n"):
                out[-1] += "\n"
            made += 1
        copy += 1
    output.write_text("".join(out), encoding="utf-8")
    print(f"wrote {output}: {made} events")


def time_open(data: Path | None, runs: int) -> None:
    import pty
    import select

    script = Path(sys.executable).with_name("timeline")
    args = [str(script), *(["--data", str(data)] if data else []), "browse"]
    samples = []
    for run in range(runs + 1):  # the first run warms the file cache and the data cache
        start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.environ.update({"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"})
            os.execv(args[0], args)
        output = b""
        shown = None
        while shown is None:
            ready, _, _ = select.select([fd], [], [], 10)
            if not ready:
                break
            try:
                output += os.read(fd, 65536)
            except OSError:
                break
            if re.search(rb"\d+ events", output):
                shown = time.perf_counter() - start
        os.write(fd, b"q")
        try:
            while os.read(fd, 65536):
                pass
        except OSError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
        if run and shown is not None:
            samples.append(shown)
    print(f"open: {' '.join(args[1:])}: median {statistics.median(samples) * 1000:.0f} ms "
          f"(min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f}; {len(samples)} runs)")  # fmt: skip


def time_terminal(data: Path | None, runs: int) -> None:
    """Keys typed into the real command on a pseudo-terminal (80x24), timed until the screen is redrawn.

    The time of a key is from writing it to the last byte of the redraw it causes (the output
    then stays quiet for 150 ms; a search waits for a pause in the typing, then redraws again).
    """
    import pty
    import select

    script = Path(sys.executable).with_name("timeline")
    args = [str(script), *(["--data", str(data)] if data else []), "browse"]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"})
        os.execv(args[0], args)

    def redraw(keys: bytes) -> float:
        start = time.perf_counter()
        os.write(fd, keys)
        last = start
        wait = 10.0  # for the first byte
        while True:
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                return last - start
            os.read(fd, 65536)
            last = time.perf_counter()
            wait = 0.15

    redraw(b"")  # the first screen
    plan = [("j (next event)", b"j"), ("k (previous event)", b"k"), ("] (next year)", b"]"),
            ("/ (to the search box)", b"/"), ("a letter: 'k', results shown", b"k"),
            ("Esc (the search cleared)", b"\x1b"), ("G (last event)", b"G")]  # fmt: skip
    samples: dict[str, list[float]] = {name: [] for name, _ in plan}
    for _ in range(runs):
        redraw(b"g")  # from the first event each time
        for name, keys in plan:
            samples[name].append(redraw(keys))
    os.write(fd, b"q")
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    print(f"terminal: {' '.join(args[1:])}, 80x24, median of {runs}: from the key to the end of the redraw")
    print("  (Esc: terminals send it alone only after a pause that tells it from an escape sequence)")
    for name, values in samples.items():
        print(f"  {name:<34} {statistics.median(values) * 1000:7.1f} ms   (max {max(values) * 1000:.1f})")


def time_keys(data: Path | None, runs: int) -> None:
    from timeline.loader import load
    from timeline.tui.app import BrowseApp

    timeline = load([data] if data else None)
    app = BrowseApp(timeline, opener=lambda url: True)
    plan = [
        ("x (no command: the pilot itself)", ["x"]),
        ("j (next event)", ["j"]),
        ("k (previous event)", ["k"]),
        ("PgDn", ["pagedown"]),
        ("] (next year)", ["right_square_bracket"]),
        ("G (last event)", ["G"]),
        ("g (first event)", ["g"]),
        ("/ (to the search box)", ["slash"]),
        ("first letter: 'k'", ["k"]),
        ("second letter: 'ki'", ["i"]),
        ("third letter: 'kim'", ["m"]),
        ("fourth: 'kim ' + 'p'", ["space", "p"]),
        ("Backspace (wider again)", ["backspace"]),
        ("Esc (clear the search)", ["escape"]),
    ]
    results: dict[str, list[float]] = {name: [] for name, _ in plan}
    cpu: dict[str, list[float]] = {name: [] for name, _ in plan}

    async def main() -> None:
        async with app.run_test(size=(200, 60)) as pilot:
            await pilot.pause()
            app.model.documents  # noqa: B018 - made in the background after the first frame; wait for it
            await app.workers.wait_for_complete()
            search = app.main.query_one("#search")
            for _ in range(runs):
                app.model._views.clear()  # each run searches afresh, as the first time
                for name, keys in plan:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    await pilot.press(*keys)
                    await pilot.pause()
                    while app.narrowing.search != search.value:  # a debounced search has run
                        await pilot.pause(0.005)
                    await pilot.pause()  # the frame the keys caused has been composed
                    results[name].append(time.perf_counter() - start)
                    cpu[name].append(time.process_time() - start_cpu)

    asyncio.run(main())
    print(f"keys: {len(timeline.events)} events, 200x60, median of {runs} runs (each run: the whole plan)")
    print(f"  {'':<34} {'wall (pilot)':>12} {'CPU':>8} {'CPU max':>8}")
    for name, values in results.items():
        wall, used, most = statistics.median(values), statistics.median(cpu[name]), max(cpu[name])
        print(f"  {name:<34} {wall * 1000:9.1f} ms {used * 1000:5.1f} ms {most * 1000:5.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=["open", "keys", "terminal"])
    parser.add_argument("--generate", type=int, metavar="N")
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    if options.generate:
        generate(options.generate, options.output or Path(f"events-{options.generate}.yaml"))
    elif options.what == "open":
        time_open(options.data, options.runs)
    elif options.what == "terminal":
        time_terminal(options.data, options.runs)
    elif options.what == "keys":
        time_keys(options.data, options.runs)
    else:
        parser.print_help()


if __name__ == "__main__":
    main()

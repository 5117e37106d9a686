"""Load benchmark: a first run and the loading alone, for YAML and JSON data files (issue 14, point 6).

Usage:
    python bench/load.py DIR [--sizes 10000,100000] [--runs 3]

DIR holds events-N.yaml and events-N.json (as ``bench/scale.py --keep DIR`` leaves them). Two
figures per file, each the median of --runs whole processes, the runs of YAML and JSON interleaved:

- first run: ``timeline filter --actor actor-07 --format json`` on an empty cache directory,
  as the "first run" rows of ``bench/scale.py`` (read, cache key, parse, validate, write the
  index, answer), wall seconds of the whole process;
- loading: read, parse and validate alone (``loader.load(use_cache=False)``: no cache key, no
  cache write), timed inside a fresh process around that one call, so that the interpreter's
  start-up and imports are not counted.

The ratio YAML / JSON of each is what "loading JSON is at least 5x faster than YAML" is about.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_LOAD_ONLY = (
    "import sys, time; from pathlib import Path; from timeline.loader import load; "
    "path = Path(sys.argv[1]); start = time.perf_counter(); timeline = load([path], use_cache=False); "
    "print(time.perf_counter() - start, len(timeline.events))"
)


def first_run(script: Path, data: Path) -> float:
    cache = Path(tempfile.mkdtemp(prefix="timeline-load-"))
    try:
        env = {**os.environ, "TIMELINE_CACHE_DIR": str(cache), "TIMELINE_DATA": str(data)}
        env.pop("TIMELINE_CACHE", None)
        start = time.perf_counter()
        subprocess.run(
            [str(script), "filter", "--actor", "actor-07", "--format", "json"],
            stdout=subprocess.DEVNULL,
            check=True,
            env=env,
        )
        return time.perf_counter() - start
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def loading(data: Path) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _LOAD_ONLY, str(data)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="the folder holding events-N.yaml and events-N.json")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated event counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()
    script = Path(sys.executable).with_name("timeline")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"load average before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print("| events | first run YAML | first run JSON | ratio | loading YAML | loading JSON | ratio |")
    print("|---|---|---|---|---|---|---|")
    for size in sizes:
        files = {kind: args.folder / f"events-{size}.{kind}" for kind in ("yaml", "json")}
        firsts: dict[str, list[float]] = {"yaml": [], "json": []}
        loads: dict[str, list[float]] = {"yaml": [], "json": []}
        for _ in range(args.runs):
            for kind, data in files.items():  # interleaved: the machine's load falls on both
                firsts[kind].append(first_run(script, data))
                loads[kind].append(loading(data))
        first = {kind: statistics.median(times) for kind, times in firsts.items()}
        load = {kind: statistics.median(times) for kind, times in loads.items()}
        cells = [
            f"{first['yaml']:.2f} s",
            f"{first['json']:.2f} s",
            f"{first['yaml'] / first['json']:.1f}x",
            f"{load['yaml']:.2f} s",
            f"{load['json']:.2f} s",
            f"{load['yaml'] / load['json']:.1f}x",
        ]
        print(f"| {size:,} | " + " | ".join(cells) + " |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()

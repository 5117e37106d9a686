"""Load benchmark: a first run and the loading alone, for YAML and JSON data files (issue 14, point 6).

Usage:
    python bench/load.py DIR [--sizes 10000,100000] [--runs 3] [--against OLD]

DIR holds events-N.yaml and events-N.json (as ``bench/scale.py --keep DIR`` leaves them). Two
figures per file, each the median of --runs whole processes, YAML and JSON interleaved:

- first run: ``timeline filter --actor actor-07 --format json`` on an empty cache directory,
  the "first run" rows of ``bench/scale.py`` (read, cache key, parse, validate, write the
  index, answer): the whole process;
- loading: read, parse and validate alone (``loader.load(use_cache=False)``: no cache key, no
  cache write), timed inside a fresh process around that one call, so that the interpreter's
  start-up and imports are not counted.

Each is given as wall seconds and CPU seconds (user + system): on a machine shared with other
jobs the CPU time moves much less from run to run. The ratio YAML / JSON of each is what
"loading JSON is at least 5x faster than YAML" is about.

``--against OLD`` runs the same measurements, interleaved, with the ``timeline`` package found
in the folder OLD (for example ``git archive BASE timeline | tar -x -C OLD``), to compare two
versions in one session.
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
    "path = Path(sys.argv[1]); wall, cpu = time.perf_counter(), time.process_time(); "
    "timeline = load([path], use_cache=False); "
    "print(time.perf_counter() - wall, time.process_time() - cpu, len(timeline.events))"
)


def _env(old: Path | None, **more: str) -> dict[str, str]:
    env = {**os.environ, **more}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules cached, as users have them
    env.pop("TIMELINE_CACHE", None)
    env.pop("PYTHONPATH", None)
    if old is not None:
        env["PYTHONPATH"] = str(old)
    return env


def first_run(script: Path, data: Path, old: Path | None) -> tuple[float, float]:
    """(wall, CPU) seconds of a whole first run."""
    cache = Path(tempfile.mkdtemp(prefix="timeline-load-"))
    try:
        env = _env(old, TIMELINE_CACHE_DIR=str(cache), TIMELINE_DATA=str(data))
        start = time.perf_counter()
        command = [str(script), "filter", "--actor", "actor-07", "--format", "json"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env, cwd=cache)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed on {data}")
        return wall, usage.ru_utime + usage.ru_stime
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def loading(data: Path, old: Path | None) -> tuple[float, float]:
    """(wall, CPU) seconds of read, parse and validate, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _LOAD_ONLY, str(data)],
        capture_output=True,
        text=True,
        check=True,
        env=_env(old),
        cwd=tempfile.gettempdir(),  # not a checkout: `python -c` imports from its folder first
    )
    wall, cpu, _ = done.stdout.split()
    return float(wall), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="the folder holding events-N.yaml and events-N.json")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated event counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--against", type=Path, help="a folder holding another version's timeline package")
    args = parser.parse_args()
    script = Path(sys.executable).with_name("timeline")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    versions: dict[str, Path | None] = {"this": None}
    if args.against:
        versions["against"] = args.against.resolve()
    print(f"load average before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print(
        "| version | events | first run YAML | first run JSON | ratio | loading YAML | loading JSON | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in sizes:
        files = {kind: args.folder / f"events-{size}.{kind}" for kind in ("yaml", "json")}
        times: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for version, old in versions.items():  # interleaved: the machine's load falls on all
                for kind, data in files.items():
                    times.setdefault((version, "first", kind), []).append(first_run(script, data, old))
                    times.setdefault((version, "load", kind), []).append(loading(data, old))
        for version in versions:
            cells = []
            for what in ("first", "load"):
                median = {
                    kind: [statistics.median(t[i] for t in times[(version, what, kind)]) for i in (0, 1)]
                    for kind in ("yaml", "json")
                }
                cells += [f"{median[kind][0]:.2f} s ({median[kind][1]:.2f} CPU)" for kind in ("yaml", "json")]
                ratios = [median["yaml"][i] / median["json"][i] for i in (0, 1)]
                cells.append(f"{ratios[0]:.1f}x ({ratios[1]:.1f}x CPU)")
            print(f"| {version} | {size:,} | " + " | ".join(cells) + " |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()

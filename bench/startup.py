"""Start-up benchmark: `timeline show` against the import floor, as whole processes.

Usage: python bench/startup.py [--runs N] [--args "show --compact"]

Runs the installed console script (next to this interpreter, so no PATH shim is timed) and
`python -c "import typer, rich.console, yaml, dateutil.parser"`, interleaved, and prints the
medians and their ratio. Target (issue 2): ratio <= 1.5. Output goes to a pipe, as when piped.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

FLOOR = "import typer, rich.console, yaml, dateutil.parser"


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--args", default="show", help="timeline arguments to time (default: show)")
    options = parser.parse_args()
    script = Path(sys.executable).with_name("timeline")
    if not script.exists():
        sys.exit(f"no console script at {script}: install the project into this environment first")
    env = {**os.environ, "COLUMNS": "100"}
    # as users run it: compiled modules cached (without, every start compiles what changed)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    tool = [str(script), *shlex.split(options.args)]
    floor = [sys.executable, "-c", FLOOR]
    bare = [sys.executable, "-c", "pass"]
    for command in (tool, floor, bare):  # warm the file cache
        timed(command, env)
    samples: dict[str, list[float]] = {"tool": [], "floor": [], "bare": []}
    for _ in range(options.runs):
        samples["tool"].append(timed(tool, env))
        samples["floor"].append(timed(floor, env))
        samples["bare"].append(timed(bare, env))
    median = {k: statistics.median(v) * 1000 for k, v in samples.items()}
    print(f"runs: {options.runs} each, interleaved; python {sys.version.split()[0]}")
    print(f"python -c pass           {median['bare']:7.1f} ms")
    print(
        f"import floor             {median['floor']:7.1f} ms  ({median['floor'] / median['bare']:.1f}x bare)"
    )
    print(f"timeline {options.args:<15} {median['tool']:7.1f} ms")
    print(f"ratio tool/floor         {median['tool'] / median['floor']:7.2f}   (target <= 1.5)")


if __name__ == "__main__":
    main()

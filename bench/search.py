"""Search benchmark: word searches, id lookups and exclusions on a large dataset's index, warm.

Usage:
    python bench/search.py DATA [--runs 5] [--baseline DIR]

DATA is a generated file (``bench/scale.py --generate 100000 -o DATA``). Each command runs as a
whole process on a warm cache; the first search of an index (which adds the word-search table)
is timed apart, from a copy of the index without it. With ``--baseline DIR`` (a checkout of
another commit, run through ``PYTHONPATH=DIR``) the same commands run on it too, interleaved run
by run, each tree with a cache of its own. Prints medians, peak memory and output sizes.

Benchmarks are not tests: they measure, they never fail a build.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

JSON = ["--format", "json"]
COMMANDS: list[tuple[str, list[str]]] = [
    ("filter --search WORD (matches 1)", ["filter", "--search", "0012345", *JSON]),
    ("filter --search WORD (matches none)", ["filter", "--search", "kim", *JSON]),
    ('filter --search "PHRASE" (matches 202)', ["filter", "--search", '"talks peninsula talks"', *JSON]),
    (
        'filter "PHRASE" WORD --sort relevance -n 5 (matches 196)',
        ["filter", '"talks peninsula talks"', "envoy", "--sort", "relevance", "-n", "5", *JSON],
    ),
    ("show ID --format json", ["show", "event-0012345", *JSON]),
    ("filter --id ID --format json", ["filter", "--id", "event-0012345", *JSON]),
    ("filter --actor X --not-tag T", ["filter", "--actor", "actor-07", "--not-tag", "summit", *JSON]),
    ("filter --search WORD (matches 95%)", ["filter", "--search", "summit", *JSON]),
]


def _scale() -> object:
    spec = importlib.util.spec_from_file_location("scale", Path(__file__).with_name("scale.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another checkout, run with PYTHONPATH=DIR")
    args = parser.parse_args()
    run_once = _scale().run_once  # type: ignore[attr-defined]
    script = str(Path(sys.executable).with_name("timeline"))
    work = Path(tempfile.mkdtemp(prefix="timeline-search-"))
    trees = {"this tree": None, **({"baseline": args.baseline} if args.baseline else {})}
    envs = {}
    for name, tree in trees.items():
        env = {**os.environ, "TIMELINE_DATA": str(args.data), "TIMELINE_CACHE_DIR": str(work / name)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules cached, as users have them
        env.pop("TIMELINE_CACHE", None)
        if tree is not None:
            env["PYTHONPATH"] = str(tree)
        seconds, peak = run_once([script, "tags"], env)  # fills the cache
        print(f"# {name}: first run {seconds:.2f} s / {peak:.0f} MB", file=sys.stderr)
        envs[name] = env
    try:
        (entry,) = (work / "this tree").glob("*.sqlite")
        plain = work / "without-search-table.sqlite"
        shutil.copyfile(entry, plain)
        size = entry.stat().st_size
        firsts = []
        for _ in range(max(1, args.runs // 2)):
            shutil.copyfile(plain, entry)
            firsts.append(run_once([script, *COMMANDS[0][1]], envs["this tree"]))
        added = entry.stat().st_size - size
        print(f"index: {size / 1e6:.0f} MB; the search table adds {added / 1e6:.0f} MB")
        print(f"first search (adds the table): {statistics.median(s for s, _ in firsts):.2f} s / "
              f"{max(p for _, p in firsts):.0f} MB")  # fmt: skip
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for label, rest in COMMANDS:
                for name in trees:
                    results.setdefault((label, name), []).append(run_once([script, *rest], envs[name]))
        header = "| command | " + " | ".join(f"{name}: s / MB" for name in trees) + " | output |"
        print(header)
        print("|---" * (header.count("|") - 1) + "|")
        for label, rest in COMMANDS:
            command = [script, *rest]
            out = subprocess.run(command, env=envs["this tree"], capture_output=True, check=True).stdout
            cells = [
                f"{statistics.median(s for s, _ in results[(label, n)]):.2f} / "
                f"{max(p for _, p in results[(label, n)]):.0f}"
                for n in trees
            ]
            print(f"| {label} | " + " | ".join(cells) + f" | {len(out) / 1e6:.2f} MB |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

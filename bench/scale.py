"""Scale benchmark: generate N realistic events and time the main commands on them.

Usage:
    python bench/scale.py [--sizes 1000,10000,100000] [--runs 3] [--keep DIR] [--commands issue|more|all]
    python bench/scale.py --generate 100000 -o big.yaml       # only write a file

The generator is seeded, so every run measures the same files: N valid events in the dataset
schema with realistic sizes (about 1.6 KB of YAML per event: 2–3 sources, a quote on most,
30 actors, five eras, "See also" links both ways from one in twenty, curly quotes and
apostrophes in 13% of the source titles and 5% of the quotes, as in the shipped data), in date
order. The
driver times each command as a whole process, cold
(an empty cache directory: parse, validate, write the cache) and warm (the cache filled), takes
the median of --runs runs, reads each process's peak memory (maximum resident set size) from
the kernel, and prints a table with the ratio of the largest size to the one ten times smaller
(linear cost keeps it near 10; the target is at most 11).

Benchmarks are not tests: they measure, they never fail a build. CI runs a 1,000-event smoke
run (`--sizes 1000 --runs 1`) only to keep the driver working.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _words(text: str) -> list[str]:
    return text.split()


WORDS = _words(
    "talks summit missile launch envoy statement sanctions border troops letter treaty meeting "
    "minister delegation nuclear programme exercise artillery satellite council resolution "
    "negotiation denuclearization peninsula alliance deployment warning response agreement "
    "visit official spokesperson report pressure cooperation security economic relief"
)
PUBLISHERS = (
    "Reuters", "Associated Press", "AFP", "Yonhap News Agency", "KCNA", "The New York Times",
    "The Washington Post", "BBC News", "NK News", "The Guardian", "Al Jazeera", "NHK World",
)  # fmt: skip
TAGS = _words(
    "summit diplomacy talks letter rhetoric statement agreement sanctions un missile-test "
    "nuclear-test military military-exercise troops inter-korean russia china japan policy"
)
CAMEO = ("010", "036", "043", "044", "057", "111", "138", "150", "163", "172", "0873", "2042")


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _typeset(rng: random.Random, text: str) -> str:
    """Text as publishers set it: two words in curly quotes, or a possessive with a curly apostrophe."""
    words = text.split(" ")
    k = rng.randrange(len(words) - 1)
    if rng.random() < 0.5:
        words[k], words[k + 1] = "“" + words[k], words[k + 1] + "”"
    else:
        words[k] += "’s"
    return " ".join(words)


def generate(count: int, seed: int = 2017) -> str:
    """A YAML dataset of ``count`` valid events, the same text for the same count and seed."""
    rng = random.Random(seed)
    links = random.Random(seed + 1)  # its own stream: the rest of the file is as before links were added
    # typography as in the shipped data (13% of source titles, 5% of quotes hold curly quotes or
    # apostrophes), in a stream of its own too
    typeset = random.Random(seed + 2)
    actors = [f"actor-{i:02d}" for i in range(30)]
    out = [
        "schema: 1",
        f"title: Generated timeline of {count} events",
        "description: A seeded benchmark dataset (bench/scale.py).",
        "actors:",
    ]
    for i, actor in enumerate(actors):
        out += [
            f"  {actor}:",
            f"    name: Actor Number {i}",
            f"    aliases: [A{i}, Actor {i}]",
            f"    role: Official number {i} of a generated government",
            f"    country: {('USA', 'PRK', 'KOR', 'RUS', 'CHN', 'JPN')[i % 6]}",
        ]
    start = dt.date(1990, 1, 1)
    span = (dt.date(2030, 12, 31) - start).days
    days = sorted(rng.randrange(span) for _ in range(count))
    out.append("eras:")
    for k in range(5):
        first = start + dt.timedelta(days=span * k // 5)
        last = start + dt.timedelta(days=span * (k + 1) // 5 - 1)
        out.append(f"- {{name: Era {k + 1}, start: '{first.isoformat()}', end: '{last.isoformat()}'}}")
    out.append("events:")
    related: dict[int, set[int]] = {}  # one event in twenty links to earlier ones, which link back
    for n in range(1, count):
        if links.random() < 0.05:
            for k in {links.randrange(n) for _ in range(links.randint(1, 2))}:
                related.setdefault(n, set()).add(k)
                related.setdefault(k, set()).add(n)
    for n, offset in enumerate(days):
        day = start + dt.timedelta(days=offset)
        chosen = rng.sample(actors, rng.randint(1, 3))
        out += [
            f"- id: event-{n:07d}",
            f"  date: '{day.isoformat()}'",
            f"  title: {_quote(_sentence(rng, rng.randint(6, 12))[:-1])}",
            "  summary: >-",
            f"    {_sentence(rng, rng.randint(30, 55))} {_sentence(rng, rng.randint(15, 35))}",
            f"  actors: [{', '.join(chosen)}]",
            f"  tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]",
            f"  place: {_quote(_sentence(rng, 2)[:-1])}",
            f"  cameo: '{rng.choice(CAMEO)}'",
        ]
        if related.get(n):
            out.append(f"  related: [{', '.join(f'event-{k:07d}' for k in sorted(related[n]))}]")
        if rng.random() < 0.7:
            said = _sentence(rng, rng.randint(10, 25))
            out += [
                "  quotes:",
                f"  - text: {_quote(_typeset(typeset, said) if typeset.random() < 0.05 else said)}",
                f"    by: {chosen[0]}",
            ]
        out.append("  sources:")
        for s in range(rng.randint(2, 3)):
            published = day + dt.timedelta(days=rng.randint(0, 3))
            headline = _sentence(rng, rng.randint(7, 14))[:-1]
            if typeset.random() < 0.13:
                headline = _typeset(typeset, headline)
            out += [
                f"  - title: {_quote(headline)}",
                f"    publisher: {rng.choice(PUBLISHERS)}",
                f"    url: https://news.example.net/{published.year}/{published.month:02d}/event-{n}-{s}"
                f"-{'-'.join(rng.sample(WORDS, 5))}",
                f"    date: '{published.isoformat()}'",
                f"    kind: {'primary' if s == 0 and rng.random() < 0.3 else 'secondary'}",
            ]
    return "\n".join(out) + "\n"


# (name, arguments after `timeline`, whether it runs on an empty cache)
COMMANDS: list[tuple[str, list[str], bool]] = [
    ("first run: filter --actor (cold)", ["filter", "--actor", "actor-07", "--format", "json"], True),
    ("filter --actor X --format json", ["filter", "--actor", "actor-07", "--format", "json"], False),
    ("show --format json", ["show", "--format", "json"], False),
    ("show (terminal view, piped)", ["show"], False),
    ("export markdown", ["export", "markdown"], False),
    ("export csv", ["export", "csv"], False),
    ("first run, the same data as .json (cold)", ["filter", "--actor", "actor-07", "--format", "json"], True),
]
JSON_DATA = {"first run, the same data as .json (cold)"}  # these read events-N.json
# --commands more: the other commands a user runs on a large file (no goal in issue 14)
MORE: list[tuple[str, list[str], bool]] = [
    ("validate", ["validate"], False),
    ("cite ID", ["cite", "event-0000020"], False),
    ("tags", ["tags"], False),
    ("stats", ["stats"], False),
    ("export html", ["export", "html"], False),
    ("export html --actor X", ["export", "html", "--actor", "actor-07"], False),
    ("export ics", ["export", "ics"], False),
    ("export timelinejs", ["export", "timelinejs"], False),
    ("export csl-json", ["export", "csl-json"], False),
    ("export svg", ["export", "svg"], False),
]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one whole process, its output discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {stderr.strip()[:300]}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated event counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--keep", type=Path, help="keep generated files in this directory")
    parser.add_argument("--generate", type=int, metavar="N", help="only write N events to -o")
    parser.add_argument("-o", "--output", type=Path, help="with --generate: the file to write")
    parser.add_argument(
        "--commands",
        choices=("issue", "more", "all"),
        default="issue",
        help="the commands of issue 14's table (default), the other commands (more), or both",
    )
    args = parser.parse_args()
    commands = {"issue": COMMANDS, "more": MORE, "all": COMMANDS + MORE}[args.commands]
    if args.generate is not None:
        if not args.output:
            parser.error("--generate needs -o FILE")
        args.output.write_text(generate(args.generate), encoding="utf-8")
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    script = Path(sys.executable).with_name("timeline")
    if not script.exists():
        raise SystemExit(f"no console script at {script}: install the project in this environment")
    work = args.keep or Path(tempfile.mkdtemp(prefix="timeline-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[tuple[str, int], tuple[float, float]] = {}
    try:
        for size in sizes:
            data = work / f"events-{size}.yaml"
            if not data.exists():  # generated in a process of its own too (see below)
                subprocess.run(
                    [sys.executable, __file__, "--generate", str(size), "-o", str(data)], check=True
                )
            as_json = work / f"events-{size}.json"
            if not as_json.exists():
                # in a process of its own: a child's peak memory counts what its parent held when
                # it was forked, so the driver must stay small for the figures to be the commands'
                convert = (
                    "import json, sys, yaml_rs; data, out = sys.argv[1:]; "
                    "plain = yaml_rs.loads(open(data, encoding='utf-8').read(), parse_datetime=False); "
                    "open(out, 'w', encoding='utf-8').write(json.dumps(plain, ensure_ascii=False, indent=2))"
                )
                subprocess.run([sys.executable, "-c", convert, str(data), str(as_json)], check=True)
            megabytes = data.stat().st_size / 1e6
            print(f"# {size:,} events, {megabytes:.1f} MB of YAML", file=sys.stderr)
            for name, rest, cold in commands:
                times, peaks = [], []
                for _ in range(args.runs):
                    cache = work / f"cache-{size}{'-json' if name in JSON_DATA else ''}"
                    if cold:
                        shutil.rmtree(cache, ignore_errors=True)
                    source = as_json if name in JSON_DATA else data
                    env = {**os.environ, "TIMELINE_CACHE_DIR": str(cache), "TIMELINE_DATA": str(source)}
                    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules cached, as users have them
                    env.pop("TIMELINE_CACHE", None)
                    if not cold and not cache.exists():
                        run_once([str(script), "tags"], env)  # fill the cache once
                    seconds, peak = run_once([str(script), *rest], env)
                    times.append(seconds)
                    peaks.append(peak)
                results[(name, size)] = (statistics.median(times), max(peaks))
                print(f"#   {name}: {results[(name, size)][0]:.2f} s", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    header = "| command | " + " | ".join(f"{s:,}: s / MB" for s in sizes)
    pair = next(
        ((big, small) for big in sorted(sizes, reverse=True) for small in sizes if big == small * 10), None
    )
    header += f" | ratio {pair[0] // 1000}k/{pair[1] // 1000}k |" if pair else " |"
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for name, _, _ in commands:
        cells = [f"{results[(name, s)][0]:.2f} / {results[(name, s)][1]:.0f}" for s in sizes]
        ratio = f" | {results[(name, pair[0])][0] / results[(name, pair[1])][0]:.1f}" if pair else ""
        print(f"| {name} | " + " | ".join(cells) + ratio + " |")


if __name__ == "__main__":
    main()

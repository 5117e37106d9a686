"""Cost of the cache key: reading a dataset and hashing its content, against a stat() call.

Usage: python bench/cachekey.py [--events 100000] [--repeat 7]

Measures, on the shipped dataset and on a generated one of --events events (the shipped events
repeated under new ids, written to a temporary folder and removed afterwards): reading the
file as the loader does (bytes, then UTF-8 text), encoding the text back to bytes, and hashing
them with BLAKE2b (what ``timeline.cache.key`` does), with SHA-1 and SHA-256 for comparison,
and the whole key. Prints the best of --repeat runs of each, in ms, and the throughput.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline import cache, loader  # noqa: E402


def best(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def generate(events: int, folder: Path) -> Path:
    """A dataset of ``events`` events: the shipped ones, then copies of them under new ids."""
    text = (ROOT / "data" / "events.yaml").read_text(encoding="utf-8")
    head, body = text.split("\nevents:\n", 1)
    blocks = [b for b in re.split(r"(?m)^(?=- id: )", body) if b.startswith("- id: ")]
    path = folder / "large.yaml"
    with open(path, "w", encoding="utf-8") as out:
        out.write(head + "\nevents:\n")
        for index in range(events):
            block = blocks[index % len(blocks)]
            copy = index // len(blocks)
            if copy:  # 'related' still points at the first copy, so the file stays valid
                block = re.sub(r"^(- id: )(\S+)", rf"\g<1>\g<2>-{copy}", block, count=1)
            out.write(block if block.endswith("\n") else block + "\n")
    return path


def measure(path: Path, repeat: int) -> None:
    size = path.stat().st_size
    data = path.read_bytes()
    text = data.decode("utf-8")
    raw = text.encode("utf-8", "surrogatepass")
    rows = {
        "stat() (the old key)": lambda: path.stat(),
        "read bytes + decode UTF-8": lambda: path.read_bytes().decode("utf-8"),
        "encode text to UTF-8": lambda: text.encode("utf-8", "surrogatepass"),
        "BLAKE2b (used)": lambda: cache.blake2b(raw).hexdigest(),
        "SHA-1": lambda: hashlib.sha1(raw).hexdigest(),
        "SHA-256": lambda: hashlib.sha256(raw).hexdigest(),
        "cache.key (encode + BLAKE2b)": lambda: cache.key([(str(path), text)]),
    }
    print(f"\n{path.name}: {size / 1e6:.1f} MB ({size:,} bytes)")
    for label, action in rows.items():
        ms = best(action, repeat)
        rate = f"{size / 1e6 / (ms / 1000):8.0f} MB/s" if ms > 0.05 else ""
        print(f"  {label:32} {ms:9.2f} ms  {rate}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; best of {options.repeat}")
    measure(loader.packaged_dataset(), options.repeat * 5)
    with tempfile.TemporaryDirectory() as folder:
        large = generate(options.events, Path(folder))
        print(f"\ngenerated {options.events:,} events")
        measure(large, options.repeat)


if __name__ == "__main__":
    main()

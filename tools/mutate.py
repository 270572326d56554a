#!/usr/bin/env python3
"""Mutation fuzzing of podmortem over the shipped samples: no input may crash it or hang it.

    python3 tools/mutate.py [--iterations N] [--seed S] [--timeout SECONDS] [--binary PATH] [--out DIR]

Each iteration takes a sample file (or an archive built from a sample folder: tar, pax tar,
tar.gz, zip), mutates it — hostile numbers in place of digit runs (Int64/UInt64 limits, 1e400,
nan, negatives), byte flips, cut and duplicated spans, corrupted archive headers — and runs the
binary on it with `--format json`. A run that ends by a signal or with an exit status other than
0, 1 or 2 is a crash; a run over `--timeout` seconds (default 10) is a hang. Both are written to
`--out` (default: a temporary folder, never the repository) with the sample they came from, so
each can become a regression test. Exit 1 when anything crashed or hung.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

HOSTILE_NUMBERS = [
    b"9223372036854775807",
    b"9223372036854775808",
    b"-9223372036854775808",
    b"18446744073709551615",
    b"99999999999999999999",
    b"2147483648",
    b"-2147483649",
    b"1e308",
    b"1e400",
    b"-1",
    b"0",
    b"nan",
    b"inf",
    b"-20",
]


def sample_files() -> list[Path]:
    files = []
    for path in SAMPLES.rglob("*"):
        if path.is_file() and "golden" not in path.parts and path.stat().st_size < 512 * 1024:
            files.append(path)
    return sorted(files)


def archives(rng: random.Random) -> list[tuple[str, bytes]]:
    """Archives of a few sample folders, so the tar/gzip/zip readers see mutated structure."""
    folders = sorted(p for p in (SAMPLES / "bundles").iterdir() if p.is_dir()) + [SAMPLES / "crashloop-max"]
    out = []
    for folder in folders:
        members = sorted(p for p in folder.rglob("*") if p.is_file() and p.stat().st_size < 256 * 1024)[:40]
        for fmt, ext in [(tarfile.GNU_FORMAT, ".tar"), (tarfile.PAX_FORMAT, ".pax.tar")]:
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
                for m in members:
                    tar.add(m, arcname=str(m.relative_to(folder)))
            out.append((folder.name + ext, buf.getvalue()))
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz") as tar:
            for m in members:
                tar.add(m, arcname=str(m.relative_to(folder)))
        out.append((folder.name + ".tar.gz", buf.getvalue()))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for m in members:
                z.write(m, arcname=str(m.relative_to(folder)))
        out.append((folder.name + ".zip", buf.getvalue()))
    return out


def mutate(data: bytearray, rng: random.Random, archive: bool) -> bytearray:
    for _ in range(rng.randint(1, 6 if archive else 4)):
        if not data:
            break
        op = rng.random()
        if op < (0.2 if archive else 0.5):
            digits = [i for i in range(len(data)) if 48 <= data[i] <= 57]
            if digits:
                i = rng.choice(digits)
                j = i
                while j < len(data) and 48 <= data[j] <= 57:
                    j += 1
                while i > 0 and 48 <= data[i - 1] <= 57:
                    i -= 1
                data[i:j] = rng.choice(HOSTILE_NUMBERS)
        elif op < 0.65:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op < 0.75 and archive:
            i = rng.randrange(len(data))
            data[i : i + 8] = rng.choice([b"\xff" * 8, b"\x00" * 8, b"\x7f\xff\xff\xff\xff\xff\xff\xff", b"77777777"])
        elif op < 0.88:
            i = rng.randrange(len(data))
            del data[i : i + rng.randint(1, 512)]
        else:
            i = rng.randrange(len(data))
            data[i:i] = data[i : i + rng.randint(1, 512)]
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "debug" / "podmortem"))
    parser.add_argument("--out", default=None, help="where crashing and hanging inputs are kept")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    out = Path(args.out or tempfile.mkdtemp(prefix="podmortem-mutate-"))
    out.mkdir(parents=True, exist_ok=True)
    texts = [(str(p.relative_to(ROOT)), p.read_bytes()) for p in sample_files()]
    packed = archives(rng)
    crashes = hangs = 0
    work = Path(tempfile.mkdtemp(prefix="podmortem-mutate-run-"))
    for iteration in range(args.iterations):
        archive = rng.random() < 0.3
        name, original = rng.choice(packed if archive else texts)
        data = mutate(bytearray(original), rng, archive)
        suffix = "".join(Path(name).suffixes[-2:]) or ".txt"
        target = work / ("input" + suffix)
        target.write_bytes(data)
        try:
            run = subprocess.run(
                [args.binary, "--format", "json", "--now", "2026-11-27T01:00:00Z", str(target)],
                capture_output=True,
                timeout=args.timeout,
            )
            if run.returncode not in (0, 1, 2):
                crashes += 1
                kept = out / f"crash-{args.seed}-{iteration}{suffix}"
                kept.write_bytes(data)
                why = [l for l in run.stderr.decode(errors="replace").splitlines() if "Fatal" in l or "failure" in l]
                print(f"crash: exit {run.returncode} from {name}: {kept} {why[:1]}", flush=True)
        except subprocess.TimeoutExpired:
            hangs += 1
            kept = out / f"hang-{args.seed}-{iteration}{suffix}"
            kept.write_bytes(data)
            print(f"hang: over {args.timeout:g} s from {name}: {kept}", flush=True)
    print(f"mutate: {args.iterations} runs (seed {args.seed}), {crashes} crashes, {hangs} over {args.timeout:g} s")
    return 1 if crashes or hangs else 0


if __name__ == "__main__":
    sys.exit(main())

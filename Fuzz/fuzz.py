#!/usr/bin/env python3
"""Builds podmortem's libFuzzer targets (Fuzz/Package.swift) and runs each for a set time.

`make fuzz FUZZ_SECONDS=600` runs this. Seeds come from samples/ (and a few archives and
encodings made from them here); the corpus each target grows, its log and any reproducer stay
under .build/fuzz/ (docs/architecture.md "Fuzzing"). Exits 1 when any target crashed, ran an
input for more than 10 s or went over 2 GiB of memory; the reproducer's path is printed.
"""
import argparse
import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "Fuzz"
OUT = ROOT / ".build" / "fuzz"
SAMPLES = ROOT / "samples"
TARGETS = ["pipeline", "input", "describe", "objects", "logs", "secrets"]
# The largest shipped sample (the kubelet journal) is ~145 KB; mutations may grow to this.
MAX_LEN = 256 * 1024
SWIFT_FLAGS = ["-Xswiftc", "-sanitize=fuzzer", "-Xswiftc", "-use-ld=lld"]


def sample_files():
    """Every input file under samples/: not goldens, expectations, READMEs or sources."""
    for path in sorted(SAMPLES.rglob("*")):
        if not path.is_file() or "golden" in path.parts or "snapshots" in path.parts:
            continue
        if path.suffix == ".md" or path.name in ("expected.json", "manifest.json", "floor.json"):
            continue
        yield path


SECRET_SHAPES = """\
Liveness probe failed: Get "https://admin:s3cr3t-Pa55@10.0.0.7:8443/healthz?token=abcdef0123456789&x=1"
DB_PASSWORD=Zx9#kLm2Qw7!pR4t
api_token: "f3a9c8e1b2d44f7a9e0c1b2d3e4f5a6b"
Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
git clone https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/org/repo
Authorization: Basic dXNlcjpwYXNzd29yZA==
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB
aFDrBz9vFqU4yGq6bXvA3cJ5Yk9nZ0pQ1rS2tU3vW4xY5zA6bC7dE8fG9hI0jK1l
-----END RSA PRIVATE KEY-----
glpat-xxxxxxxxxxxxxxxxxxxx xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx
"""


def archive_seeds():
    """Archives and encodings built from a few samples: what the input readers must open."""
    describe = (SAMPLES / "oomkilled" / "describe.txt").read_bytes()
    events = (SAMPLES / "oomkilled" / "events.json").read_bytes()
    log_dir = SAMPLES / "bundles" / "var-log-pods"
    members = {"ns/default/describe.txt": describe, "ns/default/events.json": events}
    for path in sorted(log_dir.rglob("*.log"))[:2]:
        members[str(path.relative_to(log_dir))] = path.read_bytes()
    seeds = {"describe.txt.gz": gzip.compress(describe, mtime=0)}
    for name, fmt in (("ustar", tarfile.USTAR_FORMAT), ("gnu", tarfile.GNU_FORMAT), ("pax", tarfile.PAX_FORMAT)):
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w", format=fmt) as tar:
            for member, data in members.items():
                info = tarfile.TarInfo(member if fmt != tarfile.PAX_FORMAT else "long/" * 30 + member)
                info.size = len(data)
                info.mtime = 1795741200
                tar.addfile(info, io.BytesIO(data))
        seeds[f"bundle-{name}.tar"] = buffer.getvalue()
        if name == "pax":
            seeds["bundle-pax.tar.gz"] = gzip.compress(buffer.getvalue(), mtime=0)
    for name, method in (("stored", zipfile.ZIP_STORED), ("deflate", zipfile.ZIP_DEFLATED)):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=method) as archive:
            for member, data in members.items():
                archive.writestr(member, data)
            archive.comment = b"podmortem fuzz seed"
        seeds[f"bundle-{name}.zip"] = buffer.getvalue()
    text = describe.decode("utf-8")
    seeds["describe-utf16le.txt"] = b"\xff\xfe" + text.encode("utf-16-le")
    seeds["describe-utf16be.txt"] = b"\xfe\xff" + text.encode("utf-16-be")
    seeds["describe-utf8bom.txt"] = b"\xef\xbb\xbf" + describe
    seeds["describe-nul.txt"] = describe[:200] + b"\x00" + describe[200:]
    return seeds


def seeds_for(target):
    """The seed inputs of one target, as name → bytes."""
    files = list(sample_files())
    pastes = [p for p in files if p.name == "input.txt"]
    seeds = {}

    def add(paths):
        for path in paths:
            seeds[str(path.relative_to(SAMPLES)).replace("/", "__")] = path.read_bytes()

    if target == "pipeline":
        add(files)
        seeds.update(archive_seeds())
    elif target == "input":
        add(p for p in files if p.suffix == ".gz" or p.name.endswith(".tar.gz"))
        seeds.update(archive_seeds())
    elif target == "describe":
        add(p for p in files if p.suffix == ".txt" and "bundles" not in p.parts)
    elif target == "objects":
        add(p for p in files if p.suffix in (".json", ".yaml", ".ndjson"))
    elif target == "logs":
        add(p for p in files if p.suffix == ".log" or re.search(r"\.log\.|journal|kubelet", p.name))
        add(p for p in pastes if re.search(r"log|kubelet|journal", str(p)))
    elif target == "secrets":
        add(pastes)
        seeds["secret-shapes.txt"] = SECRET_SHAPES.encode()
    return {name: data[:MAX_LEN] for name, data in seeds.items()}


def build():
    command = ["swift", "build", "-c", "release", "--package-path", str(FUZZ), *SWIFT_FLAGS]
    print("$ " + " ".join(command), flush=True)
    subprocess.run(command, check=True)


def prepare(target):
    seed_dir = OUT / "seeds" / target
    shutil.rmtree(seed_dir, ignore_errors=True)
    seed_dir.mkdir(parents=True)
    for name, data in seeds_for(target).items():
        (seed_dir / name).write_bytes(data)
    for sub in ("corpus", "crashes", "logs"):
        (OUT / sub / target).mkdir(parents=True, exist_ok=True)
    return seed_dir


def start(target, seconds):
    seed_dir = prepare(target)
    binary = FUZZ / ".build" / "release" / f"fuzz-{target}"
    log = (OUT / "logs" / target / "fuzz.log").open("w")
    command = [
        str(binary), f"-max_total_time={seconds}", "-timeout=10", "-rss_limit_mb=2048", f"-max_len={MAX_LEN}",
        "-print_final_stats=1", f"-artifact_prefix={OUT / 'crashes' / target}/",
        str(OUT / "corpus" / target), str(seed_dir),
    ]
    env = dict(os.environ, TMPDIR=str(OUT / "tmp"))
    (OUT / "tmp").mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env), log


def summarise(target, status, seconds):
    text = (OUT / "logs" / target / "fuzz.log").read_text(errors="replace")
    done = re.findall(r"#(\d+)\s+(?:DONE|pulse|NEW|REDUCE|INITED)\s+cov: (\d+) ft: (\d+) corp: (\d+)", text)
    execs = re.search(r"stat::number_of_executed_units: (\d+)", text)
    speed = re.search(r"stat::average_exec_per_sec:\s+(\d+)", text)
    runs, cov, ft, corpus = done[-1] if done else ("?", "?", "?", "?")
    artifacts = re.findall(r"Test unit written to (\S+)", text)
    line = (
        f"{target:9} {'ok' if status == 0 else 'FAILED (exit %d)' % status:16} {seconds:>5} s  "
        f"execs {execs.group(1) if execs else runs:>10}  exec/s {speed.group(1) if speed else '?':>6}  "
        f"cov {cov:>6}  ft {ft:>7}  corpus {corpus:>6}"
    )
    return line, artifacts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="time per target (default 60)")
    parser.add_argument("--jobs", type=int, default=1, help="targets run at once (default 1)")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated subset of " + ",".join(TARGETS))
    parser.add_argument("--no-build", action="store_true", help="use the fuzz binaries already built")
    args = parser.parse_args()
    targets = [t for t in args.targets.split(",") if t]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        parser.error("unknown target(s): " + ", ".join(unknown))
    if args.seconds < 1 or args.jobs < 1:
        parser.error("--seconds and --jobs must be at least 1")
    if not args.no_build:
        build()
    pending = list(targets)
    running = {}
    results = {}
    while pending or running:
        while pending and len(running) < args.jobs:
            target = pending.pop(0)
            print(f"fuzzing {target} for {args.seconds} s (log: .build/fuzz/logs/{target}/fuzz.log)", flush=True)
            running[target] = start(target, args.seconds)
        time.sleep(1)
        for target, (process, log) in list(running.items()):
            if process.poll() is not None:
                log.close()
                results[target] = process.returncode
                del running[target]
    failed = False
    print()
    for target in targets:
        line, artifacts = summarise(target, results[target], args.seconds)
        print(line)
        if results[target] != 0:
            failed = True
            for artifact in artifacts:
                print(f"  reproducer: {artifact}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

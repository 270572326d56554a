#!/usr/bin/env python3
"""A support bundle of plain-text container logs, deterministic: troubleshoot.sh's layout
(supportbundle/cluster-resources/pods/logs/<namespace>/<pod>/<container>.log) in a .tar.gz, each
container logging in one of the styles applications use (an RFC 3339 time first, a bracketed
level, JSON lines, logfmt, klog). podmortem sniffs every member's head to pick its parser, so a
bundle of many such logs measures what sniffing costs per source.

    python3 bench/gen_bundle.py --pods 200 --lines 600 > bundle.tar.gz
"""
import argparse, gzip, io, random, sys, tarfile

MESSAGES = [
    "starting server on :8080", "connected to database host=db-0 port=5432",
    "request completed method=GET path=/api/v1/items status=200 duration=12ms", "cache miss key=user:1234",
    "retrying upstream call attempt=2 backoff=200ms", "shutting down gracefully",
    "loaded config from /etc/app/config.yaml", "health check ok", "worker 3 picked job id=8f2a",
    "failed to reach upstream: dial tcp 10.0.0.7:443: i/o timeout",
]
LEVELS = ["INFO", "WARN", "ERROR", "DEBUG"]


def line(style, rng, i):
    t = f"2026-11-27T00:{i // 60 % 60:02d}:{i % 60:02d}.{rng.randrange(1_000_000):06d}Z"
    level, msg = rng.choice(LEVELS), rng.choice(MESSAGES)
    if style == 0:
        return f"{t} {level} [{rng.choice(['main', 'http', 'db', 'worker'])}] {msg}"
    if style == 1:
        return f"[{level}] {t[:19].replace('T', ' ')} {msg}"
    if style == 2:
        return '{"level":"%s","ts":"%s","caller":"app/main.go:%d","msg":"%s"}' % (level.lower(), t, rng.randrange(400), msg)
    if style == 3:
        return f'time="{t}" level={level.lower()} msg="{msg}" component=app'
    return f"{level[0]}1127 00:{i // 60 % 60:02d}:{i % 60:02d}.{rng.randrange(1_000_000):06d}       1 main.go:{rng.randrange(400)}] {msg}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pods", type=int, default=200)
    ap.add_argument("--lines", type=int, default=600)
    args = ap.parse_args()
    rng = random.Random(17)
    out = io.BytesIO()
    # The gzip header's time fixed too, so the same arguments give the same bytes.
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as tf:
        for p in range(args.pods):
            style = p % 5
            data = ("\n".join(line(style, rng, i) for i in range(args.lines)) + "\n").encode()
            info = tarfile.TarInfo(f"supportbundle/cluster-resources/pods/logs/default/app-{p:03d}/app.log")
            info.size, info.mtime = len(data), 1764201600
            tf.addfile(info, io.BytesIO(data))
    sys.stdout.buffer.write(out.getvalue())


if __name__ == "__main__":
    main()

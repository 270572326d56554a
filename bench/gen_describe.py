#!/usr/bin/env python3
"""Concatenates the shipped describe samples into one `kubectl describe pods`-style stream of
--pods outputs (default 10,000), renaming each copy so every pod is distinct. Deterministic."""
import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=0, help="cycle pod names after this many (0: all distinct)")
    args = parser.parse_args()
    texts = []
    for path in sorted(ROOT.glob("samples/*/describe.txt")):
        text = path.read_text()
        name = next(l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("Name:"))
        texts.append((name, text.rstrip("\n")))
    out = sys.stdout
    for i in range(args.pods):
        name, text = texts[i % len(texts)]
        n = i % args.distinct if args.distinct else i
        out.write(text.replace(name, f"{name}-{n:05d}"))
        out.write("\n\n\n")


if __name__ == "__main__":
    main()

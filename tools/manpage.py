#!/usr/bin/env python3
"""Tidy the mdoc man page `swift package generate-manual` writes, and check that it renders cleanly.

  tools/manpage.py fix PAGE     rewrite PAGE in place
  tools/manpage.py check PAGE   render PAGE with man(1) and groff; exit 1 on any warning

The ArgumentParser plugin (https://github.com/apple/swift-argument-parser, Plugins/GenerateManual)
copies each command's discussion text verbatim, so a blank line between paragraphs becomes an empty
input line (mdoc wants `.Pp`), and the indented example lines are filled into one paragraph. `fix`
turns blank lines into `.Pp` and each run of lines indented by two spaces into a literal display
(`.Bd -literal -offset indent` … `.Ed`), per mdoc(7) (https://man.openbsd.org/mdoc.7).
"""

import os
import subprocess
import sys


def fix(text):
    out = []
    literal = False
    for line in text.split("\n"):
        indented = line.startswith("  ") and line.strip() != ""
        if indented and not literal:
            out.append(".Bd -literal -offset indent")
            literal = True
        elif not indented and literal:
            out.append(".Ed")
            literal = False
        if indented:
            body = line[2:]
            # A line starting with a dot or an apostrophe would be read as a request; \& guards it.
            if body.startswith(".") or body.startswith("'"):
                body = "\\&" + body
            out.append(body)
        elif line.strip() == "":
            # Empty input lines are mdoc warnings; `.Pp` is the paragraph break. Keep a page's final newline.
            out.append(".Pp" if out and out[-1] not in ("", ".Pp") else "")
        else:
            out.append(line)
    if literal:
        out.append(".Ed")
    # `.Pp` right before a list or a display, or at the end, is redundant and mandoc warns about it.
    cleaned = []
    for i, line in enumerate(out):
        nxt = next((l for l in out[i + 1:] if l != ""), None)
        if line == ".Pp" and (nxt is None or nxt.startswith((".Bl", ".Bd", ".It", ".El", ".Sh", ".Pp"))):
            continue
        cleaned.append(line)
    return "\n".join(cleaned).rstrip("\n") + "\n"


def check(path):
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
    problems = []
    man = subprocess.run(["man", "--warnings", "-l", path], capture_output=True, text=True, env=env)
    if man.returncode != 0 or man.stderr.strip():
        problems.append("man --warnings -l: exit %d\n%s" % (man.returncode, man.stderr))
    if "NAME" not in man.stdout or "SYNOPSIS" not in man.stdout:
        problems.append("man -l rendered no NAME and SYNOPSIS sections")
    groff = subprocess.run(["groff", "-mandoc", "-Tutf8", "-ww", "-z", path], capture_output=True, text=True, env=env)
    if groff.returncode != 0 or groff.stderr.strip():
        problems.append("groff -ww: exit %d\n%s" % (groff.returncode, groff.stderr))
    for p in problems:
        print("%s: %s" % (path, p), file=sys.stderr)
    if not problems:
        print("%s: renders without warnings (%d lines)" % (path, man.stdout.count("\n")))
    return 1 if problems else 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("fix", "check"):
        print(__doc__, file=sys.stderr)
        return 64
    path = sys.argv[2]
    if sys.argv[1] == "check":
        return check(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(fix(text))
    return 0


if __name__ == "__main__":
    sys.exit(main())

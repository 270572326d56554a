#!/usr/bin/env bash
# Builds the example of docs/library.md as a separate package that depends on this one, the way
# another Swift tool would, and runs it on a shipped sample: it proves the example compiles
# against the public API alone (`package` symbols are out of its reach) and still works.
#
#   tools/library-example.sh            # uses a fresh directory under $TMPDIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/podmortem-library-example.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Sources/triage"
cat > "$work/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription
let package = Package(
  name: "triage",
  dependencies: [.package(path: "$root")],
  targets: [.executableTarget(name: "triage", dependencies: [.product(name: "Podmortem", package: "$(basename "$root")")])]
)
SWIFT
# The first swift block of docs/library.md that imports Podmortem, then a main that calls it.
python3 - "$root/docs/library.md" "$work/Sources/triage/main.swift" <<'PY'
import sys
doc = open(sys.argv[1]).read()
blocks = [b.split("```")[0] for b in doc.split("```swift\n")[1:]]
example = next(b for b in blocks if "import Podmortem" in b)
main = 'let count = try triage(Array(CommandLine.arguments.dropFirst(2)), summary: URL(fileURLWithPath: CommandLine.arguments[1]))\nprint("serious findings: \\(count)")\n'
open(sys.argv[2], "w").write(example + "\n" + main)
PY
swift build --package-path "$work" -q
out=$("$work/.build/debug/triage" "$work/summary.md" "$root/samples/liveness-http-timeout/describe.txt")
echo "$out"
grep -q "^critical .*liveness probe failing" <<<"$out"
grep -q "^serious findings: 1$" <<<"$out"
grep -q "^# Incident summary" "$work/summary.md"
echo "library example: built against the public API and ran"

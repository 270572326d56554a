#!/usr/bin/env bash
# Builds podmortem with the Swift runtime and Foundation linked in (`--static-swift-stdlib`), copies
# it to OUT (default .build/static-bin/podmortem) and smoke-tests it: `ldd` must show no Swift
# library, and it must analyse a shipped sample from outside the repository (the patterns are
# compiled in). The binary still needs the system's libc, libstdc++, libpcre2-8 and zlib. The Containerfile
# runs this script, and so does CI.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-.build/static-bin}"
swift="${SWIFT:-swift}"
# Concrete generic types' metadata through their accessors instead of by mangled name: the
# runtime then needs no search of every protocol conformance to check a generic requirement
# (docs/architecture.md, "The start-up floor"). The same flags as `make release`.
flags=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)
"$swift" build -c release --static-swift-stdlib --build-path .build/static "${flags[@]}"
bin="$("$swift" build -c release --static-swift-stdlib --build-path .build/static "${flags[@]}" --show-bin-path)/podmortem"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cp "$bin" "$out/podmortem"
strip "$out/podmortem" 2>/dev/null || true

echo "== ldd $out/podmortem"
ldd "$out/podmortem" || true
if ldd "$out/podmortem" 2>/dev/null | grep -Ei 'libswift|libFoundation|lib_Foundation|libdispatch|libicu'; then
  echo "static-build: the binary still loads the Swift runtime (above)" >&2
  exit 1
fi

echo "== smoke test"
sample="$(pwd)/samples/liveness-http-timeout/describe.txt"
report="$(cd / && "$out/podmortem" --now 2026-11-27T01:00:00Z "$sample")" && status=0 || status=$?
if [ "$status" != 1 ] || ! grep -q "liveness probe failing" <<<"$report"; then
  echo "static-build: the binary did not diagnose the sample (exit $status)" >&2
  exit 1
fi
echo "static-build: $out/podmortem ($(du -h "$out/podmortem" | cut -f1)) diagnoses the sample"

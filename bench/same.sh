#!/usr/bin/env bash
# Two builds of podmortem must give the same answer: a change for speed or memory may not buy a
# different report (docs/architecture.md "Tests and yardsticks"). This runs BASE and NEW on the
# bench inputs and compares stdout, stderr and the exit code byte for byte (`cmp`), one line per
# case: `same NAME` or `DIFF NAME`, exiting 1 when any case differs (the differing outputs are
# kept, and their directory printed).
#
#   bench/same.sh BASE NEW             # the 13 bench cases
#   bench/same.sh --bundles BASE NEW   # the 22 bundle and sample-tree cases
#   BENCH_MB=128 BENCH_EVENTS_MB=128 bench/same.sh BASE NEW   # the inputs bench/run.sh sizes so
#
# The 13 cases: the kubelet log as json, text and markdown, and its .gz as json; the EventList as
# text, json and markdown, and `podmortem events` on it; 10,000 describes as json and text; the
# 10,000 describes of 1,000 pods as json, sarif and html. The 22: two generated support bundles
# (200 and 30 container logs), the seven shipped bundle layouts, samples/_all and samples/pastes,
# each as json and text. BASE's outputs are kept under bench/out, by the checksum of its binary
# and the inputs' sizes, so a second comparison against the same base runs only NEW.
set -Eeuo pipefail
# A stop under `set -e` names its line, so it is never silent.
trap 'echo "same.sh: stopped at line $LINENO (exit $?)" >&2' ERR
cd "$(dirname "$0")/.."
bundles=false
if [ "${1:-}" = --bundles ]; then bundles=true; shift; fi
[ $# -eq 2 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
base=$(realpath "$1")
new=$(realpath "$2")
for bin in "$base" "$new"; do [ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }; done

OUT=bench/out
MB=${BENCH_MB:-512}
EVENTS_MB=${BENCH_EVENTS_MB:-1024}
mkdir -p "$OUT"
now=--now=2026-11-27T01:00:00Z
log="$OUT/kubelet-$MB.log"
eventlist="$OUT/eventlist-$EVENTS_MB.json"
describe="$OUT/describe-10000.txt"
describe1k="$OUT/describe-10000-1000-distinct.txt"
bundle200="$OUT/bundle-200.tar.gz"
bundle30="$OUT/bundle-30.tar.gz"
# The inputs, deterministic, made as bench/run.sh makes them when missing.
if $bundles; then
  [ -s "$bundle200" ] || python3 bench/gen_bundle.py --pods 200 --lines 600 > "$bundle200"
  [ -s "$bundle30" ] || python3 bench/gen_bundle.py --pods 30 > "$bundle30"
else
  [ -s "$log" ] || python3 bench/gen_kubelet_log.py --mb "$MB" > "$log"
  [ -s "$log.gz" ] || gzip -c -6 "$log" > "$log.gz"
  [ -s "$eventlist" ] || python3 bench/gen_eventlist.py --mb "$EVENTS_MB" > "$eventlist"
  [ -s "$describe" ] || python3 bench/gen_describe.py --pods 10000 > "$describe"
  [ -s "$describe1k" ] || python3 bench/gen_describe.py --pods 10000 --distinct 1000 > "$describe1k"
fi

kind=$($bundles && echo bundles || echo "bench-$MB-$EVENTS_MB")
cache="$OUT/same-$(sha256sum "$base" | cut -c1-16)-$kind"
mkdir -p "$cache"
fresh=$(mktemp -d)
differ=0

# case NAME ARGS… — BASE (once, kept) and NEW on ARGS, compared.
case_() {
  local name=$1
  shift
  if [ ! -f "$cache/$name.rc" ]; then
    local rc=0
    "$base" "$@" > "$cache/$name.out" 2> "$cache/$name.err" || rc=$?
    echo "$rc" > "$cache/$name.rc"
  fi
  local rc=0
  "$new" "$@" > "$fresh/$name.out" 2> "$fresh/$name.err" || rc=$?
  echo "$rc" > "$fresh/$name.rc"
  if cmp -s "$cache/$name.out" "$fresh/$name.out" && cmp -s "$cache/$name.err" "$fresh/$name.err" \
    && cmp -s "$cache/$name.rc" "$fresh/$name.rc"; then
    echo "same $name"
    rm -f "$fresh/$name".*
  else
    echo "DIFF $name"
    differ=1
  fi
}

if $bundles; then
  for input in "$bundle200" "$bundle30" samples/bundles/*/ samples/_all samples/pastes; do
    input=${input%/}
    for format in json text; do case_ "$(basename "$input")-$format" --format "$format" "$now" "$input"; done
  done
else
  case_ log-json --format json "$now" "$log"
  case_ log-text --format text "$now" "$log"
  case_ log-markdown --format markdown "$now" "$log"
  case_ log.gz-json --format json "$now" "$log.gz"
  case_ eventlist-text --format text "$now" "$eventlist"
  case_ eventlist-json --format json "$now" "$eventlist"
  case_ eventlist-markdown --format markdown "$now" "$eventlist"
  case_ eventlist-events events --format json "$now" "$eventlist"
  case_ describes-json --format json "$now" "$describe"
  case_ describes-text --format text "$now" "$describe"
  case_ describes-1k-json --format json "$now" "$describe1k"
  case_ describes-1k-sarif --format sarif "$now" "$describe1k"
  case_ describes-1k-html --format html "$now" "$describe1k"
fi

if [ "$differ" = 1 ]; then
  echo "NEW's differing outputs: $fresh (BASE's: $cache)" >&2
  exit 1
fi
rm -rf "$fresh"

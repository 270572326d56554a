#!/usr/bin/env bash
# Packs the static build (`make static`: it runs without the Swift toolchain) as the krew plugin
# archive and writes its sha256 (and, with KREW_BASE_URL, its uri) into plugins/podmortem.yaml.
# Usage: make krew [KREW_BASE_URL=https://…/v0.1.0]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/static-bin/podmortem
[ -x "$bin" ] || { echo "krew: $bin missing: run make static first" >&2; exit 1; }
out=.build/krew
archive=podmortem_linux_amd64.tar.gz
rm -rf "$out/stage" && mkdir -p "$out/stage"
cp "$bin" "$out/stage/kubectl-podmortem"
cp README.md "$out/stage/"
tar -C "$out/stage" -czf "$out/$archive" kubectl-podmortem README.md
sum=$(sha256sum "$out/$archive" | cut -d' ' -f1)
version=v$("$bin" --version)
sed -i -e "s|^  version: .*|  version: $version|" -e "s|^      sha256: .*|      sha256: \"$sum\"|" plugins/podmortem.yaml
if [ -n "${KREW_BASE_URL:-}" ]; then
  sed -i -e "s|^      uri: .*|      uri: ${KREW_BASE_URL%/}/$archive|" plugins/podmortem.yaml
fi
echo "krew: $out/$archive sha256 $sum ($version) written to plugins/podmortem.yaml"

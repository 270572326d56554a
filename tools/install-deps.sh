#!/usr/bin/env bash
# Installs what podmortem needs from the system's package manager, only when it is missing:
#   tools/install-deps.sh build   the C libraries it links (PCRE2 8-bit, zlib) with their headers
#   tools/install-deps.sh test    the validators of the CI-output tests (xmllint; Python jsonschema)
# Knows apt-get (Debian, Ubuntu), dnf (Fedora, RHEL), zypper (openSUSE), apk (Alpine), pacman (Arch)
# and brew (macOS); anything else gets the list of what to install by hand and exit 1.
set -euo pipefail

what="${1:-build}"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

manager=""
for m in apt-get dnf zypper apk pacman brew; do
  if command -v "$m" >/dev/null 2>&1; then manager="$m"; break; fi
done

# The package names per manager: PCRE2 headers, zlib headers, xmllint.
packages() {
  case "$manager:$1" in
    apt-get:pcre2) echo libpcre2-dev ;; apt-get:zlib) echo zlib1g-dev ;; apt-get:xmllint) echo libxml2-utils ;;
    dnf:pcre2) echo pcre2-devel ;; dnf:zlib) echo zlib-devel ;; dnf:xmllint) echo libxml2 ;;
    zypper:pcre2) echo pcre2-devel ;; zypper:zlib) echo zlib-devel ;; zypper:xmllint) echo libxml2-tools ;;
    apk:pcre2) echo pcre2-dev ;; apk:zlib) echo zlib-dev ;; apk:xmllint) echo libxml2-utils ;;
    pacman:pcre2) echo pcre2 ;; pacman:zlib) echo zlib ;; pacman:xmllint) echo libxml2 ;;
    brew:pcre2) echo pcre2 ;; brew:zlib) echo zlib ;; brew:xmllint) echo libxml2 ;;
  esac
}

install() {
  [ $# -gt 0 ] || return 0
  if [ -z "$manager" ]; then
    echo "podmortem needs: $* (no apt-get, dnf, zypper, apk, pacman or brew found: install them by hand)" >&2
    exit 1
  fi
  echo "installing: $*"
  case "$manager" in
    apt-get) $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" ;;
    dnf) $sudo dnf install -y -q "$@" ;;
    zypper) $sudo zypper --non-interactive install "$@" ;;
    apk) $sudo apk add --quiet "$@" ;;
    pacman) $sudo pacman -S --noconfirm --needed "$@" ;;
    brew) brew install "$@" ;;
  esac
}

# A library is there when pkg-config knows it, or (no pkg-config) when its header is.
have_library() {
  if command -v pkg-config >/dev/null 2>&1; then pkg-config --exists "$1"; return; fi
  for dir in /usr/include /usr/local/include /opt/homebrew/include; do [ -e "$dir/$2" ] && return 0; done
  return 1
}

missing=()
case "$what" in
  build)
    have_library libpcre2-8 pcre2.h || missing+=("$(packages pcre2)")
    have_library zlib zlib.h || missing+=("$(packages zlib)")
    [ -n "$manager" ] || [ ${#missing[@]} = 0 ] || missing=("PCRE2 (8-bit) and zlib with headers")
    install "${missing[@]}"
    ;;
  test)
    command -v xmllint >/dev/null || missing+=("$(packages xmllint)")
    [ -n "$manager" ] || [ ${#missing[@]} = 0 ] || missing=("xmllint (libxml2)")
    install "${missing[@]}"
    python3 -c 'import jsonschema' 2>/dev/null || { echo "installing: jsonschema"; python3 -m pip install --quiet jsonschema; }
    ;;
  *) echo "usage: tools/install-deps.sh build|test" >&2; exit 64 ;;
esac

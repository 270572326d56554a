# podmortem — the two commands a newcomer needs are `make demo` and `make test` (README.md).
SHELL := /bin/bash
SWIFT ?= swift
SAMPLE ?= samples/liveness-http-timeout/describe.txt
# Samples are rendered with ages relative to this moment (samples/manifest.json).
SAMPLE_NOW ?= 2026-11-27T01:00:00Z
PREFIX ?= /usr/local

.PHONY: deps test-deps build release install static demo test pastes check-samples samples patterns lint format bench krew man fuzz clean

## Install the C libraries podmortem links (PCRE2, zlib) when they are missing, with whichever of
## apt-get, dnf, zypper, apk, pacman or brew the machine has (tools/install-deps.sh).
deps:
	@tools/install-deps.sh build

## The validators the CI-output tests run: xmllint for JUnit, Python jsonschema for SARIF.
test-deps:
	@tools/install-deps.sh test

build: deps
	$(SWIFT) build

## Release builds take concrete generic types' metadata through their accessors instead of by
## mangled name, sparing start-up the runtime's conformance searches (docs/architecture.md, "The
## start-up floor"); tools/static-build.sh passes the same.
RELEASE_FLAGS ?= -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors

release: deps
	$(SWIFT) build -c release $(RELEASE_FLAGS)

## Install the static release binary (`make static`: the Swift runtime linked in, so it runs where
## Swift is not installed and starts faster — README "Quick start") and its man page under PREFIX
## (default /usr/local; DESTDIR for staging).
install: static man
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1"
	install -m 755 .build/static-bin/podmortem "$(DESTDIR)$(PREFIX)/bin/podmortem"
	install -m 644 .build/man/podmortem.1 "$(DESTDIR)$(PREFIX)/share/man/man1/podmortem.1"

## The release binary with the Swift runtime linked in, smoke-tested: .build/static-bin/podmortem.
static: deps
	tools/static-build.sh .build/static-bin

## Build podmortem and run it on a shipped sample (exit 1 there means "found problems", as designed).
demo: release
	@echo "\$$ podmortem --now $(SAMPLE_NOW) $(SAMPLE)"
	@$(SWIFT) run -c release --skip-build podmortem --now $(SAMPLE_NOW) $(SAMPLE); \
	  status=$$?; [ $$status -le 1 ] || exit $$status

## Every test: unit, patterns, samples round trip, end to end (builds the binary first).
test: deps test-deps
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error
	$(SWIFT) test
	python3 -m unittest discover -s tools/fixture-apiserver -p 'test_*.py' -q
	python3 tools/make-bundle-samples.py --check
	python3 tools/render-samples.py --check
	python3 -m unittest discover -s tools -p 'test_pastes.py' -q
	python3 -m unittest discover -s tools -p 'test_manpage.py' -q
	python3 tools/pastes.py validate
	python3 tools/pastes.py score --check --binary .build/debug/podmortem

## The man page, generated offline from the argument parser's definitions by ArgumentParser's
## generate-manual plugin, tidied (paragraphs, example blocks) and checked to render with no
## warnings under man -l and groff: .build/man/podmortem.1 (man -l .build/man/podmortem.1 reads it).
man: deps
	@mkdir -p .build/man
	$(SWIFT) package --allow-writing-to-directory .build/man generate-manual --output-directory .build/man
	python3 tools/manpage.py fix .build/man/podmortem.1
	python3 tools/manpage.py check .build/man/podmortem.1

## Score podmortem on the real pastes in samples/pastes/ against its floor; V=1 adds a line per case.
pastes: build
	python3 tools/pastes.py validate
	python3 tools/pastes.py score --check --binary .build/debug/podmortem $(if $(V),-v)

## Re-render samples/ with the real kubectl against the fixture API server and fail when stale.
check-samples:
	python3 tools/make-bundle-samples.py --check
	python3 tools/render-samples.py --check

samples:
	python3 tools/render-samples.py
	python3 tools/make-bundle-samples.py

## Regenerate the pattern catalog compiled into the binary from patterns/*.json.
patterns:
	python3 tools/generate-patterns.py

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests

format:
	$(SWIFT) format format --in-place --recursive Sources Tests

## The bench's baselines: pcre2grep (pcre2-utils) and jq, installed when missing.
bench: release
	@missing=""; command -v pcre2grep >/dev/null || missing="$$missing pcre2-utils"; \
	command -v jq >/dev/null || missing="$$missing jq"; \
	if [ -n "$$missing" ]; then SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; fi
	bench/run.sh

## The krew plugin archive, its sha256 (and uri with KREW_BASE_URL) written to plugins/podmortem.yaml.
krew: static
	tools/krew-package.sh

## libFuzzer targets for the parsers (Fuzz/, docs/architecture.md "Fuzzing"): each runs FUZZ_SECONDS,
## FUZZ_JOBS at a time; fails on a crash, an input over 10 s or 2 GiB; reproducers in .build/fuzz/crashes/.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
fuzz: deps
	python3 Fuzz/fuzz.py --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS)

clean:
	rm -rf .build

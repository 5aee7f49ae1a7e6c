#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine with Swift, builds, and runs every test:
# the Swift test suites (unit and end-to-end against the built binaries), the systemd end-to-end
# test under a real systemd, then the quick fault-injection suite against a release build (kill -9
# mid-ingest, inotify limits, a full disk, socket abuse, hostile files, SIGTERM at every phase).
# Exits non-zero if anything fails, a `swift format lint` finding (.swift-format) included.
#
#   Tests/run-all.sh           everything (CI runs this)
#   Tests/run-all.sh --quick   the Swift tests only: no systemd sandbox, no release build, no faults
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=false
case "${1:-}" in
    --quick) quick=true ;;
    "") ;;
    *) echo "usage: Tests/run-all.sh [--quick]" >&2; exit 2 ;;
esac

need=()
for package in libsqlite3-dev libsystemd-dev zlib1g-dev pkg-config python3-venv systemd util-linux sqlite3; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || need+=("$package")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    as_root=()
    [ "$(id -u)" = 0 ] || as_root=(sudo)
    "${as_root[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The Python client test drives the daemon with the third-party varlink package, installed once
# here (from PyPI), not from inside a test.
venv=.build/python-varlink
if ! "$venv/bin/python" -c "import varlink" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check varlink
fi
export AKHBAR_PYTHON_VARLINK="$PWD/$venv/bin/python"

# Formatting is checked first: it takes seconds, and a style slip should not wait for a build.
swift format lint --strict --recursive Sources Tests Package.swift
swift build --build-tests
# Daemons run in-process (AkhbarTesting; suites named InProcess…) get a test process of their own:
# they share its cooperative thread pool, which the end-to-end tests hold while they wait on child
# processes.
swift test --skip-build --skip InProcess
swift test --skip-build --filter InProcess --skip InProcessLatency
# The latency test times a quiet daemon: alone, not beside the in-process bulk ingests.
swift test --skip-build --filter InProcessLatency
if $quick; then exit 0; fi
Tests/systemd/run-e2e.sh .build/debug
# The fault suite times stops and floods against the build users run.
swift build -c release --product akhbard
Tests/faults/run --quick --bin .build/release

#!/bin/sh
# deps.sh: installs the Debian packages placer needs, only those missing. Used by `make deps`.
# clang and libclang-rt-14-dev (libFuzzer, libclang_rt.fuzzer-x86_64.a, which clang only recommends) are
# for `make fuzz`; the -14 is Debian 12's clang.
# tcl (tclsh) runs the `placer place --tcl` script against a stub of OpenROAD's place_macro in the tests.
PKGS="build-essential libxml2-dev libigraph-dev libopenblas-dev libcairo2-dev libopenmpi-dev \
openmpi-bin libcriterion-dev libjson-c-dev libfftw3-dev zlib1g-dev pkg-config klayout \
clang libclang-rt-14-dev tcl"
missing=""
for p in $PKGS; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "[deps] all packages present"
    exit 0
fi
echo "[deps] installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "[deps] not root and no sudo: run as root: apt-get install -y$missing" >&2
        exit 1
    fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "[deps] apt-get not found: install these packages with your package manager:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || { echo "[deps] apt-get update failed; run: sudo apt-get update && sudo apt-get install -y$missing" >&2; exit 1; }
$SUDO apt-get install -y -qq $missing || { echo "[deps] install failed; run: sudo apt-get install -y$missing" >&2; exit 1; }
echo "[deps] done"

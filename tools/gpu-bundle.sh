#!/bin/sh
# gpu-bundle.sh: packs what tools/gpu-check.sh needs on a GPU machine that has the CUDA toolkit but none of
# our Debian libraries, no network and no ../shared: the CUDA=1 binaries built here, the shared libraries
# they load (all but glibc's, the C++ runtime's and CUDA's own, which that machine has in newer versions),
# and the one shared design bench_env reads (its netlist and .plc files).
# usage: tools/gpu-bundle.sh [SHARED_DIR]   (default ../shared)
# Writes .gpu/bundle.tar.xz (ignored by git; a few tens of MiB). On the GPU machine, from the repository root:
#   tar xJf .gpu/bundle.tar.xz && GPU_CHECK_PREBUILT=1 LD_LIBRARY_PATH=$PWD/.gpu/lib tools/gpu-check.sh .gpu/shared
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SHARED=${1:-../shared}
BUILD=build-gpu
BINS="placer test_all bench_gnn bench_env"
TARGETS=$(for b in $BINS; do printf '%s/%s ' "$BUILD" "$b"; done)
# shellcheck disable=SC2086 # TARGETS is a list of paths without spaces
make BUILD=$BUILD CUDA=1 -j"$(nproc)" $TARGETS >/dev/null
STAGE=$(mktemp -d /tmp/pl-gpu-bundle.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/$BUILD" "$STAGE/.gpu/lib" "$STAGE/.gpu/shared/designs/ct_ng45_ariane133"
for t in $TARGETS; do cp "$t" "$STAGE/$BUILD/"; done
for t in $TARGETS; do ldd "$t"; done | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u |
    grep -v -e '/libc\.so' -e '/libm\.so' -e '/libpthread\.so' -e '/libdl\.so' -e '/librt\.so' -e '/libresolv\.so' \
        -e '/ld-linux' -e '/libstdc++\.so' -e '/libgcc_s\.so' -e '/cuda' |
    while read -r lib; do cp -L "$lib" "$STAGE/.gpu/lib/"; done
design="$SHARED/designs/ct_ng45_ariane133"
if [ -r "$design/netlist.pb.txt.gz" ]; then cp "$design/netlist.pb.txt.gz" "$design"/*.plc "$STAGE/.gpu/shared/designs/ct_ng45_ariane133/"
else echo "gpu-bundle: $design/netlist.pb.txt.gz absent: bench_env will report skipped" >&2; fi
mkdir -p .gpu
tar cf - -C "$STAGE" "$BUILD" .gpu | xz -6 -T0 >.gpu/bundle.tar.xz.tmp
mv .gpu/bundle.tar.xz.tmp .gpu/bundle.tar.xz
echo "gpu-bundle: .gpu/bundle.tar.xz $(du -k .gpu/bundle.tar.xz | cut -f1) KiB, $(find "$STAGE/.gpu/lib" -type f | wc -l) libraries"

#!/bin/sh
# run.sh: runs every benchmark binary built from tests/bench/bench_*.c. Each prints one
# parseable line per case: "bench NAME key=value ...". Designs from $PL_SHARED are used when
# present; a missing design prints "bench NAME design=... skipped=...".
set -e
BUILD=${BUILD:-build}
for b in "$BUILD"/bench_*; do
    [ -x "$b" ] || continue
    "$b"
done

#!/bin/sh
# check-behaviour.sh: the outputs of this tree's placer against those of a reference commit.
# usage: tools/check-behaviour.sh [BASE_COMMIT] [SHARED_DIR]
#   BASE_COMMIT  default caaa39a (the tree before the folder/set-up refactor, issue 12)
#   SHARED_DIR   default ../shared (the shared designs; cases that need it are skipped without it)
# Builds BASE in a temporary git worktree and this tree in build-check/ (both CUDA=0), runs each case with
# both and compares: `placer eval --json` parsed (same keys, same values), `placer place` DEF bytes
# and its report's cost per stage,
# `placer cluster` .pb.txt and .plc bytes. Prints one line per case and "N passed, N failed".
set -u
BASE=${1:-caaa39a}
SHARED=${2:-../shared}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/pl-behaviour.XXXXXX)
trap 'git -C "$ROOT" worktree remove --force "$WORK/base" >/dev/null 2>&1; rm -rf "$WORK"' EXIT

git -C "$ROOT" worktree add --detach "$WORK/base" "$BASE" >/dev/null 2>&1 ||
    { echo "check-behaviour: cannot check out $BASE" >&2; exit 2; }
echo "[behaviour] building $BASE and this tree"
make -C "$WORK/base" -j2 CUDA=0 >"$WORK/base.log" 2>&1 || { echo "check-behaviour: build of $BASE failed ($WORK/base.log)" >&2; exit 2; }
make -C "$ROOT" -j2 CUDA=0 BUILD=build-check >"$WORK/new.log" 2>&1 ||
    { echo "check-behaviour: build failed" >&2; tail -20 "$WORK/new.log" >&2; exit 2; }
OLD="$WORK/base/build/placer"
NEW="$ROOT/build-check/placer"
pass=0; fail=0; skip=0
ok()   { echo "ok      $1"; pass=$((pass + 1)); }
bad()  { echo "FAILED  $1: $2"; fail=$((fail + 1)); }

# same_json A B: same keys and values once parsed ("placement" paths may differ in prefix only)
same_json() {
    python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a == b else 1)
PY
}

# case NAME: runs "$@" with OLD and NEW in place of PLACER, outputs under old/ and new/
run_both() {
    name=$1; shift
    for side in old new; do
        mkdir -p "$WORK/$side"
        bin=$OLD; [ "$side" = new ] && bin=$NEW
        (cd "$ROOT" && eval "\"$bin\" $*" ) >"$WORK/$side/$name.out" 2>"$WORK/$side/$name.err" ||
            { bad "$name" "$side exited non-zero: $(tail -1 "$WORK/$side/$name.err")"; return 1; }
    done
    return 0
}

O='$OUTDIR'
cd "$ROOT"
# the base commit let OpenBLAS use every core, and on some kernels its sums then depend on the core
# count; this tree pins it to one thread, so both sides run with one
export OPENBLAS_NUM_THREADS=1
# 1. eval on a Circuit Training netlist with its .plc
CT=$SHARED/designs/ct_ng45_ariane133
if [ -d "$CT" ]; then
    if run_both eval_ct "eval $CT/netlist.pb.txt.gz --placement $CT/legalized.plc --json"; then
        same_json "$WORK/old/eval_ct.out" "$WORK/new/eval_ct.out" && ok "eval ct_ng45_ariane133 legalized.plc" ||
            bad "eval ct_ng45_ariane133" "JSON differs: $(diff "$WORK/old/eval_ct.out" "$WORK/new/eval_ct.out" | head -4)"
    fi
else echo "skip    eval ct_ng45_ariane133 ($CT absent)"; skip=$((skip + 1)); fi

# 2. eval on a DEF (clustered, seed 7) with the SA reference placement
A=$SHARED/designs/asap7_ariane133
if [ -d "$A" ]; then
    L="--lef $SHARED/designs/asap7/asap7_tech_1x_201209.lef --lef $SHARED/designs/asap7/asap7sc7p5t_27_R_1x_201211.lef --lef $A/sram_asap7_16x256_1rw.lef"
    if run_both eval_asap7 "eval $A/ariane.def.gz $L --placement $A/refs/SA/ariane_fp_placed_macros.def --seed 7 --json"; then
        same_json "$WORK/old/eval_asap7.out" "$WORK/new/eval_asap7.out" && ok "eval asap7_ariane133 SA seed 7" ||
            bad "eval asap7_ariane133" "JSON differs: $(diff "$WORK/old/eval_asap7.out" "$WORK/new/eval_asap7.out" | head -4)"
    fi
else echo "skip    eval asap7_ariane133 ($A absent)"; skip=$((skip + 1)); fi

# 3. place the bundled demo design: the same DEF bytes
if run_both place_demo "place designs/demo/demo.def --effort fast --time-limit 0 --seed 3 -o $WORK/\$side/demo.def --report $WORK/\$side/demo.json"; then
    cmp -s "$WORK/old/demo.def" "$WORK/new/demo.def" && ok "place demo seed 3: DEF bytes" ||
        bad "place demo seed 3" "DEF differs"
    python3 - "$WORK/old/demo.json" "$WORK/new/demo.json" <<'PY' && ok "place demo seed 3: report costs per stage" ||
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
strip = lambda r: [{k: v for k, v in st.items() if k != "seconds"} for st in r["stages"]]
sys.exit(0 if strip(a) == strip(b) and a["proxy_cost"] == b["proxy_cost"] else 1)
PY
        bad "place demo seed 3" "report costs differ"
fi

# 4. cluster the demo design: the same .pb.txt and .plc bytes
if run_both cluster_demo "cluster designs/demo/demo.def --seed 2 -o $WORK/\$side/demo.pb.txt --plc $WORK/\$side/demo.plc"; then
    cmp -s "$WORK/old/demo.pb.txt" "$WORK/new/demo.pb.txt" && cmp -s "$WORK/old/demo.plc" "$WORK/new/demo.plc" &&
        ok "cluster demo seed 2: .pb.txt and .plc bytes" || bad "cluster demo seed 2" ".pb.txt or .plc differs"
fi

echo "behaviour: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]

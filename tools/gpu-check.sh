#!/bin/sh
# gpu-check.sh: everything that needs a GPU, in one run of a few minutes (what a task lent a GPU machine
# runs first). usage: tools/gpu-check.sh [SHARED_DIR]   (default ../shared, else shared/)
# Builds with CUDA=1 in build-gpu/, then:
#   1. the CUDA tests (gnn_cuda, gnn_net, and the --device CLI tests): each must PASS here; a test that
#      reports skipped is counted, and the only ones allowed to skip are the no-GPU refusal paths
#   2. bench_gnn (gnn_forward / gnn_train_step, cpu and cuda side by side) and bench_env (env_steps by
#      learner device; needs the shared designs)
#   3. placer train --device cuda, 2 iterations, on a generated design; its checkpoint placed on the CPU
#   4. placer place --device cuda --effort fast on the generated design: the report must say "cuda"
# Prints one "gpu-check NAME ok|FAIL ..." line per check, the bench lines, and "gpu-check: N ok, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
SHARED=${1:-}
[ -n "$SHARED" ] || { [ -d ../shared/designs ] && SHARED=../shared; } || { [ -d shared/designs ] && SHARED=shared; } || SHARED=../shared
BUILD=build-gpu
BINS="placer test_all bench_gnn bench_env"
TARGETS=$(for b in $BINS; do printf '%s/%s ' "$BUILD" "$b"; done)
WORK=$(mktemp -d /tmp/pl-gpu-check.XXXXXX)
ok=0 bad=0
check() { # NAME STATUS DETAIL
    if [ "$2" = 0 ]; then ok=$((ok + 1)); echo "gpu-check $1 ok $3"; else bad=$((bad + 1)); echo "gpu-check $1 FAIL $3"; fi
}

command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader |
    sed 's/^/gpu-check device /'
t0=$(date +%s)
# shellcheck disable=SC2086 # TARGETS is a list of paths without spaces
if [ "${GPU_CHECK_PREBUILT:-0}" = 1 ]; then
    missing=$(for t in $TARGETS; do ldd "$t" 2>&1 | grep -e 'not found' -e 'No such'; done)
    [ -z "$missing" ]
    check build $? "prebuilt${missing:+: $missing}"
    [ -z "$missing" ] || { echo "gpu-check: $ok ok, $bad failed"; exit 1; }
elif make BUILD=$BUILD CUDA=1 -j"$(nproc)" $TARGETS >"$WORK/build.log" 2>&1; then
    check build 0 "CUDA=1 in $(($(date +%s) - t0)) s"
else
    tail -20 "$WORK/build.log"
    check build 1 "see the lines above"
    echo "gpu-check: $ok ok, $bad failed"
    exit 1
fi

# 1. the CUDA tests: TAP lines of the chosen suites ("ok - suite::name", "# SKIP" when skipped)
FILTER='@(gnn_cuda|gnn_net)/*'
PL_SHARED=$SHARED PL_PLACER=$BUILD/placer timeout 240 $BUILD/test_all -j4 --filter "$FILTER" --tap="$WORK/tap" \
    >"$WORK/tests.log" 2>&1
rc=$?
grep -E '^(not )?ok - gnn_(cuda|net)::' "$WORK/tap" >"$WORK/mine" 2>/dev/null
passed=$(grep -c '^ok - .*' "$WORK/mine" | tr -d ' ')
skipped=$(grep -c '# SKIP' "$WORK/mine" | tr -d ' ')
failed=$(grep -c '^not ok' "$WORK/mine" | tr -d ' ')
passed=$((passed - skipped))
# the refusal paths are the only tests a GPU makes unreachable
unexpected=$(grep '# SKIP' "$WORK/mine" | grep -v -e refuse_cleanly -e refused_cleanly | sed 's/^ok - //; s/ *#.*//' | tr '\n' ' ')
[ "$rc" = 0 ] && [ "$failed" = 0 ] && [ -z "$unexpected" ] && [ "$passed" -gt 0 ]
check cuda_tests $? "passed=$passed skipped=$skipped failed=$failed${unexpected:+ unexpected_skips=$unexpected}"
[ "$failed" = 0 ] || grep -B2 -A12 'FAIL\|Assertion' "$WORK/tests.log" | head -60
PL_SHARED=$SHARED PL_PLACER=$BUILD/placer timeout 120 $BUILD/test_all -j2 \
    --filter '@(train_cli/device*|place_cli/the_report_says*)' >"$WORK/cli.log" 2>&1
check device_cli $? "$(grep Synthesis "$WORK/cli.log" | sed 's/.*Synthesis: //')"

# 2. the benches, side by side
timeout 240 $BUILD/bench_gnn
check bench_gnn $? ""
PL_SHARED=$SHARED BUILD=$BUILD timeout 300 $BUILD/bench_env
check bench_env $? ""

# 3. train on the GPU, place its checkpoint on the CPU
$BUILD/placer gen -o "$WORK/g" --macros 12 --cells 1500 --seed 5 --name g >/dev/null 2>&1
t0=$(date +%s)
timeout 240 $BUILD/placer train "$WORK/g/g.def" --lef-dir "$WORK/g" --device cuda --iterations 2 --episodes-per-iter 8 -o "$WORK/g.ckpt" \
    --log "$WORK/g.jsonl" --json >"$WORK/train.out" 2>"$WORK/train.err"
rc=$?
grep -q '"device": "cuda"' "$WORK/train.out" && [ "$(grep -c '"device": "cuda"' "$WORK/g.jsonl" 2>/dev/null)" = 2 ] || rc=1
check train_cuda $rc "$(($(date +%s) - t0)) s, $(grep -o '"steps_per_s": [0-9.]*' "$WORK/g.jsonl" 2>/dev/null | tr '\n' ' ')"
[ "$rc" = 0 ] || tail -5 "$WORK/train.err"
timeout 120 $BUILD/placer place "$WORK/g/g.def" --lef-dir "$WORK/g" --policy "$WORK/g.ckpt" --device cpu --effort fast \
    --time-limit 0 -o "$WORK/g_cpu.def" --report "$WORK/cpu.json" >/dev/null 2>"$WORK/cpu.err"
check gpu_ckpt_on_cpu $? "$(grep -o '"proxy_cost": [0-9.]*' "$WORK/cpu.json" 2>/dev/null | tail -1)"

# 4. the placer's prior on the GPU
t0=$(date +%s)
timeout 180 $BUILD/placer place "$WORK/g/g.def" --lef-dir "$WORK/g" --device cuda --effort fast -o "$WORK/g_gpu.def" \
    --report "$WORK/gpu.json" >/dev/null 2>"$WORK/place.err"
rc=$?
grep -q '"device": "cuda"' "$WORK/gpu.json" 2>/dev/null || rc=1
check place_cuda $rc "$(($(date +%s) - t0)) s, $(grep -o '"proxy_cost": [0-9.]*' "$WORK/gpu.json" 2>/dev/null | tail -1)"
[ "$rc" = 0 ] || tail -5 "$WORK/place.err"

echo "gpu-check: $ok ok, $bad failed"
rm -rf "$WORK"
[ "$bad" = 0 ]

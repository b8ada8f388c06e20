#!/bin/sh
# train_policy.sh: trains the default policy shipped as policies/default.ckpt (`make policy`).
#
# usage: tools/train_policy.sh PLACER OUT.ckpt WORKDIR [ITERATIONS]
# Generates four designs with `placer gen` (fixed seeds, 12 to 64 macros) into WORKDIR, then:
#  1. the side weight (`placer train --side`, gnn/model.h): a fresh network whose head's last layer is zero
#     is a pure pull toward the core's sides of B logits; each B of a doubling grid places every design
#     once, greedily (`placer place --rollouts 1 --chains 0 --fd-start 0`, the wire mask times the pull),
#     and the B with the lowest mean proxy cost over the four designs is kept (ties: the smaller pull);
#  2. PPO on all four designs from that start (seed 1, 32 episodes per iteration, lr 1e-3, ITERATIONS
#     iterations, 20 by default), as a residual on the wire mask (`--prior-wire 1`, what `placer place`
#     multiplies the policy by), in chunks of 5 iterations (`--resume`);
#  3. the network kept is the one with the lowest mean greedy proxy over the four designs among the start
#     (iteration 0) and the end of every chunk (ties: the earlier), copied to OUT. PPO's reward is the
#     sampled episodes'; what `placer place` uses first is the greedy rollout, so that is what selects.
# Only generated designs are used (the shared designs are the ablation's, never trained or chosen on). No
# time limit and one BLAS thread, so the checkpoint is byte-identical on every run (docs/training.md,
# "The default policy"). About 15 CPU-minutes (one core) for 20 iterations.
set -eu
PLACER=$1
OUT=$2
WORK=$3
ITERS=${4:-20}
export OPENBLAS_NUM_THREADS=1
mkdir -p "$WORK"
rm -f "$WORK/policy.ckpt" "$WORK/best.ckpt" "$WORK/train.log" "$WORK/side.txt"
designs=""
# name macros cells ios seed
for spec in "p12 12 1500 32 11" "p24 24 3000 48 12" "p40 40 4000 64 13" "p64 64 6000 96 14"; do
    set -- $spec
    "$PLACER" -q gen -o "$WORK/$1" --name "$1" --macros "$2" --cells "$3" --ios "$4" --seed "$5" >/dev/null
    designs="$designs $WORK/$1/$1.def"
done

# greedy_mean CKPT: the mean proxy cost of the greedy placements of the four designs with CKPT (printed)
greedy_mean() {
    sum=0
    for d in $designs; do
        "$PLACER" -q place "$d" --policy "$1" --seed 1 --threads 1 --rollouts 1 --chains 0 \
            --fd-start 0 --time-limit 0 -o "$WORK/greedy.def" --report "$WORK/greedy.json" >/dev/null
        cost=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["proxy_cost"])' "$WORK/greedy.json")
        sum=$(awk -v s="$sum" -v c="$cost" 'BEGIN { printf "%.10f", s + c }')
    done
    rm -f "$WORK/greedy.def" "$WORK/greedy.json"
    awk -v s="$sum" 'BEGIN { printf "%.6f", s / 4 }'
}

# 1. the side weight, by the training designs' greedy placements
best_b=0
best_cost=
for b in 0 5 10 20 40 80 160 320; do
    # shellcheck disable=SC2086
    "$PLACER" -q train $designs --seed 1 --iterations 0 --no-eval --side --side-init "-$b" --force \
        -o "$WORK/side.ckpt" >/dev/null
    mean=$(greedy_mean "$WORK/side.ckpt")
    echo "side -$b mean greedy proxy $mean" | tee -a "$WORK/side.txt"
    if [ -z "$best_cost" ] || awk -v m="$mean" -v b="$best_cost" 'BEGIN { exit !(m < b) }'; then
        best_cost=$mean
        best_b=$b
        cp "$WORK/side.ckpt" "$WORK/best.ckpt" # iteration 0 of step 3
    fi
done
rm -f "$WORK/side.ckpt"
echo "[policy] side weight -$best_b (mean greedy proxy $best_cost on the training designs)"

# 2. PPO from there, in chunks of 5 iterations; 3. the best greedy network of the chunks' ends
best_it=0
echo "ppo 0 mean greedy proxy $best_cost" | tee -a "$WORK/side.txt"
it=0
go=--force # the first chunk starts afresh, the others continue it
while [ "$it" -lt "$ITERS" ]; do
    it=$((it + 5))
    [ "$it" -gt "$ITERS" ] && it=$ITERS
    # shellcheck disable=SC2086
    "$PLACER" train $designs --seed 1 --iterations "$it" --episodes-per-iter 32 --lr 1e-3 --side \
        --side-init "-$best_b" --prior-wire 1 --no-eval $go -o "$WORK/policy.ckpt" --log "$WORK/train.log"
    go=--resume
    mean=$(greedy_mean "$WORK/policy.ckpt")
    echo "ppo $it mean greedy proxy $mean" | tee -a "$WORK/side.txt"
    if awk -v m="$mean" -v b="$best_cost" 'BEGIN { exit !(m < b) }'; then
        best_cost=$mean
        best_it=$it
        cp "$WORK/policy.ckpt" "$WORK/best.ckpt"
    fi
done
cp "$WORK/best.ckpt" "$OUT"
echo "[policy] wrote $OUT (iteration $best_it of $ITERS, mean greedy proxy $best_cost; log $WORK/train.log)"

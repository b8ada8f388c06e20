#!/bin/sh
# train_policy.sh: trains the default policy shipped as policies/default.ckpt (`make policy`).
#
# usage: tools/train_policy.sh PLACER OUT.ckpt WORKDIR [ITERATIONS]
# Generates four designs with `placer gen` (fixed seeds, 12 to 64 macros) into WORKDIR, then trains
# one policy on all of them with PPO (seed 1, 32 episodes per iteration, lr 1e-3, ITERATIONS
# iterations, 40 by default) into WORKDIR/policy.ckpt, copied to OUT when training is done. No time
# limit and one BLAS thread, so the checkpoint is byte-identical on every run (docs/training.md,
# "The default policy"). About 15 CPU-minutes (one core) for 40 iterations.
set -eu
PLACER=$1
OUT=$2
WORK=$3
ITERS=${4:-40}
export OPENBLAS_NUM_THREADS=1
mkdir -p "$WORK"
rm -f "$WORK/policy.ckpt" "$WORK/train.log"
designs=""
# name macros cells ios seed
for spec in "p12 12 1500 32 11" "p24 24 3000 48 12" "p40 40 4000 64 13" "p64 64 6000 96 14"; do
    set -- $spec
    "$PLACER" -q gen -o "$WORK/$1" --name "$1" --macros "$2" --cells "$3" --ios "$4" --seed "$5" >/dev/null
    designs="$designs $WORK/$1/$1.def"
done
# shellcheck disable=SC2086
"$PLACER" train $designs --seed 1 --iterations "$ITERS" --episodes-per-iter 32 --lr 1e-3 \
    --no-eval -o "$WORK/policy.ckpt" --log "$WORK/train.log"
cp "$WORK/policy.ckpt" "$OUT"
echo "[policy] wrote $OUT ($ITERS iterations; log $WORK/train.log)"

#!/bin/sh
# run.sh: what `make fuzz` runs: run.sh BUILD SECONDS TARGET...
#
# 1. Writes the seed corpora into BUILD/seeds/<target>/ from the project's designs (BUILD/mkseeds).
# 2. Replays tests/fuzz/regress/<target>/ (every input that once failed) with -runs=0.
# 3. Fuzzes each target for SECONDS (0: skip), one at a time, with BUILD/corpus/<target>/ as the working
#    corpus (kept between runs, never in the repository) and the seeds (and the regression inputs) as
#    extra read-only corpora. A crash, leak, sanitizer report or timeout leaves its input in
#    BUILD/crashes/<target>/ and the log in BUILD/logs/<target>.log.
# Prints one parseable line per target:
#   fuzz TARGET seconds=S execs=N exec_per_s=R cov=C ft=F corpus=K crashes=0|1 [regress=K]
# and exits 1 when any replay or run failed. FUZZ_ARGS adds libFuzzer options (e.g. -jobs or -dict).
set -u
B=$1
SECS=$2
shift 2
FUZZ_ARGS=${FUZZ_ARGS:-}

rm -rf "$B/seeds"
mkdir -p "$B/seeds" "$B/corpus" "$B/crashes" "$B/logs"
"$B/mkseeds" . "$B/seeds" || { echo "[fuzz] writing the seed corpora failed" >&2; exit 1; }

# value of "stat::NAME: V" in a log
lf_stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -n 1; }
# "NAME: V" from libFuzzer's last status line ("#N ... cov: C ft: F corp: K/...")
lf_field() { grep -E '^#[0-9]+' "$1" | tail -n 1 | sed -n "s/.* $2: \([0-9]*\).*/\1/p"; }

fail=0
for t in "$@"; do
    bin=$B/fuzz_$t
    reg=tests/fuzz/regress/$t
    log=$B/logs/$t.log
    regress=""
    extra=""
    mkdir -p "$B/corpus/$t" "$B/crashes/$t"
    if [ -d "$reg" ]; then
        n=$(find "$reg" -type f | wc -l)
        if "$bin" -runs=0 -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$B/crashes/$t/regress-" "$reg" \
            >"$B/logs/$t.regress.log" 2>&1; then
            regress=" regress=$n"
            extra=$reg
        else
            echo "[fuzz] $t: an input of $reg fails again (log $B/logs/$t.regress.log):" >&2
            grep -E 'ERROR|runtime error|SUMMARY|Running:|Test unit written' "$B/logs/$t.regress.log" | head -n 20 >&2
            regress=" regress=FAILED"
            fail=1
        fi
    fi
    if [ "$SECS" -le 0 ]; then
        echo "fuzz $t seconds=0${regress}"
        continue
    fi
    start=$(date +%s)
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$B/crashes/$t/" $FUZZ_ARGS "$B/corpus/$t" "$B/seeds/$t" $extra >"$log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    execs=$(lf_stat "$log" number_of_executed_units)
    rate=$(lf_stat "$log" average_exec_per_sec)
    crashes=0
    [ "$rc" -eq 0 ] || crashes=1
    echo "fuzz $t seconds=$secs execs=${execs:-?} exec_per_s=${rate:-?} cov=$(lf_field "$log" cov) ft=$(lf_field "$log" ft)" \
         "corpus=$(find "$B/corpus/$t" -type f | wc -l) crashes=$crashes${regress}"
    if [ "$rc" -ne 0 ]; then
        echo "[fuzz] $t: exit status $rc (log $log):" >&2
        grep -E 'ERROR|runtime error|SUMMARY|Test unit written|#0 |#1 |#2 ' "$log" | head -n 20 >&2
        fail=1
    fi
done
[ "$fail" -eq 0 ] || { echo "[fuzz] FAILED: inputs are in $B/crashes/; copy each into tests/fuzz/regress/<target>/ once understood" >&2; exit 1; }

#!/usr/bin/env bash
# Dashboard vs headless training speed (issue 12: the dashboard within 5 % of headless),
# measured from the steps each run records over wall time, not from the status line.
#
# usage: scripts/pace-compare.sh [SECONDS] [-- FLAGS...]
#   SECONDS  how long each run trains (default 30)
#   FLAGS    model flags given to both runs (e.g. --threads 2 --batch 32)
#   CNN_TUI_BIN=path  the binary to measure (default: a release build of this checkout)
#   KEEP=1            keep the two metrics files (their folder is printed)
# Runs `cnn-tui --metrics` in a detached tmux session at 160x48, then `cnn-tui train
# --metrics` for the same time, one after the other, and prints steps/s of each from the
# files' `step` records: (last step - first step) / (last elapsed - first elapsed), which
# leaves out the start (data loading, the first validation). The machine must be quiet and
# runs should alternate a few times for a figure worth quoting.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=30
if [[ ${1:-} =~ ^[0-9]+$ ]]; then secs=$1; shift; fi
[[ ${1:-} == -- ]] && shift
flags=("$@")
command -v tmux >/dev/null || { echo "pace-compare: tmux is not installed" >&2; exit 2; }

# CNN_TUI_BIN=path uses that binary instead of building a release one.
bin=${CNN_TUI_BIN:-}
if [[ -z $bin ]]; then
  cargo build --release --quiet
  bin=${CARGO_TARGET_DIR:-target}/release/cnn-tui
fi
dir=$(mktemp -d)
session=pace-compare-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true; [[ -n ${KEEP:-} ]] || rm -rf "$dir"' EXIT

# steps/s from a metrics CSV: the step records' first and last (step, elapsed).
rate() {
  awk -F, '$1 == "step" { if (!n++) { s0 = $3; t0 = $12 } s1 = $3; t1 = $12 }
    END { if (t1 > t0) printf "%.1f steps/s (%d steps in %.1f s)\n", (s1 - s0) / (t1 - t0), s1 - s0, t1 - t0;
          else print "no steps recorded" }' "$1"
}

cmd=$(printf '%q ' "$bin" --metrics "$dir/dashboard.csv" "${flags[@]}")
tmux new-session -d -s "$session" -x 160 -y 48 "$cmd"
sleep "$secs"
tmux send-keys -t "$session" C-c
sleep 1

timeout --signal=INT "$secs" "$bin" train --epochs 1000 --metrics "$dir/headless.csv" \
  "${flags[@]}" >/dev/null || true

echo "dashboard (160x48): $(rate "$dir/dashboard.csv")"
echo "headless:           $(rate "$dir/headless.csv")"
if [[ -n ${KEEP:-} ]]; then echo "metrics files in $dir"; fi

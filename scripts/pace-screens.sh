#!/usr/bin/env bash
# Training speed with a screen or a lab page open against the dashboard alone (issue 10: each
# lab within 10 % of the dashboard), measured as pace-compare.sh does, from the steps each run
# records over wall time.
#
# usage: scripts/pace-screens.sh [SECONDS] KEYS [KEYS...] [-- FLAGS...]
#   SECONDS  how long each run trains (default 30)
#   KEYS     one run each: tmux key names sent once the dashboard is up, e.g. '3' (labs,
#            translation), '3 Tab' (drawing), '3 Tab Tab' (kernels), '3 Tab Tab m' (kernels
#            microscope), '3 BTab' (pooling); '' is the dashboard alone
#   FLAGS    model flags given to every run
#   CNN_TUI_BIN=path  the binary to measure (default: a release build of this checkout)
# Runs the dashboard alone first, then each KEYS, one after the other, each in a detached tmux
# session at 160x48, and prints steps/s of each and its ratio to the dashboard alone. The
# machine must be quiet, and runs should alternate a few times for a figure worth quoting.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=30
if [[ ${1:-} =~ ^[0-9]+$ ]]; then secs=$1; shift; fi
keys=("")
while [[ $# -gt 0 && $1 != -- ]]; do keys+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
flags=("$@")
command -v tmux >/dev/null || { echo "pace-screens: tmux is not installed" >&2; exit 2; }
[[ ${#keys[@]} -gt 1 ]] || { echo "pace-screens: give at least one KEYS (see the header)" >&2; exit 2; }

bin=${CNN_TUI_BIN:-}
if [[ -z $bin ]]; then
  cargo build --release --quiet
  bin=${CARGO_TARGET_DIR:-target}/release/cnn-tui
fi
dir=$(mktemp -d)
session=pace-screens-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$dir"' EXIT

# steps/s from a metrics CSV: the step records' first and last (step, elapsed).
rate() {
  awk -F, '$1 == "step" { if (!n++) { s0 = $3; t0 = $12 } s1 = $3; t1 = $12 }
    END { if (t1 > t0) printf "%.1f", (s1 - s0) / (t1 - t0); else print "0" }' "$1"
}

base=""
for i in "${!keys[@]}"; do
  csv="$dir/run$i.csv"
  cmd=$(printf '%q ' "$bin" --metrics "$csv" "${flags[@]}")
  tmux new-session -d -s "$session" -x 160 -y 48 "$cmd"
  sleep 2
  # Word splitting on purpose: each word is one tmux key.
  # shellcheck disable=SC2086
  [[ -n ${keys[$i]} ]] && tmux send-keys -t "$session" ${keys[$i]}
  sleep "$secs"
  tmux send-keys -t "$session" C-c
  sleep 1
  tmux kill-session -t "$session" 2>/dev/null || true
  r=$(rate "$csv")
  [[ -z $base ]] && base=$r
  name=${keys[$i]:-dashboard alone}
  awk -v n="$name" -v r="$r" -v b="$base" \
    'BEGIN { printf "%-22s %8.1f steps/s  %5.1f %% of the dashboard alone\n", n, r, (b > 0 ? 100 * r / b : 0) }'
done

#!/usr/bin/env bash
# Training speed with each screen open vs the dashboard alone (issues 9 and 10: within 10 %),
# measured from the steps each run records over wall time (`--metrics`), not from the status
# line.
#
# usage: scripts/pace-screens.sh [SECONDS] [KEYS...]
#   SECONDS  how long each run trains (default 20)
#   KEYS     one tmux key list per screen to measure, e.g. "2" "2 Tab" "3 Tab Tab" (default: every
#            screen's first page). Each is measured right after a run of the dashboard alone,
#            so the two runs of a pair share the machine's state; the ratio is theirs.
#   CNN_TUI_BIN=path  the binary to measure (default: a release build of this checkout)
# Runs `cnn-tui --metrics` in a detached tmux session at 160x48 and sends KEYS a second after
# it starts; steps/s is (last step - first step) / (last elapsed - first elapsed) over the
# records after the keys. The machine must be quiet for figures worth quoting.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=20
if [[ ${1:-} =~ ^[0-9]+$ ]]; then secs=$1; shift; fi
screens=("$@")
[[ ${#screens[@]} -gt 0 ]] || screens=("2" "3" "4" "5")
command -v tmux >/dev/null || { echo "pace-screens: tmux is not installed" >&2; exit 2; }

bin=${CNN_TUI_BIN:-}
if [[ -z $bin ]]; then
  cargo build --release --quiet
  bin=${CARGO_TARGET_DIR:-target}/release/cnn-tui
fi
dir=$(mktemp -d)
session=pace-screens-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$dir"' EXIT

# steps/s from a metrics CSV, over the step records whose elapsed is at least $2 seconds.
rate() {
  awk -F, -v from="$2" '$1 == "step" && $12 >= from { if (!n++) { s0 = $3; t0 = $12 } s1 = $3; t1 = $12 }
    END { if (t1 > t0) printf "%.1f", (s1 - s0) / (t1 - t0); else print "0" }' "$1"
}

# One run of the dashboard with KEYS ($1, may be empty) sent after a second; prints steps/s.
run() {
  local csv="$dir/run.csv"
  rm -f "$csv"
  tmux new-session -d -s "$session" -x 160 -y 48 "$(printf '%q ' "$bin" --metrics "$csv")"
  sleep 1
  # shellcheck disable=SC2086 # word splitting makes one tmux key of each word
  [[ -z $1 ]] || tmux send-keys -t "$session" $1
  sleep "$secs"
  tmux send-keys -t "$session" C-c
  sleep 1
  tmux kill-session -t "$session" 2>/dev/null || true
  rate "$csv" 3
}

printf '%-16s %14s %14s %8s\n' "screen keys" "dashboard/s" "screen/s" "ratio"
for keys in "${screens[@]}"; do
  alone=$(run "")
  open=$(run "$keys")
  ratio=$(awk -v a="$alone" -v b="$open" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }')
  printf '%-16s %14s %14s %8s\n' "$keys" "$alone" "$open" "$ratio"
done

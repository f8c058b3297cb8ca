#!/usr/bin/env bash
# Idle CPU of the running demo war room, read from /proc, and its start time to
# the first frame, read from its log. Target: under 1% of one core over 10 s,
# first frame under 100 ms.
#
#   cargo build --release && benches/idle_cpu.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
bin=target/release/warroom
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 2; }

state=$(mktemp -d)
socket="warroom-idle-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null; rm -rf "$state"' EXIT
tmux -L "$socket" -f /dev/null new-session -d -x 120 -y 40 -e "XDG_STATE_HOME=$state" "$bin"
sleep 2
pid=$(tmux -L "$socket" display-message -p '#{pane_pid}')
# The pane may hold a shell that started warroom rather than warroom itself.
child=$(pgrep -P "$pid" -x warroom || true)
[ -n "$child" ] && pid=$child
[ "$(cat "/proc/$pid/comm")" = warroom ] || { echo "warroom is not running" >&2; exit 1; }
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks)
sleep "$seconds"
after=$(ticks)
awk -v t=$((after - before)) -v hz="$hz" -v s="$seconds" \
    'BEGIN { printf "idle CPU over %d s: %.2f%% of one core (%d ticks at %d Hz)\n", s, 100 * t / hz / s, t, hz }'
grep -o 'first frame drawn elapsed_ms=[0-9.]*' "$state/warroom/warroom.log" | sed 's/.*=/start to first frame (ms): /'

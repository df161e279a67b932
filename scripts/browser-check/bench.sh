#!/usr/bin/env bash
# Latency of `trailwatch serve` with the whole SigmaHQ rules/ tree loaded: wrk against loopback, a few seconds
# per page, median and p99 printed.
#
#   scripts/browser-check/bench.sh            (TRAILWATCH_BIN defaults to a release build)
#
# Needs wrk (Debian: apt-get install -y wrk) and ../shared/sigma/sigmahq/rules beside the package.
# Loopback only, bounded: DURATION seconds (default 10) per page, CONNECTIONS connections (default 4).
set -euo pipefail
cd "$(dirname "$0")/../.."
rules="$(pwd)/../shared/sigma/sigmahq/rules"
[ -d "$rules" ] || { echo "bench: skipped: $rules is absent"; exit 0; }
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
duration=${DURATION:-10}
connections=${CONNECTIONS:-4}
bin=${TRAILWATCH_BIN:-}
if [ -z "$bin" ]; then
    swift build -c release --product trailwatch >/dev/null
    bin=.build/release/trailwatch
fi
work=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
TRAILWATCH_TOKEN=bench-token-0123456789 "$bin" serve --rules "$rules" --store "$work/alerts.sqlite" --port 0 \
    2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 240); do
    grep -q 'listening on' "$work/server.err" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; exit 1; }
    sleep 0.5
done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/server.err" | head -1)
head -1 "$work/server.err"
printf '%-58s %10s %10s %10s\n' page requests/s median p99
for path in "/" "/?q=security+group" "/?level=high&platform=aws&sort=level" "/?page=40" \
    "/detections/6fb77778-040f-4015-9440-572aa9b6b580" "/detections/0f06a3a5-6a09-413f-8743-e6cf35561297" \
    "/api/detections?tactic=persistence"; do
    wrk -t1 -c"$connections" -d"${duration}s" --latency "$base$path" >"$work/wrk.txt"
    rate=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
    median=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
    non2xx=$(awk '/Non-2xx/ {print $4}' "$work/wrk.txt")
    printf '%-58s %10s %10s %10s %s\n' "$path" "$rate" "$median" "$p99" "${non2xx:+NON-2XX: $non2xx}"
done

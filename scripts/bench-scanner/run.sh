#!/usr/bin/env bash
# Release benchmark of the CloudTrail scanner and reader on one core.
#   scripts/bench-scanner/run.sh [CORPUS_DIR] [ROUNDS]
# CORPUS_DIR defaults to ../shared/data/cloudtrail/grycap. For a bigger corpus:
#   python3 ../shared/tools/make-bench-corpus.py bench-corpus --copies 10 && scripts/bench-scanner/run.sh bench-corpus
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$root/../shared/data/cloudtrail/grycap}"
rounds="${2:-5}"
out="$root/.build-bench"
mkdir -p "$out"
flags=(-O -wmo -parse-as-library -swift-version 6)
sigma="$root/Sources/SigmaKit/Engine/SigmaEvent.swift"
swiftc "${flags[@]}" -module-name SigmaKit -emit-module -emit-module-path "$out/SigmaKit.swiftmodule" "$sigma"
swiftc "${flags[@]}" -module-name SigmaKit -c "$sigma" -o "$out/SigmaKit.o"
swiftc -O -wmo -swift-version 5 -module-name CloudTrail -I "$out" -I "$root/Sources/CZlib" \
    $(find "$root/Sources/CloudTrail" -name '*.swift') "$root/scripts/bench-scanner/main.swift" \
    "$out/SigmaKit.o" -lz -o "$out/bench-cloudtrail"
# (Swift 5 mode only for the driver's top-level globals; the library code is the same.)
# One core: the figures are per core (taskset pins the process when available).
if command -v taskset > /dev/null; then
    taskset -c 0 "$out/bench-cloudtrail" "$corpus" "$rounds"
else
    "$out/bench-cloudtrail" "$corpus" "$rounds"
fi
# Then the public API on every core, in a process of its own (so its peak RSS is its own).
"$out/bench-cloudtrail" "$corpus" "$rounds" --parallel

#!/usr/bin/env bash
# Builds the libFuzzer harness over Sources/CloudTrail (see Fuzz/README.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_OUT:-$root/.build-fuzz}"
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6)
# SigmaKit's event protocol is a single dependency-free file: build it as its own small module.
sigma="$root/Sources/SigmaKit/Engine/SigmaEvent.swift"
swiftc "${flags[@]}" -module-name SigmaKit -emit-module -emit-module-path "$out/SigmaKit.swiftmodule" "$sigma"
swiftc "${flags[@]}" -module-name SigmaKit -c "$sigma" -o "$out/SigmaKit.o"
swiftc "${flags[@]}" -module-name CloudTrail -I "$out" -I "$root/Sources/CZlib" \
    $(find "$root/Sources/CloudTrail" -name '*.swift') "$root/Fuzz/FuzzScanner.swift" \
    "$out/SigmaKit.o" -lz -o "$out/fuzz-cloudtrail"
echo "$out/fuzz-cloudtrail"

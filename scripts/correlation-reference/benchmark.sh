#!/usr/bin/env bash
# Correlation benchmark (docs/correlations.md, "Performance"): the cost of the pack's correlations on the
# `--copies 10` corpus, a worst case where every event feeds two correlations, and memory with 100,000 live
# groups. Runs every configuration side by side, interleaved, ROUNDS times; prints wall, CPU and peak RSS.
#
#   swift build -c release --scratch-path .build-release
#   scripts/correlation-reference/benchmark.sh .build-release/release/trailwatch /path/to/bench-corpus/copies-10
set -euo pipefail
BIN=${1:?trailwatch binary}
CORPUS=${2:?the --copies 10 corpus (shared/tools/make-bench-corpus.py OUT --copies 10)}
ROUNDS=${ROUNDS:-7}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The pack with and without its correlation documents (the building block stays in both).
cp -r "$ROOT/Sources/TrailwatchKit/Resources/rules" "$WORK/pack-full"
cp -r "$WORK/pack-full" "$WORK/pack-nocorr"
grep -l '^correlation:' "$WORK"/pack-nocorr/aws/cloudtrail/*.yml | xargs rm

# Worst case: a rule matching every event, feeding an event_count and a value_count correlation.
mkdir "$WORK/stress"
cat > "$WORK/stress/stress_correlations.yml" <<'YAML'
title: Any CloudTrail event
name: any_cloudtrail_event
logsource: {product: aws, service: cloudtrail}
detection:
    sel:
        eventTime|exists: true
    condition: sel
level: informational
---
title: Many calls by one identity
correlation:
    type: event_count
    rules: [any_cloudtrail_event]
    group-by: [userIdentity.arn]
    timespan: 10m
    condition: {gte: 1000}
---
title: Many distinct calls from one address
correlation:
    type: value_count
    rules: [any_cloudtrail_event]
    group-by: [sourceIPAddress]
    timespan: 1h
    condition: {gte: 100, field: eventName}
YAML

# 100,000 security-group changes by 100,000 identities within 9 minutes: 100,000 live groups at the end.
mkdir "$WORK/g-corr" "$WORK/g-none"
python3 - "$WORK/groups-100k.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(100_000):
        t = i * 540 // 100_000
        f.write(json.dumps({
            "eventVersion": "1.09",
            "userIdentity": {"type": "IAMUser", "arn": f"arn:aws:iam::123456789012:user/u{i:06d}",
                             "accountId": "123456789012"},
            "eventTime": "2024-05-15T09:%02d:%02dZ" % (t // 60, t % 60), "eventSource": "ec2.amazonaws.com",
            "eventName": "AuthorizeSecurityGroupIngress", "awsRegion": "eu-west-1",
            "sourceIPAddress": "198.51.100.23", "userAgent": "aws-cli/2.15.30",
            "requestParameters": {"groupId": "sg-%017x" % i},
            "responseElements": {"_return": True}, "eventID": "00000000-0000-4000-8000-%012d" % i,
            "eventType": "AwsApiCall", "recipientAccountId": "123456789012"}) + "\n")
PY
RULE='title: Security group change
name: sg_change
logsource: {product: aws, service: cloudtrail}
detection:
    selection:
        eventSource: ec2.amazonaws.com
        eventName: [AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress]
    condition: selection'
printf '%s\n' "$RULE" | sed 's/AuthorizeSecurityGroupIngress/NeverCalled/' > "$WORK/g-none/groups.yml"
printf '%s\n---\n%s\n' "$RULE" 'title: Burst by identity
correlation:
    type: event_count
    rules: [sg_change]
    group-by: [userIdentity.arn]
    timespan: 10m
    condition: {gte: 10}' > "$WORK/g-corr/groups.yml"

run() {
    local label=$1 input=$2; shift 2
    /usr/bin/time -f "%e %M %U %S" "$BIN" scan "$input" --format jsonl -q --no-builtin "$@" \
        > "$WORK/out" 2> "$WORK/time"
    echo "$label $(tail -1 "$WORK/time") $(wc -l < "$WORK/out")" >> "$WORK/results"
}
run warm "$CORPUS" --rules "$WORK/pack-full"; : > "$WORK/results"
for _ in $(seq "$ROUNDS"); do
    run nocorr "$CORPUS" --rules "$WORK/pack-nocorr"
    run pack "$CORPUS" --rules "$WORK/pack-full"
    run stress "$CORPUS" --rules "$WORK/pack-full" --rules "$WORK/stress"
    run g-none "$WORK/groups-100k.jsonl" --rules "$WORK/g-none"
    run g-corr "$WORK/groups-100k.jsonl" --rules "$WORK/g-corr"
done
python3 - "$WORK/results" <<'PY'
import collections, statistics as st, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    label, wall, rss, user, system, alerts = line.split()
    d[label].append((float(wall), int(rss) // 1024, float(user) + float(system), int(alerts)))
for label, runs in d.items():
    print(f"{label:7} wall median {st.median(r[0] for r in runs):.2f} s  cpu median {st.median(r[2] for r in runs):.2f} s"
          f"  peak RSS max {max(r[1] for r in runs)} MB  alerts {runs[0][3]}")
def ratio(a, b, i):
    return st.median(y[i] / x[i] for x, y in zip(d[a], d[b]))
for a, b in [("nocorr", "pack"), ("pack", "stress"), ("g-none", "g-corr")]:
    print(f"{b}/{a}: wall {ratio(a, b, 0):.2f}x, cpu {ratio(a, b, 2):.2f}x (median of paired runs)")
PY

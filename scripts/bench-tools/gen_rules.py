#!/usr/bin/env python3
"""Generate N distinct Sigma rules for the rule-scaling benchmark of scripts/bench.

The first rules are the SigmaHQ CloudTrail rules themselves, unchanged. The rest are copies k = 1, 2, ... of
them, each with:
  - a fresh id: uuid5 of "trailwatch-bench/<k>/<file name>" (deterministic, so reruns give the same files);
  - the title suffixed with " (bench copy k)";
  - every string value of every `eventName` item of a selection that is not a filter (plain or with
    modifiers, scalar or list) suffixed with "Bench<k>", e.g. `DeleteTrail` -> `DeleteTrailBench7`: the rule
    keeps its shape and stays indexable on eventName, but names an API call that does not exist, so copies
    add load without adding alerts;
  - for the 4 rules with no eventName item outside filters, the first string value of their first selection
    gets the same suffix (so `userAgent: TruffleHog` becomes `TruffleHogBench7`): they read the same fields.
The copies keep each rule's logsource, condition and modifiers.

  gen_rules.py RULES_DIR OUT_DIR [--count 1000]
"""
import argparse
import pathlib
import sys
import uuid

import yaml

NAMESPACE = uuid.UUID("8a3f6f52-7a0e-4b53-9d8e-0c5b7c1f2a10")


def suffix_values(value, suffix):
    """The value with every string suffixed; other scalars unchanged."""
    if isinstance(value, str):
        return value + suffix
    if isinstance(value, list):
        return [suffix_values(v, suffix) for v in value]
    return value


def first_string_item(selection):
    """(container, key) of the first item of a selection whose value holds a string, or None."""
    items = selection if isinstance(selection, list) else [selection]
    for item in items:
        if not isinstance(item, dict):
            continue
        for key, value in item.items():
            if isinstance(value, str) or (isinstance(value, list) and any(isinstance(v, str) for v in value)):
                return item, key
    return None


def mutate(doc, k):
    """Make copy k of one rule document in place."""
    suffix = f"Bench{k}"
    detection = doc.get("detection") or {}
    touched = False
    for name, selection in detection.items():
        # Filters (negated selections) are left alone: varying them would not make the copy a different rule
        # to look up.
        if name == "condition" or name.startswith("filter"):
            continue
        for item in selection if isinstance(selection, list) else [selection]:
            if not isinstance(item, dict):
                continue
            for key in list(item):
                if str(key).split("|")[0] == "eventName":
                    item[key] = suffix_values(item[key], suffix)
                    touched = True
    if not touched:
        for name, selection in detection.items():
            if name == "condition" or name.startswith("filter"):
                continue
            found = first_string_item(selection)
            if found:
                item, key = found
                value = item[key]
                if isinstance(value, str):
                    item[key] = value + suffix
                else:
                    i = next(i for i, v in enumerate(value) if isinstance(v, str))
                    value[i] = value[i] + suffix
                touched = True
                break
    return touched


def main():
    ap = argparse.ArgumentParser(description="Generate N distinct Sigma rules from a folder of rules.")
    ap.add_argument("rules_dir", type=pathlib.Path)
    ap.add_argument("out_dir", type=pathlib.Path)
    ap.add_argument("--count", type=int, default=1000)
    a = ap.parse_args()
    sources = sorted(a.rules_dir.glob("*.yml"))
    if not sources:
        sys.exit(f"gen_rules: no .yml rules in {a.rules_dir}")
    a.out_dir.mkdir(parents=True, exist_ok=True)
    for old in a.out_dir.glob("*.yml"):
        old.unlink()
    texts = [(p, p.read_text(encoding="utf-8")) for p in sources]
    written, k = 0, 0
    while written < a.count:
        for path, text in texts:
            if written == a.count:
                break
            name = f"bench{k:03d}_{path.name}"
            if k == 0:
                (a.out_dir / name).write_text(text, encoding="utf-8")
            else:
                doc = yaml.safe_load(text)
                if not mutate(doc, k):
                    sys.exit(f"gen_rules: {path.name}: found no string value to vary")
                doc["id"] = str(uuid.uuid5(NAMESPACE, f"trailwatch-bench/{k}/{path.name}"))
                doc["title"] = f"{doc.get('title', path.stem)} (bench copy {k})"
                (a.out_dir / name).write_text(
                    yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
            written += 1
        k += 1
    print(f"{written} rules in {a.out_dir} ({len(texts)} originals + {written - len(texts)} copies)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Builds the SQL reference for Trailwatch's correlation engine.

Converts every correlation of rules.yml with pySigma-backend-sqlite (the SQL that Zircolite runs), executes
the SQL on SQLite over events.jsonl, and writes reference.json: for each correlation (by title), the alerts
the SQL returns, one per qualifying window, with the group values, the window, the metric and the event ids.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pySigma==2.0.1 pySigma-backend-sqlite==2.1.1
    /tmp/venv/bin/python scripts/correlation-reference/build_reference.py

The output is committed; Tests/SigmaKitTests/CorrelationReferenceTests.swift compares the engine with it.
"""

import json
import pathlib
import sqlite3
import sys

from sigma.backends.sqlite import sqliteBackend
from sigma.collection import SigmaCollection
from sigma.correlations import SigmaCorrelationRule

HERE = pathlib.Path(__file__).resolve().parent


def main() -> int:
    import importlib.metadata as md

    collection = SigmaCollection.from_yaml((HERE / "rules.yml").read_text(encoding="utf-8"))
    events = [json.loads(line) for line in (HERE / "events.jsonl").read_text(encoding="utf-8").splitlines() if line]

    columns = sorted({key for event in events for key in event})
    db = sqlite3.connect(":memory:")
    # Untyped columns keep each value's own type (integer 60 and text '50' stay distinct, as in Zircolite).
    db.execute("CREATE TABLE logs (" + ", ".join(f"`{c}`" for c in columns) + ")")
    db.executemany(
        "INSERT INTO logs VALUES (" + ", ".join("?" for _ in columns) + ")",
        [[event.get(c) for c in columns] for event in events],
    )
    # pySigma's |re: Python's re.search as REGEXP (none of the fixture rules uses it).
    import re
    db.create_function("REGEXP", 2, lambda p, v: v is not None and re.search(p, str(v)) is not None)

    backend = sqliteBackend(collate_nocase=True, timestamp_field="eventTime", event_id_field="eventID")
    reference = {}
    # Base rules first: a correlation's SQL embeds their predicates.
    for rule in collection.rules:
        if not isinstance(rule, SigmaCorrelationRule):
            backend.convert_rule(rule)
    for rule in collection.rules:
        if not isinstance(rule, SigmaCorrelationRule):
            continue
        # A correlation chained by a generate:false one has its output turned off (COR-08); the engine still
        # computes its alerts (marked as not reported), so the reference re-enables it to compare them too.
        rule._output = True
        (query,) = backend.convert_correlation_rule(rule)
        alerts = []
        for row in db.execute(query):
            (_, group_keys, _, window_start, window_end, _, metric, _, event_ids, _) = row
            ids = sorted(item.split(":", 1)[1] for item in json.loads(event_ids))  # "<source>:<eventID>"
            alerts.append({
                "group": json.loads(group_keys),
                "windowStart": window_start,
                "windowEnd": window_end,
                "metric": metric,
                "eventIds": ids,
            })
        alerts.sort(key=lambda a: (a["windowEnd"], json.dumps(a["group"], sort_keys=True), a["windowStart"]))
        reference[rule.title] = alerts
    out = {
        "generator": "scripts/correlation-reference/build_reference.py",
        "versions": {name: md.version(name) for name in ("pySigma", "pySigma-backend-sqlite")},
        "sqlite": sqlite3.sqlite_version,
        "backendOptions": {"collate_nocase": True, "timestamp_field": "eventTime", "event_id_field": "eventID"},
        "correlations": reference,
    }
    (HERE / "reference.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{sum(len(v) for v in reference.values())} alerts for {len(reference)} correlations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

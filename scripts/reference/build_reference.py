#!/usr/bin/env python3
"""Independent reference results for the SigmaHQ CloudTrail rules.

Converts every rule of shared/sigma/sigmahq/rules/cloud/aws/cloudtrail to SQL with pySigma's SQLite backend,
loads every record of every folder of shared/data/cloudtrail into one SQLite table the way Zircolite does
(one column per dotted field path, columns declared COLLATE NOCASE), runs each rule's SQL and writes the matching
event keys to Tests/TrailwatchCLITests/Fixtures/reference/sigmahq-reference.json.

The output is deterministic (no timestamps): rerunning it on the same inputs and versions gives the same bytes.
See scripts/reference/README.md for the table layout and the known gaps between this SQL reference and the
Trailwatch semantics contract.

  python3 scripts/reference/build_reference.py [--shared DIR] [--out FILE] [--db FILE]
"""
import argparse
import collections
import gzip
import json
import pathlib
import platform
import re
import sqlite3
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_SHARED = REPO.parent / "shared"
DEFAULT_OUT = REPO / "Tests" / "TrailwatchCLITests" / "Fixtures" / "reference" / "sigmahq-reference.json"
RULES_REL = "sigma/sigmahq/rules/cloud/aws/cloudtrail"
DATA_REL = "data/cloudtrail"
SEED_RULE = "aws_cloudtrail_security_group_change_ingress_egress.yml"
DEDUP_FOLDERS = ("grycap",)
TABLE = "logs"
ROW_COLUMN = "_ref_row"
# SQLite's default SQLITE_MAX_COLUMN is 2000; stay clear of it.
MAX_COLUMNS = 1900

KEY_FORMAT = "<folder>/<file path relative to the folder>#<record index>[@<eventID>]"
RECORD_INDEX = (
    "0-based position of the record in its file: the index in the `Records` array (S3 delivery files), "
    "in the top-level array (stratus-red-team files), or the 0-based index of the non-blank line (JSON Lines)"
)
DEDUP_RULE = (
    "grycap only: files are visited in sorted relative-path order and records in file order; a record whose "
    "`eventID` was already seen in an earlier grycap record is not loaded (its first occurrence keeps the key). "
    "Records without an eventID are never deduplicated, and no other folder is deduplicated."
)
STORAGE = {
    "table": "one table `logs`, one row per record, one column per dotted path (`userIdentity.arn`); every "
    "column is declared `COLLATE NOCASE` with no type affinity, so values keep their JSON type",
    "strings": "TEXT as they are (no trimming; \"\" stays \"\", unlike Zircolite which drops empty strings)",
    "numbers": "INTEGER or REAL (so `'4624'` never equals the number 4624: storage artifact)",
    "booleans": "the TEXT 'true' / 'false' (as Zircolite, and as the backend's `(f='true' OR f=1)` expects)",
    "null": "SQL NULL, the same as a missing key",
    "objects": "every object, at any depth, is stored as its compact JSON text (Decision D1: keys in event order, "
    "no spaces, strings written unescaped between their quotes) in the column of its own path, AND its members "
    "are flattened into their own dotted columns; so `requestParameters` holds the whole object as text",
    "arrays": "stored as their compact D1 JSON text in the column of their path; elements are NOT flattened, so "
    "a path through an array (`requestParameters.containerDefinitions.command`) has no column",
    "missing fields": "a field a rule reads that no record has still gets a column (all NULL), so the rule runs",
    "column names": "SQLite column names are case-insensitive; when two paths differ only in case (`eventName` "
    "vs panther's `eventname`), the spelling a rule uses (else the most frequent one) keeps the plain column and "
    "the others are stored under `<path>~<n>`, out of the rules' reach (listed in `shadowed_columns`)",
    "regexp": "REGEXP is Python `re.search(pattern, str(value))`, false on NULL",
}


def d1_text(value):
    """Compact JSON text as Decision D1 defines it: source key order, no spaces, strings unescaped."""
    if isinstance(value, dict):
        return "{" + ",".join('"%s":%s' % (k, d1_text(v)) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(d1_text(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value + '"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def scalar(value):
    """A JSON scalar as the SQLite value stored for it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # SQLite integers are 64-bit; anything larger is kept as its text.
        return value if -(2**63) <= value < 2**63 else str(value)
    return value


def flatten(record):
    """Map each dotted path of a record to the value stored in its column (see STORAGE), and each path whose
    JSON value is an object, array, boolean or null to that kind."""
    out, kinds = {}, {}

    def walk(value, path):
        if isinstance(value, dict):
            if path:
                out[path] = d1_text(value)
                kinds[path] = "object"
            for key, child in value.items():
                walk(child, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            out[path] = d1_text(value)
            kinds[path] = "array"
        else:
            out[path] = scalar(value)
            if value is None:
                kinds[path] = "null"
            elif isinstance(value, bool):
                kinds[path] = "boolean"
            elif isinstance(value, (int, float)):
                kinds[path] = "number"

    walk(record, "")
    return out, kinds


def unwrap(obj):
    """The CloudTrail record inside one JSON Lines object (logstash, panther, streamalert, awsdocs wrappers)."""
    if not isinstance(obj, dict):
        return obj
    if isinstance(obj.get("log"), dict):  # panther: {panther_rule_id, test_name, ..., log: {...}}
        obj = obj["log"]
    elif isinstance(obj.get("event"), dict):  # streamalert {trigger_rules, event}, awsdocs {source_file, event}
        obj = obj["event"]
    # CloudWatch Events / EventBridge envelope: the CloudTrail record is under `detail`.
    if isinstance(obj.get("detail"), dict) and ("detail-type" in obj or "eventName" in obj["detail"]):
        obj = obj["detail"]
    return obj


def read_file(path):
    """The records of one data file, in file order."""
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8")
    if path.name.endswith(".jsonl") or path.name.endswith(".jsonl.gz"):
        return [unwrap(json.loads(line)) for line in text.splitlines() if line.strip()]
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        # Not one document: treat it as JSON Lines.
        return [unwrap(json.loads(line)) for line in text.splitlines() if line.strip()]
    if isinstance(doc, dict) and isinstance(doc.get("Records"), list):
        return doc["Records"]
    if isinstance(doc, list):
        return [unwrap(r) for r in doc]
    return [unwrap(doc)]


def load_records(data_dir, log):
    """Every record of every folder: (key, flattened record), the per-folder counts and the dedup log."""
    rows, folders, skipped = [], {}, []
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        seen = {}
        stats = {"files": 0, "records": 0, "loaded": 0, "not_objects": 0}
        files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())
        for path in files:
            if not re.search(r"\.(json|jsonl)(\.gz)?$", path.name):
                continue
            rel = path.relative_to(folder).as_posix()
            try:
                records = read_file(path)
            except (OSError, ValueError, UnicodeDecodeError) as error:
                log(f"warning: {folder.name}/{rel}: cannot read: {error}")
                stats.setdefault("unreadable_files", []).append(rel)
                continue
            stats["files"] += 1
            for index, record in enumerate(records):
                stats["records"] += 1
                if not isinstance(record, dict):
                    stats["not_objects"] += 1
                    continue
                event_id = record.get("eventID")
                key = f"{folder.name}/{rel}#{index}" + (f"@{event_id}" if event_id is not None else "")
                if folder.name in DEDUP_FOLDERS and event_id is not None:
                    if event_id in seen:
                        skipped.append({"key": key, "first": seen[event_id]})
                        continue
                    seen[event_id] = key
                stats["loaded"] += 1
                rows.append((key, *flatten(record)))
        folders[folder.name] = stats
    return rows, folders, skipped


def convert_rules(rules_dir):
    """Each rule file: metadata and its SQL, or the conversion error."""
    from sigma.backends.sqlite import sqliteBackend
    from sigma.collection import SigmaCollection

    backend = sqliteBackend()
    out = []
    for path in sorted(rules_dir.glob("*.yml")):
        entry = {"id": None, "title": None, "file": f"{RULES_REL}/{path.name}", "seed": path.name == SEED_RULE,
                 "sql": None, "fields": [], "error": None}
        try:
            collection = SigmaCollection.from_yaml(path.read_text(encoding="utf-8"))
            rules = list(collection.rules)
            if rules:
                entry["id"] = str(rules[0].id) if rules[0].id else None
                entry["title"] = rules[0].title
                entry["fields"] = sorted({f for r in rules for f in backend.required_fields(r)})
            queries = backend.convert(collection)
            if not queries:
                raise ValueError("the backend produced no query")
            entry["sql"] = queries[0] if len(queries) == 1 else list(queries)
        except Exception as error:  # noqa: BLE001 - every failure is recorded, none is fatal
            entry["error"] = f"{type(error).__name__}: {error}"
        out.append(entry)
    return out


def assign_columns(rows, wanted):
    """Column name of every path: plain, or `<path>~<n>` when it differs only in case from another path."""
    counts = collections.Counter()
    for _, flat, _ in rows:
        counts.update(flat.keys())
    # A field a rule reads but no record has still gets its (all-NULL) column: absent everywhere, not an error.
    for field in wanted:
        counts[field] += 0
    groups = collections.defaultdict(list)
    for path in counts:
        groups[path.lower()].append(path)
    columns, shadowed = {}, []
    for spellings in groups.values():
        spellings.sort(key=lambda p: (p not in wanted, -counts[p], p))
        columns[spellings[0]] = spellings[0]
        for n, other in enumerate(spellings[1:], start=1):
            columns[other] = f"{other}~{n}"
            shadowed.append({"path": other, "column": columns[other], "plain_column": spellings[0]})
    shadowed.sort(key=lambda s: s["path"])
    return columns, counts, shadowed


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def regexp(pattern, value):
    if value is None or pattern is None:
        return False
    return re.search(pattern, str(value)) is not None


def build_db(rows, columns, counts, wanted, db_path, log):
    """Create and fill the `logs` table; returns the connection."""
    paths = sorted(columns)
    if len(paths) > MAX_COLUMNS:
        # Too wide for SQLite: keep the columns the rules read (results are unchanged).
        paths = sorted(p for p in columns if p in wanted or columns[p] in wanted)
        log(f"note: {len(columns)} paths exceed {MAX_COLUMNS} columns; keeping the {len(paths)} the rules use")
    keep = set(paths)
    db = sqlite3.connect(db_path or ":memory:")
    db.create_function("regexp", 2, regexp, deterministic=True)
    db.execute(f"DROP TABLE IF EXISTS {TABLE}")
    cols = ",\n  ".join(f"{quote(columns[p])} COLLATE NOCASE" for p in paths)
    db.execute(f"CREATE TABLE {TABLE} (\n  {quote(ROW_COLUMN)} INTEGER PRIMARY KEY,\n  {cols}\n)")
    for rowid, (_, flat, _) in enumerate(rows):
        present = [p for p in flat if p in keep]
        names = ",".join([quote(ROW_COLUMN)] + [quote(columns[p]) for p in present])
        marks = ",".join("?" * (len(present) + 1))
        db.execute(f"INSERT INTO {TABLE} ({names}) VALUES ({marks})", [rowid] + [flat[p] for p in present])
    db.commit()
    return db


def shape_hints(fields, rows, columns):
    """Per field a rule reads: in how many loaded records it is present, and how many of those hold an array,
    an object, a boolean, a number or null; `under_array` counts records where the path goes through an array
    (so it has no value in the table). Lets a difference with Trailwatch be traced to a storage gap."""
    hints = {}
    for field in fields:
        stats = collections.Counter()
        parents = [field[:i] for i, c in enumerate(field) if c == "."]
        for _, flat, kinds in rows:
            kind = kinds.get(field)
            if kind:
                stats[kind] += 1
            elif field not in flat and any(kinds.get(p) == "array" for p in parents):
                stats["under_array"] += 1
        stats["present"] = sum(1 for _, flat, _ in rows if field in flat)
        hints[field] = dict(sorted(stats.items()))
    return hints


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=pathlib.Path, default=DEFAULT_SHARED, help="the shared/ folder")
    ap.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT, help="output JSON file")
    ap.add_argument("--db", type=pathlib.Path, help="also keep the SQLite database here, for inspection")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    log = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))

    try:
        import importlib.metadata as md
        versions = {name: md.version(name) for name in ("pySigma", "pySigma-backend-sqlite")}
    except Exception as error:  # noqa: BLE001
        sys.exit(f"error: pySigma is not installed ({error}); pip install -r scripts/reference/requirements.txt")
    if versions["pySigma"] != "2.0.1":
        log(f"warning: pySigma {versions['pySigma']} is installed; the reference is defined with 2.0.1")

    rules_dir = args.shared / RULES_REL
    data_dir = args.shared / DATA_REL
    for need in (rules_dir, data_dir):
        if not need.is_dir():
            sys.exit(f"error: {need} is not a directory (use --shared)")

    rules = convert_rules(rules_dir)
    log(f"{len(rules)} rules, {sum(1 for r in rules if r['error'])} conversion errors")
    rows, folders, skipped = load_records(data_dir, log)
    log(f"{len(rows)} records loaded, {len(skipped)} duplicates skipped")

    wanted = {f for r in rules for f in r["fields"]}
    columns, counts, shadowed = assign_columns(rows, wanted)
    if args.db and args.db.exists():
        args.db.unlink()
    db = build_db(rows, columns, counts, wanted, str(args.db) if args.db else None, log)
    keys = [row[0] for row in rows]

    out_rules = []
    for rule in rules:
        matches = []
        if rule["sql"] is not None:
            queries = rule["sql"] if isinstance(rule["sql"], list) else [rule["sql"]]
            found = set()
            try:
                for sql in queries:
                    found.update(r[0] for r in db.execute(f"SELECT {quote(ROW_COLUMN)} FROM ({sql})"))
                matches = sorted(keys[i] for i in found)
            except sqlite3.Error as error:
                rule["error"] = f"sqlite3.{type(error).__name__}: {error}"
        out_rules.append({
            "id": rule["id"],
            "title": rule["title"],
            "file": rule["file"],
            "seed": rule["seed"],
            "sql": rule["sql"],
            "error": rule["error"],
            "fields": rule["fields"],
            "field_shapes": shape_hints(rule["fields"], rows, columns),
            "match_count": len(matches),
            "matches": matches,
        })
        error = f"  ERROR {rule['error']}" if rule["error"] else ""
        log(f"{len(matches):6d}  {rule['file'].rsplit('/', 1)[-1]}{error}")

    doc = {
        "format": "trailwatch-sigma-reference/1",
        "generator": "scripts/reference/build_reference.py (see scripts/reference/README.md)",
        "versions": {**versions, "sqlite": sqlite3.sqlite_version, "python": platform.python_version()},
        "backend": "sigma.backends.sqlite.sqliteBackend() with default options (collate_nocase=False; the "
                   "table's columns are COLLATE NOCASE, as Zircolite builds them)",
        "rules_dir": RULES_REL,
        "rule_count": len(out_rules),
        "seed_rule": f"{RULES_REL}/{SEED_RULE}",
        "data_dir": DATA_REL,
        "folders": folders,
        "records_loaded": len(rows),
        "key_format": KEY_FORMAT,
        "record_index": RECORD_INDEX,
        "dedup": {"rule": DEDUP_RULE, "skipped_count": len(skipped), "skipped": skipped},
        "storage": STORAGE,
        "column_count": len(columns),
        "shadowed_columns": shadowed,
        "rules": out_rules,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    args.out.write_text(text, encoding="utf-8")
    log(f"wrote {args.out} ({len(text.encode()) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()

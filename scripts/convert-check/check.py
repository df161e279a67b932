#!/usr/bin/env python3
"""Executes the queries of `trailwatch convert` and compares their matches with `trailwatch scan`.

For every target (duckdb, spark, athena = Trino SQL transpiled to DuckDB with sqlglot, cloudtrail-lake = the same
over an emulated event data store) and for two rule sets (the 57 SigmaHQ CloudTrail rules, and the built-in pack
with its filters), this script:

1. normalises every record of shared/data/cloudtrail into CloudTrail delivery files (`{"Records":[...]}`, gzip),
   choosing the record of each container the way Trailwatch's reader does (see `records_of` below);
2. runs `trailwatch scan --format jsonl` over the original files: the reference;
3. runs `trailwatch convert --format json` for the target and executes every query on the target's engine, over the
   table layout the target documents (docs/convert.md);
4. compares, per rule, the set of matched event keys (eventID; records without one are keyed by time, source and
   name) and accepts a difference only when EXPECTED_DIFFERENCES below explains exactly those events.

Usage: check.py --trailwatch PATH [--shared DIR] [--work DIR] [--targets duckdb,spark,athena,cloudtrail-lake]
Exit status: 0 all identical or explained; 1 an unexplained (or stale) difference or a failed query; 2 setup error.
"""
import argparse
import collections
import gzip
import json
import os
import pathlib
import re
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
RULES_REL = "sigma/sigmahq/rules/cloud/aws/cloudtrail"
DATA_REL = "data/cloudtrail"
RECORDS_PER_FILE = 1000

# ---------------------------------------------------------------------------------------------------------------
# Expected differences: (target, rule id) -> why, and exactly which event keys differ. A difference not listed here
# fails the check; so does an entry whose events no longer differ (stale), so the table stays true.
# "only_sql": matched by the query but not by scan; "only_scan": matched by scan but not by the query.
# ---------------------------------------------------------------------------------------------------------------
EXPECTED_DIFFERENCES = {
    # panther-labeled fixture "ModifyInstanceAttribute-NoUserData" etc.: keys written in lower case
    # (`eventname`, `eventsource`). Sigma field names are case-sensitive (EV-01), so scan does not see them; the
    # Athena table's JSON SerDe fills its lower-case columns from any spelling.
    ("athena", "6e61ee20-ce00-4f8d-8aee-bedd8216f7e3"): {
        "limit": "athena-keys-case-insensitive", "only_sql": ["abc-123"]},
    # panther-labeled "AWS Console - Ingress SG Authorization": `userIdentity.sessioncontext.sessionissuer` in lower
    # case; the SerDe maps it onto useridentity.sessioncontext.sessionissuer.type.
    ("athena", "905d389b-b853-46d0-9d3d-dea0d3a3cd49"): {
        "limit": "athena-keys-case-insensitive", "only_sql": ["504b492f-7832-406b-a4fd-45a13e48adc4"]},
    # CloudTrail Lake stores requestParameters / responseElements as map<string,string>: no JSON text of the
    # whole object exists, so `requestParameters|contains: ...` (D1) is refused rather than approximated.
    ("cloudtrail-lake", "a136ac98-b2bc-4189-a14d-f0d0388e57a7"): {
        "limit": "lake-maps-have-no-json-text", "not_converted": True},
    ("cloudtrail-lake", "54b9a76a-3c71-4673-b4b3-2edb4566ea7b"): {
        "limit": "lake-maps-have-no-json-text", "not_converted": True},
    ("cloudtrail-lake", "db014773-7375-4f4e-b83b-133337c0ffee"): {
        "limit": "lake-maps-have-no-json-text", "not_converted": True},
}

# Documented layout/dialect limits the entries above refer to (docs/convert.md, "Limits").
LIMITS = {
    "athena-keys-case-insensitive": "the Athena table's JSON SerDe matches record keys to its lower-case columns "
    "case-insensitively; Sigma field names are case-sensitive (EV-01)",
    "lake-maps-have-no-json-text": "CloudTrail Lake keeps requestParameters, responseElements and "
    "additionalEventData as map<string,string>, which has no JSON text for D1's object-as-text comparison",
}


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- 1. Records ------------------------------------------------------------------------------------------------

MARKERS = {"eventVersion", "eventName", "eventSource", "eventID", "eventTime", "eventType",
           "eventversion", "eventname", "eventsource", "eventid", "eventtime"}
WRAPPERS = ("event", "log", "detail", "record", "_source")


def envelope_detail(obj):
    """An EventBridge / CloudWatch Events envelope of a CloudTrail record yields its `detail`."""
    kind = obj.get("detail-type")
    if isinstance(kind, str) and "CloudTrail" in kind and isinstance(obj.get("detail"), dict):
        return obj["detail"]
    return None


def record_of(value):
    """The record inside one value, by Trailwatch's documented wrapper rule (CloudTrail/RecordClassifier.swift)."""
    if not isinstance(value, dict) or any(k in MARKERS for k in value):
        return value
    detail = envelope_detail(value)
    if detail is not None:
        return detail
    found = [value[k] for k in WRAPPERS if isinstance(value.get(k), dict)]
    if len(found) != 1:
        return value
    inner = envelope_detail(found[0])
    return inner if inner is not None else found[0]


def records_of(value):
    """A top-level value: a `Records` batch (no marker key) gives each element, anything else one record."""
    if isinstance(value, dict) and isinstance(value.get("Records"), list) and not any(k in MARKERS for k in value):
        return [record_of(element) for element in value["Records"]]
    return [record_of(value)]


def read_file(path):
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8")
    try:
        document = json.loads(text)
        values = document if isinstance(document, list) else [document]
    except json.JSONDecodeError:
        values = [json.loads(line) for line in text.splitlines() if line.strip()]
    out = []
    for value in values:
        out += records_of(value)
    return [record for record in out if isinstance(record, dict)]


def load_records(data_dir):
    records = []
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and (path.name.endswith(".json") or path.name.endswith(".json.gz")
                               or path.name.endswith(".jsonl")):
            records += read_file(path)
    return records


def write_delivery_files(records, directory):
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.json.gz"):
        old.unlink()
    for index in range(0, len(records), RECORDS_PER_FILE):
        chunk = records[index:index + RECORDS_PER_FILE]
        text = json.dumps({"Records": chunk}, ensure_ascii=False, separators=(",", ":"))
        with gzip.open(directory / f"part-{index // RECORDS_PER_FILE:04d}.json.gz", "wt", encoding="utf-8") as out:
            out.write(text)


def key(event_id, event_time, source, name):
    """The event's id; a record without one is keyed by its time (to the second, however the layout writes it),
    source and name."""
    if event_id:
        return event_id
    time_text = str(event_time or "")
    match = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})", time_text)
    if match:
        time_text = f"{match.group(1)}T{match.group(2)}"
    return f"noid:{time_text}|{source or ''}|{name or ''}"


# --- 2. trailwatch ------------------------------------------------------------------------------------------------

def run(command, ok=(0,)):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode not in ok:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def scan(trailwatch, rule_args, data_dir):
    result = run([trailwatch, "scan", "--format", "jsonl", "--quiet", *rule_args, str(data_dir)], ok=(0, 1, 2))
    matches = collections.defaultdict(set)
    for line in result.stdout.splitlines():
        alert = json.loads(line)
        matches[alert["ruleId"]].add(key(alert.get("eventId"), alert.get("eventTime"), alert.get("eventSource"),
                                         alert.get("eventName")))
    return matches


def convert(trailwatch, target, rule_args, extra):
    result = run([trailwatch, "convert", "--target", target, "--format", "json", *rule_args, *extra], ok=(0, 1))
    return json.loads(result.stdout)


# --- 3. Engines -------------------------------------------------------------------------------------------------

def wrap(query, names):
    """The key columns of the query's rows (the converter always selects eventTime and eventID first)."""
    return f"SELECT {names} FROM ({query}) AS q"


class DuckDBEngine:
    """DuckDB over the delivery files: the pack's queries read them themselves (`--input`, the form
    `trailwatch convert --target duckdb --input ... | duckdb` uses); the SigmaHQ rules query a table of the same
    records (`--table`, documented view), so the files are parsed once rather than once per rule."""
    target = "duckdb"

    def __init__(self, delivery_dir):
        import duckdb
        self.connection = duckdb.connect()
        self.connection.execute("SET threads TO 2")
        files = str(delivery_dir / "*.json.gz")
        self.connection.execute(
            f"CREATE TABLE cloudtrail_events AS SELECT unnest(Records) AS event FROM read_json('{files}', "
            "columns = {'Records': 'JSON[]'}, maximum_object_size = 268435456)")
        self.extra_by_rule_set = {"pack": ["--input", files], "sigmahq": []}
        self.extra = []

    def rows(self, query):
        sql = wrap(query, 'eventID, eventTime, eventSource, eventName')
        return self.connection.execute(sql).fetchall()


class SparkEngine:
    """Spark SQL (local mode) over `spark.read.json` of the delivery files, `Records` exploded into `event`."""
    target = "spark"

    def __init__(self, delivery_dir):
        from pyspark.sql import SparkSession
        self.spark = (SparkSession.builder.master("local[2]").appName("trailwatch-convert-check")
                      .config("spark.driver.memory", "1g").config("spark.ui.enabled", "false")
                      .config("spark.sql.shuffle.partitions", "2").config("spark.ui.showConsoleProgress", "false").config("spark.sql.session.timeZone", "UTC")
                      .getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")
        frame = self.spark.read.schema("Records ARRAY<STRING>").json(str(delivery_dir))
        frame.selectExpr("explode(Records) AS event").cache().createOrReplaceTempView("cloudtrail_events")
        self.extra = []

    def rows(self, query):
        sql = wrap(query, "eventID, eventTime, eventSource, eventName")
        return [tuple(row) for row in self.spark.sql(sql).collect()]


# The Athena table, emulated: the DDL of docs/convert.md (lower-case columns), filled as the Hive JSON SerDe does:
# keys matched case-insensitively, objects in STRING columns kept as their JSON text, booleans and numbers in STRING
# columns as their text, struct fields missing -> NULL.
ATHENA_STRUCTS = {
    "useridentity": {
        "type": None, "principalid": None, "arn": None, "accountid": None, "invokedby": None, "accesskeyid": None,
        "username": None, "onbehalfof": {"userid": None, "identitystorearn": None},
        "sessioncontext": {
            "attributes": {"mfaauthenticated": None, "creationdate": None},
            "sessionissuer": {"type": None, "principalid": None, "arn": None, "accountid": None, "username": None},
            "ec2roledelivery": None,
            "webidfederationdata": {"federatedprovider": None, "attributes": "MAP"},
        },
    },
    "addendum": {"reason": None, "updatedfields": None, "originalrequestid": None, "originaleventid": None},
    "tlsdetails": {"tlsversion": None, "ciphersuite": None, "clientprovidedhostheader": None},
}
ATHENA_STRINGS = [
    "eventversion", "eventtime", "eventsource", "eventname", "awsregion", "sourceipaddress", "useragent",
    "errorcode", "errormessage", "requestparameters", "responseelements", "additionaleventdata", "requestid",
    "eventid", "eventtype", "apiversion", "readonly", "recipientaccountid", "serviceeventdetails", "sharedeventid",
    "vpcendpointid", "vpcendpointaccountid", "eventcategory", "sessioncredentialfromconsole", "edgedevicedetails",
]


def serde_string(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def lowered(obj):
    return {k.lower(): v for k, v in obj.items()} if isinstance(obj, dict) else {}


def serde_struct(value, shape):
    if not isinstance(value, dict):
        return None
    fields = lowered(value)
    out = {}
    for name, sub in shape.items():
        if sub is None:
            out[name] = serde_string(fields.get(name))
        elif sub == "MAP":
            m = fields.get(name)
            out[name] = {k: serde_string(v) for k, v in m.items()} if isinstance(m, dict) else None
        else:
            out[name] = serde_struct(fields.get(name), sub)
    return out


def duck_type(shape):
    parts = []
    for name, sub in shape.items():
        if sub is None:
            parts.append(f"{name} VARCHAR")
        elif sub == "MAP":
            parts.append(f"{name} MAP(VARCHAR, VARCHAR)")
        else:
            parts.append(f"{name} {duck_type(sub)}")
    return "STRUCT(" + ", ".join(parts) + ")"


def athena_row(record):
    fields = lowered(record)
    row = {name: serde_string(fields.get(name)) for name in ATHENA_STRINGS}
    for name, shape in ATHENA_STRUCTS.items():
        row[name] = serde_struct(fields.get(name), shape)
    resources = fields.get("resources")
    if isinstance(resources, list):
        row["resources"] = [serde_struct(r, {"arn": None, "accountid": None, "type": None}) for r in resources]
    else:
        row["resources"] = None
    return row


def athena_columns():
    columns = {name: "VARCHAR" for name in ATHENA_STRINGS}
    for name, shape in ATHENA_STRUCTS.items():
        columns[name] = duck_type(shape)
    columns["resources"] = "STRUCT(arn VARCHAR, accountid VARCHAR, type VARCHAR)[]"
    return columns


def lake_row(record):
    """A CloudTrail Lake event data store row: camel-case columns, request/response/additional data as
    map<string,string> (a nested value kept as its JSON text), readOnly a boolean, eventTime a timestamp."""
    def mapped(value):
        if not isinstance(value, dict):
            return None
        return {k: serde_string(v) for k, v in value.items()}
    row = {}
    for name in ["eventVersion", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "errorCode",
                 "errorMessage", "requestID", "eventID", "eventType", "apiVersion", "recipientAccountId",
                 "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "eventCategory",
                 "sessionCredentialFromConsole"]:
        row[name] = serde_string(record.get(name))
    row["eventTime"] = record.get("eventTime") if isinstance(record.get("eventTime"), str) else None
    row["readOnly"] = record.get("readOnly") if isinstance(record.get("readOnly"), bool) else None
    for name in ["requestParameters", "responseElements", "additionalEventData", "serviceEventDetails"]:
        row[name] = mapped(record.get(name))
    identity = record.get("userIdentity")
    row["userIdentity"] = camel_struct(identity, LAKE_IDENTITY) if isinstance(identity, dict) else None
    resources = record.get("resources")
    row["resources"] = ([camel_struct(r, {"ARN": None, "accountId": None, "type": None}) for r in resources]
                        if isinstance(resources, list) else None)
    return row


LAKE_IDENTITY = {
    "type": None, "principalId": None, "arn": None, "accountId": None, "invokedBy": None, "accessKeyId": None,
    "userName": None, "onBehalfOf": {"userId": None, "identityStoreArn": None},
    "sessionContext": {
        "attributes": {"mfaAuthenticated": None, "creationDate": None},
        "sessionIssuer": {"type": None, "principalId": None, "arn": None, "accountId": None, "userName": None},
        "ec2RoleDelivery": None, "webIdFederationData": {"federatedProvider": None},
    },
}


def camel_struct(value, shape):
    if not isinstance(value, dict):
        return None
    return {name: (serde_string(value.get(name)) if sub is None else camel_struct(value.get(name), sub))
            for name, sub in shape.items()}


def camel_type(shape):
    parts = []
    for name, sub in shape.items():
        parts.append(f'"{name}" ' + ("VARCHAR" if sub is None else camel_type(sub)))
    return "STRUCT(" + ", ".join(parts) + ")"


# DuckDB functions standing in for the Trino functions sqlglot does not translate (each is Trino's documented
# semantics, written once here; the queries themselves are transpiled unchanged otherwise).
TRINO_SHIMS = [
    # json_query(j, 'lax $.a.b[*]' WITH ARRAY WRAPPER): every item the lax path reaches, as one JSON array. Lax mode
    # applies a member accessor to each element of an array it meets; `[*]` at the end spreads an array.
    r"""CREATE MACRO tw_json_query_lax(j, fullkey, spread) AS (
        SELECT to_json(list(t.value ORDER BY t.id)) FROM json_tree(j) AS t
        WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = fullkey
          AND CASE WHEN spread THEN t.type <> 'ARRAY' ELSE NOT ends_with(t.fullkey, ']') END)""",
    # json_exists(j, 'lax $.a.b'): the lax path reaches at least one item (a JSON null counts).
    r"""CREATE MACRO tw_json_exists_lax(j, fullkey) AS (
        SELECT count(*) > 0 FROM json_tree(j) AS t
        WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = fullkey AND NOT ends_with(t.fullkey, ']'))""",
    # is_json_scalar(x), and CAST(json AS varchar) of a scalar: the string unquoted, a number or boolean as text.
    "CREATE MACRO tw_is_json_scalar(x) AS json_type(x) NOT IN ('OBJECT', 'ARRAY')",
    "CREATE MACRO tw_json_scalar_text(x) AS x ->> '$'",
    # format_datetime(ts AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z''')
    "CREATE MACRO tw_iso_text(ts) AS strftime(timezone('UTC', ts), '%Y-%m-%dT%H:%M:%SZ')",
]


def duckdb_fullkey(trino_path):
    """`lax $.a."b c"[*]` -> ('$.a."b c"', True), in json_tree's fullkey spelling."""
    path = trino_path.strip()
    assert path.startswith("lax $"), path
    path = path[len("lax $"):]
    spread = path.endswith("[*]")
    if spread:
        path = path[:-3]
    keys = re.findall(r'\.(?:"((?:[^"]|"")*)"|([A-Za-z_][A-Za-z0-9_]*))', path)
    out = "$"
    for quoted, plain in keys:
        name = quoted or plain
        out += f".{name}" if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) else f'."{name}"'
    return out, spread


def trino_to_duckdb(query):
    """Transpiles a Trino query with sqlglot, then replaces the functions sqlglot leaves untranslated by the shims."""
    import sqlglot
    from sqlglot import exp
    tree = sqlglot.parse_one(query, read="trino")

    def rewrite(node):
        if isinstance(node, exp.JSONExtract) and isinstance(node.expression, exp.Literal) \
                and node.expression.this.startswith("lax "):
            fullkey, spread = duckdb_fullkey(node.expression.this)
            return exp.Anonymous(this="tw_json_query_lax", expressions=[
                node.this, exp.Literal.string(fullkey), exp.Boolean(this=spread)])
        if isinstance(node, exp.Anonymous):
            name = node.name.lower()
            if name == "json_exists":
                fullkey, _ = duckdb_fullkey(node.expressions[1].this)
                return exp.Anonymous(this="tw_json_exists_lax",
                                     expressions=[node.expressions[0], exp.Literal.string(fullkey)])
            if name == "is_json_scalar":
                return exp.Anonymous(this="tw_is_json_scalar", expressions=node.expressions)
            if name == "format_datetime":
                return exp.Anonymous(this="tw_iso_text", expressions=[node.expressions[0].this])
        if isinstance(node, exp.If) and isinstance(node.this, exp.Anonymous) \
                and node.this.name.lower() in ("is_json_scalar", "tw_is_json_scalar"):
            true = node.args.get("true")
            if isinstance(true, exp.Cast):
                node.set("true", exp.Anonymous(this="tw_json_scalar_text", expressions=[true.this]))
        return node

    def any_match(node):
        if isinstance(node, exp.Anonymous) and node.name.lower() == "any_match":
            collection, function = node.expressions
            return exp.GT(this=exp.Anonymous(this="len", expressions=[
                exp.Anonymous(this="list_filter", expressions=[collection, function])]),
                expression=exp.Literal.number(0))
        return node

    # Two passes: sqlglot does not descend into a node a rewrite has replaced.
    tree = tree.transform(rewrite).transform(any_match)
    return tree.sql(dialect="duckdb")


class TrinoEngine:
    """Trino SQL executed by DuckDB after transpiling with sqlglot, over an emulated Athena table or Lake store."""

    def __init__(self, target, records):
        import duckdb
        self.target = target
        self.connection = duckdb.connect()
        self.connection.execute("SET threads TO 2")
        for shim in TRINO_SHIMS:
            self.connection.execute(shim)
        import tempfile
        handle = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
        if target == "athena":
            for record in records:
                handle.write(json.dumps(athena_row(record), ensure_ascii=False) + "\n")
            columns = athena_columns()
            table = "cloudtrail_logs"
            self.extra = []
        else:
            for record in records:
                handle.write(json.dumps(lake_row(record), ensure_ascii=False) + "\n")
            columns = {name: "VARCHAR" for name in [
                "eventVersion", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "errorCode",
                "errorMessage", "requestID", "eventID", "eventType", "apiVersion", "recipientAccountId",
                "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "eventCategory",
                "sessionCredentialFromConsole"]}
            columns["eventTime"] = "VARCHAR"
            columns["readOnly"] = "BOOLEAN"
            for name in ["requestParameters", "responseElements", "additionalEventData", "serviceEventDetails"]:
                columns[name] = "MAP(VARCHAR, VARCHAR)"
            columns["userIdentity"] = camel_type(LAKE_IDENTITY)
            columns["resources"] = 'STRUCT("ARN" VARCHAR, "accountId" VARCHAR, "type" VARCHAR)[]'
            table = "eds_check"
            self.extra = ["--table", table]
        handle.close()
        spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
        self.connection.execute(
            f"CREATE TABLE raw_rows AS SELECT * FROM read_json('{handle.name}', columns = {spec}, "
            "format = 'newline_delimited')")
        if target == "athena":
            self.connection.execute(f"CREATE VIEW {table} AS SELECT * FROM raw_rows")
        else:
            names = ", ".join(f'"{n}"' for n in columns if n != "eventTime")
            self.connection.execute(
                f'CREATE VIEW {table} AS SELECT {names}, TRY_CAST("eventTime" AS TIMESTAMPTZ) AS "eventTime" FROM raw_rows')
        os.unlink(handle.name)

    def rows(self, query):
        names = "eventid, eventtime, eventsource, eventname" if self.target == "athena" \
            else "eventID, eventTime, eventSource, eventName"
        sql = trino_to_duckdb(wrap(query, names))
        return self.connection.execute(sql).fetchall()


# --- 4. Comparison ----------------------------------------------------------------------------------------------

def compare(target, rule_set, queries, engine, reference, report):
    failures = 0
    for entry in queries:
        rule_id = entry["ruleId"]
        if "error" in entry:
            report.append(f"  {target:15} {rule_id}: not converted: {entry['error']}")
            expected = EXPECTED_DIFFERENCES.get((target, rule_id))
            if expected is None or expected.get("not_converted") is not True:
                failures += 1
            continue
        started = time.time()
        try:
            rows = engine.rows(entry["query"])
        except Exception as error:  # noqa: BLE001 - any engine error is a failed check, with its message
            report.append(f"  {target:15} {rule_id}: QUERY FAILED: {str(error).splitlines()[0][:300]}")
            failures += 1
            continue
        got = {key(*row) for row in rows}
        want = reference.get(rule_id, set())
        only_sql = got - want
        only_scan = want - got
        expected = EXPECTED_DIFFERENCES.get((target, rule_id))
        status = "identical"
        if only_sql or only_scan:
            if expected and set(expected.get("only_sql", [])) == only_sql \
                    and set(expected.get("only_scan", [])) == only_scan:
                status = f"explained ({expected['limit']})"
            else:
                status = "DIFFERENT"
                failures += 1
        elif expected and not expected.get("not_converted"):
            status = "STALE expected difference (now identical)"
            failures += 1
        line = f"  {target:15} {rule_id} {entry['title'][:50]!r}: {len(got)} rows, {status}"
        line += f" [{time.time() - started:.1f}s]"
        if status == "DIFFERENT":
            line += f"\n      only in SQL:  {sorted(only_sql)[:10]}\n      only in scan: {sorted(only_scan)[:10]}"
        report.append(line)
    return failures


def compare_combined(combined, engine, queries, reference, report):
    """`--combined`: one query whose `matched_rules` column lists the rules of each event; per rule, the events
    must be those scan reports (the same expected differences as the per-rule queries apply)."""
    if len(combined) != 1 or "query" not in combined[0]:
        report.append(f"  combined: expected one query, got {combined}")
        return 1
    sql = wrap(combined[0]["query"], "eventID, eventTime, eventSource, eventName, matched_rules")
    per_rule = collections.defaultdict(set)
    for *row, rules in engine.connection.execute(sql).fetchall():
        for rule_id in rules:
            per_rule[rule_id].add(key(*row))
    failures = 0
    for entry in queries:
        rule_id = entry["ruleId"]
        if per_rule.get(rule_id, set()) != reference.get(rule_id, set()):
            report.append(f"  combined        {rule_id}: DIFFERENT from scan")
            failures += 1
    report.append(f"  combined        {len(queries)} rules in one query: "
                  f"{'identical' if not failures else 'DIFFERENT'} ({sum(len(v) for v in per_rule.values())} matches)")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trailwatch", required=True)
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    parser.add_argument("--work", default=str(REPO / ".build-convert-check"))
    parser.add_argument("--targets", default="duckdb,spark,athena,cloudtrail-lake")
    args = parser.parse_args()

    shared = pathlib.Path(args.shared)
    data_dir = shared / DATA_REL
    rules_dir = shared / RULES_REL
    if not data_dir.is_dir() or not rules_dir.is_dir():
        print(f"convert-check: skipped: {data_dir} or {rules_dir} is absent (needs ../shared beside the repository)")
        return 0
    work = pathlib.Path(args.work)
    delivery = work / "delivery"

    started = time.time()
    records = load_records(data_dir)
    write_delivery_files(records, delivery)
    log(f"convert-check: {len(records)} records normalised into {delivery} ({time.time() - started:.1f}s)")

    rule_sets = {
        "sigmahq": ["--no-builtin", "--rules", str(rules_dir)],
        "pack": [],
    }
    references = {}
    for name, rule_args in rule_sets.items():
        references[name] = scan(args.trailwatch, rule_args, data_dir)
        log(f"convert-check: scan ({name}): {sum(len(v) for v in references[name].values())} matches")

    failures = 0
    report = []
    for target in [t.strip() for t in args.targets.split(",") if t.strip()]:
        started = time.time()
        if target == "duckdb":
            engine = DuckDBEngine(delivery)
        elif target == "spark":
            engine = SparkEngine(delivery)
        elif target in ("athena", "cloudtrail-lake"):
            engine = TrinoEngine(target, records)
        else:
            print(f"unknown target {target}", file=sys.stderr)
            return 2
        log(f"convert-check: {target}: engine ready ({time.time() - started:.1f}s)")
        for name, rule_args in rule_sets.items():
            extra = getattr(engine, "extra_by_rule_set", {}).get(name, engine.extra)
            queries = convert(args.trailwatch, target, rule_args, extra)
            report.append(f"{target} / {name}: {len(queries)} queries")
            failures += compare(target, name, queries, engine, references[name], report)
            if target == "duckdb":
                combined = convert(args.trailwatch, target, rule_args, extra + ["--combined"])
                failures += compare_combined(combined, engine, queries, references[name], report)
        log(f"convert-check: {target}: done ({time.time() - started:.1f}s)")
    print("\n".join(report))
    print(f"convert-check: {'FAIL' if failures else 'PASS'} ({failures} unexplained differences or failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

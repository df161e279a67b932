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
   name) and accepts a difference only when EXPECTED_DIFFERENCES below explains exactly those events; for a
   correlation, the alerting groups and times (see compare_correlation).

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

# Correlation fixtures: besides the comparison with scan's alerts (compare_correlation), the query's rows (every
# qualifying event, COR-17) are written here from the contract (COR-09: window [t - timespan, t] inclusive; COR-10:
# group keys case-insensitive).
# Fixture events (Tests/SigmaSQLTests/Fixtures/events.jsonl): failed logins of dave at 10:00, 10:05, 10:10, of erin
# at 10:00, 10:05, 10:11, of DAVE at 10:12 (each from another address), a successful login of dave at 10:13.
CORRELATION_EXPECTATIONS = {
    "5a00002d-0000-4000-8000-00000000002d": {"e32", "e36"},  # event_count gte 3 in 10m: 10:10, 10:12 (dave+DAVE)
    "5a00002e-0000-4000-8000-00000000002e": {"e32", "e36"},  # value_count(sourceIPAddress) gte 3 in 10m
    "5a00002f-0000-4000-8000-00000000002f": {"e40"},  # temporal (failed, success) in 5m: the success at 10:13
}


def _expect(targets, rule_id, limit, only_sql=(), only_scan=(), not_converted=False):
    for target in targets:
        entry = {"limit": limit, "only_sql": list(only_sql), "only_scan": list(only_scan)}
        if not_converted:
            entry = {"limit": limit, "not_converted": True}
        EXPECTED_DIFFERENCES[(target, rule_id)] = entry


ALL = ("duckdb", "spark", "athena", "cloudtrail-lake")
TRINO = ("athena", "cloudtrail-lake")
# Semantics fixtures (Tests/SigmaSQLTests/Fixtures/rules over events.jsonl), one entry per documented limit met.
# e26 has `"userAgent": ["TruffleHog", "other"]`: the layouts type CloudTrail's scalar fields as scalars.
_expect(ALL, "5a000012-0000-4000-8000-000000000012", "scalar-fields-are-scalars", only_scan=["e26"])
# e10 has `"nested": [[1, 2], [3]]`: Trino's lax path and Spark's walk unwrap one array level per path step.
_expect(("spark",) + TRINO, "5a000011-0000-4000-8000-000000000011", "nested-arrays-one-level", only_scan=["e10"])
# e03 has `"errorCode": null`: a typed column stores a JSON null like a missing key (the converter warns).
_expect(TRINO, "5a00001c-0000-4000-8000-00000000001c", "typed-columns-lose-json-null", only_scan=["e03"])
# e10 `requestParameters.tags` is an array: CloudTrail Lake's map holds it as one text, so `|neq` sees no element.
_expect(("cloudtrail-lake",), "5a000010-0000-4000-8000-000000000010", "lake-first-level-values-are-text",
        only_sql=["e10"])
_expect(("duckdb", "spark"), "5a000017-0000-4000-8000-000000000017", "ipv6-cidr-needs-ip-type", not_converted=True)
_expect(("spark",) + TRINO, "5a00001e-0000-4000-8000-00000000001e", "keywords-need-value-walk", not_converted=True)
for _rule in ("5a00000b-0000-4000-8000-00000000000b", "5a00000c-0000-4000-8000-00000000000c",
              "5a00000d-0000-4000-8000-00000000000d"):
    _expect(("cloudtrail-lake",), _rule, "lake-maps-have-no-json-text", not_converted=True)
for _rule in ("b9b92b80-5d26-49d8-b936-e95d8bae5a7b", "8cc942a3-f105-4850-b954-e29fe5a849eb"):
    _expect(ALL, _rule, "temporal-ordered-not-a-window", not_converted=True)
# Refused everywhere, as the contract wants (D13, PH-02): nothing a window query can express faithfully.
_expect(ALL, "5a00002a-0000-4000-8000-00000000002a", "unresolved-placeholder", not_converted=True)
_expect(ALL, "5a000030-0000-4000-8000-000000000030", "temporal-ordered-not-a-window", not_converted=True)

# Documented layout/dialect limits the entries above refer to (docs/convert.md, "Limits").
LIMITS = {
    "scalar-fields-are-scalars": "the table layouts read CloudTrail's scalar fields (eventName, userAgent, "
    "userIdentity.arn, ...) as one value; a record holding an array there is compared by its JSON text",
    "nested-arrays-one-level": "Trino (lax JSON path) and Spark unwrap one array level per path step; an array "
    "directly inside an array is compared as its JSON text (DuckDB walks every level)",
    "typed-columns-lose-json-null": "a typed column stores a key present with JSON null like a missing key, so "
    "`exists: true` cannot see it (D7); the converter warns",
    "lake-first-level-values-are-text": "CloudTrail Lake keeps the first level of requestParameters & co. as "
    "map<string,string> values: an array there is one text, its elements are not fanned out",
    "ipv6-cidr-needs-ip-type": "IPv6 networks need an IP address type (Trino has one; DuckDB's is an extension "
    "not installed from PyPI, Spark has none); refused",
    "keywords-need-value-walk": "keyword search needs a walk over every value of a record (DuckDB's json_tree); "
    "refused elsewhere",
    "unresolved-placeholder": "a placeholder without configured values is refused (PH-02), as by scan",
    "temporal-ordered-not-a-window": "temporal_ordered needs row pattern matching; refused",
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


def epoch(text):
    """Seconds since the epoch of an RFC 3339 time (`2024-06-01T10:10:00Z`)."""
    import datetime
    return datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()


def scan(trailwatch, rule_args, data_dir):
    """Matched event keys per rule; correlation alerts as (group values lower-cased, window end) per correlation."""
    result = run([trailwatch, "scan", "--format", "jsonl", "--quiet", *rule_args, str(data_dir)], ok=(0, 1, 2))
    matches = collections.defaultdict(set)
    for line in result.stdout.splitlines():
        alert = json.loads(line)
        correlation = alert.get("correlation")
        if correlation:
            group = tuple(str(v).lower() for v in correlation["group"].values())
            matches[alert["ruleId"]].add((group, epoch(correlation["windowEnd"])))
            continue
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

    def __init__(self, delivery_dir, records):
        import duckdb
        self.connection = duckdb.connect()
        self.connection.execute("SET threads TO 2")
        files = str(delivery_dir / "*.json.gz")
        self.connection.execute(
            f"CREATE TABLE cloudtrail_events AS SELECT unnest(Records) AS event FROM read_json('{files}', "
            "columns = {'Records': 'JSON[]'}, maximum_object_size = 268435456)")
        self.extra_by_rule_set = {"pack": ["--input", files], "sigmahq": [], "semantics": ["--input", files]}
        self.extra = []

    def rows(self, query):
        sql = wrap(query, 'eventID, eventTime, eventSource, eventName')
        return self.connection.execute(sql).fetchall()

    def dict_rows(self, query):
        cursor = self.connection.execute(query)
        names = [d[0].lower() for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


class SparkEngine:
    """Spark SQL (local mode) over `spark.read.json` of the delivery files, `Records` exploded into `event`."""
    target = "spark"

    session = None

    def __init__(self, delivery_dir, records):
        from pyspark.sql import SparkSession
        self.spark = SparkEngine.session or (SparkSession.builder.master("local[2]").appName("trailwatch-convert-check")
                      .config("spark.driver.memory", "1g").config("spark.ui.enabled", "false")
                      .config("spark.sql.shuffle.partitions", "2").config("spark.ui.showConsoleProgress", "false").config("spark.sql.session.timeZone", "UTC")
                      .getOrCreate())
        SparkEngine.session = self.spark
        self.spark.sparkContext.setLogLevel("ERROR")
        frame = self.spark.read.schema("Records ARRAY<STRING>").json(str(delivery_dir))
        frame.selectExpr("explode(Records) AS event").cache().createOrReplaceTempView("cloudtrail_events")
        self.extra = []

    def rows(self, query):
        sql = wrap(query, "eventID, eventTime, eventSource, eventName")
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def dict_rows(self, query):
        return [{k.lower(): v for k, v in row.asDict().items()} for row in self.spark.sql(query).collect()]


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
    # applies a member accessor to each element of an array it meets, unwrapping one level (so `$.a.b` reaches
    # `$.a[i].b` but not `$.a[i][j].b`); `[*]` at the end spreads one level of an array at the end. `pattern` is the
    # json_tree fullkey of such an item as a regex (built by `lax_pattern`).
    r"""CREATE MACRO tw_json_query_lax(j, pattern, spread) AS (
        SELECT to_json(list(t.value ORDER BY t.id)) FROM json_tree(j) AS t
        WHERE regexp_full_match(t.fullkey, pattern)
          AND (NOT spread OR ends_with(t.fullkey, ']') OR t.type <> 'ARRAY'))""",
    # json_exists(j, 'lax $.a.b'): the lax path reaches at least one item (a JSON null counts).
    r"""CREATE MACRO tw_json_exists_lax(j, pattern) AS (
        SELECT count(*) > 0 FROM json_tree(j) AS t WHERE regexp_full_match(t.fullkey, pattern))""",
    # is_json_scalar(x), and CAST(json AS varchar) of a scalar: the string unquoted, a number or boolean as text.
    "CREATE MACRO tw_is_json_scalar(x) AS json_type(x) NOT IN ('OBJECT', 'ARRAY')",
    "CREATE MACRO tw_json_scalar_text(x) AS x ->> '$'",
    # format_datetime(ts AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z''')
    "CREATE MACRO tw_iso_text(ts) AS strftime(timezone('UTC', ts), '%Y-%m-%dT%H:%M:%SZ')",
]


def trino_ip_contains(network, address):
    """Trino's contains(network, CAST(address AS ipaddress)): NULL for a NULL or unparsable address (TRY_CAST);
    an IPv4 address is IPv4-mapped into IPv6, as Trino's IPADDRESS type stores it."""
    import ipaddress
    if network is None or address is None:
        return None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    net = ipaddress.ip_network(network, strict=False)
    if isinstance(parsed, ipaddress.IPv4Address) and net.version == 6:
        parsed = ipaddress.IPv6Address("::ffff:" + str(parsed))
    if isinstance(parsed, ipaddress.IPv6Address) and net.version == 4:
        mapped = parsed.ipv4_mapped
        if mapped is None:
            return False
        parsed = mapped
    return parsed in net


def lax_pattern(trino_path):
    """`lax $.a."b c"[*]` -> (regex of the json_tree fullkeys the lax path reaches, spreads the end?).
    Each member step may go through one array level: `$.a.b` reaches `$.a.b`, `$.a[0].b`; with `[*]` the end
    may be one index deeper (`$.a.b[2]`)."""
    path = trino_path.strip()
    assert path.startswith("lax $"), path
    path = path[len("lax $"):]
    spread = path.endswith("[*]")
    if spread:
        path = path[:-3]
    keys = re.findall(r'\.(?:"((?:[^"]|"")*)"|([A-Za-z_][A-Za-z0-9_]*))', path)
    index = r"(\[[0-9]+\])?"
    pattern = r"\$"
    for quoted, plain in keys:
        name = quoted or plain
        spelled = f".{name}" if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) else f'."{name}"'
        pattern += index + re.escape(spelled)
    if spread:
        pattern += index
    return pattern, spread


def trino_to_duckdb(query):
    """Transpiles a Trino query with sqlglot, then replaces the functions sqlglot leaves untranslated by the shims."""
    import sqlglot
    from sqlglot import exp
    tree = sqlglot.parse_one(query, read="trino")

    def rewrite(node):
        if isinstance(node, exp.ArrayContains) and isinstance(node.expression, exp.TryCast):
            # contains(network, TRY_CAST(x AS ipaddress)): Trino's IP address containment.
            return exp.Anonymous(this="tw_ip_contains", expressions=[node.this, node.expression.this])
        if isinstance(node, exp.JSONExtract) and isinstance(node.expression, exp.Literal) \
                and node.expression.this.startswith("lax "):
            pattern, spread = lax_pattern(node.expression.this)
            return exp.Anonymous(this="tw_json_query_lax", expressions=[
                node.this, exp.Literal.string(pattern), exp.Boolean(this=spread)])
        if isinstance(node, exp.Anonymous):
            name = node.name.lower()
            if name == "json_exists":
                pattern, _ = lax_pattern(node.expressions[1].this)
                return exp.Anonymous(this="tw_json_exists_lax",
                                     expressions=[node.expressions[0], exp.Literal.string(pattern)])
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

    def __init__(self, target, delivery_dir, records):
        import duckdb
        self.target = target
        self.connection = duckdb.connect()
        self.connection.execute("SET threads TO 2")
        for shim in TRINO_SHIMS:
            self.connection.execute(shim)
        self.connection.create_function("tw_ip_contains", trino_ip_contains, ["VARCHAR", "VARCHAR"], "BOOLEAN",
                                        null_handling="special")
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

    def dict_rows(self, query):
        cursor = self.connection.execute(trino_to_duckdb(query))
        names = [d[0].lower() for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


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
        expected = EXPECTED_DIFFERENCES.get((target, rule_id))
        if expected and expected.get("not_converted"):
            report.append(f"  {target:15} {rule_id}: STALE: expected to be refused ({expected['limit']}), converted")
            failures += 1
            continue
        if entry.get("kind") == "correlation":
            failures += compare_correlation(target, entry, engine, reference, report)
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


def compare_correlation(target, entry, engine, reference, report):
    """A correlation query returns every event at which the condition holds (COR-17); scan raises one alert per
    group and then starts the group's window afresh (D11). So, per group (values lower-cased): the same groups
    alert; the first alert is at the same time (no reset has happened before it); and every later scan alert is at
    the time of one of the query's rows (for gt/gte conditions, a window after a reset is a part of the full
    window). The query's other rows are the every-window rows D11 suppresses, counted in the report. Correlations
    with hand-written expectations (CORRELATION_EXPECTATIONS) must also return exactly those events."""
    rule_id = entry["ruleId"]
    try:
        rows = engine.dict_rows(entry["query"])
    except Exception as error:  # noqa: BLE001
        report.append(f"  {target:15} {rule_id}: QUERY FAILED: {str(error).splitlines()[0][:300]}")
        return 1
    sql_alerts = collections.defaultdict(set)
    for row in rows:
        group = tuple(str(row[name]).lower() for name in sorted(k for k in row if re.fullmatch(r"group_\d+", k)))
        sql_alerts[group].add(float(row["event_seconds"]))
    scan_alerts = collections.defaultdict(set)
    for group, when in reference.get(rule_id, set()):
        scan_alerts[group].add(when)
    problems = []
    if set(sql_alerts) != set(scan_alerts):
        problems.append(f"groups: SQL {sorted(sql_alerts)} scan {sorted(scan_alerts)}")
    for group in set(sql_alerts) & set(scan_alerts):
        if min(sql_alerts[group]) != min(scan_alerts[group]):
            problems.append(f"first alert of {group}: SQL {min(sql_alerts[group])} scan {min(scan_alerts[group])}")
        if not scan_alerts[group] <= sql_alerts[group]:
            problems.append(f"scan alerts of {group} not among the query's rows")
    expected = CORRELATION_EXPECTATIONS.get(rule_id)
    if expected is not None:
        got = {str(row.get("eventid")) for row in rows}
        if got != expected:
            problems.append(f"rows {sorted(got)} instead of {sorted(expected)}")
    suppressed = sum(len(times) for times in sql_alerts.values()) - sum(len(t) for t in scan_alerts.values())
    status = "DIFFERENT: " + "; ".join(problems) if problems else (
        f"same groups and first alerts; {len(rows)} rows, {suppressed} of them every-window rows D11 suppresses")
    report.append(f"  {target:15} {rule_id} {entry['title'][:50]!r} (correlation): {status}")
    return 1 if problems else 0


def compare_combined(combined, engine, queries, reference, report):
    """`--combined`: one query whose `matched_rules` column lists the rules of each event; per rule, the events
    must be those scan reports (the same expected differences as the per-rule queries apply)."""
    combined = [entry for entry in combined if entry.get("kind") == "combined"]
    if len(combined) != 1:
        report.append(f"  combined: expected one combined query, got {len(combined)}")
        return 1
    sql = wrap(combined[0]["query"], "eventID, eventTime, eventSource, eventName, matched_rules")
    per_rule = collections.defaultdict(set)
    for *row, rules in engine.connection.execute(sql).fetchall():
        for rule_id in rules:
            per_rule[rule_id].add(key(*row))
    failures = 0
    queries = [q for q in queries if "error" not in q and q.get("kind") != "correlation"]
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
    fixtures = REPO / "Tests" / "SigmaSQLTests" / "Fixtures"
    if not data_dir.is_dir() or not rules_dir.is_dir():
        print(f"convert-check: skipped: {data_dir} or {rules_dir} is absent (needs ../shared beside the repository)")
        return 0
    work = pathlib.Path(args.work)

    # Two datasets: the shared CloudTrail corpus with the SigmaHQ rules and the pack, and the semantics fixtures
    # (one rule per item of sigma-semantics.md, over crafted events) that the golden files also cover.
    datasets = [
        ("shared", data_dir, {"sigmahq": ["--no-builtin", "--rules", str(rules_dir)], "pack": []}),
        ("fixtures", fixtures / "events.jsonl",
         {"semantics": ["--no-builtin", "--rules", str(fixtures / "rules")]}),
    ]
    failures = 0
    report = []
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    for dataset, source, rule_sets in datasets:
        started = time.time()
        records = load_records(source) if source.is_dir() else read_file(source)
        delivery = work / f"delivery-{dataset}"
        write_delivery_files(records, delivery)
        log(f"convert-check: {dataset}: {len(records)} records normalised into {delivery} "
            f"({time.time() - started:.1f}s)")
        references = {}
        for name, rule_args in rule_sets.items():
            references[name] = scan(args.trailwatch, rule_args, source)
            log(f"convert-check: scan ({name}): {sum(len(v) for v in references[name].values())} matches")
        for target in targets:
            started = time.time()
            if target == "duckdb":
                engine = DuckDBEngine(delivery, records)
            elif target == "spark":
                engine = SparkEngine(delivery, records)
            elif target in ("athena", "cloudtrail-lake"):
                engine = TrinoEngine(target, delivery, records)
            else:
                print(f"unknown target {target}", file=sys.stderr)
                return 2
            for name, rule_args in rule_sets.items():
                extra = getattr(engine, "extra_by_rule_set", {}).get(name, engine.extra)
                queries = convert(args.trailwatch, target, rule_args, extra)
                report.append(f"{target} / {name}: {len(queries)} queries")
                failures += compare(target, name, queries, engine, references[name], report)
                if target == "duckdb" and name != "semantics":
                    combined = convert(args.trailwatch, target, rule_args, extra + ["--combined"])
                    failures += compare_combined(combined, engine, queries, references[name], report)
            log(f"convert-check: {dataset} / {target}: done ({time.time() - started:.1f}s)")
    print("\n".join(report))
    print(f"convert-check: {'FAIL' if failures else 'PASS'} ({failures} unexplained differences or failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

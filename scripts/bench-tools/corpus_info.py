#!/usr/bin/env python3
"""Count the CloudTrail records of a benchmark corpus, and optionally write them as one JSON Lines file.

  corpus_info.py CORPUS_DIR [--jsonl OUT.jsonl]

Reads every *.json.gz / *.json file under CORPUS_DIR (S3 delivery files, {"Records":[...]}), in sorted path
order. Prints one line: files=N events=N json_bytes=N (json_bytes = uncompressed size of the files, as
inflate_only counts it). With --jsonl, also writes every record, compact, one per line (records keep their key
order; the file is written to OUT.jsonl.tmp and renamed when complete) and adds jsonl_bytes=N.
"""
import argparse
import gzip
import json
import os
import pathlib
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=pathlib.Path)
    ap.add_argument("--jsonl", type=pathlib.Path)
    a = ap.parse_args()
    paths = sorted(p for p in a.corpus.rglob("*") if p.is_file() and p.name.endswith((".json", ".json.gz")))
    if not paths:
        sys.exit(f"corpus_info: no .json/.json.gz files under {a.corpus}")
    out = None
    if a.jsonl:
        tmp = a.jsonl.with_name(a.jsonl.name + ".tmp")
        out = open(tmp, "w", encoding="utf-8")
    events = json_bytes = 0
    for path in paths:
        raw = path.read_bytes()
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        json_bytes += len(raw)
        try:
            records = json.loads(raw)["Records"]
        except (ValueError, KeyError, TypeError) as error:
            sys.exit(f"corpus_info: {path}: not a Records file ({error})")
        events += len(records)
        if out:
            for record in records:
                out.write(json.dumps(record, separators=(",", ":"), ensure_ascii=False))
                out.write("\n")
    line = f"files={len(paths)} events={events} json_bytes={json_bytes}"
    if out:
        out.close()
        os.replace(tmp, a.jsonl)
        line += f" jsonl_bytes={a.jsonl.stat().st_size}"
    print(line)


if __name__ == "__main__":
    main()

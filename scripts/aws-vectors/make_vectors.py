#!/usr/bin/env python3
"""Writes Tests/AWSClientTests/Fixtures/sigv4-vectors.json: SigV4 signatures computed by botocore, the oracle the
Swift signer is checked against. Each vector gives the request as the Swift side builds it (decoded path, raw query
pairs, headers, body) and what botocore's SigV4Auth / S3SigV4Auth produced for it at a fixed date.

Run from the repository root: python3 scripts/aws-vectors/make_vectors.py (needs botocore; the output is committed).
"""
import datetime
import json
import pathlib
from unittest import mock
from urllib.parse import quote

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token=="

VECTORS = [
    dict(name="GET with reserved characters in the query", service="iam", region="us-east-1", method="GET",
         host="iam.amazonaws.com", path="/",
         query=[["Version", "2010-05-08"], ["Action", "ListUsers"], ["PathPrefix", "/a b/c+d=e&f"],
                ["Marker", "x~y_z.-*!'()"], ["Empty", ""], ["Name", "caf\u00e9 \u2603"]],
         headers=[["Content-Type", "application/x-www-form-urlencoded; charset=utf-8"]], body=""),
    dict(name="POST JSON body (SQS JSON protocol)", service="sqs", region="eu-west-1", method="POST",
         host="sqs.eu-west-1.amazonaws.com", path="/", query=[],
         headers=[["Content-Type", "application/x-amz-json-1.0"], ["X-Amz-Target", "AmazonSQS.ReceiveMessage"]],
         body=json.dumps({"QueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/trail-events",
                          "MaxNumberOfMessages": 10, "WaitTimeSeconds": 20})),
    dict(name="POST JSON with a session token", service="sqs", region="us-west-2", method="POST",
         host="sqs.us-west-2.amazonaws.com", path="/", query=[],
         headers=[["Content-Type", "application/x-amz-json-1.0"], ["X-Amz-Target", "AmazonSQS.DeleteMessage"]],
         body='{"QueueUrl":"https://sqs.us-west-2.amazonaws.com/123456789012/q","ReceiptHandle":"AQEB+/=="}',
         token=TOKEN),
    dict(name="S3 GET, key with spaces, unicode and plus", service="s3", region="eu-central-1", method="GET",
         host="trail-bucket.s3.eu-central-1.amazonaws.com",
         path="/AWSLogs/123456789012/CloudTrail/eu-central-1/"
              "my file+copy \u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9.json.gz",
         query=[], headers=[], body=""),
    dict(name="S3 GET path-style with a session token", service="s3", region="us-east-1", method="GET",
         host="127.0.0.1:4566", path="/my.bucket/a/b c/d%e~f.json", query=[], headers=[], body="",
         token=TOKEN, scheme="http"),
    dict(name="S3 PUT with a body", service="s3", region="us-east-1", method="PUT",
         host="examplebucket.s3.amazonaws.com", path="/logs/2026/01/15/object.json",
         query=[], headers=[["Content-Type", "application/json"], ["Content-Length", "27"]],
         body='{"Records":[{"a":"b c"}]}\n\n'),
    dict(name="S3 ListObjectsV2 query", service="s3", region="ap-southeast-2", method="GET",
         host="logs.s3.ap-southeast-2.amazonaws.com", path="/",
         query=[["list-type", "2"], ["prefix", "AWSLogs/1234/Cloud Trail/"],
                ["continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="], ["max-keys", "1000"]],
         headers=[], body=""),
    dict(name="Non-S3 path segments encoded twice, header whitespace collapsed", service="execute-api",
         region="us-east-1", method="GET", host="abc.execute-api.us-east-1.amazonaws.com",
         path="/prod/items/a b/\u00e9", query=[["z", "1"], ["a", "2"], ["A", "3"]],
         headers=[["X-Custom", "  spaced    out   value  "], ["My-Header", "Value"]], body=""),
]

DATE = datetime.datetime(2026, 1, 15, 8, 30, 0)


def sign(v):
    scheme = v.get("scheme", "https")
    url = f"{scheme}://{v['host']}{quote(v['path'], safe='/~')}"
    headers = {k: val for k, val in v["headers"]}
    request = AWSRequest(method=v["method"], url=url, data=v["body"].encode(), headers=headers,
                         params={k: val for k, val in v["query"]})
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, v.get("token"))
    auth_class = S3SigV4Auth if v["service"] == "s3" else SigV4Auth
    auth = auth_class(credentials, v["service"], v["region"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=DATE):
        auth.add_auth(request)
    added = {k.lower(): val for k, val in request.headers.items() if k not in headers}
    # Recomputed without the Authorization header that add_auth injected, as it was when it was signed.
    del request.headers["Authorization"]
    canonical = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical)
    return dict(canonicalRequest=canonical, stringToSign=string_to_sign, addedHeaders=added)


def main():
    out = []
    for v in VECTORS:
        entry = dict(v)
        entry.setdefault("scheme", "https")
        entry["token"] = v.get("token")
        entry.update(accessKeyID=ACCESS_KEY, secretAccessKey=SECRET_KEY, date=DATE.strftime("%Y%m%dT%H%M%SZ"))
        entry["expected"] = sign(v)
        out.append(entry)
    target = pathlib.Path("Tests/AWSClientTests/Fixtures/sigv4-vectors.json")
    target.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} vectors to {target}")


if __name__ == "__main__":
    main()

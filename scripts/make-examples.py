#!/usr/bin/env python3
"""Writes the small example CloudTrail tree under Examples/cloudtrail (S3 delivery layout, gzip'd).

The events are written by hand for this project: ordinary traffic (Describe*, List*, Get*), and a short
intrusion story hidden in it: a console login without MFA, a security group opened to the world on SSH, an
egress rule added, a failed attempt on a group that does not exist, a rule revoked, CloudTrail logging stopped.
Deterministic: rerunning gives byte-identical files (fixed gzip mtime, fixed ids).
"""
import gzip
import json
import os
import sys
import uuid

ACCOUNT = "123456789012"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Examples", "cloudtrail")
NS = uuid.UUID("5b0c4f5e-8f1d-4a43-9d0a-3e2f7a6b1c11")

ALICE = {"type": "IAMUser", "principalId": "AIDAEXAMPLEALICE0001", "arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
         "accountId": ACCOUNT, "accessKeyId": "AKIAEXAMPLEALICE0001", "userName": "alice"}
DEPLOY = {"type": "AssumedRole", "principalId": "AROAEXAMPLEDEPLOY001:ci",
          "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/ci", "accountId": ACCOUNT,
          "accessKeyId": "ASIAEXAMPLEDEPLOY001",
          "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEDEPLOY001",
                                               "arn": f"arn:aws:iam::{ACCOUNT}:role/deploy", "accountId": ACCOUNT,
                                               "userName": "deploy"},
                             "attributes": {"creationDate": "2024-05-14T08:00:00Z", "mfaAuthenticated": "false"}}}
MALLORY = {"type": "IAMUser", "principalId": "AIDAEXAMPLEMALLORY01", "arn": f"arn:aws:iam::{ACCOUNT}:user/mallory",
           "accountId": ACCOUNT, "accessKeyId": "AKIAEXAMPLEMALLORY01", "userName": "mallory",
           "sessionContext": {"attributes": {"creationDate": "2024-05-15T02:11:40Z", "mfaAuthenticated": "false"}}}

counter = 0


def event(time, identity, source, name, region="eu-west-1", ip="198.51.100.23", agent="aws-cli/2.15.30",
          request=None, response=None, error=None, extra=None):
    global counter
    counter += 1
    e = {
        "eventVersion": "1.09", "userIdentity": identity, "eventTime": time, "eventSource": source,
        "eventName": name, "awsRegion": region, "sourceIPAddress": ip, "userAgent": agent,
        "requestParameters": request, "responseElements": response,
        "requestID": str(uuid.uuid5(NS, f"req-{counter}")), "eventID": str(uuid.uuid5(NS, f"evt-{counter}")),
        "readOnly": name.startswith(("Describe", "List", "Get")), "eventType": "AwsApiCall",
        "managementEvent": True, "recipientAccountId": ACCOUNT, "eventCategory": "Management",
    }
    if error:
        e["errorCode"], e["errorMessage"] = error
    if extra:
        e.update(extra)
    return e


def noise(day, hour, region):
    out = []
    for minute in range(0, 60, 12):
        t = f"2024-05-{day:02d}T{hour:02d}:{minute:02d}:{(minute * 7) % 60:02d}Z"
        out.append(event(t, DEPLOY, "ec2.amazonaws.com", "DescribeInstances", region, "10.0.4.17",
                         "Boto3/1.34.0", {"instancesSet": {}, "filterSet": {}}))
        out.append(event(t, DEPLOY, "s3.amazonaws.com", "GetBucketAcl", region, "10.0.4.17", "Boto3/1.34.0",
                         {"bucketName": "app-artifacts", "Host": "app-artifacts.s3.amazonaws.com", "acl": ""}))
    out.append(event(f"2024-05-{day:02d}T{hour:02d}:31:02Z", ALICE, "ec2.amazonaws.com", "DescribeSecurityGroups",
                     region, request={"securityGroupSet": {}, "securityGroupIdSet": {}, "filterSet": {}}))
    return out


def sg_rule(group, egress, proto, port, cidr, rule_id):
    item = {"groupId": group, "groupOwnerId": ACCOUNT, "isEgress": egress, "ipProtocol": proto,
            "fromPort": port, "toPort": port, "securityGroupRuleId": rule_id}
    item["cidrIpv6" if ":" in cidr else "cidrIpv4"] = cidr
    return {"_return": True, "securityGroupRuleSet": {"items": [item]}}


def story():
    return [
        # 14 May: the deploy role adds a legitimate HTTPS rule from a partner range (ingress, legacy shape).
        event("2024-05-14T09:12:44Z", DEPLOY, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
              ip="10.0.4.17", agent="terraform/1.8.2",
              request={"groupId": "sg-0a1b2c3d4e5f60718", "ipPermissions": {"items": [
                  {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "groups": {},
                   "ipRanges": {"items": [{"cidrIp": "203.0.113.0/24", "description": "partner"}]},
                   "ipv6Ranges": {}, "prefixListIds": {}}]}},
              response=sg_rule("sg-0a1b2c3d4e5f60718", False, "tcp", 443, "203.0.113.0/24",
                               "sgr-00000000000000001")),
        # 15 May, night: mallory logs in to the console without MFA ...
        event("2024-05-15T02:11:40Z", MALLORY, "signin.amazonaws.com", "ConsoleLogin", "us-east-1",
              "192.0.2.66", "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
              response={"ConsoleLogin": "Success"},
              extra={"additionalEventData": {"LoginTo": "https://console.aws.amazon.com/", "MobileVersion": "No",
                                             "MFAUsed": "No"}}),
        # ... tries a group that does not exist (failed call) ...
        event("2024-05-15T02:14:09Z", MALLORY, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
              ip="192.0.2.66", agent="console.ec2.amazonaws.com",
              request={"groupId": "sg-0ffffffffffffffff", "ipPermissions": {"items": [
                  {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                   "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}},
              error=("Client.InvalidGroup.NotFound",
                     "The security group 'sg-0ffffffffffffffff' does not exist")),
        # ... opens SSH to the whole internet on the web servers' group (modern shape) ...
        event("2024-05-15T02:15:31Z", MALLORY, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
              ip="192.0.2.66", agent="console.ec2.amazonaws.com",
              request={"groupId": "sg-0a1b2c3d4e5f60718", "ipPermissions": {"items": [
                  {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                   "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}},
              response=sg_rule("sg-0a1b2c3d4e5f60718", False, "tcp", 22, "0.0.0.0/0", "sgr-00000000000000002")),
        # ... allows all outbound IPv6 traffic for exfiltration ...
        event("2024-05-15T02:16:02Z", MALLORY, "ec2.amazonaws.com", "AuthorizeSecurityGroupEgress",
              ip="192.0.2.66", agent="console.ec2.amazonaws.com",
              request={"groupId": "sg-0a1b2c3d4e5f60718", "ipPermissions": {"items": [
                  {"ipProtocol": "-1", "ipv6Ranges": {"items": [{"cidrIpv6": "::/0"}]}}]}},
              response={"_return": True, "securityGroupRuleSet": {"items": [
                  {"groupId": "sg-0a1b2c3d4e5f60718", "groupOwnerId": ACCOUNT, "isEgress": True,
                   "ipProtocol": "-1", "fromPort": -1, "toPort": -1, "cidrIpv6": "::/0",
                   "securityGroupRuleId": "sgr-00000000000000003"}]}}),
        # ... and stops CloudTrail logging.
        event("2024-05-15T02:19:47Z", MALLORY, "cloudtrail.amazonaws.com", "StopLogging", "us-east-1",
              "192.0.2.66", "console.amazonaws.com",
              request={"name": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/management"}),
        # 15 May, morning: alice closes the SSH hole.
        event("2024-05-15T08:40:13Z", ALICE, "ec2.amazonaws.com", "RevokeSecurityGroupIngress",
              request={"groupId": "sg-0a1b2c3d4e5f60718", "ipPermissions": {"items": [
                  {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                   "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}},
              response={"_return": True}),
    ]


def main():
    events = []
    for day in (14, 15):
        for hour in (1, 2, 9, 14):
            for region in ("eu-west-1", "us-east-1"):
                events.extend(noise(day, hour, region))
    events.extend(story())
    files = {}
    for e in events:
        hour = e["eventTime"][11:13]
        day = e["eventTime"][8:10]
        key = (e["awsRegion"], day, hour)
        files.setdefault(key, []).append(e)
    for (region, day, hour), records in sorted(files.items()):
        directory = os.path.join(ROOT, "AWSLogs", ACCOUNT, "CloudTrail", region, "2024", "05", day)
        os.makedirs(directory, exist_ok=True)
        name = f"{ACCOUNT}_CloudTrail_{region}_202405{day}T{hour}05Z_{uuid.uuid5(NS, region + day + hour).hex[:16]}.json.gz"
        body = json.dumps({"Records": records}, separators=(",", ":")).encode()
        with open(os.path.join(directory, name), "wb") as f:
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
                gz.write(body)
    print(f"{len(events)} events in {len(files)} files under {os.path.normpath(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Print, as JSON, the Service Connect configuration of every ECS service of
a cluster as the emulator holds it after an apply: for each service name,
whether Service Connect is enabled, the namespace's ARN (resolved from a name
if the service gave one), and the discovery names and client aliases it
serves. Services without Service Connect are listed with enabled false.

Usage:
    python3 e2e/emulator/connect.py --endpoint URL CLUSTER
"""

import argparse
import json
import sys

import boto3


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("cluster")
    a = ap.parse_args(argv)
    kw = dict(endpoint_url=a.endpoint, region_name="us-east-1",
              aws_access_key_id="test", aws_secret_access_key="test")
    ecs = boto3.client("ecs", **kw)
    sd = boto3.client("servicediscovery", **kw)
    by_name = {n["Name"]: n["Arn"] for n in sd.list_namespaces()["Namespaces"]}
    out = {}
    arns = ecs.list_services(cluster=a.cluster)["serviceArns"]
    for i in range(0, len(arns), 10):
        for s in ecs.describe_services(cluster=a.cluster, services=arns[i:i + 10])["services"]:
            deps = s.get("deployments") or [{}]
            primary = next((d for d in deps if d.get("status") == "PRIMARY"), deps[0])
            sc = primary.get("serviceConnectConfiguration") or {}
            ns = sc.get("namespace", "")
            out[s["serviceName"]] = {
                "enabled": bool(sc.get("enabled")),
                "namespace": by_name.get(ns, ns),
                "serves": sorted(
                    f'{e.get("discoveryName", e["portName"])}={c.get("dnsName", "")}:{c["port"]}'
                    for e in sc.get("services", []) for c in e.get("clientAliases", [])
                ),
            }
    json.dump({"services": out, "namespaces": sorted(by_name.values())}, sys.stdout, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

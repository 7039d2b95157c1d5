#!/usr/bin/env python3
"""Print what is left in the emulator that a deploy could have created.

Usage:
    python3 e2e/emulator/inventory.py --endpoint http://127.0.0.1:PORT [--region us-east-1]

Prints one JSON object: kind -> sorted list of ids. Everything moto creates by
itself is excluded (the default VPC with its subnets, main route table, default
security group and IGW; the implicit main route table / default security group
of any VPC; AWS-managed IAM roles, policies and KMS keys). With an empty
emulator every list is empty. Deleted / inactive objects that AWS keeps
listing for a while are left out by status (NAT gateways "deleted", VPC
endpoints "deleted", KMS keys pending deletion, ECS clusters not ACTIVE, ECS
services not ACTIVE/DRAINING, task definitions not ACTIVE), and each hosted
zone's own SOA and NS records. CloudWatch alarms (metric and composite) and SNS
topics are listed too, and Cloud Map namespaces (HTTP and DNS) and services
(Service Connect).
"""

import argparse
import json
import os
import sys

import boto3
from botocore.config import Config

KINDS = [
    "vpcs",
    "subnets",
    "route_tables",
    "internet_gateways",
    "nat_gateways",
    "eips",
    "network_interfaces",
    "vpc_endpoints",
    "flow_logs",
    "security_groups",
    "security_group_rules",
    "load_balancers",
    "target_groups",
    "listeners",
    "listener_rules",
    "iam_roles",
    "iam_policies",
    "iam_role_inline_policies",
    "log_groups",
    "kms_keys",
    "ecs_clusters",
    "ecs_services",
    "task_definitions",
    "scalable_targets",
    "scaling_policies",
    "ssm_parameters",
    "scheduled_actions",
    "acm_certificates",
    "hosted_zones",
    "route53_records",
    "metric_alarms",
    "sns_topics",
    "servicediscovery_namespaces",
    "servicediscovery_services",
]

# Namespaces of application-autoscaling that a deploy can register targets
# in. Only ECS: the stacks scale nothing else. Errors are not swallowed: an
# inventory that cannot list a kind must fail, not report it empty.
AAS_NAMESPACES = ["ecs"]


def pages(client, op, key, **kwargs):
    if client.can_paginate(op):
        for page in client.get_paginator(op).paginate(**kwargs):
            yield from page.get(key, [])
    else:
        yield from getattr(client, op)(**kwargs).get(key, [])


def collect(endpoint, region):
    session = boto3.session.Session(
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        region_name=region,
    )
    cfg = Config(retries={"max_attempts": 2, "mode": "standard"})

    def client(name):
        return session.client(name, endpoint_url=endpoint, config=cfg)

    out = {kind: [] for kind in KINDS}

    # ---- EC2 / VPC ----
    ec2 = client("ec2")
    vpcs = list(pages(ec2, "describe_vpcs", "Vpcs"))
    default_vpcs = {v["VpcId"] for v in vpcs if v.get("IsDefault")}
    out["vpcs"] = [v["VpcId"] for v in vpcs if v["VpcId"] not in default_vpcs]

    out["subnets"] = [
        s["SubnetId"]
        for s in pages(ec2, "describe_subnets", "Subnets")
        if s["VpcId"] not in default_vpcs and not s.get("DefaultForAz")
    ]

    for rt in pages(ec2, "describe_route_tables", "RouteTables"):
        if rt.get("VpcId") in default_vpcs:
            continue
        if any(a.get("Main") for a in rt.get("Associations", [])):
            continue  # implicit main route table, lives and dies with its VPC
        out["route_tables"].append(rt["RouteTableId"])

    for igw in pages(ec2, "describe_internet_gateways", "InternetGateways"):
        attached = {a.get("VpcId") for a in igw.get("Attachments", [])}
        if attached and attached <= default_vpcs:
            continue
        out["internet_gateways"].append(igw["InternetGatewayId"])

    out["nat_gateways"] = [
        n["NatGatewayId"]
        for n in pages(ec2, "describe_nat_gateways", "NatGateways")
        if n.get("State") not in ("deleted", "deleting")
    ]

    out["eips"] = [
        a.get("AllocationId") or a.get("PublicIp")
        for a in ec2.describe_addresses().get("Addresses", [])
    ]

    out["network_interfaces"] = [
        e["NetworkInterfaceId"]
        for e in pages(ec2, "describe_network_interfaces", "NetworkInterfaces")
        if e.get("VpcId") not in default_vpcs
    ]

    out["vpc_endpoints"] = [
        e["VpcEndpointId"]
        for e in pages(ec2, "describe_vpc_endpoints", "VpcEndpoints")
        if e.get("State", "").lower() not in ("deleted", "deleting")
    ]

    out["flow_logs"] = [
        f["FlowLogId"] for f in pages(ec2, "describe_flow_logs", "FlowLogs")
    ]

    implicit_sgs = set()
    for sg in pages(ec2, "describe_security_groups", "SecurityGroups"):
        if sg.get("VpcId") in default_vpcs or sg.get("GroupName") == "default":
            implicit_sgs.add(sg["GroupId"])  # default SG of a VPC
            continue
        out["security_groups"].append(sg["GroupId"])

    out["security_group_rules"] = [
        r["SecurityGroupRuleId"]
        for r in pages(ec2, "describe_security_group_rules", "SecurityGroupRules")
        if r["GroupId"] not in implicit_sgs
    ]

    # ---- ELBv2 ----
    elb = client("elbv2")
    lbs = list(pages(elb, "describe_load_balancers", "LoadBalancers"))
    out["load_balancers"] = [lb["LoadBalancerArn"] for lb in lbs]
    out["target_groups"] = [
        tg["TargetGroupArn"] for tg in pages(elb, "describe_target_groups", "TargetGroups")
    ]
    for lb in lbs:
        listeners = list(
            pages(elb, "describe_listeners", "Listeners", LoadBalancerArn=lb["LoadBalancerArn"])
        )
        out["listeners"] += [listener["ListenerArn"] for listener in listeners]
        for listener in listeners:
            out["listener_rules"] += [
                rule["RuleArn"]
                for rule in pages(
                    elb, "describe_rules", "Rules", ListenerArn=listener["ListenerArn"]
                )
                if not rule.get("IsDefault")  # the default action, part of the listener
            ]

    for arn in list(out["listeners"]):
        out["listener_rules"] += [
            r["RuleArn"]
            for r in elb.describe_rules(ListenerArn=arn).get("Rules", [])
            if not r.get("IsDefault")  # the default action lives with its listener
        ]

    # ---- SSM ----
    out["ssm_parameters"] = [
        p["Name"] for p in pages(client("ssm"), "describe_parameters", "Parameters")
    ]

    # ---- IAM ----
    iam = client("iam")
    for role in pages(iam, "list_roles", "Roles"):
        if role.get("Path", "/").startswith("/aws-service-role/"):
            continue  # AWS-managed service-linked roles
        out["iam_roles"].append(role["RoleName"])
        for name in pages(iam, "list_role_policies", "PolicyNames", RoleName=role["RoleName"]):
            out["iam_role_inline_policies"].append(f"{role['RoleName']}:{name}")
    out["iam_policies"] = [
        p["Arn"] for p in pages(iam, "list_policies", "Policies", Scope="Local")
    ]

    # ---- CloudWatch Logs ----
    logs = client("logs")
    out["log_groups"] = [g["logGroupName"] for g in pages(logs, "describe_log_groups", "logGroups")]

    # ---- KMS ----
    kms = client("kms")
    for key in pages(kms, "list_keys", "Keys"):
        meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        if meta.get("KeyManager") == "AWS":
            continue
        if meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
            continue
        out["kms_keys"].append(meta["KeyId"])

    # ---- ECS ----
    ecs = client("ecs")
    cluster_arns = list(pages(ecs, "list_clusters", "clusterArns"))
    for i in range(0, len(cluster_arns), 100):
        for c in ecs.describe_clusters(clusters=cluster_arns[i : i + 100])["clusters"]:
            if c.get("status") == "ACTIVE":
                out["ecs_clusters"].append(c["clusterArn"])
    for cluster in cluster_arns:
        service_arns = list(pages(ecs, "list_services", "serviceArns", cluster=cluster))
        for i in range(0, len(service_arns), 10):
            described = ecs.describe_services(cluster=cluster, services=service_arns[i : i + 10])
            for s in described["services"]:
                if s.get("status") in ("ACTIVE", "DRAINING"):
                    out["ecs_services"].append(s["serviceArn"])
    for arn in pages(ecs, "list_task_definitions", "taskDefinitionArns", status="ACTIVE"):
        # Double-check the status in case the filter is ignored.
        td = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
        if td.get("status", "ACTIVE") == "ACTIVE":
            out["task_definitions"].append(arn)

    # ---- Application Auto Scaling ----
    aas = client("application-autoscaling")
    for ns in AAS_NAMESPACES:
        for t in pages(aas, "describe_scalable_targets", "ScalableTargets", ServiceNamespace=ns):
            out["scalable_targets"].append(
                f"{t['ServiceNamespace']}/{t['ResourceId']}/{t['ScalableDimension']}"
            )
        for p in pages(aas, "describe_scaling_policies", "ScalingPolicies", ServiceNamespace=ns):
            out["scaling_policies"].append(p["PolicyARN"])
        for a in pages(aas, "describe_scheduled_actions", "ScheduledActions", ServiceNamespace=ns):
            out["scheduled_actions"].append(a["ScheduledActionARN"])

    # ---- ACM / Route 53 ----
    acm = client("acm")
    out["acm_certificates"] = [
        c["CertificateArn"] for c in pages(acm, "list_certificates", "CertificateSummaryList")
    ]
    r53 = client("route53")
    for z in pages(r53, "list_hosted_zones", "HostedZones"):
        out["hosted_zones"].append(z["Id"])
        for r in pages(r53, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=z["Id"]):
            if r["Type"] in ("SOA", "NS") and r["Name"].rstrip(".") == z["Name"].rstrip("."):
                continue  # the zone's own records, deleted with it
            out["route53_records"].append(f"{z['Id']}:{r['Name']}:{r['Type']}")

    # ---- CloudWatch alarms and SNS (the service's alarms and their topic) ----
    cw = client("cloudwatch")
    for page in cw.get_paginator("describe_alarms").paginate(
        AlarmTypes=["MetricAlarm", "CompositeAlarm"]
    ):
        out["metric_alarms"] += [a["AlarmName"] for a in page.get("MetricAlarms", [])]
        out["metric_alarms"] += [a["AlarmName"] for a in page.get("CompositeAlarms", [])]
    out["sns_topics"] = [t["TopicArn"] for t in pages(client("sns"), "list_topics", "Topics")]

    # ---- Cloud Map (the Service Connect namespace) ----
    sd = client("servicediscovery")
    out["servicediscovery_namespaces"] = [
        n["Id"] for n in pages(sd, "list_namespaces", "Namespaces")
    ]
    out["servicediscovery_services"] = [
        s["Id"] for s in pages(sd, "list_services", "Services")
    ]

    return {kind: sorted(set(ids)) for kind, ids in out.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description="List leftovers in the AWS emulator")
    parser.add_argument("--endpoint", required=True, help="e.g. http://127.0.0.1:4566")
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args(argv)
    print(json.dumps(collect(args.endpoint, args.region), indent=2, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Do what a CI pipeline does to ship a new image, through the AWS API only.

    ci_deploy.py deploy   --endpoint URL --cluster C --service S --image IMAGE
        Register a new revision of the service's current task definition with
        every container's image replaced by IMAGE (what `aws ecs
        register-task-definition` with an edited task-definition JSON, or the
        amazon-ecs-render-task-definition action, does), then point the
        service at it (`aws ecs update-service`). Prints {"taskDefinitionArn": ...}.
    ci_deploy.py describe --endpoint URL --cluster C --service S
        Prints {"taskDefinition": ..., "deployments": [...]}: the revision the
        service runs and its deployments (ListServiceDeployments), newest first.
    ci_deploy.py deregister --endpoint URL ARN
        Deregister a revision the pipeline registered (Terraform never owned it,
        so `terraform destroy` leaves it; a real pipeline cleans up after itself
        or leaves the INACTIVE-able revisions to a retention job).
"""

import argparse
import json
import os
import sys

import boto3

# Fields DescribeTaskDefinition returns that RegisterTaskDefinition refuses.
READ_ONLY = {
    "taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
    "registeredAt", "registeredBy", "deregisteredAt",
}


def client(endpoint, region):
    return boto3.session.Session(
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        region_name=region,
    ).client("ecs", endpoint_url=endpoint)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["deploy", "describe", "deregister"])
    parser.add_argument("arn", nargs="?")
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--cluster")
    parser.add_argument("--service")
    parser.add_argument("--image")
    args = parser.parse_args(argv)
    ecs = client(args.endpoint, args.region)

    if args.command == "deregister":
        ecs.deregister_task_definition(taskDefinition=args.arn)
        print(json.dumps({"deregistered": args.arn}))
        return 0

    svc = ecs.describe_services(cluster=args.cluster, services=[args.service])["services"][0]
    if args.command == "describe":
        deps = ecs.list_service_deployments(cluster=args.cluster, service=args.service)
        print(json.dumps({
            "taskDefinition": svc["taskDefinition"],
            "deployments": [d["serviceDeploymentArn"] for d in deps.get("serviceDeployments", [])],
        }))
        return 0

    current = ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])["taskDefinition"]
    new = {k: v for k, v in current.items() if k not in READ_ONLY}
    for c in new["containerDefinitions"]:
        c["image"] = args.image
    arn = ecs.register_task_definition(**new)["taskDefinition"]["taskDefinitionArn"]
    ecs.update_service(cluster=args.cluster, service=args.service, taskDefinition=arn)
    print(json.dumps({"taskDefinitionArn": arn}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

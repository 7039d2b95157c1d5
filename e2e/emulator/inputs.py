#!/usr/bin/env python3
"""Create in the emulator the inputs a stack refers to but does not create,
and print their ARNs: a customer managed KMS key, a Secrets Manager secret, an
SSM parameter.

Usage:
    python3 e2e/emulator/inputs.py --endpoint URL kms-key
    python3 e2e/emulator/inputs.py --endpoint URL secret NAME
    python3 e2e/emulator/inputs.py --endpoint URL parameter NAME
    python3 e2e/emulator/inputs.py --endpoint URL delete-key ARN
    python3 e2e/emulator/inputs.py --endpoint URL delete-certificate ARN
    python3 e2e/emulator/inputs.py --endpoint URL delete-parameter NAME
    python3 e2e/emulator/inputs.py --endpoint URL hosted-zone NAME
    python3 e2e/emulator/inputs.py --endpoint URL delete-hosted-zone ID

The key's policy lets CloudWatch Logs use it, as Service.LogKMSKeyARN and
Network.FlowLogKMSKeyARN require. delete-key schedules the deletion (7 days,
the minimum), which is what AWS allows; inventory.py leaves keys pending
deletion out. delete-certificate and delete-parameter remove a test's own
inputs once the stack that used them is destroyed, so that the inventory,
which lists certificates and parameters, sees only what the stack left.
hosted-zone creates the public zone a stack with a domain looks up by name
(it prints the zone id); delete-hosted-zone removes it again.
"""

import argparse
import json
import sys

import boto3


def client(name, endpoint, region="us-east-1"):
    return boto3.client(name, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="test", aws_secret_access_key="test")


def kms_key(endpoint, account="123456789012", region="us-east-1"):
    policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Account", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "Logs", "Effect": "Allow",
         "Principal": {"Service": f"logs.{region}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*"}]}
    return client("kms", endpoint).create_key(Policy=json.dumps(policy))["KeyMetadata"]["Arn"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("what", choices=["kms-key", "secret", "parameter", "delete-key", "delete-certificate", "delete-parameter",
                                      "hosted-zone", "delete-hosted-zone"])
    ap.add_argument("name", nargs="?")
    a = ap.parse_args(argv)
    if a.what == "kms-key":
        print(kms_key(a.endpoint))
    elif a.what == "secret":
        print(client("secretsmanager", a.endpoint).create_secret(
            Name=a.name, SecretString=json.dumps({"password": "emulator-only"}))["ARN"])
    elif a.what == "parameter":
        ssm = client("ssm", a.endpoint)
        ssm.put_parameter(Name=a.name, Value="emulator-only", Type="SecureString")
        print(ssm.get_parameter(Name=a.name)["Parameter"]["ARN"])
    elif a.what == "delete-certificate":
        client("acm", a.endpoint).delete_certificate(CertificateArn=a.name)
    elif a.what == "delete-parameter":
        client("ssm", a.endpoint).delete_parameter(Name=a.name)
    elif a.what == "hosted-zone":
        zone = client("route53", a.endpoint).create_hosted_zone(
            Name=a.name, CallerReference="fargatekit-e2e-" + a.name)["HostedZone"]
        print(zone["Id"].rsplit("/", 1)[-1])
    elif a.what == "delete-hosted-zone":
        client("route53", a.endpoint).delete_hosted_zone(Id=a.name)
    else:
        # AWS takes the key ARN here; moto 5.2.1 answers HTTP 500 to an ARN,
        # so pass the key id.
        client("kms", a.endpoint).schedule_key_deletion(KeyId=a.name.rsplit("/", 1)[-1], PendingWindowInDays=7)
    return 0


if __name__ == "__main__":
    sys.exit(main())

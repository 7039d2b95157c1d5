#!/usr/bin/env python3
"""Create the S3 bucket a stack's S3 backend uses, in the emulator, or list
the state objects in it.

Usage:
    python3 e2e/emulator/statebucket.py --endpoint URL --bucket NAME           # create
    python3 e2e/emulator/statebucket.py --endpoint URL --bucket NAME --list    # keys, one a line

Terraform's S3 backend follows AWS_ENDPOINT_URL like the provider; on the
emulator it needs path-style addressing (terraform init
-backend-config=use_path_style=true), since bucket.127.0.0.1 is no host.
"""

import argparse
import sys

import boto3


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--bucket", required=True)
    ap.add_argument("--region", default="us-east-1")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args(argv)
    s3 = boto3.client("s3", endpoint_url=a.endpoint, region_name=a.region,
                      aws_access_key_id="test", aws_secret_access_key="test")
    if a.list:
        for o in s3.list_objects_v2(Bucket=a.bucket).get("Contents", []):
            print(o["Key"])
        return 0
    s3.create_bucket(Bucket=a.bucket)
    return 0


if __name__ == "__main__":
    sys.exit(main())

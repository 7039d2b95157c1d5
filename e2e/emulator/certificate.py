#!/usr/bin/env python3
"""Import a self-signed certificate into the emulator's ACM and print its ARN.

Usage:
    python3 e2e/emulator/certificate.py --endpoint http://127.0.0.1:PORT [--domain example.com]
    python3 e2e/emulator/certificate.py --endpoint URL --delete ARN

An HTTPS listener needs a certificate ACM knows: moto checks it on
CreateListener (the provider then retries for minutes on CertificateNotFound),
and gives an imported certificate an ARN of its own choosing. The tests import
one and synthesize the stack with the ARN this prints.
"""

import argparse
import datetime
import sys

import boto3


def self_signed_pem(domain="example.com"):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), False)
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM,
                              serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()))


def acm_client(endpoint, region="us-east-1"):
    return boto3.client("acm", endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="test", aws_secret_access_key="test")


def import_certificate(endpoint, domain="example.com"):
    cert, key = self_signed_pem(domain)
    return acm_client(endpoint).import_certificate(Certificate=cert, PrivateKey=key)["CertificateArn"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--domain", default="example.com")
    ap.add_argument("--delete", metavar="ARN")
    a = ap.parse_args(argv)
    if a.delete:
        acm_client(a.endpoint).delete_certificate(CertificateArn=a.delete)
        return 0
    print(import_certificate(a.endpoint, a.domain))
    return 0


if __name__ == "__main__":
    sys.exit(main())

# Terraform and the AWS provider mirror the tests run offline against.
set -euo pipefail
command -v terraform >/dev/null || { echo "terraform is not on PATH" >&2; exit 1; }
mirror=$(find / -xdev -path '*/registry.terraform.io/hashicorp/aws' -type d 2>/dev/null | head -1 || true)
if [ -n "$mirror" ]; then
  echo "provider mirror: ${mirror%/registry.terraform.io/hashicorp/aws}"
else
  echo "no AWS provider mirror found: terraform init will need the registry" >&2
fi

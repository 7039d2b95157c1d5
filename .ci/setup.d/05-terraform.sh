# Terraform must be installed; the tests fail without it in CI.
set -euo pipefail
command -v terraform >/dev/null || { echo "terraform is not on PATH" >&2; exit 1; }
terraform version | head -1

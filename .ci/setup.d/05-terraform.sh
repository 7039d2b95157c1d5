# Terraform must be installed; the tests fail without it in CI.
set -euo pipefail
command -v terraform >/dev/null || { echo "terraform is not on PATH" >&2; exit 1; }
tfv=$(terraform version) # no `| head -1`: SIGPIPE under pipefail
echo "${tfv%%$'\n'*}"

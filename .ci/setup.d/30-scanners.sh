# tfsec and trivy, built from source at pinned versions (once per machine;
# about 20 minutes for trivy on two cores). security/scan_test.go runs them.
set -euo pipefail
bash security/ci.sh --install-only

# The AWS emulator the e2e tests deploy to: moto 5.2.1 with its server
# extras, and boto3 for the inventory. Installed only when missing.
set -euo pipefail
if python3 -c 'import moto, boto3, flask, werkzeug' 2>/dev/null; then
  python3 -c 'import moto; print("moto", moto.__version__)'
else
  python3 -m pip install --quiet 'moto[server]==5.2.1' boto3
fi

# The pinned cdktf CLI that deploy/local-deploy (and its test) uses.
set -euo pipefail
cd deploy
npm ci --no-audit --no-fund --ignore-scripts
./node_modules/.bin/cdktf --version

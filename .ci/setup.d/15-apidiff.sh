# apidiff, pinned, for the API compatibility gate (go run ./internal/apigate,
# a step of .ci/run). Installed with go install only when missing; GOFLAGS
# cleared so the project's own flags do not apply to the install.
set -euo pipefail
version=v0.0.0-20261113113407-e3970619a1a4
if ! bin=$(command -v apidiff); then
  bin=$(go env GOBIN)
  if [ -z "$bin" ]; then
    gopath=$(go env GOPATH)
    bin="${gopath%%:*}/bin"
  fi
  bin="$bin/apidiff"
  if [ ! -x "$bin" ]; then
    GOFLAGS= go install "golang.org/x/exp/cmd/apidiff@$version"
  fi
fi
info=$(go version -m "$bin")
case "$info" in
  *"golang.org/x/exp	$version"*) ;;
  *) echo "warning: $bin is not golang.org/x/exp $version, whose output internal/apigate reads" >&2 ;;
esac
echo "apidiff: $bin"

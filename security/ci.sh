#!/usr/bin/env bash
# security/ci.sh: synthesize every default stack and scan each cdk.tf.json
# with tfsec and trivy. Exits non-zero on any HIGH or CRITICAL finding that
# is not in security/tfsec-ignore.txt or security/trivy-ignore.txt, and
# prints one summary line per scanner and stack.
#
# Needs Go and Node.js (the stacks are synthesized by the program, whose
# jsii kernel runs on Node.js); nothing else. Works offline: the scanners are
# built from source with the Go module proxy (the only network they need,
# once), and run with their own update checks off; where the machine allows
# it they run in a network namespace without any network, so a scan can never
# fetch anything. A stale ignore entry fails the scan (security/scancheck).
#
# Environment:
#   FARGATEKIT_TOOLS  where the scanners are installed (default:
#                     $(go env GOPATH)/fargatekit-tools/<tool>-<version>),
#                     reused across runs; a first run builds tfsec (~2 min)
#                     and trivy (~10 min on 2 cores).
#   --install-only    build the scanners if missing, then stop.
#   SECURITY_OUT      where the synthesized stacks and reports go (default: a
#                     temporary directory, removed at exit).
set -euo pipefail

TFSEC_VERSION=v1.26.0
TRIVY_VERSION=v0.74.0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tools="${FARGATEKIT_TOOLS:-$(go env GOPATH)/fargatekit-tools}"
tfsec="$tools/tfsec-$TFSEC_VERSION/tfsec"
trivy="$tools/trivy-$TRIVY_VERSION/trivy"

install() { # name binary module-path version [env…]
	local name=$1 bin=$2 pkg=$3 version=$4
	shift 4
	if [ -x "$bin" ]; then
		return
	fi
	echo "security: building $name $version from source (once; reused from $(dirname "$bin"))"
	local start=$SECONDS
	mkdir -p "$(dirname "$bin")"
	# GOFLAGS from the caller (e.g. -mod=vendor) must not leak into a build
	# outside this module.
	env GOFLAGS= GOBIN="$(dirname "$bin")" "$@" go install "$pkg@$version"
	echo "security: $name built in $((SECONDS - start)) s"
}
install tfsec "$tfsec" github.com/aquasecurity/tfsec/cmd/tfsec "$TFSEC_VERSION"
install trivy "$trivy" github.com/aquasecurity/trivy/cmd/trivy "$TRIVY_VERSION" GOEXPERIMENT=jsonv2
# .ci/setup.d builds the scanners before the tests, which then run the scan.
if [ "${1:-}" = "--install-only" ]; then
	exit 0
fi

if [ -n "${SECURITY_OUT:-}" ]; then
	out="$SECURITY_OUT"
	mkdir -p "$out"
else
	out="$(mktemp -d)"
	trap 'rm -rf "$out"' EXIT
fi

# Run the scanners without a network where the machine lets us make a
# network namespace (root, or unprivileged user namespaces); elsewhere the
# flags below already keep them offline.
offline=()
if unshare -n true 2>/dev/null; then
	offline=(unshare -n)
elif unshare -rn true 2>/dev/null; then
	offline=(unshare -rn)
fi
if [ ${#offline[@]} -gt 0 ]; then
	echo "security: scanners run in a network namespace without network (${offline[*]})"
else
	echo "security: no network namespace available; scanners run with their update checks off"
fi

echo "security: synthesizing the default stacks"
JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 CDKTF_OUTDIR="$out/cdktf.out" go run . >"$out/synth.log" 2>&1 || {
	cat "$out/synth.log"
	echo "security: synthesis failed" >&2
	exit 1
}
# The hardened variant (every security option on) shows which accepted
# findings of the defaults the options remove.
JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 go run ./security/variants "$out/variants.out" >"$out/variants.log" 2>&1 || {
	cat "$out/variants.log"
	echo "security: synthesis of the variants failed" >&2
	exit 1
}
go build -o "$out/scancheck" ./security/scancheck

status=0
dirs=("$out"/cdktf.out/stacks/*/ "$out"/variants.out/stacks/*/)
stacks=()
for dir in "${dirs[@]}"; do
	if [ -f "$dir/cdk.tf.json" ]; then stacks+=("$dir"); fi
done
if [ ${#stacks[@]} -eq 0 ]; then
	echo "security: no stack was synthesized" >&2
	exit 1
fi

for dir in "${stacks[@]}"; do
	dir="${dir%/}"
	stack="$(basename "$dir")"

	# tfsec: --soft-fail so that findings do not end the script; scancheck
	# decides. tfsec has no update check unless --update is given.
	${offline[@]+"${offline[@]}"} "$tfsec" "$dir" --format json --soft-fail --no-color --no-module-downloads \
		>"$out/tfsec-$stack.json" 2>"$out/tfsec-$stack.log" || {
		cat "$out/tfsec-$stack.log"
		echo "security: tfsec failed on $stack" >&2
		status=1
		continue
	}
	"$out/scancheck" -scanner tfsec -stack "$stack" -ignore security/tfsec-ignore.txt "$out/tfsec-$stack.json" || status=1

	# trivy: the checks compiled into the binary (--skip-check-update), no
	# vulnerability or Java database (config scanning needs neither), no
	# version check or telemetry, and a cache of its own.
	${offline[@]+"${offline[@]}"} "$trivy" config --quiet --skip-check-update --skip-version-check --disable-telemetry \
		--cache-dir "$out/trivy-cache" --format json --exit-code 0 "$dir" \
		>"$out/trivy-$stack.json" 2>"$out/trivy-$stack.log" || {
		cat "$out/trivy-$stack.log"
		echo "security: trivy failed on $stack" >&2
		status=1
		continue
	}
	"$out/scancheck" -scanner trivy -stack "$stack" -ignore security/trivy-ignore.txt "$out/trivy-$stack.json" || status=1
done

if [ $status -ne 0 ]; then
	echo "security: FAIL: a HIGH or CRITICAL finding is neither fixed nor in an ignore file (see REAL above)" >&2
else
	echo "security: ok: no real HIGH or CRITICAL finding in ${#stacks[@]} stacks"
fi
exit $status

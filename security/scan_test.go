// Package security runs the static scanners over every synthesized stack as
// part of `go test ./...`. The scan itself is security/ci.sh.
package security

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/internal/tftest"
)

var _ = testutil.Update

// tools is where security/ci.sh installs the scanners.
func tools(t *testing.T) string {
	if d := os.Getenv("FARGATEKIT_TOOLS"); d != "" {
		return d
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "fargatekit-tools")
}

// TestScanners: tfsec and trivy find no HIGH or CRITICAL issue in any stack
// that is not reviewed in security/tfsec-ignore.txt or trivy-ignore.txt.
func TestScanners(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("runs the scanners")
	}
	dir := tools(t)
	for _, bin := range []string{"tfsec-v1.26.0/tfsec", "trivy-v0.74.0/trivy"} {
		if _, err := os.Stat(filepath.Join(dir, bin)); err != nil {
			tftest.Require(t, "%s is not installed: run `bash security/ci.sh --install-only` once (it builds the scanners from source)", bin)
		}
	}
	cmd := exec.Command("bash", "ci.sh")
	cmd.Env = append(os.Environ(), "FARGATEKIT_TOOLS="+dir)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("security/ci.sh: %v", err)
	}
}

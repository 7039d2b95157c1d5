package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/fargatekit/fargatekit/internal/tftest"
)

// TestLocalDeployScript runs the README's one-command local deploy for the
// development stack: npm ci of the pinned cdktf CLI if needed, the emulator,
// synth, terraform init, cdktf deploy, outputs, emulator stopped.
func TestLocalDeployScript(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("deploys to the emulator")
	}
	t.Parallel()
	tftest.Binary(t)
	if _, err := exec.LookPath("npm"); err != nil {
		tftest.Require(t, "npm is not on PATH: the deploy script installs the cdktf CLI with it")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	cmd := exec.Command(filepath.Join(root, "deploy", "local-deploy"), "development")
	cmd.Env = append(os.Environ(), "LOCAL_DEPLOY_DIR="+work, "CI=true")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("deploy/local-deploy development: %v\n%s", err, tail(out, 4000))
	}
	raw, err := os.ReadFile(filepath.Join(work, "outputs.json"))
	if err != nil {
		t.Fatalf("no outputs.json: %v\n%s", err, tail(out, 4000))
	}
	var outputs map[string]map[string]any
	if err := json.Unmarshal(raw, &outputs); err != nil {
		t.Fatal(err)
	}
	if got := outputs["development"]["service_name"]; got != "my-service-dev" {
		t.Errorf("outputs.development.service_name = %v\n%s", got, raw)
	}
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

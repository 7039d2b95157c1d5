package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fargatekit/fargatekit/internal/tftest"
)

// emulator is one moto process started by e2e/emulator/launcher.py on a free
// port of its own.
type emulator struct {
	URL string
	cmd *exec.Cmd
	log *bytes.Buffer
}

func emulatorDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "emulator")
}

// startEmulator starts the launcher and waits for its READY line. The
// emulator is stopped when the test ends.
func startEmulator(t *testing.T) *emulator {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		tftest.Require(t, "python3 is not on PATH: the AWS emulator needs it")
	}
	if err := exec.Command(py, "-c", "import moto, boto3").Run(); err != nil {
		tftest.Require(t, "python3 cannot import moto and boto3 (pip install 'moto[server]==5.2.1' boto3): %v", err)
	}
	cmd := exec.Command(py, filepath.Join(emulatorDir(), "launcher.py"), "--port", "0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logBuf := &bytes.Buffer{}
	cmd.Stderr = logBuf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	e := &emulator{cmd: cmd, log: logBuf}
	t.Cleanup(e.stop)
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
				ready <- url
			}
		}
	}()
	select {
	case e.URL = <-ready:
	case <-time.After(90 * time.Second):
		t.Fatalf("the emulator did not print READY within 90 s; its stderr:\n%s", logBuf.String())
	}
	return e
}

func (e *emulator) stop() {
	if e.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// env is what points the unchanged AWS provider at the emulator.
func (e *emulator) env() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL":          e.URL,
		"AWS_ACCESS_KEY_ID":         "test",
		"AWS_SECRET_ACCESS_KEY":     "test",
		"AWS_SESSION_TOKEN":         "",
		"AWS_REGION":                "us-east-1",
		"AWS_DEFAULT_REGION":        "us-east-1",
		"AWS_PROFILE":               "",
		"AWS_EC2_METADATA_DISABLED": "true",
	}
}

// inventory asks the emulator what is left, by kind.
func (e *emulator) inventory(t *testing.T) map[string][]string {
	t.Helper()
	out := e.script(t, "inventory.py")
	var inv map[string][]string
	if err := json.Unmarshal(out, &inv); err != nil {
		t.Fatalf("inventory output is not JSON: %v\n%s", err, out)
	}
	return inv
}

// importCertificate imports a self-signed certificate into the emulator's
// ACM and returns its ARN.
func (e *emulator) importCertificate(t *testing.T) string {
	t.Helper()
	return strings.TrimSpace(string(e.script(t, "certificate.py")))
}

// input creates an input of a stack in the emulator (inputs.py) and returns
// its ARN.
func (e *emulator) input(t *testing.T, args ...string) string {
	t.Helper()
	return strings.TrimSpace(string(e.script(t, "inputs.py", args...)))
}

// stateBucket creates an S3 bucket in the emulator for a stack's S3 backend.
func (e *emulator) stateBucket(t *testing.T, bucket string) {
	t.Helper()
	e.script(t, "statebucket.py", "--bucket", bucket)
}

// stateObjects lists the keys in a state bucket of the emulator.
func (e *emulator) stateObjects(t *testing.T, bucket string) []string {
	t.Helper()
	return strings.Fields(string(e.script(t, "statebucket.py", "--bucket", bucket, "--list")))
}

// script runs one of the emulator's Python scripts against it and returns
// its stdout; a failure fails the test with the script's stderr.
func (e *emulator) script(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	args = append([]string{filepath.Join(emulatorDir(), name), "--endpoint", e.URL}, args...)
	out, err := exec.Command("python3", args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%s: %v\n%s", name, err, stderr)
	}
	return out
}

// leftovers formats every non-empty kind of an inventory.
func leftovers(inv map[string][]string) string {
	var b strings.Builder
	for kind, ids := range inv {
		if len(ids) > 0 {
			fmt.Fprintf(&b, "  %s: %v\n", kind, ids)
		}
	}
	return b.String()
}

func TestMain(m *testing.M) {
	os.Setenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
	// The deploys spend most of their time in the provider's fixed waits,
	// so they run side by side even on two cores: four at a time (of the
	// five TestDeploy stacks, the fault test, the local-deploy script and
	// the launcher check) unless -parallel says otherwise.
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		_ = flag.Set("test.parallel", "4")
	}
	os.Exit(m.Run())
}

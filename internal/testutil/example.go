package testutil

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// RepoRoot is the repository's root directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// RunExample builds the program of examples/<name>, a Go module of its own
// that uses this one through a replace directive, and runs it in workdir with
// args. It fails the test if either step fails and returns the program's
// combined output.
func RunExample(t testing.TB, name, workdir string, args ...string) []byte {
	t.Helper()
	src := filepath.Join(RepoRoot(), "examples", name)
	bin := filepath.Join(t.TempDir(), name)
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = src
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build in examples/%s: %v\n%s", name, err, out)
	}
	run := exec.Command(bin, args...)
	run.Dir = workdir
	run.Env = []string{"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20"}
	for _, kv := range os.Environ() {
		// The program decides where cdktf.out goes, not a cdktf CLI around
		// the test run.
		if !strings.HasPrefix(kv, "CDKTF_OUTDIR=") {
			run.Env = append(run.Env, kv)
		}
	}
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("examples/%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// ParseDoc decodes a synthesized cdk.tf.json.
func ParseDoc(b []byte) (Doc, error) {
	var d Doc
	err := json.Unmarshal(b, &d)
	return d, err
}

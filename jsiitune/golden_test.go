package jsiitune_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/jsiitune"
	"github.com/fargatekit/fargatekit/stacks"
)

// GIVEN the jsiitune.Preload in the kernel WHEN the production stack is synthesized
// THEN the JSON is byte for byte the stacks package's golden file. This test
// must be the first in the package to start the kernel (it is in the first
// file), as a program's main must call Apply first.
func TestTunedKernelSynthesizesTheGoldenStack(t *testing.T) {
	t.Setenv("NODE_OPTIONS", "")
	os.Unsetenv("NODE_OPTIONS")
	if set := jsiitune.ApplyIn(t.TempDir()); set == nil {
		t.Fatal("Apply set nothing before the kernel started")
	}
	// Scoped to the kernel: the program's environment, and so every other
	// process it starts, does not carry the preload.
	if v, set := os.LookupEnv("NODE_OPTIONS"); set {
		t.Errorf("after Apply the program's NODE_OPTIONS = %q: it should be restored (unset)", v)
	}
	if out, err := exec.Command("sh", "-c", `printf %s "$NODE_OPTIONS"`).Output(); err != nil || len(out) != 0 {
		t.Errorf("a child process started after Apply sees NODE_OPTIONS=%q (%v): only the kernel should", out, err)
	}
	defer func() {
		if !jsiitune.KernelStarted() {
			t.Error("kernelStarted is false while the kernel runs: Apply would restart it")
		}
		if opts := kernelNodeOptions(t); !strings.Contains(opts, "--require") {
			t.Errorf("the running kernel has NODE_OPTIONS=%q: the jsiitune.Preload did not reach it", opts)
		}
		os.Unsetenv("NODE_OPTIONS")
		if set := jsiitune.ApplyIn(t.TempDir()); set != nil {
			t.Errorf("a second Apply with the kernel running set %v", set)
		}
	}()
	want, err := os.ReadFile(filepath.Join("..", "stacks", "testdata", "production.golden"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := stacks.New(testutil.TestApp(), stacks.Production())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := testutil.Synth(t, st.TerraformStack)
	if !bytes.Equal(got, want) {
		t.Fatalf("with the jsiitune.Preload, production differs from stacks/testdata/production.golden:\n%s", testutil.UnifiedDiff(string(want), string(got)))
	}
}

// kernelNodeOptions returns NODE_OPTIONS from the environment of this
// process's jsii-runtime child.
func kernelNodeOptions(t *testing.T) string {
	t.Helper()
	tasks, _ := os.ReadDir("/proc/self/task")
	for _, task := range tasks {
		b, _ := os.ReadFile("/proc/self/task/" + task.Name() + "/children")
		for _, pid := range strings.Fields(string(b)) {
			cmd, _ := os.ReadFile("/proc/" + pid + "/cmdline")
			if !strings.Contains(string(cmd), "jsii-runtime") {
				continue
			}
			env, err := os.ReadFile("/proc/" + pid + "/environ")
			if err != nil {
				t.Fatal(err)
			}
			for _, kv := range strings.Split(string(env), "\x00") {
				if v, ok := strings.CutPrefix(kv, "NODE_OPTIONS="); ok {
					return v
				}
			}
			return ""
		}
	}
	t.Fatal("no jsii-runtime child process")
	return ""
}

// plainChildEnv makes the test binary, started again, synthesize with a plain
// kernel: TestPlainKernelChild writes every stack's JSON to the file it names.
const plainChildEnv = "JSIITUNE_PLAIN_KERNEL_OUT"

// goldenConfigs are the stacks with a golden file in stacks/testdata: the
// defaults under their stack names, the variants under their variant names.
func goldenConfigs() map[string]stacks.Config {
	out := map[string]stacks.Config{}
	for _, c := range stacks.Defaults() {
		out[c.StackName] = c
	}
	for _, v := range stacks.Variants() {
		out[v.Name] = v.Config
	}
	return out
}

// TestPlainKernelChild runs only inside TestGoldensMatchAPlainKernel's child
// process, whose NODE_OPTIONS keeps Apply out: it synthesizes every golden
// stack with a kernel that has no preload.
func TestPlainKernelChild(t *testing.T) {
	path := os.Getenv(plainChildEnv)
	if path == "" {
		t.Skip("runs in TestGoldensMatchAPlainKernel's child process")
	}
	got := map[string]string{}
	for name, cfg := range goldenConfigs() {
		st, err := stacks.New(testutil.TestApp(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := testutil.Synth(t, st.TerraformStack)
		got[name] = string(raw)
	}
	if opts := kernelNodeOptions(t); strings.Contains(opts, "--require") {
		t.Fatalf("the child's kernel has NODE_OPTIONS=%q: it is not a plain kernel", opts)
	}
	b, _ := json.Marshal(got)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// GIVEN a kernel without the preload WHEN every stack with a golden file
// (defaults and variants) is synthesized THEN the JSON is byte for byte the
// golden file, which the test suite writes and checks with the preload on:
// the preload changes nothing in what is synthesized.
func TestGoldensMatchAPlainKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second, untuned kernel (about 3 s and 600 MiB)")
	}
	out := filepath.Join(t.TempDir(), "plain.json")
	cmd := exec.Command(os.Args[0], "-test.run", "^TestPlainKernelChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), plainChildEnv+"="+out, "NODE_OPTIONS=--max-old-space-size=4069")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the plain-kernel child failed: %v\n%s", err, b)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(goldenConfigs()) {
		t.Fatalf("the child synthesized %d stacks, want %d", len(got), len(goldenConfigs()))
	}
	for _, name := range testutil.SortedKeys(got) {
		want, err := os.ReadFile(filepath.Join("..", "stacks", "testdata", name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if got[name] != string(want) {
			t.Errorf("with a plain kernel, %s differs from stacks/testdata/%s.golden:\n%s", name, name, testutil.UnifiedDiff(string(want), got[name]))
		}
	}
}

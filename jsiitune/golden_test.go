package jsiitune_test

import (
	"bytes"
	"github.com/fargatekit/fargatekit/jsiitune"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
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
	got, _ := testutil.Synth(t, st.Stack)
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

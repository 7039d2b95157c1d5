// Package e2e deploys every stack in stacks/ to a local AWS API emulator with
// the real Terraform AWS provider: apply, a plan that must show no change,
// destroy, and a look at what is left.
package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/internal/tftest"
	"github.com/fargatekit/fargatekit/stacks"
)

var _ = testutil.Update

// excused lists plan differences that are the emulator's fault, by exact
// resource address and attribute, each with the reason. A difference that is
// the library's fault is fixed in the library, never listed here.
var excused = map[string][]string{}

type synthOutput struct {
	// dir holds cdktf.out/ (the stacks) and, beside it, the local state files
	// (stacks keep state at ../../../terraform.<name>.tfstate).
	dir string
	// teardown holds configs that differ only in what must change before a
	// destroy: production's ALB deletion protection, switched off as an
	// operator would before tearing the stack down.
	teardown map[string][]byte
}

var (
	synthOnce sync.Once
	synthOut  synthOutput
	synthErr  error
)

func synthesize(t *testing.T) synthOutput {
	t.Helper()
	synthOnce.Do(func() {
		synthOut.dir, synthErr = os.MkdirTemp("", "fargatekit-e2e-")
		if synthErr != nil {
			return
		}
		outdir := filepath.Join(synthOut.dir, "cdktf.out")
		app := cdktf.NewApp(&cdktf.AppConfig{Outdir: &outdir})
		for _, cfg := range stacks.Defaults() {
			if _, synthErr = stacks.New(app, cfg); synthErr != nil {
				return
			}
		}
		app.Synth()

		synthOut.teardown = map[string][]byte{}
		tdDir := filepath.Join(synthOut.dir, "teardown.out")
		tdApp := cdktf.NewApp(&cdktf.AppConfig{Outdir: &tdDir})
		for _, cfg := range stacks.Defaults() {
			if cfg.LoadBalancer.DisableDeletionProtection {
				continue
			}
			cfg.LoadBalancer.DisableDeletionProtection = true
			if _, synthErr = stacks.New(tdApp, cfg); synthErr != nil {
				return
			}
		}
		tdApp.Synth()
		for _, cfg := range stacks.Defaults() {
			b, err := os.ReadFile(filepath.Join(tdDir, "stacks", cfg.StackName, "cdk.tf.json"))
			if err == nil {
				synthOut.teardown[cfg.StackName] = b
			}
		}
	})
	if synthErr != nil {
		t.Fatalf("synthesizing the stacks: %v", synthErr)
	}
	return synthOut
}

// stackDir returns a private copy of a stack's directory for one test, laid
// out like cdktf.out so that the relative state path stays inside it.
func stackDir(t *testing.T, s synthOutput, name string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "cdktf.out", "stacks", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(s.dir, "cdktf.out", "stacks", name, "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func timed(t *testing.T, what string, f func() error) time.Duration {
	t.Helper()
	start := time.Now()
	if err := f(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	d := time.Since(start).Round(100 * time.Millisecond)
	t.Logf("%s took %s", what, d)
	return d
}

// assertNoChanges plans and fails with every resource change and the
// attributes that differ, unless the difference is excused.
func assertNoChanges(t *testing.T, ctx context.Context, tf *tfexec.Terraform, dir string) {
	t.Helper()
	planFile := filepath.Join(dir, "check.tfplan")
	changed, err := tf.Plan(ctx, tfexec.Out(planFile))
	if err != nil {
		t.Fatalf("plan after apply: %v", err)
	}
	if !changed {
		return
	}
	plan, err := tf.ShowPlanFile(ctx, planFile)
	if err != nil {
		t.Fatalf("show plan: %v", err)
	}
	var problems []string
	for _, rc := range plan.ResourceChanges {
		if rc.Change == nil || rc.Change.Actions.NoOp() || rc.Change.Actions.Read() {
			continue
		}
		attrs := changedAttributes(rc.Change)
		var unexcused []string
		for _, a := range attrs {
			if !contains(excused[rc.Address], a) {
				unexcused = append(unexcused, a)
			}
		}
		if len(attrs) > 0 && len(unexcused) == 0 {
			t.Logf("excused emulator difference on %s: %v", rc.Address, attrs)
			continue
		}
		problems = append(problems, fmt.Sprintf("  %s %v: %s", rc.Address, rc.Change.Actions, describe(rc.Change, unexcused)))
	}
	if len(problems) > 0 {
		t.Fatalf("the plan after apply is not empty (a perpetual diff):\n%s", strings.Join(problems, "\n"))
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func changedAttributes(c *tfjson.Change) []string {
	before, _ := c.Before.(map[string]any)
	after, _ := c.After.(map[string]any)
	unknown, _ := c.AfterUnknown.(map[string]any)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if unknown[k] == true || !reflect.DeepEqual(before[k], after[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func describe(c *tfjson.Change, attrs []string) string {
	before, _ := c.Before.(map[string]any)
	after, _ := c.After.(map[string]any)
	var parts []string
	for _, a := range attrs {
		parts = append(parts, fmt.Sprintf("%s: %v -> %v", a, short(before[a]), short(after[a])))
	}
	return strings.Join(parts, "; ")
}

func short(v any) string {
	s := fmt.Sprintf("%v", v)
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// TestDeploy applies every default stack to its own emulator, plans again
// (no changes allowed), destroys, and checks that nothing is left.
func TestDeploy(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("deploys to the emulator")
	}
	t.Parallel()
	tftest.Binary(t)
	s := synthesize(t)
	for _, cfg := range stacks.Defaults() {
		t.Run(cfg.StackName, func(t *testing.T) {
			// Each stack has its own emulator; most of an apply is waiting.
			t.Parallel()
			emu := startEmulator(t)
			dir := stackDir(t, s, cfg.StackName)
			tf := tftest.New(t, dir, emu.env())
			ctx := context.Background()
			timed(t, "init", func() error { return tf.Init(ctx) })
			apply := timed(t, "apply", func() error { return tf.Apply(ctx) })
			plan := timed(t, "plan", func() error { assertNoChanges(t, ctx, tf, dir); return nil })
			if td, ok := s.teardown[cfg.StackName]; ok {
				if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), td, 0o644); err != nil {
					t.Fatal(err)
				}
				timed(t, "apply without deletion protection", func() error { return tf.Apply(ctx) })
			}
			destroy := timed(t, "destroy", func() error { return tf.Destroy(ctx) })
			if left := leftovers(emu.inventory(t)); left != "" {
				t.Fatalf("destroy left resources behind in the emulator:\n%s", left)
			}
			t.Logf("TIMING %s apply=%s plan=%s destroy=%s", cfg.StackName, apply, plan, destroy)
		})
	}
}

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/fargatekit/fargatekit/internal/tfhcl"
	"github.com/fargatekit/fargatekit/internal/tftest"
	"github.com/fargatekit/fargatekit/stacks"
)

// writeHCL converts a stack's JSON into hclDir, the local state path
// rewritten to the same file, as cmd/fargatekit-hcl does.
func writeHCL(t *testing.T, jsonDir, hclDir string, doc []byte) *tfhcl.Result {
	t.Helper()
	res, err := tfhcl.Convert("cdk.tf.json", doc, tfhcl.Options{LocalStatePath: func(p string) string {
		rel, err := filepath.Rel(hclDir, filepath.Join(jsonDir, p))
		if err != nil {
			t.Fatal(err)
		}
		return rel
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(hclDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range res.Files {
		if err := os.WriteFile(filepath.Join(hclDir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

// TestHandOverToHCL: every default stack is applied from CDKTF's JSON,
// converted, and from then on run from the HCL with the same state: the
// first plan shows moves only (no create, update, delete or replace), apply,
// a plan with no change, destroy from the HCL, and nothing left.
func TestHandOverToHCL(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("deploys to the emulator")
	}
	tftest.Binary(t)
	for _, cfg := range stacks.Defaults() {
		t.Run(cfg.StackName, func(t *testing.T) {
			t.Parallel()
			handOver(t, cfg)
		})
	}
}

func handOver(t *testing.T, cfg stacks.Config) {
	emu := startEmulator(t)
	removeInputs := func() {}
	if cfg.Domain != nil {
		// The stack looks its hosted zone up by name: the zone is the
		// test's input, created before the apply and removed after the
		// destroy, as in TestDeploy.
		zoneID := emu.input(t, "hosted-zone", cfg.Domain.ZoneName)
		removeInputs = func() { emu.input(t, "delete-hosted-zone", zoneID) }
	}
	doc, teardown := synthStack(t, cfg)
	jsonDir := stackDir(t, cfg.StackName, doc)
	ctx := context.Background()
	tfj := tftest.New(t, jsonDir, emu.env())
	timed(t, "init (JSON)", func() error { return tfj.Init(ctx) })
	timed(t, "apply (JSON)", func() error { return tfj.Apply(ctx) })

	hclDir := filepath.Join(filepath.Dir(filepath.Dir(jsonDir)), "hcl", cfg.StackName)
	res := writeHCL(t, jsonDir, hclDir, doc)
	moves := 0
	for _, r := range res.Renames {
		if !r.Data {
			moves++
		}
	}
	tfh := tftest.New(t, hclDir, emu.env())
	timed(t, "init (HCL)", func() error { return tfh.Init(ctx) })
	planFile := filepath.Join(hclDir, "handover.tfplan")
	if _, err := tfh.Plan(ctx, tfexec.Out(planFile)); err != nil {
		t.Fatalf("first plan from the HCL: %v", err)
	}
	plan, err := tfh.ShowPlanFile(ctx, planFile)
	if err != nil {
		t.Fatal(err)
	}
	// A resource with count or for_each moves once per instance: count the
	// resources, not the instances.
	movedFrom := map[string]bool{}
	var changes []string
	for _, rc := range plan.ResourceChanges {
		if rc.Change == nil || rc.Change.Actions.Read() {
			continue
		}
		if !rc.Change.Actions.NoOp() {
			changes = append(changes, fmt.Sprintf("%s %v", rc.Address, rc.Change.Actions))
			continue
		}
		if rc.PreviousAddress != "" {
			base, _, _ := strings.Cut(rc.PreviousAddress, "[")
			movedFrom[base] = true
		}
	}
	if len(changes) > 0 {
		t.Fatalf("the first plan from the HCL changes resources (it must only move them):\n  %s", strings.Join(changes, "\n  "))
	}
	if moved := len(movedFrom); moved != moves {
		t.Fatalf("the first plan moves %d resources, the conversion renamed %d", moved, moves)
	}
	timed(t, "apply the moves", func() error { return tfh.Apply(ctx) })
	timed(t, "plan (HCL)", func() error { assertNoChanges(t, ctx, tfh, hclDir); return nil })
	if teardown != nil {
		writeHCL(t, jsonDir, hclDir, teardown)
		timed(t, "apply without deletion protection (HCL)", func() error { return tfh.Apply(ctx) })
	}
	timed(t, "destroy (HCL)", func() error { return tfh.Destroy(ctx) })
	removeInputs()
	if left := leftovers(emu.inventory(t)); left != "" {
		t.Fatalf("destroy from the HCL left resources behind in the emulator:\n%s", left)
	}
}

package review_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/report"
	"github.com/fargatekit/fargatekit/report/review"
)

// writeOut writes a cdktf output directory with one stack, "production",
// whose document is the pinned production stack changed by edit.
func writeOut(t *testing.T, edit func(res map[string]map[string]map[string]any)) string {
	t.Helper()
	b, err := os.ReadFile("../../stacks/testdata/production.golden")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		res := map[string]map[string]map[string]any{}
		for typ, v := range doc["resource"].(map[string]any) {
			res[typ] = map[string]map[string]any{}
			for name, args := range v.(map[string]any) {
				res[typ][name] = args.(map[string]any)
			}
		}
		edit(res)
		doc["resource"] = res
	}
	out := t.TempDir()
	dir := filepath.Join(out, "stacks", "production")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	nb, _ := json.MarshalIndent(doc, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), nb, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func one(res map[string]map[string]map[string]any, typ string) map[string]any {
	for _, args := range res[typ] {
		return args
	}
	return nil
}

func TestNoChange(t *testing.T) {
	r, err := review.Compare(writeOut(t, nil), writeOut(t, nil), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Stacks) != 1 || len(r.Stacks[0].Resources) != 0 {
		t.Fatalf("identical outputs differ: %+v", r.Stacks)
	}
	if !strings.Contains(string(r.Markdown()), "0 to add, 0 to change in place, 0 to replace, 0 to destroy") {
		t.Error("the comment does not say that nothing changes")
	}
}

func TestAddedChangedReplacedDestroyed(t *testing.T) {
	old := writeOut(t, nil)
	new := writeOut(t, func(res map[string]map[string]map[string]any) {
		one(res, "aws_lb_target_group")["port"] = 8080             // ForceNew: replace
		one(res, "aws_appautoscaling_target")["max_capacity"] = 20 // in place; ceiling rises
		one(res, "aws_lb")["idle_timeout"] = 120                   // in place
		delete(res, "aws_flow_log")                                // destroy
		// add: a type of its own, so that the stack's resources stay as they are
		res["aws_s3_bucket"] = map[string]map[string]any{"Artifacts": {"bucket": "artifacts"}}
	})
	r, err := review.Compare(old, new, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]review.Action{}
	for _, res := range r.Stacks[0].Resources {
		got[res.Address] = res.Action
	}
	want := map[string]review.Action{
		"aws_lb_target_group.LoadBalancer_TargetGroup_81D27C85":     review.Replace,
		"aws_appautoscaling_target.Service_ScalableTarget_C884D4CA": review.Change,
		"aws_lb.LoadBalancer_10456B95":                              review.Change,
		"aws_flow_log.Network_FlowLog_C0B00A8E":                     review.Destroy,
		"aws_s3_bucket.Artifacts":                                   review.Add,
	}
	for addr, a := range want {
		if got[addr] != a {
			t.Errorf("%s: got %q, want %q", addr, got[addr], a)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d changed resources, want %d: %v", len(got), len(want), got)
	}
	s := r.Stacks[0]
	// 10 more tasks at the ceiling: 10 × 0.25 × 730 × 0.04048 + 10 × 0.5 × 730 × 0.004445
	// + 10 × 0.5 × 730 × 0.008 + 10 × 5 × 0.045 + 10 × 1 × 0.5 + 10 × 1 × 0.03 + 10 × 0.07 × 0.5
	// = 73.876 + 16.22425 + 29.2 + 2.25 + 5 + 0.3 + 0.35 = 127.20025; without the flow log
	// nothing writes its log group any more: 10 × 0.5 × 0.5 + 10 × 0.5 × 0.03 = 2.65 less.
	// 127.20025 − 2.65 = 124.55025.
	if d := s.New.Ceiling - s.Old.Ceiling; d < 124.5502 || d > 124.5503 {
		t.Errorf("ceiling delta %.5f, want 124.55025", d)
	}
	// The floor loses only the flow logs at 2 tasks: 2 × 0.5 × 0.5 + 2 × 0.5 × 0.03 = 0.53.
	if d := s.Old.Floor - s.New.Floor; d < 0.5299 || d > 0.5301 {
		t.Errorf("floor fell by %.5f, want 0.53", d)
	}
	md := string(r.Markdown())
	for _, want := range []string{"port (forces replacement)", "+$124.55", "-$0.53", "1 to add, 2 to change in place, 1 to replace, 1 to destroy", "```mermaid"} {
		if !strings.Contains(md, want) {
			t.Errorf("comment lacks %q", want)
		}
	}
	testutil.Golden(t, "review.md", []byte(strings.NewReplacer(old, "OLD", new, "NEW").Replace(md)))
}

func TestNotAnOutputDirectory(t *testing.T) {
	_, err := review.Compare(t.TempDir(), writeOut(t, nil), report.Options{})
	if err == nil || !strings.Contains(err.Error(), "neither a cdktf output directory") {
		t.Fatalf("got %v", err)
	}
}

// With a plan (terraform show -json), the resources come from it: exact
// actions and the paths that force each replacement. The fixture follows
// Terraform's JSON output format (format_version 1.2, as terraform 1.11
// writes it).
func TestPlanReplacesThePrediction(t *testing.T) {
	r, err := review.Compare(writeOut(t, nil), writeOut(t, nil), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := os.ReadFile("testdata/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.UsePlan("production", plan); err != nil {
		t.Fatal(err)
	}
	got := map[string]review.Resource{}
	for _, res := range r.Stacks[0].Resources {
		got[res.Address] = res
	}
	if len(got) != 3 {
		t.Fatalf("got %d resources, want 3 (no-op and data reads left out): %v", len(got), got)
	}
	tg := got["aws_lb_target_group.LoadBalancer_TargetGroup_81D27C85"]
	if tg.Action != review.Replace || strings.Join(tg.Forcing, ",") != "port" {
		t.Errorf("target group: %+v, want a replacement forced by port", tg)
	}
	if got["aws_lb.LoadBalancer_10456B95"].Action != review.Change || got["aws_flow_log.Network_FlowLog_C0B00A8E"].Action != review.Destroy {
		t.Errorf("got %+v", got)
	}
	md := string(r.Markdown())
	if !strings.Contains(md, "**production** (from the Terraform plan): 0 to add, 1 to change in place, 1 to replace, 1 to destroy") || strings.Contains(md, "Without a plan") {
		t.Errorf("comment does not say the resources come from the plan:\n%s", md)
	}
	if err := r.UsePlan("production", []byte(`{"format_version":"0.1"}`)); err == nil {
		t.Error("an old plan format was accepted")
	}
	if err := r.UsePlan("staging", plan); err == nil || !strings.Contains(err.Error(), "no stack staging") {
		t.Errorf("got %v, want an error naming the missing stack", err)
	}
}

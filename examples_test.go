package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/fargatekit/fargatekit/internal/reportcheck"
	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/internal/tfhcl"
	"github.com/fargatekit/fargatekit/internal/tftest"
)

// validateHCL converts a synthesized example stack to HCL as
// cmd/fargatekit-hcl does (the way off CDKTF, docs/leaving-cdktf.md) and
// checks that the result is what terraform fmt writes and passes terraform
// validate with the real provider: every example can be handed over.
func validateHCL(t *testing.T, stackDir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(stackDir, "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := tfhcl.Convert("cdk.tf.json", b, tfhcl.Options{})
	if err != nil {
		t.Fatalf("the example does not convert to HCL: %v", err)
	}
	dir := t.TempDir()
	for name, src := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tf := tftest.New(t, dir, nil)
	if ok, files, err := tf.FormatCheck(context.Background(), tfexec.Dir(dir)); err != nil || !ok {
		t.Fatalf("terraform fmt -check of the HCL: would change %v (err %v)", files, err)
	}
	tftest.Validate(t, dir)
}

// readStack reads a synthesized stack of a cdktf.out directory as a Doc.
func readStack(t *testing.T, out, stack string) testutil.Doc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "stacks", stack, "cdk.tf.json"))
	if err != nil {
		t.Fatalf("stack %s was not synthesized: %v", stack, err)
	}
	doc, err := testutil.ParseDoc(b)
	if err != nil {
		t.Fatalf("%s: %v", stack, err)
	}
	return doc
}

// checkReport holds a synthesized example stack to the property of the
// report that report/property_test.go holds the default stacks, variants and
// fuzzed configs to (reportcheck.Check): drawn and priced completely, routes
// and alarm destinations as the JSON says. existingVPCID is the VPC an
// existing-network example runs in ("" when the stack creates its VPC).
func checkReport(t *testing.T, out, stack, existingVPCID string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "stacks", stack, "cdk.tf.json"))
	if err != nil {
		t.Fatalf("stack %s was not synthesized: %v", stack, err)
	}
	t.Run("report-property", func(t *testing.T) {
		reportcheck.Check(t, stack, b, existingVPCID)
	})
}

func wantCounts(t *testing.T, doc testutil.Doc, want map[string]int) {
	t.Helper()
	for _, typ := range testutil.SortedKeys(want) {
		if got := len(doc.Resources(typ)); got != want[typ] {
			t.Errorf("%d %s, want %d", got, typ, want[typ])
		}
	}
}

// TestQuickstartProgram builds examples/quickstart, the README's example, and
// runs it as a program: it must write cdktf.out in its working directory, with
// the service, its load balancer and the stack's own SSM parameter, valid for
// the real AWS provider.
func TestQuickstartProgram(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("builds a separate module")
	}
	work := t.TempDir()
	testutil.RunExample(t, "quickstart", work)
	out := filepath.Join(work, "cdktf.out")
	if _, err := os.Stat(filepath.Join(out, "manifest.json")); err != nil {
		t.Errorf("no cdktf.out/manifest.json: %v", err)
	}
	doc := readStack(t, out, "web")
	wantCounts(t, doc, map[string]int{"aws_vpc": 1, "aws_ecs_cluster": 1, "aws_lb": 1, "aws_ecs_service": 1, "aws_ssm_parameter": 1})
	checkReport(t, out, "web", "")
	tftest.Validate(t, filepath.Join(out, "stacks", "web"))
	validateHCL(t, filepath.Join(out, "stacks", "web"))
}

// TestTwoServicesExample builds examples/twoservices, a separate module with
// two patterns and a plain provider resource in one stack: one network, one
// cluster, one ALB with a rule for the second service, one account lookup,
// valid for the real AWS provider. e2e/TestDeployTwoServices deploys it.
func TestTwoServicesExample(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("builds a separate module")
	}
	out := filepath.Join(t.TempDir(), "cdktf.out")
	testutil.RunExample(t, "twoservices", t.TempDir(), "-out", out)
	doc := readStack(t, out, "two-services")
	wantCounts(t, doc, map[string]int{
		"aws_vpc": 1, "aws_nat_gateway": 1, "aws_ecs_cluster": 1, "aws_lb": 1, "aws_lb_listener": 1,
		"aws_lb_target_group": 2, "aws_lb_listener_rule": 1, "aws_ecs_service": 2, "aws_ssm_parameter": 1,
	})
	if n := len(doc.Data("aws_caller_identity")); n != 1 {
		t.Errorf("%d aws_caller_identity lookups, want 1 shared by both services", n)
	}
	checkReport(t, out, "two-services", "")
	tftest.Validate(t, filepath.Join(out, "stacks", "two-services"))
	validateHCL(t, filepath.Join(out, "stacks", "two-services"))
}

package e2e

// Shipping new versions on the emulator: who owns the image (the pipeline or
// Terraform) and the redeploy token, each proven against the AWS API the way
// a CI job uses it (e2e/emulator/ci_deploy.py, boto3).

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/tftest"
	"github.com/fargatekit/fargatekit/stacks"
)

const ciImage = "nginx:1.28"

// shippingConfigs are the development stack with one deployment setting each;
// "token" is synthesized twice (RedeployToken v1, then v2) with the same stack
// name, so that both share one state.
func shippingConfigs(token string) []stacks.Config {
	base := func(name string) stacks.Config {
		c := stacks.Development()
		c.StackName = name
		return c
	}
	pipeline := base("pipeline")
	pipeline.ServiceProps.Deployment.ImageOwner = service.PipelineOwnsImage
	tfowned := base("tfowned")
	tok := base("token")
	tok.ServiceProps.Deployment.RedeployToken = token
	// ECS Exec on: the cluster logs the sessions (ExecAudit), proven here
	// to apply, re-plan empty and destroy clean as well.
	tok.ServiceProps.EnableExecuteCommand = true
	tok.ServiceProps.Containers[0].WritableRootFilesystem = true
	// "rollback" waits for steady state; its v2 image stands, on the
	// emulator, for one whose tasks never become healthy.
	rb := base("rollback")
	rb.ServiceProps.Deployment.WaitForSteadyState = true
	if token == "v2" {
		rb.ServiceProps.Containers[0].Image = "nginx:circuit-breaker-trips"
	}
	return []stacks.Config{pipeline, tfowned, tok, rb}
}

var (
	shipOnce sync.Once
	shipDirs map[string]string // token -> synthesized cdktf.out
	shipErr  error
)

func shippingStacks(t *testing.T) map[string]string {
	t.Helper()
	shipOnce.Do(func() {
		// The other tests of this binary synthesize in parallel through
		// the one jsii kernel: take turns (synthMu, deploy_test.go).
		synthMu.Lock()
		defer synthMu.Unlock()
		shipDirs = map[string]string{}
		for _, token := range []string{"v1", "v2"} {
			dir, err := os.MkdirTemp("", "fargatekit-ship-")
			if err != nil {
				shipErr = err
				return
			}
			outdir := filepath.Join(dir, "cdktf.out")
			app := cdktf.NewApp(&cdktf.AppConfig{Outdir: &outdir})
			for _, cfg := range shippingConfigs(token) {
				if _, shipErr = stacks.New(app, cfg); shipErr != nil {
					return
				}
			}
			app.Synth()
			shipDirs[token] = outdir
		}
	})
	if shipErr != nil {
		t.Fatalf("synthesizing the shipping stacks: %v", shipErr)
	}
	return shipDirs
}

// useConfig writes the synthesized JSON of stack name (from the synthesis
// for token) into dir, replacing what was there.
func useConfig(t *testing.T, token, name, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(shippingStacks(t)[token], "stacks", name, "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func shippingSetup(t *testing.T, name string) (*emulator, *tfexec.Terraform, string) {
	t.Helper()
	if testing.Short() && !tftest.InCI() {
		t.Skip("deploys to the emulator")
	}
	t.Parallel()
	tftest.Binary(t)
	shippingStacks(t)
	emu := startEmulator(t)
	dir := filepath.Join(t.TempDir(), "cdktf.out", "stacks", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	useConfig(t, "v1", name, dir)
	tf := tftest.New(t, dir, emu.env())
	ctx := context.Background()
	timed(t, "init", func() error { return tf.Init(ctx) })
	timed(t, "apply", func() error { return tf.Apply(ctx) })
	return emu, tf, dir
}

type serviceState struct {
	TaskDefinition    string   `json:"taskDefinition"`
	TaskDefinitionArn string   `json:"taskDefinitionArn"`
	Deployments       []string `json:"deployments"`
}

// ci runs e2e/emulator/ci_deploy.py against the development service.
func ci(t *testing.T, emu *emulator, args ...string) serviceState {
	t.Helper()
	cfg := stacks.Development()
	full := append([]string{filepath.Join(emulatorDir(), "ci_deploy.py")}, args...)
	full = append(full, "--endpoint", emu.URL, "--cluster", cfg.ClusterProps.Name, "--service", cfg.ServiceProps.Name)
	out, err := exec.Command("python3", full...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("ci_deploy.py %v: %v\n%s", args, err, stderr)
	}
	var st serviceState
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatalf("ci_deploy.py output is not JSON: %v\n%s", err, out)
	}
	return st
}

// assertRuns fails unless the service runs revision want.
func assertRuns(t *testing.T, emu *emulator, want, when string) {
	t.Helper()
	if now := ci(t, emu, "describe"); now.TaskDefinition != want {
		t.Fatalf("the service runs %s %s, want %s", now.TaskDefinition, when, want)
	}
}

func teardown(t *testing.T, emu *emulator, tf *tfexec.Terraform, ciRevisions ...string) {
	t.Helper()
	timed(t, "destroy", func() error { return tf.Destroy(context.Background()) })
	for _, arn := range ciRevisions {
		// The pipeline registered these; Terraform never owned them.
		ci(t, emu, "deregister", arn)
	}
	if left := leftovers(emu.inventory(t)); left != "" {
		t.Fatalf("destroy left resources behind in the emulator:\n%s", left)
	}
}

// TestPipelineOwnsImage: apply; CI registers a new revision and updates the
// service through the AWS API; a plan then shows no change; a second apply
// leaves CI's revision running.
func TestPipelineOwnsImage(t *testing.T) {
	emu, tf, dir := shippingSetup(t, "pipeline")
	ctx := context.Background()
	first := ci(t, emu, "describe")
	deployed := ci(t, emu, "deploy", "--image", ciImage)
	if deployed.TaskDefinitionArn == first.TaskDefinition {
		t.Fatalf("CI did not register a new revision: %s", deployed.TaskDefinitionArn)
	}
	assertRuns(t, emu, deployed.TaskDefinitionArn, "after CI's update-service")
	timed(t, "plan after the CI deploy", func() error { assertNoChanges(t, ctx, tf, dir); return nil })
	timed(t, "second apply", func() error { return tf.Apply(ctx) })
	assertRuns(t, emu, deployed.TaskDefinitionArn, "after the second apply (it must not roll CI's revision back)")
	teardown(t, emu, tf, deployed.TaskDefinitionArn)
}

// TestTerraformOwnsImageShowsDrift: the same CI deploy with Terraform owning
// the image is drift: the plan updates the service back to Terraform's
// revision, and the apply does it.
func TestTerraformOwnsImageShowsDrift(t *testing.T) {
	emu, tf, dir := shippingSetup(t, "tfowned")
	ctx := context.Background()
	first := ci(t, emu, "describe")
	deployed := ci(t, emu, "deploy", "--image", ciImage)

	planFile := filepath.Join(dir, "drift.tfplan")
	changed, err := tf.Plan(ctx, tfexec.Out(planFile))
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	if !changed {
		t.Fatal("the plan after a CI deploy shows no change although Terraform owns the image")
	}
	plan, err := tf.ShowPlanFile(ctx, planFile)
	if err != nil {
		t.Fatal(err)
	}
	var drift bool
	for _, rc := range plan.ResourceChanges {
		if rc.Change == nil || rc.Change.Actions.NoOp() || rc.Change.Actions.Read() {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		if rc.Type == "aws_ecs_service" && rc.Change.Actions.Update() &&
			before["task_definition"] == deployed.TaskDefinitionArn && after["task_definition"] == first.TaskDefinition {
			drift = true
			t.Logf("drift Terraform will correct: %s task_definition %v -> %v", rc.Address, before["task_definition"], after["task_definition"])
			continue
		}
		t.Errorf("unexpected change %s %v: %s", rc.Address, rc.Change.Actions, describe(rc.Change, changedAttributes(rc.Change)))
	}
	if !drift {
		t.Fatalf("the plan does not put the service back on Terraform's revision %s", first.TaskDefinition)
	}
	timed(t, "apply correcting the drift", func() error { return tf.Apply(ctx) })
	assertRuns(t, emu, first.TaskDefinition, "after the apply (Terraform's revision)")
	teardown(t, emu, tf, deployed.TaskDefinitionArn)
}

// TestRedeployToken: an apply with the same token starts no deployment; a
// changed token starts exactly one, of the same revision.
func TestRedeployToken(t *testing.T) {
	emu, tf, dir := shippingSetup(t, "token")
	ctx := context.Background()
	execLog := cluster.ExecLogGroupName(stacks.Development().ClusterProps.Name)
	if !slices.Contains(emu.inventory(t)["log_groups"], execLog) {
		t.Errorf("no ECS Exec session log group %s after the apply", execLog)
	}
	before := ci(t, emu, "describe")
	if len(before.Deployments) != 1 {
		t.Fatalf("%d deployments after the first apply, want 1: %v", len(before.Deployments), before.Deployments)
	}
	timed(t, "apply, same token", func() error { return tf.Apply(ctx) })
	if same := ci(t, emu, "describe"); len(same.Deployments) != 1 {
		t.Fatalf("an apply with the same token started %d deployments", len(same.Deployments)-1)
	}
	useConfig(t, "v2", "token", dir)
	timed(t, "apply, new token", func() error { return tf.Apply(ctx) })
	after := ci(t, emu, "describe")
	if n := len(after.Deployments) - 1; n != 1 {
		t.Fatalf("a changed token started %d deployments, want exactly 1: %v", n, after.Deployments)
	}
	if after.TaskDefinition != before.TaskDefinition {
		t.Errorf("the redeploy changed the revision: %s -> %s", before.TaskDefinition, after.TaskDefinition)
	}
	timed(t, "plan after the redeploy", func() error { assertNoChanges(t, ctx, tf, dir); return nil })
	teardown(t, emu, tf)
}

// TestRollbackFailsTheApply: with Terraform owning the image and waiting for
// steady state, a deployment the circuit breaker rolls back fails the apply
// with the library's postcondition message. That the postcondition (and not
// the provider's wait) reports it shows that the provider itself reported the
// rolled-back deployment as a success.
func TestRollbackFailsTheApply(t *testing.T) {
	emu, tf, dir := shippingSetup(t, "rollback")
	ctx := context.Background()
	before := ci(t, emu, "describe")
	useConfig(t, "v2", "rollback", dir)
	err := tf.Apply(ctx)
	if err == nil {
		t.Fatal("the apply succeeded although the circuit breaker rolled the deployment back")
	}
	if !strings.Contains(err.Error(), "ECS rolled the deployment back") {
		t.Fatalf("the apply failed, but not with the rollback postcondition: %v", err)
	}
	t.Logf("apply failed as documented: %s", firstLines(err.Error(), 6))
	assertRuns(t, emu, before.TaskDefinition, "after the rollback (the previous revision)")
	teardown(t, emu, tf)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

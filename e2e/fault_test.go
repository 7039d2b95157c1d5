package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/fargatekit/fargatekit/internal/tftest"
	"github.com/fargatekit/fargatekit/stacks"
)

// inventoryKinds maps the emulator's inventory kinds to the resource types
// whose count they must match after a converged apply.
var inventoryKinds = map[string]string{
	"vpcs":              "aws_vpc",
	"subnets":           "aws_subnet",
	"internet_gateways": "aws_internet_gateway",
	"nat_gateways":      "aws_nat_gateway",
	"eips":              "aws_eip",
	"security_groups":   "aws_security_group",
	"load_balancers":    "aws_lb",
	"target_groups":     "aws_lb_target_group",
	"listeners":         "aws_lb_listener",
	"iam_roles":         "aws_iam_role",
	"log_groups":        "aws_cloudwatch_log_group",
	"ecs_clusters":      "aws_ecs_cluster",
	"ecs_services":      "aws_ecs_service",
	"task_definitions":  "aws_ecs_task_definition",
	"scalable_targets":  "aws_appautoscaling_target",
	"scaling_policies":  "aws_appautoscaling_policy",
	"scheduled_actions": "aws_appautoscaling_scheduled_action",
}

// TestInterruptedApplyConverges kills terraform partway through an apply
// (SIGTERM, as a cancelled CI job or `kill` does), then checks that a second
// apply converges, the plan after it is empty, nothing was created twice, and
// destroy leaves nothing.
func TestInterruptedApplyConverges(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("deploys to the emulator")
	}
	t.Parallel()
	tftest.Binary(t)
	s := synthesize(t)
	cfg := stacks.Development()
	emu := startEmulator(t)
	dir := stackDir(t, s, cfg.StackName)
	tf := tftest.New(t, dir, emu.env())
	ctx := context.Background()
	timed(t, "init", func() error { return tf.Init(ctx) })

	cmd := tftest.Cmd(t, dir, emu.env(), "apply", "-auto-approve", "-input=false", "-no-color")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill while the load balancer is being created: by then its create
	// call has returned and the provider is only waiting, so the interrupt
	// cuts a wait, not an API call. (Any interrupt that lands on an API call
	// in flight can orphan what that call creates: Terraform cancels the
	// provider's requests on the first signal. That is Terraform's, not a
	// stack's, and no configuration can prevent it.)
	killed := false
	sc := bufio.NewScanner(stdout)
	var transcript []string
	for sc.Scan() {
		line := sc.Text()
		transcript = append(transcript, line)
		if !killed && strings.HasPrefix(line, "aws_lb.") && strings.Contains(line, "Still creating... [20s elapsed]") {
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			killed = true
			t.Logf("sent SIGTERM to terraform while the load balancer was being created (%d lines of output so far)", len(transcript))
		}
	}
	err = cmd.Wait()
	if !killed {
		t.Fatalf("apply finished before the load balancer had been creating for 20 s; the kill never happened (err=%v):\n%s", err, strings.Join(transcript, "\n"))
	}
	if err == nil {
		t.Logf("terraform exited 0 after SIGTERM (it finished what was in flight)")
	}

	timed(t, "second apply", func() error { return tf.Apply(ctx) })
	assertNoChanges(t, ctx, tf, dir)

	var doc map[string]any
	raw, err := os.ReadFile(filepath.Join(dir, "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	resources, _ := doc["resource"].(map[string]any)
	inv := emu.inventory(t)
	for kind, typ := range inventoryKinds {
		byName, _ := resources[typ].(map[string]any)
		if got, want := len(inv[kind]), len(byName); got != want {
			t.Errorf("after the interrupted and the second apply the emulator holds %d %s, the stack declares %d %s: %v", got, kind, want, typ, inv[kind])
		}
	}

	timed(t, "destroy", func() error { return tf.Destroy(ctx) })
	if left := leftovers(emu.inventory(t)); left != "" {
		t.Fatalf("destroy left resources behind:\n%s", left)
	}
}

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
// whose count they must match after a converged apply: a kind that holds more
// than the stack declares was created twice.
var inventoryKinds = map[string][]string{
	"vpcs":                     {"aws_vpc"},
	"subnets":                  {"aws_subnet"},
	"route_tables":             {"aws_route_table"},
	"internet_gateways":        {"aws_internet_gateway"},
	"nat_gateways":             {"aws_nat_gateway"},
	"eips":                     {"aws_eip"},
	"vpc_endpoints":            {"aws_vpc_endpoint"},
	"flow_logs":                {"aws_flow_log"},
	"security_groups":          {"aws_security_group"},
	"security_group_rules":     {"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"},
	"load_balancers":           {"aws_lb"},
	"target_groups":            {"aws_lb_target_group"},
	"listeners":                {"aws_lb_listener"},
	"listener_rules":           {"aws_lb_listener_rule"},
	"iam_roles":                {"aws_iam_role"},
	"iam_role_inline_policies": {"aws_iam_role_policy"},
	"iam_policies":             {"aws_iam_policy"},
	"log_groups":               {"aws_cloudwatch_log_group"},
	"ecs_clusters":             {"aws_ecs_cluster"},
	"ecs_services":             {"aws_ecs_service"},
	"task_definitions":         {"aws_ecs_task_definition"},
	"scalable_targets":         {"aws_appautoscaling_target"},
	"scaling_policies":         {"aws_appautoscaling_policy"},
	"scheduled_actions":        {"aws_appautoscaling_scheduled_action"},
	"servicediscovery_namespaces": {"aws_service_discovery_http_namespace",
		"aws_service_discovery_private_dns_namespace", "aws_service_discovery_public_dns_namespace"},
	"servicediscovery_services": {"aws_service_discovery_service"},
}

// expectedInterfaces is how many network interfaces the stack's resources
// own: one per NAT gateway and one per subnet of each interface endpoint.
// (The emulator gives load balancers and tasks none.)
func expectedInterfaces(resources map[string]any) int {
	n := 0
	nats, _ := resources["aws_nat_gateway"].(map[string]any)
	n += len(nats)
	endpoints, _ := resources["aws_vpc_endpoint"].(map[string]any)
	for _, e := range endpoints {
		ep, _ := e.(map[string]any)
		if ep["vpc_endpoint_type"] == "Interface" {
			subnets, _ := ep["subnet_ids"].([]any)
			n += len(subnets)
		}
	}
	return n
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
	cfg := stacks.Development()
	synthesized, _ := synthStack(t, cfg)
	emu := startEmulator(t)
	dir := stackDir(t, cfg.StackName, synthesized)
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
	for kind, types := range inventoryKinds {
		if _, listed := inv[kind]; !listed {
			t.Errorf("the emulator inventory has no kind %q: it cannot say whether %v were created twice", kind, types)
		}
		want := 0
		for _, typ := range types {
			byName, _ := resources[typ].(map[string]any)
			want += len(byName)
		}
		if got := len(inv[kind]); got != want {
			t.Errorf("after the interrupted and the second apply the emulator holds %d %s, the stack declares %d %v: %v", got, kind, want, types, inv[kind])
		}
	}
	if got, want := len(inv["network_interfaces"]), expectedInterfaces(resources); got != want {
		t.Errorf("after the interrupted and the second apply the emulator holds %d network interfaces, the stack's NAT gateways and interface endpoints own %d: %v", got, want, inv["network_interfaces"])
	}

	timed(t, "destroy", func() error { return tf.Destroy(ctx) })
	if left := leftovers(emu.inventory(t)); left != "" {
		t.Fatalf("destroy left resources behind:\n%s", left)
	}
}

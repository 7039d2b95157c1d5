package stacks

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// Targeted tests that say in words what the golden files only record.

// eachService runs f for every ECS service of doc (a stack may run several:
// routes on the same load balancer, workers without one), failing when there
// is none.
func eachService(t *testing.T, doc testutil.Doc, f func(addr string, svc map[string]any)) {
	t.Helper()
	services := doc.Resources("aws_ecs_service")
	if len(services) == 0 {
		t.Fatal("no aws_ecs_service: the test would check nothing")
	}
	for _, addr := range testutil.SortedKeys(services) {
		f(addr, services[addr])
	}
}

// taskGroups maps each ECS service's security group reference
// ("${aws_security_group.X.id}") to the service's address.
func taskGroups(doc testutil.Doc) map[string]string {
	out := map[string]string{}
	for addr, svc := range doc.Resources("aws_ecs_service") {
		groups, _ := testutil.Get(svc, "network_configuration", "security_groups").([]any)
		for _, g := range groups {
			out[g.(string)] = addr
		}
	}
	return out
}

func TestTasksArePrivate(t *testing.T) {
	forEachStack(t, func(t *testing.T, name string, doc testutil.Doc) {
		private := map[string]bool{}
		for addr, sn := range doc.Resources("aws_subnet") {
			if strings.Contains(addr, "Private") {
				private["${aws_subnet."+addr+".id}"] = true
			}
			if sn["map_public_ip_on_launch"] == true {
				t.Errorf("subnet %s maps public IPs on launch", addr)
			}
		}
		eachService(t, doc, func(addr string, svc map[string]any) {
			if v := testutil.Get(svc, "network_configuration", "assign_public_ip"); v != false {
				t.Errorf("%s: tasks get a public IP: assign_public_ip = %v", addr, v)
			}
			subnets, _ := testutil.Get(svc, "network_configuration", "subnets").([]any)
			if len(subnets) < 2 {
				t.Errorf("%s: tasks run in %d subnets, want at least 2 zones", addr, len(subnets))
			}
			for _, s := range subnets {
				if !private[s.(string)] {
					t.Errorf("%s: tasks run in %v, which is not a private subnet", addr, s)
				}
			}
		})
	})
}

func TestOnlyTheLoadBalancerReachesTheTasks(t *testing.T) {
	forEachStack(t, func(t *testing.T, name string, doc testutil.Doc) {
		albSG := ""
		for addr := range doc.Resources("aws_security_group") {
			if strings.HasPrefix(addr, "LoadBalancer_") {
				albSG = "${aws_security_group." + addr + ".id}"
			}
		}
		if albSG == "" {
			t.Fatalf("want a load balancer security group, got %v", testutil.SortedKeys(doc.Resources("aws_security_group")))
		}
		// Besides the load balancer, only the services a service's callers
		// name may reach it (Service Connect; checked by
		// TestServiceConnectOpensOnlyTheCalls).
		tasks := taskGroups(doc)
		eachService(t, doc, func(svcAddr string, svc map[string]any) {
			groups, _ := testutil.Get(svc, "network_configuration", "security_groups").([]any)
			fromALB := 0
			for addr, rule := range doc.Resources("aws_vpc_security_group_ingress_rule") {
				if !slices.Contains(groups, rule["security_group_id"]) {
					continue
				}
				ref, _ := rule["referenced_security_group_id"].(string)
				switch {
				case ref == albSG:
					fromALB++
				case tasks[ref] != "" && tasks[ref] != svcAddr:
					continue
				default:
					t.Errorf("task ingress %s admits %v, want only the load balancer's group or a calling service's", addr, rule)
				}
				if rule["from_port"] != 80.0 || rule["to_port"] != 80.0 || rule["ip_protocol"] != "tcp" {
					t.Errorf("task ingress %s is not exactly the container port 80/tcp: %v", addr, rule)
				}
			}
			want := 1
			if svc["load_balancer"] == nil {
				want = 0
			}
			if fromALB != want {
				t.Errorf("%s: tasks have %d ingress rules from the load balancer, want %d", svcAddr, fromALB, want)
			}
		})
		for addr, sg := range doc.Resources("aws_security_group") {
			if sg["ingress"] != nil || sg["egress"] != nil {
				t.Errorf("security group %s has inline rules; rules are separate resources", addr)
			}
		}
	})
}

func TestTaskEgressIsHTTPSOnly(t *testing.T) {
	forEachStack(t, func(t *testing.T, name string, doc testutil.Doc) {
		// The tasks' groups are the ones the ECS services name, not the ones
		// whose address happens to start with a given prefix. Besides HTTPS,
		// a task may connect to another service's tasks it calls through
		// Service Connect (TestServiceConnectOpensOnlyTheCalls says which).
		tasks := taskGroups(doc)
		eachService(t, doc, func(svcAddr string, svc map[string]any) {
			groups, _ := testutil.Get(svc, "network_configuration", "security_groups").([]any)
			if len(groups) == 0 {
				t.Fatalf("%s names no security group: %v", svcAddr, svc["network_configuration"])
			}
			n := 0
			for addr, rule := range doc.Resources("aws_vpc_security_group_egress_rule") {
				if !slices.Contains(groups, rule["security_group_id"]) {
					continue
				}
				if ref, _ := rule["referenced_security_group_id"].(string); tasks[ref] != "" && tasks[ref] != svcAddr {
					continue
				}
				n++
				if rule["ip_protocol"] != "tcp" || rule["from_port"] != 443.0 || rule["to_port"] != 443.0 {
					t.Errorf("task egress %s is not HTTPS only: %v", addr, rule)
				}
			}
			if n == 0 {
				t.Errorf("%s: no HTTPS egress rule on the tasks' security groups %v: the test would check nothing (and tasks could not pull their image)", svcAddr, groups)
			}
		})
	})
}

func TestLogsAreRetainedAndShipped(t *testing.T) {
	forEachStack(t, func(t *testing.T, name string, doc testutil.Doc) {
		groups := map[string]bool{}
		for _, g := range doc.Resources("aws_cloudwatch_log_group") {
			if days, _ := g["retention_in_days"].(float64); days <= 0 {
				t.Errorf("log group %v keeps logs forever (retention_in_days = %v)", g["name"], g["retention_in_days"])
			}
			groups[g["name"].(string)] = true
		}
		tds := doc.Resources("aws_ecs_task_definition")
		if len(tds) == 0 {
			t.Fatal("no task definition")
		}
		for addr, td := range tds {
			// Each service logs to its own group, /ecs/<family>.
			want := "/ecs/" + td["family"].(string)
			if !groups[want] {
				t.Errorf("%s: no log group %s in the stack", addr, want)
			}
			var defs []map[string]any
			if err := json.Unmarshal([]byte(td["container_definitions"].(string)), &defs); err != nil {
				t.Fatalf("container_definitions is not JSON: %v", err)
			}
			for _, d := range defs {
				if testutil.Get(d, "logConfiguration", "logDriver") != "awslogs" {
					t.Errorf("container %v has no awslogs driver", d["name"])
				}
				if got := testutil.Get(d, "logConfiguration", "options", "awslogs-group"); got != want {
					t.Errorf("container %v logs to %v, not its service's log group %v", d["name"], got, want)
				}
				if d["readonlyRootFilesystem"] != true {
					t.Errorf("container %v has a writable root filesystem", d["name"])
				}
			}
		}
	})
}

func TestCircuitBreakerRollsBack(t *testing.T) {
	forEachStack(t, func(t *testing.T, name string, doc testutil.Doc) {
		eachService(t, doc, func(addr string, svc map[string]any) {
			if testutil.Get(svc, "deployment_circuit_breaker", "enable") != true || testutil.Get(svc, "deployment_circuit_breaker", "rollback") != true {
				t.Errorf("%s: deployment circuit breaker with rollback is off: %v", addr, svc["deployment_circuit_breaker"])
			}
			if svc["force_new_deployment"] != true {
				t.Errorf("%s: force_new_deployment is off", addr)
			}
		})
	})
}

func TestServiceWaitsForListenerAndEgress(t *testing.T) {
	forEachStack(t, func(t *testing.T, name string, doc testutil.Doc) {
		eachService(t, doc, func(addr string, svc map[string]any) {
			deps, _ := svc["depends_on"].([]any)
			var listener, egress bool
			for _, d := range deps {
				listener = listener || strings.HasPrefix(d.(string), "aws_lb_listener.")
				egress = egress || strings.HasPrefix(d.(string), "aws_route.Network_PrivateDefaultRoute")
			}
			if !egress {
				t.Errorf("%s does not wait for the private subnets' NAT routes: %v", addr, deps)
			}
			if svc["load_balancer"] == nil {
				return // a worker: no listener, no health-check grace
			}
			if !listener {
				t.Errorf("%s does not depend on its listener: %v", addr, deps)
			}
			if testutil.Get(svc, "health_check_grace_period_seconds") == nil {
				t.Errorf("%s: no health-check grace period behind the load balancer", addr)
			}
		})
	})
}

func TestScalingTargetExistsBeforeItsPolicy(t *testing.T) {
	forEachStack(t, func(t *testing.T, name string, doc testutil.Doc) {
		targets := doc.Resources("aws_appautoscaling_target")
		refs := map[string]int{}
		for addr, target := range targets {
			if target["resource_id"] == nil || !strings.HasPrefix(target["resource_id"].(string), "service/") {
				t.Errorf("scalable target %s resource_id = %v", addr, target["resource_id"])
			}
			refs["${aws_appautoscaling_target."+addr+".resource_id}"] = 0
		}
		policies := doc.Resources("aws_appautoscaling_policy")
		if len(policies) == 0 {
			t.Fatal("no scaling policy")
		}
		for addr, p := range policies {
			ref, _ := p["resource_id"].(string)
			if _, ok := refs[ref]; !ok {
				t.Errorf("policy %s does not reference a scalable target (resource_id = %v), so Terraform may create it first", addr, p["resource_id"])
			}
			refs[ref]++
		}
		for ref, n := range refs {
			if n == 0 {
				t.Errorf("no policy of the scalable target %s", ref)
			}
		}
		if len(targets) != len(doc.Resources("aws_ecs_service")) {
			t.Errorf("%d scalable targets for %d services: every service of the default stacks scales", len(targets), len(doc.Resources("aws_ecs_service")))
		}
		eachService(t, doc, func(addr string, svc map[string]any) {
			ignored, _ := testutil.Get(svc, "lifecycle", "ignore_changes").([]any)
			if len(ignored) != 1 || ignored[0] != "desired_count" {
				t.Errorf("%s: with autoscaling on, the service must ignore desired_count, got %v", addr, ignored)
			}
		})
	})
}

func TestCPUTargetTrackingAt70(t *testing.T) {
	forEachStack(t, func(t *testing.T, name string, doc testutil.Doc) {
		found := false
		for _, p := range doc.Resources("aws_appautoscaling_policy") {
			cfg := p["target_tracking_scaling_policy_configuration"]
			if testutil.Get(cfg, "predefined_metric_specification", "predefined_metric_type") == "ECSServiceAverageCPUUtilization" {
				found = true
				if v := testutil.Get(cfg, "target_value"); v != 70.0 {
					t.Errorf("CPU target = %v, want 70", v)
				}
			}
		}
		if !found {
			t.Error("no CPU target tracking policy")
		}
	})
}

func TestNamesFitTheirLimits(t *testing.T) {
	cfg := Production()
	cfg.StackName = "long-names"
	long := "a-service-name-that-is-much-longer-than-thirty-two-characters"
	cfg.LoadBalancerProps.Name = long
	cfg.ServiceProps.Name = long + "-and-then-some-more-to-pass-sixty-four-characters"
	_, doc, _ := synthOne(t, cfg)
	limits := []struct {
		typ, attr string
		max       int
	}{
		{"aws_lb", "name", loadbalancer.MaxNameLength},
		{"aws_lb_target_group", "name_prefix", loadbalancer.MaxTargetGroupNamePrefix},
		{"aws_iam_role", "name", 64},
		{"aws_security_group", "name_prefix", 255 - 26},
	}
	for _, l := range limits {
		for addr, r := range doc.Resources(l.typ) {
			v, _ := r[l.attr].(string)
			if v == "" || len(v) > l.max {
				t.Errorf("%s.%s %s = %q (%d chars), limit %d", l.typ, addr, l.attr, v, len(v), l.max)
			}
		}
	}
	_, svc := doc.One(t, "aws_ecs_service")
	if svc["name"] != cfg.ServiceProps.Name {
		t.Errorf("the ECS service name was changed: %v", svc["name"])
	}
}

func TestProviderConstraintAdmitsThe5xLine(t *testing.T) {
	forEachStack(t, func(t *testing.T, name string, doc testutil.Doc) {
		v := testutil.Get(map[string]any(doc), "terraform", "required_providers", "aws", "version")
		if v != ">= 5.84.0, < 6.0.0" {
			t.Errorf("required_providers.aws.version = %v, want a range over 5.x from 5.84", v)
		}
	})
}

func TestLocalStateIsRelative(t *testing.T) {
	forEachStack(t, func(t *testing.T, name string, doc testutil.Doc) {
		p, _ := testutil.Get(map[string]any(doc), "terraform", "backend", "local", "path").(string)
		if p != DefaultLocalStatePath(name) {
			t.Errorf("local state path = %q, want %q (relative, outside cdktf.out)", p, DefaultLocalStatePath(name))
		}
	})
}

func TestProductionRecordsFlowLogs(t *testing.T) {
	doc := defaults(t).Doc["production"]
	_, fl := doc.One(t, "aws_flow_log")
	if fl["traffic_type"] != "ALL" || fl["log_destination_type"] != "cloud-watch-logs" {
		t.Errorf("flow log: traffic_type %v, destination type %v; want ALL to CloudWatch Logs", fl["traffic_type"], fl["log_destination_type"])
	}
	if !strings.HasPrefix(fl["vpc_id"].(string), "${aws_vpc.") {
		t.Errorf("flow log is not on the stack's VPC: %v", fl["vpc_id"])
	}
	if n := len(defaults(t).Doc["development"].Resources("aws_flow_log")); n != 0 {
		t.Errorf("development has %d flow logs; it leaves them off to save cost", n)
	}
}

func TestDevelopmentRunsOnSpotWithCheapEgress(t *testing.T) {
	doc := defaults(t).Doc["development"]
	_, svc := doc.One(t, "aws_ecs_service")
	if svc["launch_type"] != nil {
		t.Errorf("a capacity provider strategy excludes launch_type, got %v", svc["launch_type"])
	}
	if p := testutil.Get(svc, "capacity_provider_strategy", 0, "capacity_provider"); p != "FARGATE_SPOT" {
		t.Errorf("development capacity provider = %v, want FARGATE_SPOT", p)
	}
	if n := len(doc.Resources("aws_nat_gateway")); n != 1 {
		t.Errorf("development has %d NAT gateways, want 1 shared", n)
	}
	prod := defaults(t).Doc["production"]
	if n := len(prod.Resources("aws_nat_gateway")); n != 2 {
		t.Errorf("production has %d NAT gateways, want one per zone (2)", n)
	}
}

func TestProductionIsTheArticleStack(t *testing.T) {
	doc := defaults(t).Doc["production"]
	_, cl := doc.One(t, "aws_ecs_cluster")
	_, svc := doc.One(t, "aws_ecs_service")
	_, td := doc.One(t, "aws_ecs_task_definition")
	checks := map[string][2]any{
		"cluster name":  {cl["name"], "production-cluster"},
		"insights":      {testutil.Get(cl, "setting", 0, "value"), "enabled"},
		"service name":  {svc["name"], "my-service"},
		"desired count": {svc["desired_count"], 2.0},
		"cpu":           {td["cpu"], "256"},
		"memory":        {td["memory"], "512"},
		"launch type":   {svc["launch_type"], "FARGATE"},
		"region":        {testutil.Get(map[string]any(doc), "provider", "aws", 0, "region"), "us-east-1"},
	}
	for what, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %v, want %v", what, c[0], c[1])
		}
	}
	if !strings.Contains(td["container_definitions"].(string), `"image":"nginx:`) {
		t.Errorf("production does not run nginx: %v", td["container_definitions"])
	}
}

package loadbalancer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

func newALB(t *testing.T, cert string) (cdktf.TerraformStack, *loadbalancer.LoadBalancer) {
	t.Helper()
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("alb"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	alb, err := loadbalancer.New(stack, "LoadBalancer", loadbalancer.Props{
		Name:           "web",
		VPCID:          "vpc-0a1b2c3d4e5f67890",
		SubnetIDs:      []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
		CertificateARN: cert,
	})
	if err != nil {
		t.Fatal(err)
	}
	return stack, alb
}

// GIVEN an HTTP load balancer WHEN a second target is added THEN a new target
// group and a path rule on the HTTP listener forward to it, the default
// action still forwards to the first group, and the returned value points a
// service at the new group.
func TestAddTargetRoutesPathToNewGroup(t *testing.T) {
	stack, alb := newALB(t, "")
	api, err := alb.AddTarget("Api", loadbalancer.RuleProps{
		Name:         "web-api",
		PathPatterns: []string{"/api/*"},
		Priority:     10,
		Target:       loadbalancer.TargetProps{Port: 8080, HealthCheckPath: "/healthz"},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)

	groups := doc.Resources("aws_lb_target_group")
	if len(groups) != 2 {
		t.Fatalf("want the default and the added target group, found %v", testutil.SortedKeys(groups))
	}
	var added map[string]any
	for _, g := range groups {
		if testutil.Get(g, "tags", "Name") == "web-api-8080" {
			added = g
		}
	}
	if added == nil {
		t.Fatalf("no target group tagged Name=web-api-8080 among %v", groups)
	}
	if added["port"] != 8080.0 || testutil.Get(added, "health_check", "path") != "/healthz" || added["target_type"] != "ip" {
		t.Errorf("added group: port %v, health check path %v, target type %v; want 8080, /healthz, ip",
			added["port"], testutil.Get(added, "health_check", "path"), added["target_type"])
	}

	_, rule := doc.One(t, "aws_lb_listener_rule")
	listenerName, listener := doc.One(t, "aws_lb_listener")
	if rule["listener_arn"] != "${aws_lb_listener."+listenerName+".arn}" {
		t.Errorf("rule is on %v, want the HTTP listener %s", rule["listener_arn"], listenerName)
	}
	if rule["priority"] != 10.0 {
		t.Errorf("rule priority %v, want 10", rule["priority"])
	}
	if got := testutil.Get(rule, "condition", 0, "path_pattern", "values", 0); got != "/api/*" {
		t.Errorf("rule path pattern %v, want /api/*", got)
	}
	fwd, _ := testutil.Get(rule, "action", 0, "target_group_arn").(string)
	def, _ := testutil.Get(listener, "default_action", 0, "target_group_arn").(string)
	if fwd == "" || fwd == def || !strings.Contains(fwd, "aws_lb_target_group.") {
		t.Errorf("rule forwards to %q and the default action to %q: want the rule on the added group, the default on the first", fwd, def)
	}

	if api.TargetGroupName != "web-api-8080" || api.TargetPort != 8080 || api.ListenerRule == nil {
		t.Errorf("returned LoadBalancer: TargetGroupName %q, TargetPort %d, ListenerRule %v", api.TargetGroupName, api.TargetPort, api.ListenerRule)
	}
	if api.TargetGroupARN == alb.TargetGroupARN || api.SecurityGroupID != alb.SecurityGroupID || api.DNSName != alb.DNSName {
		t.Error("the returned LoadBalancer must share the ALB and its security group but not the target group")
	}
	if len(api.Listeners) != len(alb.Listeners)+1 || len(alb.Listeners) != 1 {
		t.Errorf("a service behind the new group must wait for the listener and the rule: %d dependables (original %d)", len(api.Listeners), len(alb.Listeners))
	}
}

// GIVEN an HTTPS load balancer WHEN a target is added THEN its rule goes on
// the HTTPS listener: port 80 only redirects.
func TestAddTargetUsesHTTPSListener(t *testing.T) {
	stack, alb := newALB(t, "arn:aws:acm:us-east-1:123456789012:certificate/0b0d2d58-3f3e-4c47-9d2d-0e0ad0f5f0d1")
	if _, err := alb.AddTarget("Api", loadbalancer.RuleProps{Name: "api", PathPatterns: []string{"/api/*"}, Priority: 1}); err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)
	_, rule := doc.One(t, "aws_lb_listener_rule")
	https := 0
	for name, l := range doc.Resources("aws_lb_listener") {
		if l["port"] != 443.0 {
			continue
		}
		https++
		if rule["listener_arn"] != "${aws_lb_listener."+name+".arn}" {
			t.Errorf("rule is on %v, want the HTTPS listener %s", rule["listener_arn"], name)
		}
	}
	if https != 1 {
		t.Errorf("%d listeners on port 443, want exactly 1: the rule's listener could not be checked", https)
	}
}

// Invalid rule props, a reused id and a taken priority are refused with one
// error that names each problem, and nothing is created.
func TestAddTargetValidates(t *testing.T) {
	stack, alb := newALB(t, "")
	if _, err := alb.AddTarget("A", loadbalancer.RuleProps{Name: "a", PathPatterns: []string{"/a/*"}, Priority: 5}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		id    string
		props loadbalancer.RuleProps
		want  []string
	}{
		{"A", loadbalancer.RuleProps{Name: "b", PathPatterns: []string{"/b/*"}, Priority: 6}, []string{`id = "A": is already used`}},
		{"B", loadbalancer.RuleProps{Name: "b", PathPatterns: []string{"/b/*"}, Priority: 5}, []string{`Priority = 5: is already used by AddTarget("A")`}},
		{"C", loadbalancer.RuleProps{Name: "-c", Priority: 0}, []string{`Name = "-c"`, "PathPatterns", "Priority = 0"}},
		{"D", loadbalancer.RuleProps{Name: "d", PathPatterns: []string{"/a", "/b", "/c", "/d", "/e", "/f"}, Priority: 50001}, []string{"needs 1 to 5 path patterns", "Priority = 50001"}},
		{"E", loadbalancer.RuleProps{Name: "e", PathPatterns: []string{"/has space"}, Priority: 7, Target: loadbalancer.TargetProps{Port: 70000}}, []string{"PathPatterns[0]", "Target.Port = 70000"}},
		{"", loadbalancer.RuleProps{Name: "f", PathPatterns: []string{"/f/*"}, Priority: 8}, []string{`id = "": must be a non-empty construct id`}},
	}
	for _, tc := range cases {
		_, err := alb.AddTarget(tc.id, tc.props)
		var perr *propcheck.Error
		if !errors.As(err, &perr) {
			t.Errorf("AddTarget(%q, %+v) = %v, want a *propcheck.Error", tc.id, tc.props, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("AddTarget(%q): error does not mention %q:\n%v", tc.id, w, err)
			}
		}
	}
	if _, err := (&loadbalancer.LoadBalancer{}).AddTarget("X", loadbalancer.RuleProps{Name: "x", PathPatterns: []string{"/x"}, Priority: 9}); err == nil {
		t.Error("AddTarget on a LoadBalancer not made by New must fail")
	}
	_, doc := testutil.Synth(t, stack)
	if rules := doc.Resources("aws_lb_listener_rule"); len(rules) != 1 {
		t.Errorf("refused calls created rules: %v", testutil.SortedKeys(rules))
	}
}

package albservice_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/internal/txntest"
	"github.com/fargatekit/fargatekit/internal/wired"
)

func newStack(t *testing.T, name string) cdktf.TerraformStack {
	t.Helper()
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String(name))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	return stack
}

func web() container.Definition {
	return container.Definition{
		Name:         "web",
		Image:        "nginx:1.27",
		PortMappings: []container.PortMapping{{ContainerPort: 80}},
		ScratchPaths: []string{"/var/cache/nginx", "/var/run", "/tmp"},
	}
}

// webProps creates everything: a network, a cluster, a load balancer.
func webProps() albservice.Props {
	return albservice.Props{
		NetworkProps:      network.Props{Name: "shop", Egress: network.SingleNATGateway},
		ClusterProps:      cluster.Props{Name: "shop"},
		LoadBalancerProps: loadbalancer.Props{Name: "shop"},
		ServiceProps:      service.Props{Name: "web", Region: "us-east-1", Containers: []container.Definition{web()}},
	}
}

// apiProps shares first's network, cluster and load balancer, on /api/*.
func apiProps(first *albservice.Pattern) albservice.Props {
	return albservice.Props{
		Network:      first.Network,
		Cluster:      first.Cluster,
		LoadBalancer: first.LoadBalancer,
		Rule:         &loadbalancer.RuleProps{PathPatterns: []string{"/api/*"}, Priority: 10, Target: loadbalancer.TargetProps{Port: 8080, HealthCheckPath: "/healthz"}},
		// Region, account and partition are the stack's.
		ServiceProps: service.Props{
			Name: "api",
			Containers: []container.Definition{{
				Name:         "api",
				Image:        "public.ecr.aws/docker/library/httpd:2.4",
				PortMappings: []container.PortMapping{{ContainerPort: 8080}},
				ScratchPaths: []string{"/tmp"},
			}},
		},
	}
}

// managedElsewhere refers to a cluster and a load balancer that exist
// outside the app.
func managedElsewhere(t *testing.T) (*cluster.Cluster, *loadbalancer.LoadBalancer) {
	t.Helper()
	cl, err := cluster.FromName("platform")
	if err != nil {
		t.Fatal(err)
	}
	alb, err := loadbalancer.FromAttributes(loadbalancer.Attributes{
		SecurityGroupID: "sg-0a1b2c3d4e5f67890",
		TargetGroupARN:  "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef",
	})
	if err != nil {
		t.Fatal(err)
	}
	return cl, alb
}

func ref(typ, name, attr string) string { return "${" + typ + "." + name + "." + attr + "}" }

// GIVEN only props WHEN the pattern is built THEN it creates the network,
// the cluster, the load balancer and the service under its id, and wires
// the service to the private subnets, the target group, the load balancer's
// security group and the NAT route.
func TestCreatesAndWiresEverythingUnderItsID(t *testing.T) {
	stack := newStack(t, "one")
	p, err := albservice.New(stack, "Web", webProps())
	if err != nil {
		t.Fatal(err)
	}
	if p.Created != (albservice.Created{Network: true, Cluster: true, LoadBalancer: true}) {
		t.Errorf("Created = %+v, want network, cluster and load balancer created", p.Created)
	}
	if p.Network == nil || p.Cluster == nil || p.LoadBalancer == nil || p.Service == nil || p.Service.ECSService == nil {
		t.Fatalf("a part is missing: %+v", p)
	}
	_, doc := testutil.Synth(t, stack)
	for _, a := range doc.Addresses() {
		if _, name, _ := strings.Cut(a, "."); !strings.HasPrefix(name, "Web_") {
			t.Errorf("%s is not under the pattern's id Web", a)
		}
	}
	_, svc := doc.One(t, "aws_ecs_service")
	subnets, _ := testutil.Get(svc, "network_configuration", "subnets").([]any)
	for _, name := range testutil.SortedKeys(doc.Resources("aws_subnet")) {
		private := strings.Contains(name, "PrivateSubnet")
		if got := slices.Contains(subnets, any(ref("aws_subnet", name, "id"))); got != private {
			t.Errorf("tasks in subnet %s: %v, want %v (private subnets only)", name, got, private)
		}
	}
	tgName, _ := doc.One(t, "aws_lb_target_group")
	if got := testutil.Get(svc, "load_balancer", 0, "target_group_arn"); got != ref("aws_lb_target_group", tgName, "arn") {
		t.Errorf("service registers in %v, want the load balancer's target group %s", got, tgName)
	}
	deps, _ := svc["depends_on"].([]any)
	routeName := ""
	for name := range doc.Resources("aws_route") {
		if strings.Contains(name, "PrivateDefaultRoute") {
			routeName = name
		}
	}
	if !slices.Contains(deps, any("aws_route."+routeName)) {
		t.Errorf("service depends on %v, want the NAT route aws_route.%s so tasks can pull their image", deps, routeName)
	}
	lbSG := ""
	for name := range doc.Resources("aws_security_group") {
		if strings.Contains(name, "LoadBalancer") {
			lbSG = name
		}
	}
	found := false
	for _, rule := range doc.Resources("aws_vpc_security_group_ingress_rule") {
		if rule["referenced_security_group_id"] == ref("aws_security_group", lbSG, "id") && rule["from_port"] == 80.0 {
			found = true
		}
	}
	if !found {
		t.Errorf("no ingress rule admits the load balancer's security group %s on the container port 80", lbSG)
	}
}

// GIVEN a first pattern WHEN a second takes its network, cluster and load
// balancer with a Rule THEN the stack has one VPC, one cluster, one ALB and
// one account lookup, and the second service sits behind the same ALB on a
// path rule and a target group of its own.
func TestSecondPatternSharesNetworkClusterAndLoadBalancer(t *testing.T) {
	stack := newStack(t, "two")
	first, err := albservice.New(stack, "Web", webProps())
	if err != nil {
		t.Fatal(err)
	}
	second, err := albservice.New(stack, "Api", apiProps(first))
	if err != nil {
		t.Fatal(err)
	}
	if second.Created != (albservice.Created{Rule: true}) {
		t.Errorf("second.Created = %+v, want only the rule created", second.Created)
	}
	if second.Network != first.Network || second.Cluster != first.Cluster {
		t.Error("the second pattern does not use the first one's network and cluster")
	}
	if second.LoadBalancer.ALB != first.LoadBalancer.ALB || second.LoadBalancer.TargetGroup == first.LoadBalancer.TargetGroup {
		t.Error("the second pattern should share the ALB and have its own target group")
	}
	_, doc := testutil.Synth(t, stack)
	for typ, want := range map[string]int{"aws_vpc": 1, "aws_ecs_cluster": 1, "aws_lb": 1, "aws_lb_target_group": 2, "aws_lb_listener_rule": 1, "aws_ecs_service": 2} {
		if got := len(doc.Resources(typ)); got != want {
			t.Errorf("%d %s, want %d", got, typ, want)
		}
	}
	if n := len(doc.Data("aws_caller_identity")); n != 1 {
		t.Errorf("%d aws_caller_identity lookups, want 1 shared by both services", n)
	}
	ruleName, rule := doc.One(t, "aws_lb_listener_rule")
	if !strings.HasPrefix(ruleName, "Web_LoadBalancer_ApiRule") {
		t.Errorf("rule %s: want it on the shared load balancer, named after the pattern id Api", ruleName)
	}
	var api map[string]any
	for _, s := range doc.Resources("aws_ecs_service") {
		if s["name"] == "api" {
			api = s
		}
	}
	if api == nil {
		t.Fatal("no ecs service named api")
	}
	if got, want := testutil.Get(api, "load_balancer", 0, "target_group_arn"), testutil.Get(rule, "action", 0, "target_group_arn"); got != want {
		t.Errorf("api registers in %v, but the rule forwards to %v", got, want)
	}
	if deps, _ := api["depends_on"].([]any); !slices.Contains(deps, any("aws_lb_listener_rule."+ruleName)) {
		t.Errorf("api depends on %v, want the listener rule (targets register once a rule uses the group)", deps)
	}
}

// GIVEN the constructs wired by hand in one stack and the Unscoped pattern in
// another WHEN both are synthesized THEN every resource address is the same:
// adopting the pattern replaces nothing.
func TestUnscopedKeepsTheHandWiredAddresses(t *testing.T) {
	props := webProps()
	props.Unscoped = true
	patternStack := newStack(t, "s")
	if _, err := albservice.New(patternStack, "Web", props); err != nil {
		t.Fatal(err)
	}

	handStack := newStack(t, "s")
	net, err := network.New(handStack, "Network", props.NetworkProps)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := cluster.New(handStack, "Cluster", props.ClusterProps)
	if err != nil {
		t.Fatal(err)
	}
	lbp := props.LoadBalancerProps
	lbp.VPCID, lbp.SubnetIDs = net.VPCID, net.PublicSubnetIDs
	alb, err := loadbalancer.New(handStack, "LoadBalancer", lbp)
	if err != nil {
		t.Fatal(err)
	}
	sp := props.ServiceProps
	sp.Cluster, sp.VPCID, sp.SubnetIDs, sp.WaitFor, sp.LoadBalancer = cl, net.VPCID, net.PrivateSubnetIDs, net.EgressReady, alb
	// The network's lookups (for its flow logs, on by default) serve the
	// service too: once per stack, without passing them.
	if _, err := service.New(handStack, "Service", sp); err != nil {
		t.Fatal(err)
	}

	pj, pdoc := testutil.Synth(t, patternStack)
	hj, hdoc := testutil.Synth(t, handStack)
	if !slices.Equal(pdoc.Addresses(), hdoc.Addresses()) {
		t.Fatalf("addresses differ:\npattern: %v\nby hand: %v", pdoc.Addresses(), hdoc.Addresses())
	}
	if string(pj) != string(hj) {
		t.Errorf("the unscoped pattern synthesizes differently from the hand-wired constructs:\n%s", testutil.UnifiedDiff(string(hj), string(pj)))
	}
}

// GIVEN an existing VPC by id, an existing cluster by name and an existing
// load balancer by attributes WHEN the pattern is built THEN it creates only
// the service, wired to those ids.
func TestExistingPartsCreateNothingButTheService(t *testing.T) {
	stack := newStack(t, "existing")
	cl, alb := managedElsewhere(t)
	props := webProps()
	props.NetworkProps = network.Props{
		Name:             "platform",
		VPCID:            "vpc-0a1b2c3d4e5f67890",
		PublicSubnetIDs:  []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
		PrivateSubnetIDs: []string{"subnet-2a1b2c3d4e5f67890", "subnet-3a1b2c3d4e5f67890"},
	}
	props.ClusterProps, props.Cluster = cluster.Props{}, cl
	props.LoadBalancerProps, props.LoadBalancer = loadbalancer.Props{}, alb
	p, err := albservice.New(stack, "Web", props)
	if err != nil {
		t.Fatal(err)
	}
	if p.Created != (albservice.Created{Network: true}) {
		t.Errorf("Created = %+v, want only the (existing-VPC) network made from props", p.Created)
	}
	_, doc := testutil.Synth(t, stack)
	for _, typ := range []string{"aws_vpc", "aws_subnet", "aws_ecs_cluster", "aws_lb", "aws_lb_target_group"} {
		if n := len(doc.Resources(typ)); n != 0 {
			t.Errorf("%d %s created; the existing one should be used", n, typ)
		}
	}
	_, svc := doc.One(t, "aws_ecs_service")
	if got := testutil.Get(svc, "network_configuration", "subnets", 0); got != "subnet-2a1b2c3d4e5f67890" {
		t.Errorf("tasks in %v, want the existing private subnet", got)
	}
	if got := testutil.Get(svc, "load_balancer", 0, "target_group_arn"); got != alb.TargetGroupARN {
		t.Errorf("service registers in %v, want %s", got, alb.TargetGroupARN)
	}
	if svc["cluster"] != "platform" {
		t.Errorf("cluster %v, want platform", svc["cluster"])
	}
}

// GIVEN invalid props WHEN New is called THEN it returns the error and adds
// nothing to the scope.
func TestInvalidPropsCreateNothing(t *testing.T) {
	stack := newStack(t, "invalid")
	before := len(*stack.Node().Children())
	props := webProps()
	props.ServiceProps.CPU = 300
	if _, err := albservice.New(stack, "Web", props); err == nil {
		t.Fatal("New accepted CPU 300")
	}
	if after := len(*stack.Node().Children()); after != before {
		t.Errorf("New added %d constructs before failing", after-before)
	}
}

// GIVEN two patterns on one load balancer WHEN the second's rule takes the
// first rule's priority THEN New refuses it, naming the pattern that has it.
func TestRulePriorityTakenIsRefusedAtNew(t *testing.T) {
	stack := newStack(t, "priority")
	first, err := albservice.New(stack, "Web", webProps())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := albservice.New(stack, "Api", apiProps(first)); err != nil {
		t.Fatal(err)
	}
	again := apiProps(first)
	again.ServiceProps.Name = "admin"
	again.Rule.PathPatterns = []string{"/admin/*"}
	err = albservice.Validate("Admin", again)
	requireProblem(t, err, "Rule.Priority", `already used by AddTarget("Api")`)
	if _, err := albservice.New(stack, "Admin", again); err == nil {
		t.Error("New accepted a rule priority already taken")
	}
}

func requireProblem(t *testing.T, err error, field, echo string) {
	t.Helper()
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *propcheck.Error naming %s, got %v", field, err)
	}
	for _, p := range pe.Problems {
		if p.Field == field {
			if !strings.Contains(p.String(), echo) {
				t.Errorf("problem %q does not contain %q", p.String(), echo)
			}
			return
		}
	}
	t.Errorf("no problem names %s; fields %v:\n%v", field, pe.Fields(), err)
}

// hostileCase is one hostile or conflicting change to webProps.
type hostileCase struct {
	name   string
	id     string
	mutate func(p *albservice.Props)
	field  string
	echo   string
}

// Hostile and conflicting props: each is refused by Validate, before the
// kernel starts, with a *propcheck.Error that names the field.
func TestHostilePropsAreRefused(t *testing.T) {
	for _, tc := range hostileCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			p := webProps()
			tc.mutate(&p)
			id := tc.id
			if id == "" {
				id = "Web"
			}
			requireProblem(t, albservice.Validate(id, p), tc.field, tc.echo)
		})
	}
}

// GIVEN each hostile case WHEN New gets it, in a stack of its own THEN the
// stack is as it was and the same id works with the fixed props (with
// -short, the first case is retried: building a pattern takes a while).
func TestHostilePropsLeaveTheStackAsItWas(t *testing.T) {
	app := testutil.TestApp()
	for i, tc := range hostileCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			stack := cdktf.NewTerraformStack(app, jsii.String(fmt.Sprintf("hostile%d", i)))
			if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
				t.Fatal(err)
			}
			p := webProps()
			tc.mutate(&p)
			id := tc.id
			if id == "" {
				id = "Web"
			}
			var retry func() error
			if !testing.Short() || i == 0 {
				retry = func() error { _, err := albservice.New(stack, strings.ReplaceAll(id, "/", ""), webProps()); return err }
			}
			txntest.Refused(t, []constructs.Construct{stack}, func() error { _, err := albservice.New(stack, id, p); return err }, retry)
		})
	}
}

func hostileCases(t *testing.T) []hostileCase {
	existingNet := &network.Network{
		VPCID:            "vpc-0a1b2c3d4e5f67890",
		PublicSubnetIDs:  []string{"subnet-0a1b2c3d4e5f67890"},
		PrivateSubnetIDs: []string{"subnet-2a1b2c3d4e5f67890", "subnet-3a1b2c3d4e5f67890"},
	}
	cl, attrs := managedElsewhere(t)
	rule := &loadbalancer.RuleProps{PathPatterns: []string{"/api/*"}, Priority: 10}
	return []hostileCase{
		{"id-with-slash", "Web/x", func(p *albservice.Props) {}, "id", `"Web/x"`},
		{"network-and-props", "", func(p *albservice.Props) { p.Network = existingNet }, "NetworkProps", "conflicts with Network"},
		{"cluster-and-props", "", func(p *albservice.Props) { p.Cluster = cl }, "ClusterProps", "conflicts with Cluster"},
		{"load-balancer-and-props", "", func(p *albservice.Props) {
			p.Network, p.NetworkProps = existingNet, network.Props{}
			p.LoadBalancer = attrs
		}, "LoadBalancerProps", "conflicts with LoadBalancer"},
		{"load-balancer-in-a-new-vpc", "", func(p *albservice.Props) {
			p.LoadBalancer, p.LoadBalancerProps = attrs, loadbalancer.Props{}
		}, "LoadBalancer", "conflicts with creating the network"},
		{"rule-without-load-balancer", "", func(p *albservice.Props) { p.Rule = rule }, "Rule", "conflicts with creating the load balancer"},
		{"rule-on-attributes-load-balancer", "", func(p *albservice.Props) {
			p.Network, p.NetworkProps = existingNet, network.Props{}
			p.LoadBalancer, p.LoadBalancerProps = attrs, loadbalancer.Props{}
			p.Rule = rule
		}, "Rule", "needs a LoadBalancer from loadbalancer.New"},
		{"service-vpc-given", "", func(p *albservice.Props) { p.ServiceProps.VPCID = "vpc-0a1b2c3d4e5f67890" }, "ServiceProps.VPCID", "provided by the pattern"},
		{"service-subnets-given", "", func(p *albservice.Props) { p.ServiceProps.SubnetIDs = []string{"subnet-0a1b2c3d4e5f67890"} }, "ServiceProps.SubnetIDs", "provided by the pattern"},
		{"service-cluster-given", "", func(p *albservice.Props) { p.ServiceProps.Cluster = cl }, "ServiceProps.Cluster", "Cluster"},
		{"service-load-balancer-given", "", func(p *albservice.Props) { p.ServiceProps.LoadBalancer = attrs }, "ServiceProps.LoadBalancer", "LoadBalancer"},
		{"service-wait-for-given", "", func(p *albservice.Props) {
			p.ServiceProps.WaitFor = []cdktf.ITerraformDependable{nil}
		}, "ServiceProps.WaitFor", "provided by the pattern"},
		{"load-balancer-vpc-given", "", func(p *albservice.Props) { p.LoadBalancerProps.VPCID = "vpc-0a1b2c3d4e5f67890" }, "LoadBalancerProps.VPCID", "provided by the pattern"},
		{"given-network-one-public-subnet", "", func(p *albservice.Props) {
			p.Network, p.NetworkProps = existingNet, network.Props{}
		}, "LoadBalancerProps.SubnetIDs", "at least 2 subnets"},
		{"network-cidr", "", func(p *albservice.Props) { p.NetworkProps.CIDR = "10.0.0.0/33" }, "NetworkProps.CIDR", `"10.0.0.0/33"`},
		{"network-name-template", "", func(p *albservice.Props) { p.NetworkProps.Name = "shop${path.cwd}" }, "NetworkProps.Name", `"shop${path.cwd}"`},
		{"zone-outside-region", "", func(p *albservice.Props) {
			p.NetworkProps.AvailabilityZones = []string{"eu-west-1a", "eu-west-1b"}
		}, "NetworkProps.AvailabilityZones[0]", `"eu-west-1a"`},
		{"cluster-name-from-an-id-without-letters", "__", func(p *albservice.Props) { p.ClusterProps.Name = "" }, "ClusterProps.Name", `ClusterProps.Name = ""`},
		{"load-balancer-name-leading-hyphen", "", func(p *albservice.Props) { p.LoadBalancerProps.Name = "-shop" }, "LoadBalancerProps.Name", `"-shop"`},
		{"service-cpu", "", func(p *albservice.Props) { p.ServiceProps.CPU = 300 }, "ServiceProps.CPU", "= 300"},
		// An empty Region is the stack's: albservice.New refuses it only in
		// a stack without awsprovider.New (TestNoRegionWithoutProvider).
		{"service-region-malformed", "", func(p *albservice.Props) { p.ServiceProps.Region = "us east 1" }, "ServiceProps.Region", `ServiceProps.Region = "us east 1"`},
		{"service-no-port-for-the-load-balancer", "", func(p *albservice.Props) {
			p.ServiceProps.Containers[0].PortMappings = nil
		}, "ServiceProps.Containers", "the load balancer needs a port"},
		{"egress-outside-endpoint-only-vpc", "", func(p *albservice.Props) {
			p.NetworkProps.Egress = network.VPCEndpointsOnly
			p.ServiceProps.EgressCIDRs = []string{"192.0.2.0/24"}
		}, "ServiceProps.EgressCIDRs[0]", "lies outside the VPC 10.0.0.0/16"},
	}
}

// The wired fields are skipped because they are known to be wired, not
// because a stand-in value passes: the same props without the wiring are
// refused for exactly those fields.
func TestWiredFieldsAreKnownNotFaked(t *testing.T) {
	p := webProps()
	if err := albservice.Validate("Web", p); err != nil {
		t.Fatalf("valid props refused: %v", err)
	}
	err := service.Validate(p.ServiceProps)
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("service.Validate of the unwired props = %v, want the wired fields missing", err)
	}
	if got, want := pe.Fields(), []string{"Cluster", "VPCID", "SubnetIDs"}; !slices.Equal(got, want) {
		t.Errorf("unwired fields %v, want %v", got, want)
	}
	if err := wired.Check(p.ServiceProps, wired.Parts{Network: true, Cluster: true, LoadBalancer: true}); err != nil {
		t.Errorf("the service's check with the network, cluster and load balancer wired: %v", err)
	}
	lbp := p.LoadBalancerProps
	if err := wired.Check(lbp, wired.Parts{Network: true}); err != nil {
		t.Errorf("the load balancer's check with the network wired: %v", err)
	}
	if err := loadbalancer.Validate(lbp); err == nil {
		t.Error("loadbalancer.Validate accepted a load balancer without VPC and subnets")
	}
}

// GIVEN an unscoped pattern WHEN a second unscoped pattern goes in the same
// scope THEN New returns an error about the clashing id, not a jsii panic.
func TestTwoUnscopedPatternsInOneScopeIsAnError(t *testing.T) {
	stack := newStack(t, "clash")
	props := webProps()
	props.Unscoped = true
	first, err := albservice.New(stack, "Web", props)
	if err != nil {
		t.Fatal(err)
	}
	second := apiProps(first)
	second.Unscoped = true
	_, err = albservice.New(stack, "Api", second)
	if err == nil || !strings.Contains(err.Error(), "albservice.New(clash/Api)") || !strings.Contains(err.Error(), "Service") {
		t.Fatalf("err = %v, want albservice.New(clash/Api) naming the clashing id Service", err)
	}
	t.Log(err)
	if strings.Contains(err.Error(), "goroutine") || strings.Contains(err.Error(), "\n") {
		t.Errorf("the error carries a stack trace: %v", err)
	}
}

// BenchmarkValidate measures the pattern's Validate against its peer, the
// four constructs' own Validate calls on hand-wired props, in the same run.
func BenchmarkValidate(b *testing.B) {
	p := webProps()
	b.Run("albservice.Validate", func(b *testing.B) {
		for b.Loop() {
			if err := albservice.Validate("Web", p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("constructs-by-hand", func(b *testing.B) {
		cl := &cluster.Cluster{Name: "shop"}
		lbp := p.LoadBalancerProps
		lbp.VPCID, lbp.SubnetIDs = "vpc-0a1b2c3d4e5f67890", []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"}
		sp := p.ServiceProps
		sp.Cluster, sp.VPCID, sp.SubnetIDs, sp.LoadBalancer = cl, lbp.VPCID, []string{"subnet-2a1b2c3d4e5f67890"}, &loadbalancer.LoadBalancer{}
		for b.Loop() {
			if network.Validate(p.NetworkProps) != nil || cluster.Validate(p.ClusterProps) != nil || loadbalancer.Validate(lbp) != nil || service.Validate(sp) != nil {
				b.Fatal("invalid")
			}
		}
	})
}

// GIVEN a service with ECS Exec WHEN the pattern creates its cluster THEN the
// cluster logs the sessions (service.New refuses ECS Exec on a cluster that
// does not).
func TestExecTurnsOnTheClusterAudit(t *testing.T) {
	props := webProps()
	props.ServiceProps.EnableExecuteCommand = true
	props.ServiceProps.Containers[0].WritableRootFilesystem = true
	p, err := albservice.New(newStack(t, "exec"), "Web", props)
	if err != nil {
		t.Fatal(err)
	}
	if p.Cluster.ExecLogGroupName == "" {
		t.Fatal("the cluster the pattern created does not log ECS Exec sessions")
	}
}

// GIVEN a pattern in a stack WHEN a second pattern's service takes the same
// name THEN New refuses with one problem on the user's field,
// ServiceProps.Name, echoing the name and naming the service that has it
// (with the log group, roles, task family and service name that derive from
// it), at the second pattern's path: not one problem per derived name, and
// not service.New's field.
func TestATakenServiceNameIsOneProblemOnServicePropsName(t *testing.T) {
	stack := newStack(t, "names")
	first, err := albservice.New(stack, "Web", webProps())
	if err != nil {
		t.Fatal(err)
	}
	second := apiProps(first)
	second.ServiceProps.Name = "web"
	_, err = albservice.New(stack, "Admin", second)
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *propcheck.Error, got %v", err)
	}
	if pe.Op != "albservice.New" || pe.Path != "names/Admin" {
		t.Errorf("Op, Path = %q, %q; want albservice.New, names/Admin", pe.Op, pe.Path)
	}
	if got := pe.Fields(); !slices.Equal(got, []string{"ServiceProps.Name"}) {
		t.Fatalf("fields %v, want one problem on ServiceProps.Name:\n%v", got, err)
	}
	p := pe.Problems[0]
	for _, want := range []string{`ServiceProps.Name = "web"`, "names/Web/Service", `"/ecs/web"`, `IAM role names "web-execution" and "web-task"`} {
		if !strings.Contains(p.String(), want) {
			t.Errorf("the problem lacks %s:\n%v", want, p)
		}
	}
}

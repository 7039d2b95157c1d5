package stacks

// Construct ids, AWS names and tokens are checked in the kernel when a
// constructor is called: a taken id, a second construct that would create a
// name AWS holds once, or a hand-made token is a *propcheck.Error naming the
// field, never a jsii panic and never a half-built construct.

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/domain"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/fuzzprops"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// clashStack is a stack with a provider, for one test.
func clashStack(t *testing.T, name string, defaultTags map[string]string) cdktf.TerraformStack {
	t.Helper()
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String(name))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1", DefaultTags: defaultTags}); err != nil {
		t.Fatal(err)
	}
	return stack
}

func clashLB() loadbalancer.Props {
	return loadbalancer.Props{Name: "web", VPCID: "vpc-0a1b2c3d", SubnetIDs: []string{"subnet-0a1b2c3d", "subnet-1a1b2c3d"}}
}

func clashService(t *testing.T, name string, cl *cluster.Cluster) service.Props {
	t.Helper()
	if cl == nil {
		var err error
		if cl, err = cluster.FromName("shared"); err != nil {
			t.Fatal(err)
		}
	}
	return service.Props{
		Name: name, Region: "us-east-1", AccountID: "123456789012", Partition: "aws", Cluster: cl,
		VPCID: "vpc-0a1b2c3d", SubnetIDs: []string{"subnet-0a1b2c3d"},
		Containers: []container.Definition{{Name: "app", Image: "nginx:1.27", PortMappings: []container.PortMapping{{ContainerPort: 80}}}},
	}
}

// problemOn returns the problem on field, failing unless err is a
// *propcheck.Error with one.
func problemOn(t *testing.T, err error, field string) propcheck.Problem {
	t.Helper()
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *propcheck.Error on %s, got %T: %v", field, err, err)
	}
	for _, p := range pe.Problems {
		if p.Field == field {
			return p
		}
	}
	t.Fatalf("want a problem on %s, got %v", field, err)
	return propcheck.Problem{}
}

// GIVEN a scope where the id is taken (or an id that is empty or has "/")
// WHEN each exported constructor is called with it
// THEN it returns a *propcheck.Error on "id" and creates nothing.
func TestEveryConstructorRefusesATakenID(t *testing.T) {
	stack := clashStack(t, "ids", nil)
	for _, id := range []string{"Taken", "TakenTargetGroup"} {
		constructs.NewConstruct(stack, jsii.String(id))
	}
	lb, err := loadbalancer.New(stack, "LoadBalancer", clashLB())
	if err != nil {
		t.Fatal(err)
	}
	// A construct made by hand where AddTarget("Api") would put its group.
	constructs.NewConstruct(lb.ALB.Node().Scope().(constructs.Construct), jsii.String("ApiTargetGroup"))
	constructors := map[string]func(id string) error{
		"awsprovider.New": func(id string) error {
			_, err := awsprovider.New(stack, id, awsprovider.Props{Region: "us-east-1"})
			return err
		},
		"network.New": func(id string) error {
			_, err := network.New(stack, id, network.Props{Name: "n"})
			return err
		},
		"cluster.New": func(id string) error {
			_, err := cluster.New(stack, id, cluster.Props{Name: "c-" + strings.ReplaceAll(id, "/", "")})
			return err
		},
		"loadbalancer.New": func(id string) error {
			p := clashLB()
			p.Name = "lb-" + fmt.Sprint(len(id))
			_, err := loadbalancer.New(stack, id, p)
			return err
		},
		"service.New": func(id string) error {
			_, err := service.New(stack, id, clashService(t, "s-"+fmt.Sprint(len(id)), nil))
			return err
		},
		"LoadBalancer.AddTarget": func(id string) error {
			if id == "Taken" {
				id = "Api"
			}
			_, err := lb.AddTarget(id, loadbalancer.RuleProps{Name: "api", PathPatterns: []string{"/api/*"}, Priority: 10})
			return err
		},
		"domain.New": func(id string) error {
			_, err := domain.New(stack, id, domain.Props{Name: "www.example.com", ZoneName: "example.com", ZoneID: "Z0123456789ABCDEFGHIJ"})
			return err
		},
		"connect.New": func(id string) error {
			_, err := connect.New(stack, id, connect.Props{Name: "ns-" + fmt.Sprint(len(id))})
			return err
		},
		"albservice.New": func(id string) error {
			_, err := albservice.New(stack, id, albservice.Props{
				NetworkProps:      network.Props{Name: "p-" + fmt.Sprint(len(id))},
				ClusterProps:      cluster.Props{Name: "p-" + fmt.Sprint(len(id))},
				LoadBalancerProps: loadbalancer.Props{Name: "p-" + fmt.Sprint(len(id))},
				ServiceProps: service.Props{Name: "p-" + fmt.Sprint(len(id)), Region: "us-east-1",
					Containers: []container.Definition{{Name: "app", Image: "nginx:1.27", PortMappings: []container.PortMapping{{ContainerPort: 80}}}}},
			})
			return err
		},
		"stacks.New": func(id string) error {
			cfg := Production()
			app := stack.Node().Scope().(constructs.Construct)
			if id == "Taken" {
				id = "ids" // the stack itself
			}
			cfg.StackName = strings.ToLower(id)
			_, err := New(app, cfg)
			return err
		},
	}
	for name, f := range constructors {
		for _, id := range []string{"Taken", "", "a/b"} {
			t.Run(fmt.Sprintf("%s/%q", name, id), func(t *testing.T) {
				err := fuzzprops.Call(t, func() error { return f(id) })
				field := "id"
				if name == "stacks.New" {
					// The stack's id is Config.StackName.
					field = "StackName"
				}
				p := problemOn(t, err, field)
				if id == "Taken" && !strings.Contains(p.Rule, "already used") {
					t.Errorf("the problem should say the id is already used: %v", p)
				}
			})
		}
	}
	t.Run("nothing-was-created", func(t *testing.T) {
		_, doc := testutil.Synth(t, stack)
		for typ, want := range map[string]int{"aws_service_discovery_http_namespace": 0, "aws_vpc": 0, "aws_ecs_cluster": 0, "aws_lb": 1, "aws_ecs_service": 0, "aws_lb_listener_rule": 0, "aws_lb_target_group": 1} {
			if n := len(doc.Resources(typ)); n != want {
				t.Errorf("%d %s after refused calls, want %d", n, typ, want)
			}
		}
	})
}

// GIVEN one stack WHEN a second construct would create a name AWS holds once
// (a service's log group, role names, task family and service name; a
// cluster name; a load balancer name; a flow-log group and role)
// THEN the second constructor is refused with both construct paths.
func TestNamesAWSHoldsOnceClashAcrossConstructs(t *testing.T) {
	stack := clashStack(t, "names", nil)
	cl, err := cluster.New(stack, "Cluster", cluster.Props{Name: "shared"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := service.New(stack, "Web", clashService(t, "web", cl)); err != nil {
		t.Fatal(err)
	}
	if _, err := loadbalancer.New(stack, "LB", clashLB()); err != nil {
		t.Fatal(err)
	}
	if _, err := network.New(stack, "Net", network.Props{Name: "core"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, field, kind, first string
		build                    func() error
	}{
		{"service-name", "Name", "CloudWatch Logs log group name", "names/Web", func() error {
			_, err := service.New(stack, "Web2", clashService(t, "web", cl))
			return err
		}},
		{"cluster-name", "Name", "ECS cluster name", "names/Cluster", func() error {
			_, err := cluster.New(stack, "Cluster2", cluster.Props{Name: "shared"})
			return err
		}},
		{"load-balancer-name", "Name", "load balancer name", "names/LB", func() error {
			_, err := loadbalancer.New(stack, "LB2", clashLB())
			return err
		}},
		{"flow-logs", "Name", "CloudWatch Logs log group name", "names/Net", func() error {
			_, err := network.New(stack, "Net2", network.Props{Name: "core", CIDR: "10.9.0.0/16"})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := problemOn(t, fuzzprops.Call(t, tc.build), tc.field)
			for _, want := range []string{tc.kind, tc.first} {
				if !strings.Contains(p.Rule, want) {
					t.Errorf("the problem should name %q:\n%v", want, p)
				}
			}
		})
	}
	t.Run("the-refused-service-claimed-nothing", func(t *testing.T) {
		// A refused constructor must not keep its names: the same props
		// under a free name of its own still work.
		if _, err := service.New(stack, "Api", clashService(t, "api", cl)); err != nil {
			t.Fatal(err)
		}
	})
}

// GIVEN two stacks in one app and two apps in one process
// WHEN each builds the same names THEN nothing clashes: names are per stack.
func TestNamesArePerStack(t *testing.T) {
	for i := range 2 {
		app := testutil.TestApp()
		for _, name := range []string{"one", "two"} {
			cfg := Production()
			cfg.StackName = name
			if _, err := New(app, cfg); err != nil {
				t.Fatalf("app %d, stack %s: %v", i, name, err)
			}
		}
	}
}

// GIVEN a string that imitates a token (a well-formed key the kernel never
// issued) WHEN a constructor gets it THEN it is refused with the field,
// before synth would fail with "Unrecognized Token Key".
func TestImitatedTokensAreRefused(t *testing.T) {
	stack := clashStack(t, "tokens", nil)
	p := clashService(t, "web", nil)
	p.Containers[0].Environment = map[string]string{"MODE": "a-${TfToken[TOKEN.987654321]}"}
	err := fuzzprops.Call(t, func() error { _, err := service.New(stack, "Web", p); return err })
	if got := problemOn(t, err, `Containers[0].Environment["MODE"]`); !strings.Contains(got.Rule, "imitates a CDKTF token") {
		t.Errorf("want the imitation named: %v", got)
	}
	// A real token passes: the VPC id of a network built in this stack.
	n, err := network.New(stack, "Net", network.Props{Name: "n"})
	if err != nil {
		t.Fatal(err)
	}
	lb := clashLB()
	lb.VPCID, lb.SubnetIDs = n.VPCID, n.PublicSubnetIDs
	if _, err := loadbalancer.New(stack, "LB", lb); err != nil {
		t.Fatalf("real tokens refused: %v", err)
	}
	// Malformed markers are not tokens: the field's own rule applies.
	bad := clashLB()
	bad.VPCID = "${TfToken[vpc]}"
	p2 := problemOn(t, loadbalancer.Validate(bad), "VPCID")
	if p2.ValueString() != `"${TfToken[vpc]}"` {
		t.Errorf("want the value echoed: %v", p2)
	}
}

// GIVEN a provider with 48 default tags WHEN a construct adds its own tags
// and Name THEN more than 50 on a resource is refused at the constructor.
func TestDefaultTagsCountTowardsTheLimit(t *testing.T) {
	tags := map[string]string{}
	for i := range 48 {
		tags[fmt.Sprintf("k%02d", i)] = "v"
	}
	stack := clashStack(t, "tags", tags)
	p := clashLB()
	p.Tags = map[string]string{"Team": "web", "Cost": "42"}
	err := fuzzprops.Call(t, func() error { _, err := loadbalancer.New(stack, "LB", p); return err })
	if got := problemOn(t, err, "Tags"); got.ValueString() != `"51 tags"` {
		t.Errorf("want 48 default + 2 + Name = 51 tags counted: %v", got)
	}
}

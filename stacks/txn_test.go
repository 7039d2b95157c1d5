package stacks

// Transactional construction: every constructor either returns a complete
// construct, or returns a *propcheck.Error and leaves its scope exactly as
// it was (no child, no name claimed in the registry, no rule or priority on
// a shared load balancer), and the same id works once the mistake is
// fixed. txntest.Refused snapshots the tree and the registry before and
// after each refusal and retries the id with fixed props.

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/alarms"
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
	"github.com/fargatekit/fargatekit/internal/txn"
	"github.com/fargatekit/fargatekit/internal/txntest"
)

// txnCount counts the refusals a test proved transactional, for
// docs/hostile-input.md.
func txnCount(t *testing.T, n *int) { t.Helper(); *n++ }

func roots(cs ...constructs.Construct) []constructs.Construct { return cs }

// GIVEN every hostile config of the table and every hostile seed of the
// stacks corpus WHEN stacks.New builds it THEN the app is as it was, and the
// stack name is free for the fixed config.
func TestRefusedStacksLeaveTheAppAsItWas(t *testing.T) {
	corpus, err := fuzzprops.ReadCorpus(filepath.Join("testdata", "fuzz", "FuzzNew"))
	if err != nil {
		t.Fatal(err)
	}
	base := fuzzprops.Encode(Production())
	app := testutil.TestApp()
	n, retried := 0, 0
	kinds := map[string]bool{}
	for _, name := range testutil.SortedKeys(corpus) {
		if !strings.HasPrefix(name, "hostile-") {
			continue
		}
		cfg, ok := fuzzprops.Decode[Config](base, corpus[name])
		if !ok {
			t.Fatalf("%s does not decode", name)
		}
		// The kind of check a seed is for: "hostile-service_cpu-…" → "service".
		kind, _, _ := strings.Cut(strings.TrimPrefix(name, "hostile-"), "_")
		// A config refused for its StackName alone is valid under another.
		var pe *propcheck.Error
		nameOnly := errors.As(Validate(cfg), &pe) && !slices.ContainsFunc(pe.Problems, func(p propcheck.Problem) bool { return p.Field != "StackName" })
		t.Run(name, func(t *testing.T) {
			// Building two stacks takes seconds: the first refusal of each
			// kind of check is retried in full (with -short, only the very
			// first), and every other one proves, through the snapshot, that
			// nothing holds the name.
			var retry func() error
			if (!testing.Short() && !kinds[kind]) || retried == 0 {
				kinds[kind] = true
				retried++
				retry = func() error {
					fixed := Production()
					fixed.StackName = fmt.Sprintf("retry%d", retried)
					cfg := cfg
					cfg.StackName = fixed.StackName
					if _, err := New(app, cfg); err == nil && !nameOnly {
						return fmt.Errorf("the hostile config was accepted under %s", cfg.StackName)
					} else if err == nil {
						// The config was fine but for its name: the stack
						// it built holds the retry name now.
						fixed.StackName += "b"
					}
					_, err := New(app, fixed)
					return err
				}
			}
			txntest.Refused(t, roots(app), func() error { _, err := New(app, cfg); return err }, retry)
			txnCount(t, &n)
		})
	}
	t.Logf("%d hostile stack configs refused transactionally (%d retried in full)", n, retried)
}

// seedsOf returns the hostile seeds of a package's fuzz target.
func seedsOf(t *testing.T, pkg, target string) map[string][]byte {
	t.Helper()
	corpus, err := fuzzprops.ReadCorpus(filepath.Join("..", "constructs", pkg, "testdata", "fuzz", target))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for name, data := range corpus {
		if strings.HasPrefix(name, "hostile-") {
			out[name] = data
		}
	}
	return out
}

// GIVEN every hostile seed of the constructors' own corpora (the hostile
// table's cases for one construct) WHEN its constructor gets it in a stack
// that holds other constructs THEN the stack is as it was, and the same id
// with the fuzz target's base props is accepted.
func TestRefusedConstructorsLeaveTheStackAsItWas(t *testing.T) {
	stack := clashStack(t, "seeds", nil)
	shared, err := cluster.New(stack, "Shared", cluster.Props{Name: "shared"})
	if err != nil {
		t.Fatal(err)
	}
	lb, err := loadbalancer.New(stack, "LB", clashLB())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	run := func(pkg, target string, refuse func(id string, data []byte) error, retry func(id string, i int) error) {
		seeds := seedsOf(t, pkg, target)
		if len(seeds) == 0 {
			t.Fatalf("no hostile seeds in %s/%s", pkg, target)
		}
		for i, name := range testutil.SortedKeys(seeds) {
			id := fmt.Sprintf("%s%d", strings.ToUpper(pkg[:1])+pkg[1:], i)
			t.Run(pkg+"/"+target+"/"+name, func(t *testing.T) {
				txntest.Refused(t, roots(stack), func() error { return refuse(id, seeds[name]) }, func() error { return retry(id, i) })
				txnCount(t, &n)
			})
		}
	}
	run("network", "FuzzNew", func(id string, data []byte) error {
		p, _ := fuzzprops.Decode[network.Props](fuzzprops.Encode(network.Props{Name: "core"}), data)
		_, err := network.New(stack, id, p)
		return err
	}, func(id string, i int) error {
		_, err := network.New(stack, id, network.Props{Name: fmt.Sprintf("core%d", i), DisableFlowLogs: true, Egress: network.VPCEndpointsOnly})
		return err
	})
	run("cluster", "FuzzNew", func(id string, data []byte) error {
		p, _ := fuzzprops.Decode[cluster.Props](fuzzprops.Encode(cluster.Props{Name: "shared"}), data)
		_, err := cluster.New(stack, id, p)
		return err
	}, func(id string, i int) error {
		_, err := cluster.New(stack, id, cluster.Props{Name: fmt.Sprintf("c%d", i)})
		return err
	})
	run("loadbalancer", "FuzzNew", func(id string, data []byte) error {
		p, _ := fuzzprops.Decode[loadbalancer.Props](fuzzprops.Encode(clashLB()), data)
		_, err := loadbalancer.New(stack, id, p)
		return err
	}, func(id string, i int) error {
		p := clashLB()
		p.Name = fmt.Sprintf("lb%d", i)
		_, err := loadbalancer.New(stack, id, p)
		return err
	})
	run("loadbalancer", "FuzzAddTarget", func(id string, data []byte) error {
		p, _ := fuzzprops.Decode[loadbalancer.RuleProps](fuzzprops.Encode(hostileRuleBase), data)
		_, err := lb.AddTarget(id, p)
		return err
	}, func(id string, i int) error {
		p := hostileRuleBase
		p.Priority = 100 + i
		p.PathPatterns = []string{fmt.Sprintf("/fixed%d/*", i)}
		_, err := lb.AddTarget(id, p)
		return err
	})
	run("service", "FuzzNew", func(id string, data []byte) error {
		p, _ := fuzzprops.Decode[service.Props](fuzzprops.Encode(clashService(t, "web", nil)), data)
		p.Cluster = shared
		_, err := service.New(stack, id, p)
		return err
	}, func(id string, i int) error {
		_, err := service.New(stack, id, clashService(t, fmt.Sprintf("svc%d", i), shared))
		return err
	})
	// The AddTarget table's cases that are ids, not props.
	for i, rc := range hostileRuleCases() {
		if rc.mutate != nil {
			continue
		}
		t.Run("loadbalancer/AddTarget/"+rc.name, func(t *testing.T) {
			txntest.Refused(t, roots(stack), func() error { _, err := lb.AddTarget(rc.id, hostileRuleBase); return err }, func() error {
				p := hostileRuleBase
				p.Priority = 200 + i
				p.PathPatterns = []string{fmt.Sprintf("/fixed-id%d/*", i)}
				_, err := lb.AddTarget(fmt.Sprintf("Fixed%d", i), p)
				return err
			})
			txnCount(t, &n)
		})
	}
	// FromName and FromAttributes create nothing: a refusal must too.
	run("cluster", "FuzzFromName", func(id string, data []byte) error {
		name, _ := fuzzprops.Decode[string](fuzzprops.Encode("shared"), data)
		_, err := cluster.FromName(name)
		return err
	}, func(string, int) error { _, err := cluster.FromName("shared"); return err })
	run("loadbalancer", "FuzzFromAttributes", func(id string, data []byte) error {
		a, _ := fuzzprops.Decode[loadbalancer.Attributes](fuzzprops.Encode(loadbalancer.Attributes{SecurityGroupID: "sg-0a1b2c3d", TargetGroupARN: hostileTG}), data)
		_, err := loadbalancer.FromAttributes(a)
		return err
	}, func(string, int) error {
		_, err := loadbalancer.FromAttributes(loadbalancer.Attributes{SecurityGroupID: "sg-0a1b2c3d", TargetGroupARN: hostileTG})
		return err
	})
	t.Logf("%d hostile seeds refused transactionally", n)
}

// txnPattern is a pattern sharing first's network, cluster and load
// balancer through a rule.
func txnPattern(first *albservice.Pattern, name string, priority int) albservice.Props {
	return albservice.Props{
		Network: first.Network, Cluster: first.Cluster, LoadBalancer: first.LoadBalancer,
		Rule: &loadbalancer.RuleProps{PathPatterns: []string{"/" + name + "/*"}, Priority: priority},
		ServiceProps: service.Props{Name: name, Region: "us-east-1", AccountID: "123456789012", Partition: "aws",
			Containers: []container.Definition{{Name: "app", Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/" + name + ":1", PortMappings: []container.PortMapping{{ContainerPort: 80}}}}},
	}
}

// GIVEN a stack with one pattern WHEN another construct claims what the
// first holds (a service, cluster or load balancer name, a rule priority, a
// worker's name), holds a token no construct issued, or fails after its
// parts exist THEN it is refused before its first part, or what it created
// is removed again: the stack is as it was, and the same id works once fixed.
// The synthesized stack then holds only the accepted constructs.
func TestCrossConstructRefusalsLeaveTheStackAsItWas(t *testing.T) {
	stack := clashStack(t, "cross", nil)
	first, err := albservice.New(stack, "Web", albservice.Props{
		NetworkProps: network.Props{Name: "shop", Egress: network.SingleNATGateway}, ClusterProps: cluster.Props{Name: "shop"},
		LoadBalancerProps: loadbalancer.Props{Name: "shop"},
		ServiceProps: service.Props{Name: "web", Region: "us-east-1", Containers: []container.Definition{{Name: "web", Image: "nginx:1.27",
			PortMappings: []container.PortMapping{{ContainerPort: 80}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	pattern := func(id string, p albservice.Props) func() error {
		return func() error { _, err := albservice.New(stack, id, p); return err }
	}
	fake := func(p albservice.Props) albservice.Props {
		p.ServiceProps.Containers[0].Environment = map[string]string{"MODE": "a-${TfToken[TOKEN.987654321]}"}
		return p
	}
	withCluster := func(p albservice.Props, name string) albservice.Props {
		p.Cluster, p.ClusterProps = nil, cluster.Props{Name: name}
		return p
	}
	withLB := func(p albservice.Props, name string) albservice.Props {
		p.LoadBalancer, p.Rule, p.LoadBalancerProps = nil, nil, loadbalancer.Props{Name: name, DisableDeletionProtection: true}
		return p
	}
	unscoped := func(p albservice.Props) albservice.Props { p.Unscoped = true; return p }
	lbScope := first.LoadBalancer.ALB.Node().Scope().(constructs.Construct)
	n := 0
	for _, tc := range []struct {
		name          string
		refuse, retry func() error
	}{
		{"service-name-taken", pattern("Api", txnPattern(first, "web", 10)), pattern("Api", txnPattern(first, "api", 10))},
		{"priority-taken", pattern("Admin", txnPattern(first, "admin", 10)), pattern("Admin", txnPattern(first, "admin", 20))},
		{"cluster-name-taken", pattern("Jobs", withCluster(txnPattern(first, "jobs", 30), "shop")), pattern("Jobs", withCluster(txnPattern(first, "jobs", 30), "jobs"))},
		{"load-balancer-name-taken", pattern("Edge", withLB(txnPattern(first, "edge", 0), "shop")), pattern("Edge", withLB(txnPattern(first, "edge", 0), "edge"))},
		{"fake-token", pattern("Fake", fake(txnPattern(first, "fake", 40))), pattern("Fake", txnPattern(first, "fake", 40))},
		{"unscoped-service-name-taken", pattern("Flat", unscoped(withCluster(txnPattern(first, "web", 50), "flat"))), pattern("Flat", unscoped(withCluster(txnPattern(first, "flat", 50), "flat")))},
		{"worker-name-taken", func() error {
			_, err := first.AddWorker("Worker", txnPattern(first, "api", 0).ServiceProps)
			return err
		}, func() error {
			_, err := first.AddWorker("Worker", txnPattern(first, "worker", 0).ServiceProps)
			return err
		}},
		{"rule-ids-taken-on-the-load-balancer", func() error {
			constructs.NewConstruct(lbScope, jsii.String("HandRule"))
			defer txn.Remove(lbScope, "HandRule")
			return pattern("Hand", withCluster(txnPattern(first, "hand", 60), "hand"))()
		}, pattern("Hand", withCluster(txnPattern(first, "hand", 60), "hand"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			txntest.Refused(t, roots(stack), tc.refuse, tc.retry)
			txnCount(t, &n)
		})
	}
	t.Logf("%d cross-construct refusals", n)
	t.Run("synthesized", func(t *testing.T) {
		_, doc := testutil.Synth(t, stack)
		// web, api, admin, jobs, edge, fake, flat, worker, hand.
		for typ, want := range map[string]int{"aws_ecs_service": 9, "aws_ecs_cluster": 4, "aws_lb": 2, "aws_lb_listener_rule": 6, "aws_vpc": 1} {
			if got := len(doc.Resources(typ)); got != want {
				t.Errorf("%d %s, want %d", got, typ, want)
			}
		}
	})
}

// GIVEN each transactional constructor WHEN it fails after it created
// everything (an error injected at its end, where only a panic of the
// generated bindings could fail today) THEN what it created is removed
// again and the same id works.
func TestFailuresAfterCreationAreUndone(t *testing.T) {
	app := testutil.TestApp()
	stack := cdktf.NewTerraformStack(app, jsii.String("faults"))
	injected := &propcheck.Error{Op: "test", Problems: []propcheck.Problem{{Field: "injected", Rule: "fails after creation"}}}
	sp := func(name string) service.Props {
		cl, _ := cluster.FromName("shared")
		return clashService(t, name, cl)
	}
	patternProps := func(name string) albservice.Props {
		return albservice.Props{
			NetworkProps: network.Props{Name: name, Egress: network.VPCEndpointsOnly, DisableFlowLogs: true}, ClusterProps: cluster.Props{Name: name},
			LoadBalancerProps: loadbalancer.Props{Name: "p-" + name},
			ServiceProps: service.Props{Name: name, Region: "us-east-1", AccountID: "123456789012", Partition: "aws",
				Containers: []container.Definition{{Name: "app", Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1", PortMappings: []container.PortMapping{{ContainerPort: 80}}}}},
		}
	}
	var lb *loadbalancer.LoadBalancer
	var pat *albservice.Pattern
	cases := []struct {
		point  string
		failOn int // the call of point that fails: 0 for the first
		root   constructs.Construct
		build  func() error
	}{
		{"awsprovider.New", 0, stack, func() error {
			_, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1", DefaultTags: map[string]string{"Team": "web"}})
			return err
		}},
		{"network.New", 0, stack, func() error { _, err := network.New(stack, "Net", network.Props{Name: "net"}); return err }},
		{"cluster.New", 0, stack, func() error { _, err := cluster.New(stack, "C", cluster.Props{Name: "c"}); return err }},
		{"loadbalancer.New", 0, stack, func() (err error) { lb, err = loadbalancer.New(stack, "LB", clashLB()); return err }},
		{"loadbalancer.AddTarget", 0, stack, func() error { _, err := lb.AddTarget("Api", hostileRuleBase); return err }},
		{"service.New", 0, stack, func() error { _, err := service.New(stack, "Svc", sp("svc")); return err }},
		{"alarms.New", 0, stack, func() error {
			_, err := alarms.New(stack, "Alarms", alarms.Target{ServiceName: "svc", ClusterName: "shared"}, alarms.Props{})
			return err
		}},
		{"connect.New", 0, stack, func() error { _, err := connect.New(stack, "Ns", connect.Props{Name: "internal"}); return err }},
		{"domain.New", 0, stack, func() error {
			_, err := domain.New(stack, "Domain", domain.Props{Name: "www.example.com", ZoneName: "example.com", ZoneID: "Z0123456789ABCDEFGHIJ"})
			return err
		}},
		{"albservice.New", 0, stack, func() (err error) { pat, err = albservice.New(stack, "Web", patternProps("web")); return err }},
		{"albservice.New", 0, stack, func() error { // unscoped
			_, err := albservice.New(stack, "Flat", func() albservice.Props { p := patternProps("flat"); p.Unscoped = true; return p }())
			return err
		}},
		{"service.New", 0, stack, func() error { _, err := pat.AddWorker("Worker", txnPattern(pat, "worker", 0).ServiceProps); return err }}, // Pattern.AddWorker
		{"loadbalancer.AddTarget", 0, stack, func() error { // a rule pattern whose AddTarget fails
			p := txnPattern(pat, "route", 10)
			_, err := albservice.New(stack, "Route", p)
			return err
		}},
		{"service.New", 0, stack, func() error { // a rule pattern whose service fails after its rule exists
			p := txnPattern(pat, "route2", 20)
			_, err := albservice.New(stack, "Route2", p)
			return err
		}},
		{"stacks.New", 0, app, func() error { _, err := New(app, Development()); return err }},
		// The platform's second service (its route) fails after the first
		// pattern exists.
		{"service.New", 1, app, func() error { _, err := New(app, Platform()); return err }},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprintf("%d-%s", i, tc.point), func(t *testing.T) {
			calls := 0
			clear := txn.InjectFault(tc.point, func() error {
				if calls++; calls == tc.failOn+1 {
					return injected
				}
				return nil
			})
			txntest.Refused(t, roots(tc.root), func() error {
				defer clear()
				return tc.build()
			}, tc.build)
		})
	}
	t.Run("synthesized", func(t *testing.T) {
		// Svc, Web, Flat, Worker, Route, Route2; Api, Route, Route2; Net, Web, Flat.
		_, doc := testutil.Synth(t, stack)
		for typ, want := range map[string]int{"aws_ecs_service": 6, "aws_lb_listener_rule": 3, "aws_vpc": 3, "aws_service_discovery_http_namespace": 1, "aws_acm_certificate": 1} {
			if got := len(doc.Resources(typ)); got != want {
				t.Errorf("%d %s, want %d", got, typ, want)
			}
		}
	})
}

// GIVEN a config whose parts clash with each other (what New found only
// after the first part existed) WHEN it is validated and built THEN Validate
// and New refuse it on the same fields, and New leaves the app as it was.
func TestValidateAgreesWithNewWithinAConfig(t *testing.T) {
	app := testutil.TestApp()
	worker := func(c *Config, name string) {
		c.Workers = append(c.Workers, Worker{ID: "Jobs", ServiceProps: service.Props{Name: name,
			Containers: []container.Definition{{Name: "jobs", Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/jobs:1"}}}})
	}
	n := 0
	for _, tc := range []struct {
		name   string
		mutate func(c *Config)
		field  string
	}{
		{"route-priority-twice", func(c *Config) {
			r := c.Routes[0]
			r.ID, r.ServiceProps.Name, r.Rule.Name = "Api2", "api2", "api2"
			r.ServiceProps.ServiceConnect = service.ServiceConnect{}
			c.Routes = append(c.Routes, r)
		}, "Routes[1].Rule.Priority"},
		{"route-service-named-like-the-stacks", func(c *Config) { c.Routes[0].ServiceProps.Name = c.ServiceProps.Name }, "Routes[0].ServiceProps.Name"},
		{"worker-named-like-a-route", func(c *Config) { c.Workers = nil; worker(c, c.Routes[0].ServiceProps.Name) }, "Workers[0].ServiceProps.Name"},
		{"discovery-name-served-twice", func(c *Config) {
			c.Workers[0].ServiceProps.ServiceConnect.Serve = c.Routes[0].ServiceProps.ServiceConnect.Serve
			c.Workers[0].ServiceProps.Containers[0].PortMappings = c.Routes[0].ServiceProps.Containers[0].PortMappings
		}, "Workers[0].ServiceProps.ServiceConnect.Serve[0].DiscoveryName"},
		{"route-id-of-the-provider", func(c *Config) { c.Routes[0].ID = "aws" }, "Routes[0].ID"},
		{"worker-id-of-an-output", func(c *Config) { c.Workers[0].ID = "url" }, "Workers[0].ID"},
		{"service-tags-with-the-default-tags", func(c *Config) {
			c.ServiceProps.Tags = map[string]string{}
			for i := range 48 {
				c.ServiceProps.Tags[fmt.Sprintf("k%02d", i)] = "v"
			}
		}, "ServiceProps.Tags"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Platform()
			tc.mutate(&cfg)
			problemOn(t, Validate(cfg), tc.field)
			err := txntest.Refused(t, roots(app), func() error { _, err := New(app, cfg); return err }, nil)
			problemOn(t, err, tc.field)
			txnCount(t, &n)
		})
	}
	t.Logf("%d clashes within a config", n)
}

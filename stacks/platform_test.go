package stacks

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// TestServiceConnectOpensOnlyTheCalls: in the platform stack the security
// group rules between services are exactly the calls the config names, in
// both directions (ingress on the called service's group, egress on the
// caller's), on the called service's container port, and the caller's ECS
// service is created after the called one.
func TestServiceConnectOpensOnlyTheCalls(t *testing.T) {
	doc := defaults(t).Doc["platform"]
	tasks := taskGroups(doc)
	byName := map[string]string{} // service name -> ECS service address
	for addr, svc := range doc.Resources("aws_ecs_service") {
		byName[svc["name"].(string)] = addr
	}
	var want []string
	cfg := Platform()
	for _, x := range extras(cfg) {
		for _, called := range x.calls {
			want = append(want,
				fmt.Sprintf("ingress %s <- %s :80", byName[called], byName[x.props.Name]),
				fmt.Sprintf("egress %s -> %s :80", byName[x.props.Name], byName[called]))
			deps := fmt.Sprint(doc.Resources("aws_ecs_service")[byName[x.props.Name]]["depends_on"])
			if !strings.Contains(deps, "aws_ecs_service."+byName[called]) {
				t.Errorf("%s is not created after %s, which it calls: depends_on %s", x.props.Name, called, deps)
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("the platform stack names no call: the test would check nothing")
	}
	var got []string
	for _, typ := range []string{"ingress", "egress"} {
		for _, r := range doc.Resources("aws_vpc_security_group_" + typ + "_rule") {
			ref, _ := r["referenced_security_group_id"].(string)
			own, _ := r["security_group_id"].(string)
			if tasks[ref] == "" || tasks[own] == "" {
				continue // not between two services
			}
			if r["from_port"] != r["to_port"] || r["ip_protocol"] != "tcp" {
				t.Errorf("%s rule %v is not one tcp port", typ, r)
			}
			arrow := "<-"
			if typ == "egress" {
				arrow = "->"
			}
			got = append(got, fmt.Sprintf("%s %s %s %s :%v", typ, tasks[own], arrow, tasks[ref], r["from_port"]))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("rules between services:\n%s\nwant exactly:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Only the services that serve or call run the proxy.
	for name, addr := range byName {
		_, joined := doc.Resources("aws_ecs_service")[addr]["service_connect_configuration"]
		if joined != (name == "api" || name == "worker") {
			t.Errorf("%s joined the namespace: %v, want only api (serves) and worker (calls)", name, joined)
		}
	}
}

// TestPlatformUsesEveryConnectFeature says in words what the platform
// golden records: host routing, a validated certificate with HTTPS and
// aliases, an init container the API waits for, scheduled scaling.
func TestPlatformUsesEveryConnectFeature(t *testing.T) {
	doc := defaults(t).Doc["platform"]
	_, rule := doc.One(t, "aws_lb_listener_rule")
	if hosts := fmt.Sprint(testutil.Get(rule, "condition")); !strings.Contains(hosts, "api.example.com") {
		t.Errorf("the api's rule does not route by host: %s", hosts)
	}
	_, cert := doc.One(t, "aws_acm_certificate")
	if cert["validation_method"] != "DNS" || cert["domain_name"] != "www.example.com" {
		t.Errorf("certificate %v", cert)
	}
	https := false
	for _, l := range doc.Resources("aws_lb_listener") {
		if l["port"] == 443.0 {
			https = strings.Contains(fmt.Sprint(l["certificate_arn"]), "aws_acm_certificate_validation.")
		}
	}
	if !https {
		t.Error("no HTTPS listener on the validated certificate")
	}
	aliases := 0
	for _, r := range doc.Resources("aws_route53_record") {
		if r["alias"] != nil {
			aliases++
		}
	}
	if aliases != 2 {
		t.Errorf("%d alias records, want www and api", aliases)
	}
	if n := len(doc.Resources("aws_appautoscaling_scheduled_action")); n != 2 {
		t.Errorf("%d scheduled actions, want night and morning", n)
	}
	found := false
	for _, td := range doc.Resources("aws_ecs_task_definition") {
		if td["family"] == "api" {
			found = strings.Contains(td["container_definitions"].(string), `"dependsOn":[{"condition":"SUCCESS","containerName":"migrate"}]`)
		}
	}
	if !found {
		t.Error("the api does not wait for its migration to succeed")
	}
}

// The config errors of the platform's extras: each a *propcheck.Error
// naming the field, before anything is created.
func TestPlatformConfigRefused(t *testing.T) {
	cases := map[string]struct {
		mutate       func(c *Config)
		field, value string
	}{
		"call to an unknown service": {func(c *Config) { c.Workers[0].Calls = []string{"billing"} },
			"Workers[0].Calls[0]", `"billing"`},
		"call to a service that serves nothing": {func(c *Config) { c.Workers[0].Calls = []string{"web"} },
			"Workers[0].Calls[0]", `"web"`},
		"call to a service created later": {func(c *Config) {
			c.Routes[0].ServiceProps.ServiceConnect.Serve = nil
			c.Routes[0].Calls = []string{"worker"}
		}, "Routes[0].Calls[0]", `"worker"`},
		"calls without a namespace": {func(c *Config) {
			c.NamespaceProps = nil
			c.Routes[0].ServiceProps.ServiceConnect.Serve = nil
		}, "Workers[0].Calls[0]", `"api"`},
		"namespace given to a service": {func(c *Config) {
			c.Workers[0].ServiceProps.ServiceConnect.Namespace = &connect.Namespace{ARN: "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abcdef0123456789", Name: "x"}
		}, "Workers[0].ServiceProps.ServiceConnect.Namespace", `"x"`},
		"route id taken by the pattern": {func(c *Config) { c.Routes[0].ID = "LoadBalancer" }, "Routes[0].ID", `"LoadBalancer"`},
		"worker id taken by a route":    {func(c *Config) { c.Workers[0].ID = "Api" }, "Workers[0].ID", `"Api"`},
		"empty worker id":               {func(c *Config) { c.Workers[0].ID = "" }, "Workers[0].ID", `""`},
		"worker in another region": {func(c *Config) { c.Workers[0].ServiceProps.Region = "eu-west-1" },
			"Workers[0].ServiceProps.Region", `"eu-west-1"`},
		"worker with a load balancer target": {func(c *Config) { c.Workers[0].ServiceProps.ContainerPort = 80 },
			"Workers[0].ServiceProps.ContainerPort", "80"},
		"route rule without a condition": {func(c *Config) { c.Routes[0].Rule.HostHeaders = nil },
			"Routes[0].Rule.PathPatterns", "[]"},
		"route with a VPC of its own": {func(c *Config) { c.Routes[0].ServiceProps.VPCID = "vpc-0a1b2c3d4e5f67890" },
			"Routes[0].ServiceProps.VPCID", `"vpc-0a1b2c3d4e5f67890"`},
		"route rule priority 0": {func(c *Config) { c.Routes[0].Rule.Priority = 0 }, "Routes[0].Rule.Priority", "0"},
		"serve an unnamed port": {func(c *Config) { c.Routes[0].ServiceProps.ServiceConnect.Serve[0].PortName = "admin" },
			"Routes[0].ServiceProps.ServiceConnect.Serve[0].PortName", `"admin"`},
		"domain outside its zone": {func(c *Config) { c.Domain.SubjectAlternativeNames = []string{"api.example.org"} },
			"Domain.SubjectAlternativeNames[0]", `"api.example.org"`},
		"domain and a certificate": {func(c *Config) {
			c.LoadBalancerProps.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-0a1b-2c3d4e5f6789"
		}, "LoadBalancerProps.CertificateARN", "certificate/0a1b2c3d"},
		"namespace name with a space": {func(c *Config) { c.NamespaceProps.Name = "platform internal" },
			"NamespaceProps.Name", `"platform internal"`},
		"init container unknown": {func(c *Config) {
			c.Routes[0].ServiceProps.Containers[0].DependsOn = []container.Dependency{{Container: "migrations", Condition: container.Success}}
		}, "Routes[0].ServiceProps.Containers[0].DependsOn[0].Container", `"migrations"`},
		"schedule above the ceiling": {func(c *Config) { c.ServiceProps.Autoscaling.Schedules[1].MaxCapacity = 7 },
			"ServiceProps.Autoscaling.Schedules[1].MaxCapacity", "7"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := Platform()
			tc.mutate(&cfg)
			err := Validate(cfg)
			var pe *propcheck.Error
			if !errors.As(err, &pe) {
				t.Fatalf("want a *propcheck.Error, got %v", err)
			}
			for _, p := range pe.Problems {
				if p.Field == tc.field && strings.Contains(p.String(), tc.value) {
					return
				}
			}
			t.Errorf("no problem on %s echoing %s in:\n%v", tc.field, tc.value, err)
		})
	}
	if err := Validate(Platform()); err != nil {
		t.Fatalf("the platform config itself: %v", err)
	}
	// As in albservice.New, a route's rule without a name takes the
	// service's: Validate must not refuse what New accepts.
	unnamed := Platform()
	unnamed.Routes[0].Rule.Name = ""
	if err := Validate(unnamed); err != nil {
		t.Errorf("a route rule without a name: %v", err)
	}
}

// Two routes on one priority were refused by New only after the first
// route existed; Validate now refuses them too, on the second route's
// priority, as New does before it creates anything.
func TestPlatformTakenPriorityIsRefusedByValidateAndNew(t *testing.T) {
	cfg := Platform()
	second := cfg.Routes[0]
	second.ID, second.ServiceProps.Name = "Api2", "api2"
	second.Rule.Name, second.Rule.HostHeaders = "api2", []string{"api2.example.com"}
	second.ServiceProps.ServiceConnect = service.ServiceConnect{}
	second.ServiceProps.Containers = []container.Definition{nginx()}
	cfg.Routes = append(cfg.Routes, second)
	problemOn(t, Validate(cfg), "Routes[1].Rule.Priority")
	_, err := New(testutil.TestApp(), cfg)
	problemOn(t, err, "Routes[1].Rule.Priority")
}

// A route whose rule can never match, because an earlier route's rule (a
// lower priority number) matches every request it would, is New's error
// naming both rules, like a taken priority: only the built load balancer
// knows the rules already on the listener.
func TestPlatformShadowedRouteIsNewsError(t *testing.T) {
	cfg := Platform()
	second := cfg.Routes[0]
	second.ID, second.ServiceProps.Name = "Api2", "api2"
	second.Rule.Name, second.Rule.Priority = "api2", 20
	second.Rule.PathPatterns = []string{"/v2/*"} // api.example.com/v2/* is all taken by priority 10
	second.ServiceProps.ServiceConnect = service.ServiceConnect{}
	second.ServiceProps.Containers = []container.Definition{nginx()}
	cfg.Routes = append(cfg.Routes, second)
	_, err := New(testutil.TestApp(), cfg)
	if err == nil || !strings.Contains(err.Error(), `can never match: rule "api" (AddTarget("Api"), priority 10) is evaluated first`) {
		t.Errorf("a shadowed route: %v", err)
	}
}

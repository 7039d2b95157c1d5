package service_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// apiProps serves port "http" (8080) of container api.
func apiProps(ns *connect.Namespace) service.Props {
	p := accountProps("123456789012", "aws")
	p.Name = "api"
	p.Containers = []container.Definition{{Name: "api", Image: "acme/api:1.4.2",
		PortMappings: []container.PortMapping{{ContainerPort: 8080, Name: "http", AppProtocol: "http"}}}}
	p.ServiceConnect = service.ServiceConnect{Namespace: ns, Serve: []service.ConnectEndpoint{{PortName: "http", DiscoveryName: "api", Port: 80}}}
	return p
}

// workerProps calls the given services and serves nothing.
func workerProps(ns *connect.Namespace, calls ...*service.Service) service.Props {
	p := accountProps("123456789012", "aws")
	p.Name = "worker"
	p.Containers = []container.Definition{{Name: "worker", Image: "acme/worker:1.4.2"}}
	p.ServiceConnect = service.ServiceConnect{Namespace: ns, Calls: calls}
	return p
}

// providerStack is a stack with the AWS provider in us-east-1.
func providerStack(t *testing.T) cdktf.TerraformStack {
	t.Helper()
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("svc"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	return stack
}

func connectStack(t *testing.T) (cdktf.TerraformStack, *connect.Namespace) {
	t.Helper()
	stack := providerStack(t)
	ns, err := connect.New(stack, "Namespace", connect.Props{Name: "internal"})
	if err != nil {
		t.Fatal(err)
	}
	return stack, ns
}

// GIVEN a namespace, an api serving port "http" and a worker calling the api
// WHEN both are created THEN the api's service registers the port under its
// discovery name and alias, the worker's is a client of the same namespace,
// the only new security group path is worker -> api on the container port
// (8080, not the alias port 80), and the worker is created after the api.
func TestServiceConnectOpensOnlyTheCalledPath(t *testing.T) {
	stack, ns := connectStack(t)
	api, err := service.New(stack, "Api", apiProps(ns))
	if err != nil {
		t.Fatal(err)
	}
	worker, err := service.New(stack, "Worker", workerProps(ns, api))
	if err != nil {
		t.Fatal(err)
	}
	if got := api.ConnectEndpoints; len(got) != 1 || got[0] != (service.Endpoint{PortName: "http", DiscoveryName: "api", DNSName: "api", Port: 80, ContainerPort: 8080}) {
		t.Errorf("api.ConnectEndpoints = %+v", got)
	}
	if got := api.ConnectEndpoints[0].URL("http"); got != "http://api:80" {
		t.Errorf("URL = %q", got)
	}
	if len(worker.CallRules) != 1 || worker.CallRules[0].Service != "api" || worker.CallRules[0].Ingress == nil || worker.CallRules[0].Egress == nil {
		t.Fatalf("worker.CallRules = %+v", worker.CallRules)
	}
	_, doc := testutil.Synth(t, stack)
	services := map[string]map[string]any{}
	for _, s := range doc.Resources("aws_ecs_service") {
		services[s["name"].(string)] = s
	}
	nsARN := "${aws_service_discovery_http_namespace.Namespace_"
	apiSC := testutil.Get(services["api"], "service_connect_configuration")
	if testutil.Get(apiSC, "enabled") != true || !strings.HasPrefix(fmt.Sprint(testutil.Get(apiSC, "namespace")), nsARN) {
		t.Errorf("api service_connect_configuration = %v", apiSC)
	}
	served := testutil.Get(apiSC, "service").([]any)
	if len(served) != 1 {
		t.Fatalf("api serves %v", served)
	}
	s0 := served[0].(map[string]any)
	if s0["port_name"] != "http" || s0["discovery_name"] != "api" ||
		fmt.Sprint(testutil.Get(s0, "client_alias", "port")) != "80" || testutil.Get(s0, "client_alias", "dns_name") != "api" {
		t.Errorf("api serves %v", s0)
	}
	if testutil.Get(apiSC, "log_configuration", "options", "awslogs-group") != "/ecs/api" ||
		testutil.Get(apiSC, "log_configuration", "options", "awslogs-stream-prefix") != service.ServiceConnectLogStreamPrefix {
		t.Errorf("proxy logs: %v", testutil.Get(apiSC, "log_configuration"))
	}
	workerSC := testutil.Get(services["worker"], "service_connect_configuration")
	if testutil.Get(workerSC, "enabled") != true || testutil.Get(workerSC, "namespace") != testutil.Get(apiSC, "namespace") {
		t.Errorf("worker service_connect_configuration = %v", workerSC)
	}
	if _, serves := workerSC.(map[string]any)["service"]; serves {
		t.Errorf("the client-only worker serves: %v", workerSC)
	}
	if deps := fmt.Sprint(services["worker"]["depends_on"]); !strings.Contains(deps, "aws_ecs_service.Api_Service_") {
		t.Errorf("worker depends_on = %s, want the api's service", deps)
	}

	// Security group rules that reference another group: the load balancer
	// is absent, so these are the Service Connect paths and nothing else.
	var paths []string
	sgName := func(ref any) string {
		s := fmt.Sprint(ref)
		for _, n := range []string{"Api", "Worker"} {
			if strings.Contains(s, "aws_security_group."+n+"_SecurityGroup_") {
				return n
			}
		}
		return s
	}
	for _, typ := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"} {
		for _, r := range doc.Resources(typ) {
			if ref, ok := r["referenced_security_group_id"]; ok {
				paths = append(paths, fmt.Sprintf("%s %s ref %s %v-%v", typ[len("aws_vpc_security_group_"):], sgName(r["security_group_id"]), sgName(ref), r["from_port"], r["to_port"]))
			}
		}
	}
	want := []string{"ingress_rule Api ref Worker 8080-8080", "egress_rule Worker ref Api 8080-8080"}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Errorf("security group paths:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}
	// The port name and app protocol reach the task definition.
	for _, td := range doc.Resources("aws_ecs_task_definition") {
		if td["family"] == "api" && !strings.Contains(td["container_definitions"].(string), `"appProtocol":"http"`) {
			t.Errorf("api container definitions lack the app protocol: %s", td["container_definitions"])
		}
	}
}

// GIVEN a service without ServiceConnect WHEN it is created THEN nothing of
// Service Connect is emitted (the zero value keeps today's output).
func TestNoServiceConnectNothingEmitted(t *testing.T) {
	stack := providerStack(t)
	svc, err := service.New(stack, "Service", accountProps("123456789012", "aws"))
	if err != nil {
		t.Fatal(err)
	}
	if svc.ConnectNamespace != nil || svc.ConnectEndpoints != nil || svc.CallRules != nil {
		t.Errorf("Service Connect fields set: %v %v %v", svc.ConnectNamespace, svc.ConnectEndpoints, svc.CallRules)
	}
	_, doc := testutil.Synth(t, stack)
	_, s := doc.One(t, "aws_ecs_service")
	if _, ok := s["service_connect_configuration"]; ok {
		t.Errorf("service_connect_configuration emitted: %v", s["service_connect_configuration"])
	}
}

// GIVEN two services serving the same discovery name in one namespace WHEN
// the second is created THEN it is refused before anything is created,
// naming both constructs.
func TestDiscoveryNameTakenInTheNamespace(t *testing.T) {
	stack, ns := connectStack(t)
	if _, err := service.New(stack, "Api", apiProps(ns)); err != nil {
		t.Fatal(err)
	}
	p := apiProps(ns)
	p.Name = "api-v2"
	p.ServiceConnect.Serve[0].DNSName = "api-v2" // the alias alone is free
	_, err := service.New(stack, "ApiV2", p)
	problemtest.One(t, err, "ServiceConnect.Serve[0].DiscoveryName", `"api"`, "is taken in this stack")
	if err != nil && !strings.Contains(err.Error(), "namespace internal") {
		t.Errorf("the problem does not name the namespace: %v", err)
	}
}

func TestServiceConnectRefused(t *testing.T) {
	ns := &connect.Namespace{ARN: "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abcdef0123456789", Name: "internal"}
	other := &connect.Namespace{ARN: "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-0000000000000000", Name: "other"}
	// Services as service.New leaves them, without creating any.
	apiIn := func(n *connect.Namespace) *service.Service {
		return &service.Service{SecurityGroupID: "sg-0a1b2c3d4e5f67890", Name: "api", ConnectNamespace: n,
			ConnectEndpoints: []service.Endpoint{{PortName: "http", DiscoveryName: "api", DNSName: "api", Port: 80, ContainerPort: 8080}}}
	}
	plain := &service.Service{SecurityGroupID: "sg-0a1b2c3d4e5f67891", Name: "plain"}
	api := apiIn(ns)
	cases := map[string]struct {
		mutate func(*service.Props)
		field  string
		value  string
		rule   string
	}{
		"serve without namespace": {func(p *service.Props) { p.ServiceConnect.Namespace = nil },
			"ServiceConnect.Namespace", "<nil>", "is required with Serve or Calls"},
		"namespace without ARN": {func(p *service.Props) { p.ServiceConnect.Namespace = &connect.Namespace{Name: "internal"} },
			"ServiceConnect.Namespace", `"internal"`, "must come from connect.New or connect.FromARN"},
		"no port name": {func(p *service.Props) { p.ServiceConnect.Serve[0].PortName = "" },
			"ServiceConnect.Serve[0].PortName", `""`, "is required"},
		"unknown port name": {func(p *service.Props) { p.ServiceConnect.Serve[0].PortName = "grpc" },
			"ServiceConnect.Serve[0].PortName", `"grpc"`, "its named ports are http"},
		"no named port at all": {func(p *service.Props) {
			p.Containers[0].PortMappings[0].Name, p.Containers[0].PortMappings[0].AppProtocol = "", ""
		}, "ServiceConnect.Serve[0].PortName", `"http"`, "no PortMapping of the task has a Name"},
		"udp port": {func(p *service.Props) {
			p.Containers[0].PortMappings[0].Protocol, p.Containers[0].PortMappings[0].AppProtocol = "udp", ""
		}, "ServiceConnect.Serve[0].PortName", `"http"`, "Service Connect proxies TCP only"},
		"uppercase discovery name": {func(p *service.Props) { p.ServiceConnect.Serve[0].DiscoveryName = "Api" },
			"ServiceConnect.Serve[0].DiscoveryName", `"Api"`, "lowercase letters"},
		"discovery name with a leading hyphen": {func(p *service.Props) { p.ServiceConnect.Serve[0].DiscoveryName = "-api" },
			"ServiceConnect.Serve[0].DiscoveryName", `"-api"`, "not starting with a hyphen"},
		"discovery name too long": {func(p *service.Props) { p.ServiceConnect.Serve[0].DiscoveryName = strings.Repeat("a", 65) },
			"ServiceConnect.Serve[0].DiscoveryName", "aaaa", "1-64"},
		"dns name with a space": {func(p *service.Props) { p.ServiceConnect.Serve[0].DNSName = "api internal" },
			"ServiceConnect.Serve[0].DNSName", `"api internal"`, "up to 127"},
		"dns name too long": {func(p *service.Props) { p.ServiceConnect.Serve[0].DNSName = strings.Repeat("a", 128) },
			"ServiceConnect.Serve[0].DNSName", "aaaa", "up to 127"},
		"alias port out of range": {func(p *service.Props) { p.ServiceConnect.Serve[0].Port = 70000 },
			"ServiceConnect.Serve[0].Port", "70000", "1"},
		"same discovery name twice": {func(p *service.Props) {
			p.Containers[0].PortMappings = append(p.Containers[0].PortMappings, container.PortMapping{ContainerPort: 9090, Name: "admin"})
			p.ServiceConnect.Serve = append(p.ServiceConnect.Serve, service.ConnectEndpoint{PortName: "admin", DiscoveryName: "api", DNSName: "admin"})
		}, "ServiceConnect.Serve[1].DiscoveryName", `"api"`, "also the discovery name of ServiceConnect.Serve[0]"},
		"same alias twice": {func(p *service.Props) {
			p.Containers[0].PortMappings = append(p.Containers[0].PortMappings, container.PortMapping{ContainerPort: 9090, Name: "admin"})
			p.ServiceConnect.Serve = append(p.ServiceConnect.Serve, service.ConnectEndpoint{PortName: "admin", DNSName: "api", Port: 80})
		}, "ServiceConnect.Serve[1].DNSName", `"api:80"`, "also the client alias of ServiceConnect.Serve[0]"},
		"calls nil": {func(p *service.Props) { p.ServiceConnect.Calls = []*service.Service{nil} },
			"ServiceConnect.Calls[0]", "<nil>", "created by service.New"},
		"calls a service that serves nothing": {func(p *service.Props) { p.ServiceConnect.Calls = []*service.Service{plain} },
			"ServiceConnect.Calls[0]", `"plain"`, "serves no port through Service Connect"},
		"calls a service of another namespace": {func(p *service.Props) { p.ServiceConnect.Calls = []*service.Service{apiIn(other)} },
			"ServiceConnect.Calls[0]", `"api"`, `is in the namespace "other", not in "internal"`},
		"calls twice": {func(p *service.Props) { p.ServiceConnect.Calls = []*service.Service{api, api} },
			"ServiceConnect.Calls[1]", `"api"`, "repeats ServiceConnect.Calls[0]"},
		"calls without namespace": {func(p *service.Props) {
			p.ServiceConnect.Serve, p.ServiceConnect.Namespace = nil, nil
			p.ServiceConnect.Calls = []*service.Service{api}
		}, "ServiceConnect.Namespace", "<nil>", "is required with Serve or Calls"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := apiProps(ns)
			p.Name = "web"
			tc.mutate(&p)
			problemtest.One(t, service.Validate(p), tc.field, tc.value, tc.rule)
		})
	}
	t.Run("valid", func(t *testing.T) {
		p := apiProps(ns)
		p.Name = "web"
		p.ServiceConnect.Calls = []*service.Service{api}
		if err := service.Validate(p); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPortNamesAndAppProtocolRefused(t *testing.T) {
	cases := map[string]struct {
		ports []container.PortMapping
		field string
		value string
		rule  string
	}{
		"name with a leading hyphen": {[]container.PortMapping{{ContainerPort: 80, Name: "-http"}},
			"Containers[0].PortMappings[0].Name", `"-http"`, "not starting with a hyphen"},
		"name twice in the task": {[]container.PortMapping{{ContainerPort: 80, Name: "http"}, {ContainerPort: 81, Name: "http"}},
			"Containers[0].PortMappings[1].Name", `"http"`, `also names container "web"'s PortMappings[0]`},
		"unknown app protocol": {[]container.PortMapping{{ContainerPort: 80, Name: "http", AppProtocol: "https"}},
			"Containers[0].PortMappings[0].AppProtocol", `"https"`, `must be "http", "http2", "grpc"`},
		"app protocol on an unnamed port": {[]container.PortMapping{{ContainerPort: 80, AppProtocol: "grpc"}},
			"Containers[0].PortMappings[0].AppProtocol", `"grpc"`, "needs the port's Name"},
		"app protocol on udp": {[]container.PortMapping{{ContainerPort: 80, Name: "dns", Protocol: "udp", AppProtocol: "http"}},
			"Containers[0].PortMappings[0].AppProtocol", `"http"`, "needs Protocol tcp"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := accountProps("123456789012", "aws")
			p.Containers[0].PortMappings = tc.ports
			problemtest.One(t, service.Validate(p), tc.field, tc.value, tc.rule)
		})
	}
}

// An api that serves its HTTP port as "api" in the namespace "internal", and
// a worker that calls it as http://api:80. Only the worker's tasks may open
// connections to the api's tasks, on the container port 8080.
func ExampleServiceConnect() {
	ns, _ := connect.FromARN("arn:aws:servicediscovery:eu-central-1:123456789012:namespace/ns-abcdef0123456789", "internal")
	api := service.Props{
		Name:    "api",
		Region:  "eu-central-1",
		Cluster: &cluster.Cluster{Name: "shop"},
		VPCID:   "vpc-0a1b2c3d4e5f67890", SubnetIDs: []string{"subnet-0a1b2c3d4e5f67890"},
		Containers: []container.Definition{{
			Name: "api", Image: "acme/api:2.3.1",
			PortMappings: []container.PortMapping{{ContainerPort: 8080, Name: "http", AppProtocol: "http"}},
		}},
		ServiceConnect: service.ServiceConnect{
			Namespace: ns,
			Serve:     []service.ConnectEndpoint{{PortName: "http", DiscoveryName: "api", Port: 80}},
		},
	}
	fmt.Println(service.Validate(api))
	// (service.New(stack, "Api", api) returns the *Service the worker's
	// ServiceConnect.Calls lists.)

	// A port name the task does not have is refused.
	api.ServiceConnect.Serve[0].PortName = "web"
	fmt.Println(service.Validate(api))
	// Output:
	// <nil>
	// service.New: invalid props: ServiceConnect.Serve[0].PortName = "web": names no port of the task; its named ports are http
}

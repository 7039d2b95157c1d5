package albservice_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/domain"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// GIVEN props without any Name WHEN the pattern "Web" is built THEN it
// synthesizes exactly as with every Name set to "web".
func TestEmptyNamesAreDerivedFromTheID(t *testing.T) {
	named := webProps()
	named.NetworkProps.Name, named.ClusterProps.Name, named.LoadBalancerProps.Name, named.ServiceProps.Name = "web", "web", "web", "web"
	unnamed := webProps()
	unnamed.NetworkProps.Name, unnamed.ClusterProps.Name, unnamed.LoadBalancerProps.Name, unnamed.ServiceProps.Name = "", "", "", ""
	if err := albservice.Validate("Web", unnamed); err != nil {
		t.Fatalf("empty names refused: %v", err)
	}
	a, b := newStack(t, "s"), newStack(t, "s")
	if _, err := albservice.New(a, "Web", named); err != nil {
		t.Fatal(err)
	}
	p, err := albservice.New(b, "Web", unnamed)
	if err != nil {
		t.Fatal(err)
	}
	if p.Service.Name != "web" || p.Cluster.Name != "web" {
		t.Errorf("service %q, cluster %q: want both named \"web\"", p.Service.Name, p.Cluster.Name)
	}
	aj, _ := testutil.Synth(t, a)
	bj, _ := testutil.Synth(t, b)
	if string(aj) != string(bj) {
		t.Errorf("empty names synthesize differently from \"web\":\n%s", testutil.UnifiedDiff(string(aj), string(bj)))
	}
}

// A worker's or a route's empty Name comes from its id; given names are
// kept as they are.
func TestWorkerNameIsDerivedFromItsID(t *testing.T) {
	w := workerProps()
	w.Name = ""
	if err := webProps().ValidateWorker("Queue_Consumer", w); err != nil {
		t.Fatalf("ValidateWorker with an empty name: %v", err)
	}
	p, err := albservice.New(newStack(t, "w"), "Web", webProps())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := p.AddWorker("Queue_Consumer", w)
	if err != nil {
		t.Fatal(err)
	}
	if svc.Name != "queue-consumer" {
		t.Errorf("worker name %q, want %q", svc.Name, "queue-consumer")
	}
}

func webDomain() *domain.Props {
	return &domain.Props{Name: "shop.example.com", SubjectAlternativeNames: []string{"www.example.com"}, ZoneName: "example.com"}
}

// GIVEN a Domain WHEN the pattern is built THEN the zone is looked up by
// name, the certificate is on the HTTPS listener, every name has an alias
// record to the load balancer, all under the pattern's id, and URL is the
// domain's.
func TestDomainNamesTheLoadBalancer(t *testing.T) {
	props := webProps()
	props.Domain = webDomain()
	if err := albservice.Validate("Web", props); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	stack := newStack(t, "domain")
	p, err := albservice.New(stack, "Web", props)
	if err != nil {
		t.Fatal(err)
	}
	if p.Domain == nil || p.Zone == nil || p.LoadBalancer.HTTPSListener == nil {
		t.Fatalf("domain %v, zone %v, HTTPS listener %v: want all three", p.Domain, p.Zone, p.LoadBalancer.HTTPSListener)
	}
	if got, want := p.URL(), "https://shop.example.com"; got != want {
		t.Errorf("URL() = %q, want %q", got, want)
	}
	_, doc := testutil.Synth(t, stack)
	if zones := testutil.SortedKeys(doc.Data("aws_route53_zone")); len(zones) != 1 || !strings.HasPrefix(zones[0], "Web_Zone") {
		t.Errorf("zone lookups %v, want one Web_Zone", zones)
	}
	var certs []string
	for _, l := range doc.Resources("aws_lb_listener") {
		if c, ok := l["certificate_arn"]; ok {
			certs = append(certs, fmt.Sprint(c))
		}
	}
	if len(certs) != 1 || !strings.Contains(certs[0], "aws_acm_certificate_validation.Web_Domain_Validation") {
		t.Errorf("listener certificates %v, want the validated certificate of Web/Domain on one listener", certs)
	}
	var aliases []string
	for name, r := range doc.Resources("aws_route53_record") {
		if a, ok := r["alias"].(map[string]any); ok {
			if !strings.Contains(fmt.Sprint(a["name"]), "aws_lb.Web_LoadBalancer") {
				t.Errorf("%s aliases %v, want the pattern's load balancer", name, a["name"])
			}
			aliases = append(aliases, fmt.Sprint(r["name"]))
		}
	}
	slices.Sort(aliases)
	if want := []string{"shop.example.com", "www.example.com"}; !slices.Equal(aliases, want) {
		t.Errorf("alias records for %v, want %v", aliases, want)
	}
}

// Domain is refused with the load balancer's own certificate, with a given
// load balancer, and its own problems are named Domain.…; a ZoneID given
// is used as it is (no lookup, so it is checked).
func TestDomainRefused(t *testing.T) {
	withCert := webProps()
	withCert.Domain = webDomain()
	withCert.LoadBalancerProps.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/0b0d2d58-3f3e-4c47-9d2d-0e0ad0f5f0d1"
	problemtest.One(t, albservice.Validate("Web", withCert), "LoadBalancerProps.CertificateARN", "certificate/0b0d2d58", "conflicts with Domain")

	cl, alb := managedElsewhere(t)
	given := albservice.Props{
		NetworkProps: network.Props{Name: "shop", VPCID: "vpc-0a1b2c3d4e5f67890",
			PublicSubnetIDs:  []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
			PrivateSubnetIDs: []string{"subnet-2a1b2c3d4e5f67890", "subnet-3a1b2c3d4e5f67890"}},
		Cluster: cl, LoadBalancer: alb, Domain: webDomain(),
		ServiceProps: webProps().ServiceProps,
	}
	problemtest.One(t, albservice.Validate("Web", given), "Domain", `"shop.example.com"`, "conflicts with LoadBalancer")

	outside := webProps()
	outside.Domain = webDomain()
	outside.Domain.Name = "shop.example.org"
	problemtest.One(t, albservice.Validate("Web", outside), "Domain.Name", `"shop.example.org"`, "is not in the zone")

	badZone := webProps()
	badZone.Domain = webDomain()
	badZone.Domain.ZoneID = "/hostedzone/Z0123"
	problemtest.One(t, albservice.Validate("Web", badZone), "Domain.ZoneID", `"/hostedzone/Z0123"`, "must be a Route 53 hosted zone id")
}

func serving(discovery string) service.Props {
	sp := webProps().ServiceProps
	sp.Containers[0].PortMappings = []container.PortMapping{{ContainerPort: 80, Name: "http", AppProtocol: "http"}}
	sp.ServiceConnect.Serve = []service.ConnectEndpoint{{PortName: "http", DiscoveryName: discovery, DNSName: discovery}}
	return sp
}

// GIVEN NamespaceProps WHEN the pattern, a worker and a route serve through
// Service Connect without naming a namespace THEN all three join the one the
// pattern created; without NamespaceProps the same props are refused.
func TestNamespaceIsJoinedByWhatServes(t *testing.T) {
	props := webProps()
	props.ServiceProps = serving("web")
	problemtest.One(t, albservice.Validate("Web", props), "ServiceProps.ServiceConnect.Namespace", "<nil>", "is required with Serve or Calls")
	worker := serving("worker")
	worker.Name = "worker"
	if err := props.ValidateWorker("Worker", worker); err == nil {
		t.Error("ValidateWorker accepted a worker that serves without any namespace")
	}

	props.NamespaceProps = &connect.Props{Name: "shop.internal"}
	if err := albservice.Validate("Web", props); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if err := props.ValidateWorker("Worker", worker); err != nil {
		t.Fatalf("ValidateWorker: %v", err)
	}
	route := serving("api")
	route.Name = "api"
	rule := &loadbalancer.RuleProps{PathPatterns: []string{"/api/*"}, Priority: 10}
	if err := props.ValidateRoute("Api", *rule, route); err != nil {
		t.Fatalf("ValidateRoute: %v", err)
	}
	stack := newStack(t, "ns")
	p, err := albservice.New(stack, "Web", props)
	if err != nil {
		t.Fatal(err)
	}
	if p.Namespace == nil {
		t.Fatal("no namespace")
	}
	if _, err := p.AddWorker("Worker", worker); err != nil {
		t.Fatal(err)
	}
	api, err := p.AddRoute("Api", *rule, route)
	if err != nil {
		t.Fatal(err)
	}
	if api.Namespace != p.Namespace {
		t.Error("the route's pattern does not share the namespace")
	}
	_, doc := testutil.Synth(t, stack)
	nsName, _ := doc.One(t, "aws_service_discovery_http_namespace")
	if !strings.HasPrefix(nsName, "Web_Namespace") {
		t.Errorf("namespace %s, want it under Web/Namespace", nsName)
	}
	for name, s := range doc.Resources("aws_ecs_service") {
		if !strings.Contains(fmt.Sprint(s["service_connect_configuration"]), "aws_service_discovery_http_namespace."+nsName) {
			t.Errorf("%s does not join the pattern's namespace: %v", name, s["service_connect_configuration"])
		}
	}
}

// With VPC endpoints only, a worker's image outside ECR is refused before
// the pattern exists, as AddWorker refuses it after.
func TestValidateWorkerKnowsTheEndpointsOnlyNetwork(t *testing.T) {
	props := webProps()
	props.NetworkProps.Egress = network.VPCEndpointsOnly
	problemtest.One(t, props.ValidateWorker("Worker", workerProps()), "Containers[0].Image", `"acme/worker:1.4.2"`, "VPCEndpointsOnly")
}

package albservice_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

func workerProps() service.Props {
	return service.Props{Name: "worker", Region: "us-east-1", DesiredCount: 1,
		Containers: []container.Definition{{Name: "worker", Image: "acme/worker:1.4.2"}}}
}

// GIVEN a pattern WHEN a worker is added THEN it runs in the pattern's
// private subnets and cluster, waits for the network's egress like the
// pattern's service, reads the account once with it, and has no load
// balancer, no ingress rule and no listener dependency.
func TestAddWorkerWiresNetworkAndCluster(t *testing.T) {
	stack := newStack(t, "worker")
	p, err := albservice.New(stack, "Web", webProps())
	if err != nil {
		t.Fatal(err)
	}
	w, err := p.AddWorker("Worker", workerProps())
	if err != nil {
		t.Fatal(err)
	}
	if w.AccountID != p.Service.AccountID || w.CallerIdentity != nil {
		t.Errorf("the worker looks the account up again: %q vs %q", w.AccountID, p.Service.AccountID)
	}
	_, doc := testutil.Synth(t, stack)
	var svc map[string]any
	for addr, s := range doc.Resources("aws_ecs_service") {
		if strings.HasPrefix(addr, "Web_Worker_") {
			svc = s
		}
	}
	if svc == nil {
		t.Fatalf("no worker service under the pattern's scope: %v", testutil.SortedKeys(doc.Resources("aws_ecs_service")))
	}
	if svc["load_balancer"] != nil || svc["health_check_grace_period_seconds"] != nil {
		t.Errorf("the worker has a load balancer: %v", svc["load_balancer"])
	}
	subnets := fmt.Sprint(testutil.Get(svc, "network_configuration", "subnets"))
	if strings.Count(subnets, "aws_subnet.Web_Network_PrivateSubnet") != 2 {
		t.Errorf("worker subnets = %s, want the pattern's two private subnets", subnets)
	}
	if c := fmt.Sprint(svc["cluster"]); !strings.Contains(c, "aws_ecs_cluster.Web_Cluster_") {
		t.Errorf("worker cluster = %s", c)
	}
	deps := fmt.Sprint(svc["depends_on"])
	if !strings.Contains(deps, "aws_route.Web_Network_PrivateDefaultRoute") || strings.Contains(deps, "aws_lb_listener.") {
		t.Errorf("worker depends_on = %s, want the NAT routes and no listener", deps)
	}
	for _, r := range doc.Resources("aws_vpc_security_group_ingress_rule") {
		if strings.Contains(fmt.Sprint(r["security_group_id"]), "Web_Worker_SecurityGroup") {
			t.Errorf("the worker's tasks admit %v", r)
		}
	}
}

func TestAddWorkerRefused(t *testing.T) {
	cases := map[string]struct {
		mutate       func(*service.Props)
		field, value string
		rule         string
	}{
		"vpc given":     {func(p *service.Props) { p.VPCID = "vpc-0a1b2c3d4e5f67890" }, "VPCID", `"vpc-0a1b2c3d4e5f67890"`, "is provided by the pattern"},
		"subnets given": {func(p *service.Props) { p.SubnetIDs = []string{"subnet-0a1b2c3d4e5f67890"} }, "SubnetIDs", "subnet-0a1b2c3d4e5f67890", "is provided by the pattern"},
		"cluster given": {func(p *service.Props) { p.Cluster = &cluster.Cluster{Name: "other"} }, "Cluster", `"set"`, "is provided by the pattern"},
		"load balancer given": {func(p *service.Props) { p.LoadBalancer = &loadbalancer.LoadBalancer{} },
			"LoadBalancer", `"set"`, "a worker takes no traffic from the load balancer"},
		"container port without a load balancer": {func(p *service.Props) { p.ContainerPort = 80 },
			"ContainerPort", "80", "set LoadBalancer too"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := workerProps()
			tc.mutate(&p)
			problemtest.One(t, webProps().ValidateWorker("Worker", p), tc.field, tc.value, tc.rule)
		})
	}
	t.Run("nil pattern", func(t *testing.T) {
		var p *albservice.Pattern
		_, err := p.AddWorker("Worker", workerProps())
		problemtest.One(t, err, "Pattern", "<nil>", "must come from albservice.New")
	})
	t.Run("endpoints only, image outside ECR", func(t *testing.T) {
		props := webProps()
		props.NetworkProps.Egress = network.VPCEndpointsOnly
		props.ServiceProps.Containers[0].Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0"
		p, err := albservice.New(newStack(t, "endpoints"), "Web", props)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.AddWorker("Worker", workerProps())
		problemtest.One(t, err, "Containers[0].Image", `"acme/worker:1.4.2"`, "")
	})
}

// A worker beside a load-balanced service: a queue consumer in the same
// network and cluster, without a load balancer, checked before the pattern
// exists.
func ExampleProps_ValidateWorker() {
	web := albservice.Props{ServiceProps: service.Props{Region: "eu-central-1"}}
	worker := service.Props{
		Name:       "worker",
		Region:     "eu-central-1",
		Containers: []container.Definition{{Name: "worker", Image: "acme/worker:2.3.1"}},
	}
	fmt.Println(web.ValidateWorker("Worker", worker))
	// (pattern.AddWorker("Worker", worker) creates it.)

	worker.SubnetIDs = []string{"subnet-0a1b2c3d4e5f67890"}
	fmt.Println(web.ValidateWorker("Worker", worker))
	// Output:
	// <nil>
	// albservice.AddWorker(Worker): invalid props: SubnetIDs = ["subnet-0a1b2c3d4e5f67890"]: is provided by the pattern: leave it empty (the network's private subnets)
}

// ValidateRoute checks what AddRoute (New with the pattern's load balancer
// and a Rule) would, before that load balancer exists; the rule's name
// defaults to the service's, as in New.
func TestValidateRoute(t *testing.T) {
	rule := loadbalancer.RuleProps{HostHeaders: []string{"api.example.com"}, Priority: 10}
	api := workerProps()
	api.Name = "api"
	api.Containers[0].PortMappings = []container.PortMapping{{ContainerPort: 8080}}
	if err := webProps().ValidateRoute("Api", rule, api); err != nil {
		t.Fatalf("a valid route: %v", err)
	}
	vpc := api
	vpc.VPCID = "vpc-0a1b2c3d4e5f67890"
	problemtest.One(t, webProps().ValidateRoute("Api", rule, vpc), "ServiceProps.VPCID", `"vpc-0a1b2c3d4e5f67890"`, "is provided by the pattern")
	shared := api
	shared.Cluster = &cluster.Cluster{Name: "other"}
	problemtest.One(t, webProps().ValidateRoute("Api", rule, shared), "ServiceProps.Cluster", `"set"`, "(the shared cluster)")
	noCondition := rule
	noCondition.HostHeaders = nil
	problemtest.One(t, webProps().ValidateRoute("Api", noCondition, api), "Rule.PathPatterns", "[]", "a rule needs PathPatterns")
	noPort := api
	noPort.Containers[0].PortMappings = nil
	problemtest.One(t, webProps().ValidateRoute("Api", rule, noPort), "ServiceProps.Containers", `"worker"`, "the load balancer needs a port")
}

package albservice

import (
	"maps"
	"slices"

	"github.com/fargatekit/fargatekit/internal/naming"
	"github.com/fargatekit/fargatekit/internal/verify"
	"github.com/fargatekit/fargatekit/internal/wired"

	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/registry"
)

// ValidateWorker checks, before New(scope, id, props) creates the pattern,
// what pattern.AddWorker(id, worker) will check, without creating anything:
// the fields the pattern wires (VPCID, SubnetIDs, WaitFor, Cluster) must be
// empty, LoadBalancer too, and every other field is checked as given, with
// what props will create taken as wired (the network's ids, the cluster,
// the namespace of NamespaceProps when the worker serves or calls). An
// empty worker.Name is derived from id, as in AddWorker. props itself is
// checked by [Validate].
func (props Props) ValidateWorker(id string, worker service.Props) error {
	c := verify.New("albservice.AddWorker").At(id)
	checkWorker(c, worker)
	if worker.Name == "" {
		worker.Name = naming.FromID(id)
	}
	net := knownNetwork(props)
	if net.Egress == network.VPCEndpointsOnly {
		checkEndpointsOnly(c, "", worker.Containers, endpointServices(props))
	}
	w := wired.Parts{Network: isNewVpc(props), Cluster: true, Namespace: joinsNamespace(props, worker)}
	// Cluster and LoadBalancer are refused above when set; wired by AddWorker.
	worker = wireService(worker, net, nil, nil)
	c.Merge("", wired.Check(worker, w))
	return c.Err()
}

// ValidateRoute checks, before New(scope, id, props) creates the pattern,
// what pattern.AddRoute(id, rule, route) will check, without creating
// anything: the rule as AddTarget checks it without the load balancer (its
// Name defaults to the service's, as in New), and the service with the
// fields the pattern wires left empty (VPCID, SubnetIDs, WaitFor, Cluster,
// LoadBalancer) and every other field checked as given. An empty
// route.Name is derived from id, as in New. Problems are named "Rule.…" and
// "ServiceProps.…". AddRoute checks it all again, the rule's priority against the
// load balancer's other rules included. props itself is checked by
// [Validate].
func (props Props) ValidateRoute(id string, rule loadbalancer.RuleProps, route service.Props) error {
	c := verify.New("albservice.New").At(id)
	if route.Cluster != nil {
		c.Add("ServiceProps.Cluster", "set", provided+" (the shared cluster)")
	}
	if route.LoadBalancer != nil {
		c.Add("ServiceProps.LoadBalancer", "set", provided+" (the rule's target group on the shared load balancer)")
	}
	route.Cluster, route.LoadBalancer = nil, nil // refused above; wired by AddRoute
	if route.Name == "" {
		route.Name = naming.FromID(id)
	}
	if rule.Name == "" {
		rule.Name = route.Name
	}
	if lb := props.LoadBalancer; lb != nil && lb.ALB == nil {
		c.Add("Rule", rule.PathPatterns, "needs a LoadBalancer from loadbalancer.New: one from FromAttributes is managed elsewhere, add the rule there")
	}
	c.MergeUnder("Rule", loadbalancer.ValidateRule(rule))
	// The route as AddRoute makes it: the pattern's network, cluster and
	// load balancer given, and a Rule.
	rp := Props{Network: props.Network, NetworkProps: props.NetworkProps, NamespaceProps: props.NamespaceProps, ServiceProps: route}
	checkService(c, rp, plan{id: id, rule: &rule, newVpc: isNewVpc(props)}, knownNetwork(props))
	return c.Err()
}

func checkWorker(c *verify.Checker, sp service.Props) {
	checkNetworkWired(c, "", sp)
	if sp.Cluster != nil {
		c.Add("Cluster", "set", provided+" (the pattern's cluster)")
	}
	if sp.LoadBalancer != nil {
		c.Add("LoadBalancer", "set", "must be empty: a worker takes no traffic from the load balancer (use albservice.New with a Rule for one that does)")
	}
}

// joinNamespace gives sp the pattern's namespace when sp serves or calls
// and names none.
func (p *Pattern) joinNamespace(sp service.Props) service.Props {
	sc := sp.ServiceConnect
	if p.Namespace != nil && sc.Namespace == nil && (len(sc.Serve) > 0 || len(sc.Calls) > 0) {
		sp.ServiceConnect.Namespace = p.Namespace
	}
	return sp
}

// AddWorker creates, under the pattern's scope with id, a service without a
// load balancer (a queue consumer, a scheduler, a client of other services
// through Service Connect) in the pattern's network and cluster, wired as
// the pattern's own service is: the private subnets, the network's egress
// readiness, the account lookups, with VPC endpoints only, egress to the
// VPC and S3, and, when it serves or calls and names no namespace, the
// pattern's Namespace. If props.Name is empty, it is derived from id as the
// pattern's names are from its id. On invalid props it returns a
// *propcheck.Error and creates nothing. [Props.ValidateWorker] checks the
// same before the pattern exists. Problems are named by their field in
// props: "CPU".
func (p *Pattern) AddWorker(id string, props service.Props) (*service.Service, error) {
	c := verify.New("albservice.AddWorker")
	checkWorker(c, props)
	if p == nil || p.Network == nil || p.Cluster == nil {
		c.Add("Pattern", nil, "must come from albservice.New")
	}
	if p != nil && p.Network != nil && p.Network.Egress == network.VPCEndpointsOnly {
		checkEndpointsOnly(c, "", props.Containers, slices.Sorted(maps.Keys(p.Network.Endpoints)))
	}
	if err := c.Err(); err != nil {
		if p != nil && p.Scope != nil {
			return nil, verify.Located(err, registry.PathOf(p.Scope, id))
		}
		return nil, verify.Located(err, id)
	}
	if props.Name == "" {
		props.Name = naming.FromID(id)
	}
	svc, err := service.New(p.Scope, id, wireService(p.joinNamespace(props), p.Network, p.Cluster, nil))
	if err != nil {
		// The worker's props are service.Props: its problems keep their
		// fields, as AddWorker's.
		return nil, verify.New("albservice.AddWorker").At(registry.PathOf(p.Scope, id)).Adopt("", err)
	}
	return svc, nil
}

// AddRoute creates, under the pattern's scope with id, another pattern that
// shares this one's network, cluster and load balancer: New with Network,
// Cluster and LoadBalancer set to the pattern's and Rule to rule (a target
// group and listener rule of its own, named after id), and the service
// joined to the pattern's Namespace when it serves or calls and names none.
// The returned pattern's Namespace is this one's. On invalid props it
// returns a *propcheck.Error and creates nothing. [Props.ValidateRoute]
// checks the same before the pattern exists.
func (p *Pattern) AddRoute(id string, rule loadbalancer.RuleProps, props service.Props) (*Pattern, error) {
	if p == nil || p.Network == nil || p.Cluster == nil || p.LoadBalancer == nil {
		c := verify.New("albservice.AddRoute").At(id)
		c.Add("Pattern", nil, "must come from albservice.New")
		return nil, c.Err()
	}
	route, err := New(p.Scope, id, Props{
		Network: p.Network, Cluster: p.Cluster, LoadBalancer: p.LoadBalancer, Rule: &rule,
		ServiceProps: p.joinNamespace(props),
	})
	if err != nil {
		return nil, err
	}
	route.Namespace = p.Namespace
	return route, nil
}

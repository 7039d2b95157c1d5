package albservice

import (
	"maps"
	"slices"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
)

// ValidateWorker checks the props of a worker as [Pattern.AddWorker] would,
// before the pattern exists: the fields the pattern wires (VPCID, SubnetIDs,
// WaitFor, Cluster) must be empty, LoadBalancer too, and w names what else
// the caller fills in later (such as ServiceConnect.Namespace).
func ValidateWorker(id string, props service.Props, w service.Wired) error {
	c := verify.New("albservice.AddWorker(" + id + ")")
	checkWorker(c, props)
	w.Network, w.Cluster = true, true
	props.LoadBalancer = nil // refused above; its own checks would only repeat that
	c.Merge("Service", service.ValidateWired(props, w))
	return c.Err()
}

// ValidateRoute checks, before the first pattern exists, a pattern that will
// share that pattern's network, cluster and load balancer through rule
// (New with Network, Cluster, LoadBalancer and Rule): the rule as AddTarget
// checks it without the load balancer (its Name defaults to the service's,
// as in New), and the service with the fields the pattern wires left empty.
// Problems are named "Rule.…" and "Service.…". New checks it all again, the
// rule's priority against the load balancer's other rules included.
func ValidateRoute(id string, rule loadbalancer.RuleProps, props service.Props, w service.Wired) error {
	c := verify.New("albservice.New(" + id + ")")
	checkNetworkWired(c, props)
	if props.Cluster != nil {
		c.Add("Service.Cluster", "set", provided+" (the shared cluster)")
	}
	if props.LoadBalancer != nil {
		c.Add("Service.LoadBalancer", "set", provided+" (the rule's target group on the shared load balancer)")
	}
	if rule.Name == "" {
		rule.Name = props.Name
	}
	c.MergeUnder("Rule", "RuleProps", loadbalancer.ValidateRule(rule))
	w.Network, w.Cluster, w.LoadBalancer = true, true, true
	props.Cluster, props.LoadBalancer = nil, nil // refused above; wired by New
	c.Merge("Service", service.ValidateWired(props, w))
	return c.Err()
}

func checkWorker(c *verify.Checker, sp service.Props) {
	checkNetworkWired(c, sp)
	if sp.Cluster != nil {
		c.Add("Service.Cluster", "set", provided+" (the pattern's cluster)")
	}
	if sp.LoadBalancer != nil {
		c.Add("Service.LoadBalancer", "set", "must be empty: a worker takes no traffic from the load balancer (use albservice.New with a Rule for one that does)")
	}
}

// AddWorker creates, under the pattern's scope with id, a service without a
// load balancer (a queue consumer, a scheduler, a client of other services
// through Service Connect) in the pattern's network and cluster, wired as
// the pattern's own service is: the private subnets, the network's egress
// readiness, the account lookups, and with VPC endpoints only, egress to the
// VPC and S3. On invalid props it returns a *propcheck.Error and creates
// nothing.
func (p *Pattern) AddWorker(id string, props service.Props) (*service.Service, error) {
	c := verify.New("albservice.AddWorker(" + id + ")")
	checkWorker(c, props)
	if p == nil || p.Network == nil || p.Cluster == nil {
		c.Add("Pattern", nil, "must come from albservice.New")
	}
	if p != nil && p.Network != nil && p.Network.Egress == network.VPCEndpointsOnly {
		checkEndpointsOnly(c, props.Containers, slices.Sorted(maps.Keys(p.Network.Endpoints)))
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return service.New(p.Scope, id, wireService(props, p.Network, p.Cluster, nil))
}

package albservice

import (
	"maps"
	"slices"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/registry"
)

// ValidateWorker checks the props of a worker as [Pattern.AddWorker] would,
// before the pattern exists: the fields the pattern wires (VPCID, SubnetIDs,
// WaitFor, Cluster) must be empty, LoadBalancer too, and w names what else
// the caller fills in later (such as ServiceConnect.Namespace). Problems
// are named by their field in props: "CPU", "Containers[0].Image".
func ValidateWorker(id string, props service.Props, w service.Wired) error {
	c := verify.New("albservice.AddWorker").At(id)
	checkWorker(c, props)
	w.Network, w.Cluster = true, true
	props.LoadBalancer = nil // refused above; its own checks would only repeat that
	c.Merge("", service.ValidateWired(props, w))
	return c.Err()
}

// ValidateRoute checks, before the first pattern exists, a pattern that will
// share that pattern's network, cluster and load balancer through rule
// (New with Network, Cluster, LoadBalancer and Rule): the rule as AddTarget
// checks it without the load balancer (its Name defaults to the service's,
// as in New), and the service with the fields the pattern wires left empty.
// Problems are named as in [Props]: "Rule.…" and "ServiceProps.…". New
// checks it all again, the rule's priority against the load balancer's
// other rules included.
func ValidateRoute(id string, rule loadbalancer.RuleProps, props service.Props, w service.Wired) error {
	c := verify.New("albservice.New").At(id)
	checkNetworkWired(c, "ServiceProps", props)
	if props.Cluster != nil {
		c.Add("ServiceProps.Cluster", "set", provided+" (the shared cluster)")
	}
	if props.LoadBalancer != nil {
		c.Add("ServiceProps.LoadBalancer", "set", provided+" (the rule's target group on the shared load balancer)")
	}
	if rule.Name == "" {
		rule.Name = props.Name
	}
	c.MergeUnder("Rule", loadbalancer.ValidateRule(rule))
	w.Network, w.Cluster, w.LoadBalancer = true, true, true
	props.Cluster, props.LoadBalancer = nil, nil // refused above; wired by New
	c.MergeUnder("ServiceProps", service.ValidateWired(props, w))
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

// AddWorker creates, under the pattern's scope with id, a service without a
// load balancer (a queue consumer, a scheduler, a client of other services
// through Service Connect) in the pattern's network and cluster, wired as
// the pattern's own service is: the private subnets, the network's egress
// readiness, the account lookups, and with VPC endpoints only, egress to the
// VPC and S3. On invalid props it returns a *propcheck.Error and creates
// nothing. Problems are named by their field in props: "CPU".
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
	svc, err := service.New(p.Scope, id, wireService(props, p.Network, p.Cluster, nil))
	if err != nil {
		// The worker's props are service.Props: its problems keep their
		// fields, as AddWorker's.
		return nil, verify.New("albservice.AddWorker").At(registry.PathOf(p.Scope, id)).Adopt("", err)
	}
	return svc, nil
}

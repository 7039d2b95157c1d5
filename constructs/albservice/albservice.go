// Package albservice is the one-call pattern: a Fargate service behind an
// Application Load Balancer, in any CDKTF stack, with the network, the
// cluster and the load balancer it needs either created from props or taken
// as they are, and everything wired together: the private subnets and the
// egress readiness (NAT routes or VPC endpoints) for the tasks, the public
// subnets for the load balancer, its target group and security groups for
// the service, and one account and partition lookup per stack. It is this
// library's ApplicationLoadBalancedFargateService.
//
// Patterns compose: a second pattern takes the first one's Network, Cluster
// and LoadBalancer and, with a [Props.Rule], sits behind the same load
// balancer on a path rule of its own. [Validate] checks all of it before
// anything exists; what the pattern wires is known to be wired, so no
// stand-in value is ever passed through a check.
package albservice

import (
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/stackwide"
	"github.com/fargatekit/fargatekit/internal/tfx"
)

// The construct ids of the parts, under scope/id (or under scope with
// [Props.Unscoped]). They are API: they make the resource addresses.
const (
	NetworkID      = "Network"
	ClusterID      = "Cluster"
	LoadBalancerID = "LoadBalancer"
	ServiceID      = "Service"
)

// Props configures a [Pattern]. For each of the network, the cluster and the
// load balancer, give an existing one (the pointer) or the props to create
// one, never both. The zero value of everything but Service and the three
// Names creates a production network (a NAT gateway per zone), a cluster with
// Container Insights and an internet-facing ALB with deletion protection.
//
// Features to come plug in here as props whose zero value is the safe
// default, resolved in check and created as a step of New, each created
// resource exported on [Pattern]: Alarms (CloudWatch alarms on the service's
// CPU and memory and the target group's 5xx and unhealthy hosts), Domain (an
// ACM certificate validated through Route 53 and an alias record, which sets
// the load balancer's CertificateARN), and Discovery (a Service Connect or
// Cloud Map name through which other patterns' services reach this one, with
// the security group rule between their tasks).
type Props struct {
	// Network to run in, from network.New: for example another pattern's
	// Pattern.Network. If nil, one is created from NetworkProps.
	Network *network.Network
	// NetworkProps creates the network when Network is nil. To use a VPC
	// that exists outside this app, set its VPCID, PublicSubnetIDs and
	// PrivateSubnetIDs here (nothing is created then).
	NetworkProps network.Props

	// Cluster to run in, from cluster.New or cluster.FromName. If nil, one
	// is created from ClusterProps.
	Cluster *cluster.Cluster
	// ClusterProps creates the cluster when Cluster is nil. With
	// Service.EnableExecuteCommand, its ECS Exec session logging
	// (ExecAudit) is turned on.
	ClusterProps cluster.Props

	// LoadBalancer to sit behind: from loadbalancer.New (another pattern's
	// Pattern.LoadBalancer, with a Rule), or loadbalancer.FromAttributes
	// for one managed elsewhere. It must be in the pattern's network, so it
	// needs Network or an existing VPC in NetworkProps. If nil, one is
	// created from LoadBalancerProps.
	LoadBalancer *loadbalancer.LoadBalancer
	// LoadBalancerProps creates the load balancer when LoadBalancer is nil.
	// VPCID and SubnetIDs come from the network: leave them empty.
	LoadBalancerProps loadbalancer.Props
	// Rule puts the service behind LoadBalancer through a listener rule and
	// a target group of its own (loadbalancer.AddTarget, with the pattern's
	// id), instead of the load balancer's default target group: how several
	// services share one load balancer. If Rule.Name is empty, Service.Name.
	// Only with a LoadBalancer from loadbalancer.New.
	Rule *loadbalancer.RuleProps

	// ServiceProps is the Fargate service. VPCID, SubnetIDs, WaitFor, Cluster and
	// LoadBalancer are wired by the pattern: leave them empty. Region,
	// AccountID and Partition are the stack's when empty (its provider's
	// region; the account and partition looked up once per stack).
	ServiceProps service.Props

	// Unscoped creates the parts directly in scope, with the ids NetworkID,
	// ClusterID, LoadBalancerID and ServiceID, instead of under scope/id:
	// the resources then have the addresses they have when the constructs
	// are wired by hand (and in stacks.New), so a stack can adopt the pattern
	// without replacing anything. One unscoped pattern fits in a scope.
	Unscoped bool
}

// Pattern is what [New] created or took. Every part is exported, so that
// users can adjust what the props do not cover.
type Pattern struct {
	// Scope holds the parts the pattern created: scope/id, or scope itself
	// with Props.Unscoped.
	Scope constructs.Construct
	// Network, Cluster and LoadBalancer are the ones the service uses,
	// created or taken. With a Rule, LoadBalancer is the value AddTarget
	// returned: the shared ALB with this service's target group and rule.
	Network      *network.Network
	Cluster      *cluster.Cluster
	LoadBalancer *loadbalancer.LoadBalancer
	Service      *service.Service
	// Created says which parts the pattern created from its props; the
	// others were given.
	Created Created
}

// Created says which parts a [Pattern] created from its props (true) and
// which it was given (false).
type Created struct {
	// Network is true when the network came from NetworkProps, also for an
	// existing VPC named by id there (which creates no resource).
	Network      bool
	Cluster      bool
	LoadBalancer bool
	// Rule is true when the pattern added a target group and listener rule
	// to a given load balancer.
	Rule bool
}

// URL is where the service answers: the load balancer's URL (https:// when
// it has a certificate). With a Rule, only the rule's paths reach the service.
func (p *Pattern) URL() string { return p.LoadBalancer.URL() }

// plan is what check resolved: which parts are created, and which fields
// are therefore wired rather than known now.
type plan struct {
	id   string
	rule *loadbalancer.RuleProps
	// newVpc: the network is created here, so its ids are wired.
	newVpc bool
}

// Validate checks props as New(scope, id, props) would, every part's props
// included, without creating anything, and returns one *propcheck.Error that
// lists every problem.
func Validate(id string, props Props) error {
	_, err := check(id, props, Wired{})
	return err
}

// Wired names the props a caller fills in from constructs it creates
// alongside the pattern, for [ValidateWired].
type Wired struct {
	// Certificate: LoadBalancerProps.CertificateARN comes from a
	// certificate created alongside (package domain).
	Certificate bool
	// Namespace: Service.ServiceConnect.Namespace comes from a namespace
	// created alongside (package connect).
	Namespace bool
}

// ValidateWired checks props like [Validate], except the props w names: they
// do not exist before the constructs that provide them are created. [New]
// checks them all.
func ValidateWired(id string, props Props, w Wired) error {
	_, err := check(id, props, w)
	return err
}

// provided is the rule for a field the pattern fills in.
const provided = "is provided by the pattern: leave it empty"

func check(id string, props Props, w Wired) (plan, error) {
	c := verify.New("albservice.New(" + id + ")")
	p := plan{id: id}
	if id == "" || strings.Contains(id, "/") {
		c.Add("id", id, `must be a non-empty construct id without "/"`)
	}
	region := props.ServiceProps.Region

	// The network: given, or created (a new VPC, or an existing one by id).
	if props.Network != nil {
		exclusive(c, "Network", "NetworkProps", props.NetworkProps)
	} else {
		c.Merge("Network", network.Validate(props.NetworkProps))
		p.newVpc = props.NetworkProps.VPCID == "" && len(props.NetworkProps.PublicSubnetIDs) == 0 && len(props.NetworkProps.PrivateSubnetIDs) == 0
		checkZones(c, props.NetworkProps, region)
	}
	net := knownNetwork(props)

	if props.Cluster != nil {
		exclusive(c, "Cluster", "ClusterProps", props.ClusterProps)
	} else {
		c.Merge("Cluster", cluster.Validate(clusterProps(props)))
	}

	if props.LoadBalancer != nil {
		exclusive(c, "LoadBalancer", "LoadBalancerProps", props.LoadBalancerProps)
		if p.newVpc {
			c.Add("Props.LoadBalancer", "given", "conflicts with creating the network (Props.Network is nil and NetworkProps names no VPCID): a load balancer stays in its VPC, so give the network it is in")
		}
	} else {
		lbp := props.LoadBalancerProps
		if lbp.VPCID != "" {
			c.Add("LoadBalancer.VPCID", lbp.VPCID, provided+" (from its network)")
		}
		if len(lbp.SubnetIDs) > 0 {
			c.Add("LoadBalancer.SubnetIDs", lbp.SubnetIDs, provided+" (the network's public subnets)")
		}
		lbp.VPCID, lbp.SubnetIDs = net.VPCID, net.PublicSubnetIDs
		c.Merge("LoadBalancer", loadbalancer.ValidateWired(lbp, loadbalancer.Wired{Network: p.newVpc, Certificate: w.Certificate}))
	}

	if props.Rule != nil {
		rule := *props.Rule
		if rule.Name == "" {
			rule.Name = props.ServiceProps.Name
		}
		p.rule = &rule
		switch {
		case props.LoadBalancer == nil:
			c.Add("Props.Rule", rule.PathPatterns, "conflicts with creating the load balancer (Props.LoadBalancer is nil): a load balancer the pattern creates sends everything to this service; Rule shares a given one")
		case props.LoadBalancer.ALB == nil:
			c.Add("Props.Rule", rule.PathPatterns, "needs a LoadBalancer from loadbalancer.New: one from FromAttributes is managed elsewhere, add the rule there")
		default:
			c.Merge("Props.Rule", props.LoadBalancer.ValidateTarget(id, rule))
		}
	}

	checkService(c, props, p, net, w)
	return p, c.Err()
}

// exclusive records a problem when both an existing part and the props to
// create one are given.
func exclusive(c *verify.Checker, part, propsField string, v any) {
	if !reflect.ValueOf(v).IsZero() {
		c.Add("Props."+propsField, "set", "conflicts with Props.%s: give an existing %s or the props to create one, not both", part, strings.ToLower(part))
	}
}

// knownNetwork is the network as far as it is known before it exists: the
// given one, or the ids of an existing VPC named in NetworkProps (empty for
// a VPC the pattern creates, whose ids are wired).
func knownNetwork(props Props) *network.Network {
	if props.Network != nil {
		return props.Network
	}
	np := props.NetworkProps
	n := &network.Network{VPCID: np.VPCID, VPCCIDR: np.VPCCIDR, PublicSubnetIDs: np.PublicSubnetIDs, PrivateSubnetIDs: np.PrivateSubnetIDs, Egress: np.Egress}
	if np.VPCID == "" {
		n.VPCCIDR = np.CIDR
		if n.VPCCIDR == "" {
			n.VPCCIDR = network.DefaultCIDR
		}
	}
	return n
}

// checkZones records zones named outside the service's region.
func checkZones(c *verify.Checker, np network.Props, region string) {
	for i, az := range np.AvailabilityZones {
		if !verify.IsToken(az) && region != "" && !strings.HasPrefix(az, region) {
			c.Add(fmt.Sprintf("Network.AvailabilityZones[%d]", i), az, "is not in the service's region %q", region)
		}
	}
}

func checkService(c *verify.Checker, props Props, p plan, net *network.Network, pw Wired) {
	sp := props.ServiceProps
	checkNetworkWired(c, sp)
	if sp.Cluster != nil {
		c.Add("Service.Cluster", "set", provided+": give an existing cluster as Props.Cluster")
	}
	if sp.LoadBalancer != nil {
		c.Add("Service.LoadBalancer", "set", provided+": give an existing load balancer as Props.LoadBalancer")
	}
	if net.Egress == network.VPCEndpointsOnly && p.newVpc {
		if vpc, err := netip.ParsePrefix(net.VPCCIDR); err == nil {
			for i, e := range sp.EgressCIDRs {
				if q, err := netip.ParsePrefix(e); err == nil && (!vpc.Contains(q.Addr()) || q.Bits() < vpc.Bits()) {
					c.Add(fmt.Sprintf("Service.EgressCIDRs[%d]", i), e, "lies outside the VPC %s: with VPCEndpointsOnly there is no route beyond it", net.VPCCIDR)
				}
			}
		}
	}
	if net.Egress == network.VPCEndpointsOnly {
		checkEndpointsOnly(c, sp.Containers, endpointServices(props))
	}
	if cert := props.LoadBalancerProps.CertificateARN; props.LoadBalancer == nil && cert != "" && !verify.IsToken(cert) {
		// ACM certificates are regional: a listener takes one from its own
		// region only.
		if parts := strings.Split(cert, ":"); len(parts) > 3 && parts[2] == "acm" && sp.Region != "" && parts[3] != sp.Region {
			c.Add("LoadBalancer.CertificateARN", cert, "is an ACM certificate in %s, but the service and its load balancer are in %q: a listener uses certificates of its own region (ACM User Guide, Supported Regions)", parts[3], sp.Region)
		}
	}
	w := service.Wired{Network: p.newVpc, Cluster: props.Cluster == nil, LoadBalancer: props.LoadBalancer == nil || p.rule != nil, Namespace: pw.Namespace}
	sp = wireService(sp, net, props.Cluster, props.LoadBalancer)
	if p.rule != nil {
		// AddTarget makes the target group the service registers in.
		sp.LoadBalancer = nil
	}
	c.Merge("Service", service.ValidateWired(sp, w))
}

// checkNetworkWired refuses the service fields the pattern fills in from its
// network.
func checkNetworkWired(c *verify.Checker, sp service.Props) {
	if sp.VPCID != "" {
		c.Add("Service.VPCID", sp.VPCID, provided+" (from its network)")
	}
	if len(sp.SubnetIDs) > 0 {
		c.Add("Service.SubnetIDs", sp.SubnetIDs, provided+" (the network's private subnets)")
	}
	if len(sp.WaitFor) > 0 {
		c.Add("Service.WaitFor", len(sp.WaitFor), provided+" (the network's egress)")
	}
}

// clusterProps are the props of the cluster the pattern creates: with ECS
// Exec on in the service, its sessions are logged (service.New refuses ECS
// Exec on a cluster that does not log them).
func clusterProps(props Props) cluster.Props {
	p := props.ClusterProps
	if props.ServiceProps.EnableExecuteCommand {
		p.ExecAudit.Enabled = true
	}
	return p
}

// endpointServices are the interface endpoints the tasks' network has or
// will have (with Egress VPCEndpointsOnly).
func endpointServices(props Props) []string {
	if props.Network != nil {
		return slices.Sorted(maps.Keys(props.Network.Endpoints))
	}
	return append(slices.Clone(network.EndpointServices()), props.NetworkProps.ExtraEndpointServices...)
}

// checkEndpointsOnly refuses what a task cannot do without a route to the
// internet: pull an image from outside ECR, or read a secret whose service
// has no interface endpoint.
func checkEndpointsOnly(c *verify.Checker, containers []container.Definition, endpoints []string) {
	for i, d := range containers {
		if d.Image != "" && !container.FromECR(d.Image) {
			c.Add(fmt.Sprintf("Service.Containers[%d].Image", i), d.Image, "with Network.Egress VPCEndpointsOnly tasks have no route to the internet: the image must come from a private ECR repository (<account>.dkr.ecr.<region>.amazonaws.com/<repository>)")
		}
		for _, k := range slices.Sorted(maps.Keys(d.Secrets)) {
			arn := d.Secrets[k]
			svc := "ssm"
			if strings.Contains(arn, ":secretsmanager:") {
				svc = "secretsmanager"
			}
			if !verify.IsToken(arn) && !slices.Contains(endpoints, svc) {
				c.Add(fmt.Sprintf("Service.Containers[%d].Secrets[%q]", i, k), arn, "with Network.Egress VPCEndpointsOnly the task reads it through a VPC endpoint: add %q to Network.ExtraEndpointServices", svc)
			}
		}
	}
}

// unscopedIDs are the ids an unscoped pattern creates directly in its scope:
// one for each part it creates, and for a Rule the target group and rule
// that AddTarget adds under the load balancer's own scope (checked there).
func (p plan) unscopedIDs(props Props) []string {
	var ids []string
	if props.Network == nil && p.newVpc {
		ids = append(ids, NetworkID)
	}
	if props.Cluster == nil {
		ids = append(ids, ClusterID)
	}
	if props.LoadBalancer == nil {
		ids = append(ids, LoadBalancerID)
	}
	return append(ids, ServiceID)
}

// wireService fills in what the pattern provides. Any of n's fields, cl and
// alb may still be unknown (empty or nil) when it is called from check.
func wireService(sp service.Props, n *network.Network, cl *cluster.Cluster, alb *loadbalancer.LoadBalancer) service.Props {
	sp.Cluster = cl
	sp.VPCID = n.VPCID
	sp.SubnetIDs = n.PrivateSubnetIDs
	sp.WaitFor = n.EgressReady
	sp.LoadBalancer = alb
	if n.Egress == network.VPCEndpointsOnly && len(sp.EgressCIDRs) == 0 && len(sp.EgressPrefixListIDs) == 0 && !sp.EgressAllowAll {
		// No internet route: HTTPS to the endpoints inside the VPC and to
		// S3 (image layers) through its gateway endpoint is all tasks need.
		if n.VPCCIDR != "" {
			sp.EgressCIDRs = []string{n.VPCCIDR}
		}
		if s3, ok := n.Endpoints["s3"]; ok {
			sp.EgressPrefixListIDs = []string{*s3.PrefixListId()}
		}
	}
	return sp
}

// New validates props and creates, under scope/id (or in scope with
// Props.Unscoped), what is not given: the network, the cluster, the load
// balancer (or, with a Rule, a target group and listener rule on the given
// one), then the service wired to them. On invalid props it returns a
// *propcheck.Error and creates nothing.
func New(scope constructs.Construct, id string, props Props) (out *Pattern, err error) {
	// The stack's region, so that the checks of the parts against the
	// service's region (zones, certificate) apply, and its absence is
	// refused, before any part is created.
	noRegion := false
	if props.ServiceProps.Region == "" && scope != nil {
		region, err := stackwide.Region(scope)
		props.ServiceProps.Region, noRegion = region, err == nil && region == ""
	}
	p, err := check(id, props, Wired{})
	if noRegion {
		c := verify.New("albservice.New(" + id + ")")
		c.Merge("", err)
		c.Add("Service.Region", "", stackwide.NoRegion)
		err = c.Err()
	}
	if err != nil {
		return nil, err
	}
	// The ids this call takes in scope, checked before anything is created,
	// so that a clash leaves no part behind.
	c := verify.New("albservice.New(" + id + ")")
	ids := []string{id}
	if props.Unscoped {
		ids = p.unscopedIDs(props)
	}
	for _, cid := range ids {
		registry.CheckID(c, scope, cid)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	// The generated bindings panic on what validation cannot see; turn that
	// into an error rather than a jsii stack trace.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("albservice.New(%s): %s", id, tfx.PanicMessage(r))
		}
	}()
	s := scope
	if !props.Unscoped {
		s = constructs.NewConstruct(scope, &id)
	}
	out = &Pattern{Scope: s, Network: props.Network, Cluster: props.Cluster, LoadBalancer: props.LoadBalancer}
	// The steps, in dependency order; features to come add theirs after
	// addService.
	for _, step := range []func(Props, plan) error{out.addNetwork, out.addCluster, out.addLoadBalancer, out.addService} {
		if err := step(props, p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (out *Pattern) addNetwork(props Props, _ plan) (err error) {
	if out.Network == nil {
		out.Created.Network = true
		out.Network, err = network.New(out.Scope, NetworkID, props.NetworkProps)
	}
	return err
}

func (out *Pattern) addCluster(props Props, _ plan) (err error) {
	if out.Cluster == nil {
		out.Created.Cluster = true
		out.Cluster, err = cluster.New(out.Scope, ClusterID, clusterProps(props))
	}
	return err
}

func (out *Pattern) addLoadBalancer(props Props, p plan) (err error) {
	switch {
	case out.LoadBalancer == nil:
		lbp := props.LoadBalancerProps
		lbp.VPCID, lbp.SubnetIDs = out.Network.VPCID, out.Network.PublicSubnetIDs
		out.Created.LoadBalancer = true
		out.LoadBalancer, err = loadbalancer.New(out.Scope, LoadBalancerID, lbp)
	case p.rule != nil:
		out.Created.Rule = true
		out.LoadBalancer, err = out.LoadBalancer.AddTarget(p.id, *p.rule)
	}
	return err
}

func (out *Pattern) addService(props Props, _ plan) (err error) {
	sp := wireService(props.ServiceProps, out.Network, out.Cluster, out.LoadBalancer)
	out.Service, err = service.New(out.Scope, ServiceID, sp)
	return err
}

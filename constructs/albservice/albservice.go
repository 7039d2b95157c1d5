// Package albservice is the one-call pattern: a Fargate service behind an
// Application Load Balancer, in any CDKTF stack, with the network, the
// cluster and the load balancer it needs either created from props or taken
// as they are, and everything wired together: the private subnets and the
// egress readiness (NAT routes or VPC endpoints) for the tasks, the public
// subnets for the load balancer, its target group and security groups for
// the service, and one account and partition lookup per stack. With
// [Props.Domain] it also names the load balancer (a DNS-validated certificate,
// HTTPS, alias records), and with [Props.NamespaceProps] it creates an ECS
// Service Connect namespace its services join. It is this library's
// ApplicationLoadBalancedFargateService.
//
// Patterns compose: [Pattern.AddRoute] (or a second [New] with the first
// one's Network, Cluster and LoadBalancer and a [Props.Rule]) puts another
// service behind the same load balancer on a rule of its own, and
// [Pattern.AddWorker] adds a service without one. [Validate] checks a
// pattern's props, and [Props.ValidateRoute] and [Props.ValidateWorker] what
// it will add, before anything exists: what the pattern wires is known from
// its props to be wired, so no stand-in value is ever passed through a check.
package albservice

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsroute53zone"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/domain"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/naming"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/stackwide"
	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/txn"
	"github.com/fargatekit/fargatekit/internal/wired"
)

// The construct ids of the parts, under scope/id (or under scope with
// [Props.Unscoped]). They are API: they make the resource addresses.
const (
	NetworkID      = "Network"
	ClusterID      = "Cluster"
	LoadBalancerID = "LoadBalancer"
	ServiceID      = "Service"
	// NamespaceID is the Service Connect namespace of Props.NamespaceProps.
	NamespaceID = "Namespace"
	// DomainID is the certificate, its validation and the alias records of
	// Props.Domain; ZoneID the lookup of its hosted zone.
	DomainID = "Domain"
	ZoneID   = "Zone"
)

// Props configures a [Pattern]. For each of the network, the cluster and the
// load balancer, give an existing one (the pointer) or the props to create
// one, never both. The zero value of everything but ServiceProps.Region and
// ServiceProps.Containers creates a production network (a NAT gateway per
// zone), a cluster with Container Insights and an internet-facing ALB with
// deletion protection, all named after the pattern's id.
//
// Every optional feature is a field whose zero value is the safe default,
// resolved in [Validate] and created as a step of [New], each created
// resource exported on [Pattern]: [Props.Domain] (a DNS-validated
// certificate, HTTPS and alias records), [Props.NamespaceProps] (ECS Service
// Connect between this pattern's services and others), and, in
// ServiceProps, alarms (service.Props.Alarms, on by default), autoscaling
// and deployment settings.
type Props struct {
	// Network to run in, from network.New: for example another pattern's
	// Pattern.Network. If nil, one is created from NetworkProps.
	Network *network.Network
	// NetworkProps creates the network when Network is nil. To use a VPC
	// that exists outside this app, set its VPCID, PublicSubnetIDs and
	// PrivateSubnetIDs here (nothing is created then). If
	// NetworkProps.Name is empty, it is derived from the pattern's id:
	// lower-cased, each run of other characters than letters and digits
	// made a hyphen, at most 63 characters ("Web" gives "web").
	NetworkProps network.Props

	// Cluster to run in, from cluster.New or cluster.FromName. If nil, one
	// is created from ClusterProps.
	Cluster *cluster.Cluster
	// ClusterProps creates the cluster when Cluster is nil. With
	// ServiceProps.EnableExecuteCommand, its ECS Exec session logging
	// (ExecAudit) is turned on. If ClusterProps.Name is empty, it is derived
	// from the pattern's id, as NetworkProps.Name is.
	ClusterProps cluster.Props

	// LoadBalancer to sit behind: from loadbalancer.New (another pattern's
	// Pattern.LoadBalancer, with a Rule), or loadbalancer.FromAttributes
	// for one managed elsewhere. It must be in the pattern's network, so it
	// needs Network or an existing VPC in NetworkProps. If nil, one is
	// created from LoadBalancerProps.
	LoadBalancer *loadbalancer.LoadBalancer
	// LoadBalancerProps creates the load balancer when LoadBalancer is nil.
	// VPCID and SubnetIDs come from the network: leave them empty; so does
	// CertificateARN with Domain. If LoadBalancerProps.Name is empty, it is
	// derived from the pattern's id, as NetworkProps.Name is.
	LoadBalancerProps loadbalancer.Props
	// Rule puts the service behind LoadBalancer through a listener rule and
	// a target group of its own (loadbalancer.AddTarget, with the pattern's
	// id), instead of the load balancer's default target group: how several
	// services share one load balancer (see [Pattern.AddRoute]). If
	// Rule.Name is empty, ServiceProps.Name. Only with a LoadBalancer from
	// loadbalancer.New.
	Rule *loadbalancer.RuleProps

	// Domain, when set, names the load balancer the pattern creates
	// (package domain): an ACM certificate for Domain.Name and
	// SubjectAlternativeNames validated by DNS, which the load balancer's
	// HTTPS listener uses (HTTP on port 80 then redirects to it), and an A
	// alias record per name pointing at the load balancer. If Domain.ZoneID
	// is empty, the public hosted zone Domain.ZoneName is looked up by name
	// (data source aws_route53_zone, id ZoneID). LoadBalancerProps.CertificateARN
	// must then be empty, and LoadBalancer nil.
	Domain *domain.Props
	// NamespaceProps, when set, creates an ECS Service Connect namespace
	// (package connect) before the service. The pattern's service, and the
	// services [Pattern.AddWorker] and [Pattern.AddRoute] add, join it when
	// they serve a port or call others (ServiceConnect.Serve or Calls) and
	// their ServiceConnect.Namespace is nil.
	NamespaceProps *connect.Props

	// ServiceProps is the Fargate service. VPCID, SubnetIDs, WaitFor,
	// Cluster and LoadBalancer are wired by the pattern: leave them empty;
	// ServiceConnect.Namespace too, with NamespaceProps. Region, AccountID
	// and Partition are the stack's when empty (its provider's region; the
	// account and partition looked up once per stack). If ServiceProps.Name
	// is empty, it is derived from the pattern's id, as NetworkProps.Name is.
	ServiceProps service.Props

	// Unscoped creates the parts directly in scope, with the ids NetworkID,
	// ClusterID, LoadBalancerID and ServiceID (and NamespaceID, DomainID and
	// ZoneID), instead of under scope/id:
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
	// Namespace is what Props.NamespaceProps created (for a pattern from
	// AddRoute, the one it shares), Domain what Props.Domain created (the
	// certificate and the alias records), and Zone
	// the lookup of the domain's hosted zone (when Domain.ZoneID was empty).
	// Each is nil unless the props ask for it.
	Namespace *connect.Namespace
	Domain    *domain.Domain
	Zone      dataawsroute53zone.DataAwsRoute53Zone
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

// URL is where the service answers: with a Domain, https:// and its Name;
// else the load balancer's URL (https:// when it has a certificate). With a
// Rule, only the rule's paths reach the service.
func (p *Pattern) URL() string {
	if p.Domain != nil {
		return "https://" + p.Domain.Names[0]
	}
	return p.LoadBalancer.URL()
}

// plan is what check resolved: the props with their defaults, which parts
// are created, and which fields are therefore wired rather than known now.
type plan struct {
	id    string
	props Props
	rule  *loadbalancer.RuleProps
	// newVpc: the network is created here, so its ids are wired.
	newVpc bool
}

// Validate checks props as New(scope, id, props) would, every part's props
// included (the domain's and the namespace's too), without creating anything
// and without starting the jsii kernel, and returns one *propcheck.Error that
// lists every problem. What the pattern creates and wires (the network's ids,
// the cluster, the load balancer, the certificate of Domain, the namespace of
// NamespaceProps) is known from props to be wired: those fields are not
// checked until New has the real values.
func Validate(id string, props Props) error {
	_, err := check(id, props)
	return verify.Located(err, id)
}

// provided is the rule for a field the pattern fills in.
const provided = "is provided by the pattern: leave it empty"

// withNames fills in the names props leaves empty, from the pattern's id.
// Only the parts the pattern creates are named.
func withNames(id string, props Props) Props {
	name := naming.FromID(id)
	if props.Network == nil && props.NetworkProps.Name == "" {
		props.NetworkProps.Name = name
	}
	if props.Cluster == nil && props.ClusterProps.Name == "" {
		props.ClusterProps.Name = name
	}
	if props.LoadBalancer == nil && props.LoadBalancerProps.Name == "" {
		props.LoadBalancerProps.Name = name
	}
	if props.ServiceProps.Name == "" {
		props.ServiceProps.Name = name
	}
	return props
}

// isNewVpc says whether props create a VPC (rather than take a network, or
// an existing VPC by id).
func isNewVpc(props Props) bool {
	np := props.NetworkProps
	return props.Network == nil && np.VPCID == "" && len(np.PublicSubnetIDs) == 0 && len(np.PrivateSubnetIDs) == 0
}

// joinsNamespace says whether a service of the pattern joins the namespace
// of props.NamespaceProps: it serves or calls, and names no namespace.
func joinsNamespace(props Props, sp service.Props) bool {
	sc := sp.ServiceConnect
	return props.NamespaceProps != nil && sc.Namespace == nil && (len(sc.Serve) > 0 || len(sc.Calls) > 0)
}

func check(id string, props Props) (plan, error) {
	c := verify.New("albservice.New")
	props = withNames(id, props)
	p := plan{id: id, props: props, newVpc: isNewVpc(props)}
	if id == "" || strings.Contains(id, "/") {
		c.Add("id", id, `must be a non-empty construct id without "/"`)
	}
	region := props.ServiceProps.Region

	// The network: given, or created (a new VPC, or an existing one by id).
	if props.Network != nil {
		exclusive(c, "Network", "NetworkProps", props.NetworkProps)
	} else {
		c.MergeUnder("NetworkProps", network.Validate(props.NetworkProps))
		checkZones(c, props.NetworkProps, region)
	}
	net := knownNetwork(props)

	if props.Cluster != nil {
		exclusive(c, "Cluster", "ClusterProps", props.ClusterProps)
	} else {
		c.MergeUnder("ClusterProps", cluster.Validate(clusterProps(props)))
	}

	if props.NamespaceProps != nil {
		c.MergeUnder("NamespaceProps", connect.Validate(*props.NamespaceProps))
	}
	if d := props.Domain; d != nil {
		if props.LoadBalancer != nil {
			c.Add("Domain", d.Name, "conflicts with LoadBalancer: the pattern puts the domain's certificate on a load balancer it creates (give a certificate to a given load balancer where it is managed)")
		}
		if cert := props.LoadBalancerProps.CertificateARN; cert != "" {
			c.Add("LoadBalancerProps.CertificateARN", cert, "conflicts with Domain, whose certificate the load balancer uses: give one of them")
		}
		c.MergeUnder("Domain", wired.Check(*d, wired.Parts{Zone: d.ZoneID == ""}))
	}

	if props.LoadBalancer != nil {
		exclusive(c, "LoadBalancer", "LoadBalancerProps", props.LoadBalancerProps)
		if p.newVpc {
			c.Add("LoadBalancer", "given", "conflicts with creating the network (Network is nil and NetworkProps names no VPCID): a load balancer stays in its VPC, so give the network it is in")
		}
	} else {
		lbp := props.LoadBalancerProps
		if lbp.VPCID != "" {
			c.Add("LoadBalancerProps.VPCID", lbp.VPCID, provided+" (from its network)")
		}
		if len(lbp.SubnetIDs) > 0 {
			c.Add("LoadBalancerProps.SubnetIDs", lbp.SubnetIDs, provided+" (the network's public subnets)")
		}
		lbp.VPCID, lbp.SubnetIDs = net.VPCID, net.PublicSubnetIDs
		if props.Domain != nil {
			lbp.CertificateARN = "" // refused above; the domain's certificate is wired
		}
		c.MergeUnder("LoadBalancerProps", wired.Check(lbp, wired.Parts{Network: p.newVpc, Certificate: props.Domain != nil}))
	}

	if props.Rule != nil {
		rule := *props.Rule
		if rule.Name == "" {
			rule.Name = props.ServiceProps.Name
		}
		p.rule = &rule
		switch {
		case props.LoadBalancer == nil:
			c.Add("Rule", rule.PathPatterns, "conflicts with creating the load balancer (LoadBalancer is nil): a load balancer the pattern creates sends everything to this service; Rule shares a given one")
		case props.LoadBalancer.ALB == nil:
			c.Add("Rule", rule.PathPatterns, "needs a LoadBalancer from loadbalancer.New: one from FromAttributes is managed elsewhere, add the rule there")
		default:
			c.MergeUnder("Rule", props.LoadBalancer.ValidateTarget(id, rule))
		}
	}

	checkService(c, props, p, net)
	return p, c.Err()
}

// exclusive records a problem when both an existing part and the props to
// create one are given.
func exclusive(c *verify.Checker, part, propsField string, v any) {
	if !reflect.ValueOf(v).IsZero() {
		c.Add(propsField, "set", "conflicts with %s: give an existing %s or the props to create one, not both", part, strings.ToLower(part))
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
			c.Add(fmt.Sprintf("NetworkProps.AvailabilityZones[%d]", i), az, "is not in the service's region %q", region)
		}
	}
}

func checkService(c *verify.Checker, props Props, p plan, net *network.Network) {
	sp := props.ServiceProps
	checkNetworkWired(c, "ServiceProps", sp)
	if sp.Cluster != nil {
		c.Add("ServiceProps.Cluster", "set", provided+": give an existing cluster as Cluster")
	}
	if sp.LoadBalancer != nil {
		c.Add("ServiceProps.LoadBalancer", "set", provided+": give an existing load balancer as LoadBalancer")
	}
	if net.Egress == network.VPCEndpointsOnly && p.newVpc {
		if vpc, err := netip.ParsePrefix(net.VPCCIDR); err == nil {
			for i, e := range sp.EgressCIDRs {
				if q, err := netip.ParsePrefix(e); err == nil && (!vpc.Contains(q.Addr()) || q.Bits() < vpc.Bits()) {
					c.Add(fmt.Sprintf("ServiceProps.EgressCIDRs[%d]", i), e, "lies outside the VPC %s: with VPCEndpointsOnly there is no route beyond it", net.VPCCIDR)
				}
			}
		}
	}
	if net.Egress == network.VPCEndpointsOnly {
		checkEndpointsOnly(c, "ServiceProps", sp.Containers, endpointServices(props))
	}
	if cert := props.LoadBalancerProps.CertificateARN; props.LoadBalancer == nil && cert != "" && !verify.IsToken(cert) {
		// ACM certificates are regional: a listener takes one from its own
		// region only.
		if parts := strings.Split(cert, ":"); len(parts) > 3 && parts[2] == "acm" && sp.Region != "" && parts[3] != sp.Region {
			c.Add("LoadBalancerProps.CertificateARN", cert, "is an ACM certificate in %s, but the service and its load balancer are in %q: a listener uses certificates of its own region (ACM User Guide, Supported Regions)", parts[3], sp.Region)
		}
	}
	w := wired.Parts{Network: p.newVpc, Cluster: props.Cluster == nil, LoadBalancer: props.LoadBalancer == nil || p.rule != nil, Namespace: joinsNamespace(props, sp)}
	sp = wireService(sp, net, props.Cluster, props.LoadBalancer)
	if p.rule != nil {
		// AddTarget makes the target group the service registers in.
		sp.LoadBalancer = nil
	}
	c.MergeUnder("ServiceProps", wired.Check(sp, w))
}

// checkNetworkWired refuses the service fields the pattern fills in from its
// network; field is the path of sp in the caller's props.
func checkNetworkWired(c *verify.Checker, field string, sp service.Props) {
	if sp.VPCID != "" {
		c.Add(verify.Join(field, "VPCID"), sp.VPCID, provided+" (from its network)")
	}
	if len(sp.SubnetIDs) > 0 {
		c.Add(verify.Join(field, "SubnetIDs"), sp.SubnetIDs, provided+" (the network's private subnets)")
	}
	if len(sp.WaitFor) > 0 {
		c.Add(verify.Join(field, "WaitFor"), len(sp.WaitFor), provided+" (the network's egress)")
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
// has no interface endpoint. field is the path of the service's props in
// the caller's props.
func checkEndpointsOnly(c *verify.Checker, field string, containers []container.Definition, endpoints []string) {
	for i, d := range containers {
		if d.Image != "" && !container.FromECR(d.Image) {
			c.Add(verify.Join(field, fmt.Sprintf("Containers[%d].Image", i)), d.Image, "with the network's Egress VPCEndpointsOnly tasks have no route to the internet: the image must come from a private ECR repository (<account>.dkr.ecr.<region>.amazonaws.com/<repository>)")
		}
		for _, k := range slices.Sorted(maps.Keys(d.Secrets)) {
			// The service is known even when the ARN is a token.
			secret := d.Secrets[k]
			if svc := secret.Service(); svc != "" && !slices.Contains(endpoints, svc) {
				c.Add(verify.Join(field, fmt.Sprintf("Containers[%d].Secrets[%q]", i, k)), secret.ValueFrom(), "with the network's Egress VPCEndpointsOnly the task reads it through a VPC endpoint: add %q to the network's ExtraEndpointServices", svc)
			}
		}
	}
}

// unscopedIDs are the ids an unscoped pattern creates directly in its scope:
// one for each part it creates, and for a Rule the target group and rule
// that AddTarget adds under the load balancer's own scope (checked there).
func (p plan) unscopedIDs(props Props) []string {
	var ids []string
	if props.NamespaceProps != nil {
		ids = append(ids, NamespaceID)
	}
	if props.Domain != nil {
		if props.Domain.ZoneID == "" {
			ids = append(ids, ZoneID)
		}
		ids = append(ids, DomainID)
	}
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
// Props.Unscoped), what is not given, in this order: the namespace of
// NamespaceProps, the certificate of Domain (after the lookup of its zone),
// the network, the cluster, the load balancer (or, with a Rule, a target
// group and listener rule on the given one), the service wired to them, and
// the domain's alias records. On invalid props it returns a
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
	p, err := check(id, props)
	if noRegion {
		c := verify.New("albservice.New")
		c.Merge("", err)
		c.Add("ServiceProps.Region", "", stackwide.NoRegion)
		err = c.Err()
	}
	if err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	props = p.props // with the names derived from id
	// The ids this call takes in scope, checked before anything is created,
	// so that a clash leaves no part behind.
	c := verify.New("albservice.New")
	ids := []string{id}
	if props.Unscoped {
		ids = p.unscopedIDs(props)
	}
	for _, cid := range ids {
		registry.CheckID(c, scope, cid)
	}
	if p.rule != nil {
		// AddTarget's target group and rule go in the load balancer's scope.
		if lbs, ok := props.LoadBalancer.ALB.Node().Scope().(constructs.Construct); ok {
			for _, cid := range []string{id + "TargetGroup", id + "Rule"} {
				registry.CheckID(c, lbs, cid)
			}
		}
	}
	if err := c.Err(); err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	// The names every part claims and the tokens of all props, looked up in
	// the stack at once: each part's constructor would find them only after
	// the parts before it exist.
	registry.Lookup(c, scope, p.entries(scope, props))
	if err := c.Err(); err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	// The generated bindings panic on what validation cannot see; turn that
	// into an error rather than a jsii stack trace.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("albservice.New(%s): %s", id, tfx.PanicMessage(r))
		}
	}()
	// Whatever fails from here on takes back what was created.
	var undo txn.Undo
	defer undo.OnError(&err)
	s := scope
	if !props.Unscoped {
		s = constructs.NewConstruct(scope, &id)
		undo.Child(scope, id)
	}
	out = &Pattern{Scope: s, Network: props.Network, Cluster: props.Cluster, LoadBalancer: props.LoadBalancer}
	// The steps, in dependency order.
	for _, step := range []func(Props, plan, *txn.Undo) error{out.addNamespace, out.addDomain, out.addNetwork, out.addCluster, out.addLoadBalancer, out.addService, out.addAliases} {
		if err := step(props, p, &undo); err != nil {
			return nil, adopt(scope, id, err)
		}
	}
	if err := txn.Fault("albservice.New"); err != nil {
		return nil, err
	}
	return out, nil
}

// addNamespace and addDomain come first: the service joins the namespace,
// and the load balancer takes the domain's certificate.
func (out *Pattern) addNamespace(props Props, p plan, undo *txn.Undo) (err error) {
	if props.NamespaceProps != nil {
		if out.Namespace, err = connect.New(out.Scope, NamespaceID, *props.NamespaceProps); err == nil {
			p.undoPart(out.Scope, NamespaceID, props, undo)
		}
	}
	return err
}

func (out *Pattern) addDomain(props Props, p plan, undo *txn.Undo) (err error) {
	if props.Domain == nil {
		return nil
	}
	dp := *props.Domain
	if dp.ZoneID == "" {
		out.Zone = dataawsroute53zone.NewDataAwsRoute53Zone(out.Scope, tfx.Str(ZoneID), &dataawsroute53zone.DataAwsRoute53ZoneConfig{
			Name:        tfx.Str(dp.ZoneName),
			PrivateZone: false,
		})
		p.undoPart(out.Scope, ZoneID, props, undo)
		dp.ZoneID = *out.Zone.ZoneId()
	}
	if out.Domain, err = domain.New(out.Scope, DomainID, dp); err == nil {
		p.undoPart(out.Scope, DomainID, props, undo)
	}
	return err
}

// addAliases points the domain's names at the load balancer. The records
// are created under the domain's scope, so undoing the domain removes them.
func (out *Pattern) addAliases(_ Props, _ plan, _ *txn.Undo) error {
	if out.Domain == nil {
		return nil
	}
	return out.Domain.AliasTo(out.LoadBalancer)
}

// partProps names, for each constructor New calls, the field of Props its
// props come from.
var partProps = map[string]string{
	"network.New":            "NetworkProps",
	"cluster.New":            "ClusterProps",
	"loadbalancer.New":       "LoadBalancerProps",
	"loadbalancer.AddTarget": "Rule",
	"service.New":            "ServiceProps",
	"connect.New":            "NamespaceProps",
	"domain.New":             "Domain",
}

// adopt returns the error of a part's constructor (found only when the
// part is created) as New's own: on the user's field of Props, at the
// pattern's path.
func adopt(scope constructs.Construct, id string, err error) error {
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		return err
	}
	field, ok := partProps[pe.Op]
	if !ok {
		return err
	}
	return verify.New("albservice.New").At(registry.PathOf(scope, id)).Adopt(field, err)
}

// entries are what the parts New creates claim in the stack, and the props
// whose tokens must be real, for registry.Lookup: each part under the id it
// gets in scope, with its problems under the field of Props it comes from.
func (p plan) entries(scope constructs.Construct, props Props) []registry.Entry {
	part := func(partID string) string {
		if props.Unscoped {
			return partID
		}
		return p.id + "/" + partID
	}
	var out []registry.Entry
	add := func(construct, partID, root string, partProps any) {
		if e, ok := registry.Plan(construct, partProps); ok {
			e.Scope, e.ID, e.Root, e.Props = scope, part(partID), root, nil
			out = append(out, e)
		}
	}
	tokens := func(root string, v any) {
		out = append(out, registry.Entry{Op: "albservice.New", Scope: scope, ID: part(root), Root: root, Props: v})
	}
	if props.NamespaceProps != nil {
		add("connect.New", NamespaceID, "NamespaceProps", *props.NamespaceProps)
		tokens("NamespaceProps", *props.NamespaceProps)
	}
	if props.Domain != nil {
		tokens("Domain", *props.Domain)
	}
	net := knownNetwork(props)
	if props.Network == nil {
		add("network.New", NetworkID, "NetworkProps", props.NetworkProps)
		tokens("NetworkProps", props.NetworkProps)
	} else {
		tokens("Network", props.Network)
	}
	cl := props.Cluster
	if cl == nil {
		cp := clusterProps(props)
		add("cluster.New", ClusterID, "ClusterProps", cp)
		tokens("ClusterProps", cp)
		// The service's names are per cluster: the one about to be created.
		cl = &cluster.Cluster{Name: cp.Name}
	} else {
		tokens("Cluster", props.Cluster)
	}
	if props.LoadBalancer == nil {
		lbp := props.LoadBalancerProps
		lbp.VPCID, lbp.SubnetIDs = net.VPCID, net.PublicSubnetIDs
		add("loadbalancer.New", LoadBalancerID, "LoadBalancerProps", lbp)
		tokens("LoadBalancerProps", props.LoadBalancerProps)
	} else {
		tokens("LoadBalancer", props.LoadBalancer)
	}
	if p.rule != nil {
		tokens("Rule", *p.rule)
	}
	sp := wireService(props.ServiceProps, net, cl, nil)
	add("service.New", ServiceID, "ServiceProps", sp)
	tokens("ServiceProps", props.ServiceProps)
	return out
}

// Each step records in undo how to take back what it created, once its
// constructor succeeded (a constructor that fails takes back its own). Under
// scope/id, removing the pattern's own scope takes back its parts; unscoped,
// each part is removed from scope.

func (out *Pattern) addNetwork(props Props, p plan, undo *txn.Undo) (err error) {
	if out.Network == nil {
		out.Created.Network = true
		if out.Network, err = network.New(out.Scope, NetworkID, props.NetworkProps); err == nil && p.newVpc {
			p.undoPart(out.Scope, NetworkID, props, undo)
		}
	}
	return err
}

func (out *Pattern) addCluster(props Props, p plan, undo *txn.Undo) (err error) {
	if out.Cluster == nil {
		out.Created.Cluster = true
		if out.Cluster, err = cluster.New(out.Scope, ClusterID, clusterProps(props)); err == nil {
			p.undoPart(out.Scope, ClusterID, props, undo)
		}
	}
	return err
}

func (out *Pattern) addLoadBalancer(props Props, p plan, undo *txn.Undo) (err error) {
	switch {
	case out.LoadBalancer == nil:
		lbp := props.LoadBalancerProps
		lbp.VPCID, lbp.SubnetIDs = out.Network.VPCID, out.Network.PublicSubnetIDs
		if out.Domain != nil {
			lbp.CertificateARN = out.Domain.CertificateARN
		}
		out.Created.LoadBalancer = true
		if out.LoadBalancer, err = loadbalancer.New(out.Scope, LoadBalancerID, lbp); err == nil {
			p.undoPart(out.Scope, LoadBalancerID, props, undo)
		}
	case p.rule != nil:
		out.Created.Rule = true
		if out.LoadBalancer, err = out.LoadBalancer.AddTarget(p.id, *p.rule); err == nil {
			// The rule and target group are on the shared load balancer,
			// outside the pattern's scope.
			rule := out.LoadBalancer.ListenerRule
			undo.Do(func() { txn.RemoveTarget(rule.Node().Scope(), p.id) })
		}
	}
	return err
}

func (out *Pattern) addService(props Props, p plan, undo *txn.Undo) (err error) {
	sp := out.joinNamespace(props.ServiceProps)
	sp = wireService(sp, out.Network, out.Cluster, out.LoadBalancer)
	if out.Service, err = service.New(out.Scope, ServiceID, sp); err == nil {
		p.undoPart(out.Scope, ServiceID, props, undo)
	}
	return err
}

// undoPart records the removal of an unscoped part (a scoped one goes with
// the pattern's scope).
func (p plan) undoPart(s constructs.Construct, partID string, props Props, undo *txn.Undo) {
	if props.Unscoped {
		undo.Child(s, partID)
	}
}

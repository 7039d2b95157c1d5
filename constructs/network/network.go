// Package network creates the VPC a Fargate service runs in: public subnets for
// the load balancer, private subnets for the tasks, an internet gateway, and
// egress for the private subnets through NAT gateways or VPC endpoints. It can
// also take an existing VPC and its subnets instead.
package network

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsavailabilityzones"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsregion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eip"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/natgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/internal/naming"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/stackwide"
	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/txn"
)

// Egress chooses how tasks in the private subnets reach the outside.
type Egress int

const (
	// NATGatewayPerAZ gives every availability zone its own NAT gateway, so
	// the loss of one zone does not cut the others off. The default.
	NATGatewayPerAZ Egress = iota
	// SingleNATGateway shares one NAT gateway between all zones: cheaper, and
	// a single point of failure. Suits development environments.
	SingleNATGateway
	// VPCEndpointsOnly gives no route to the internet at all: interface
	// endpoints for ECR (api and dkr) and CloudWatch Logs, and an S3 gateway
	// endpoint for image layers. Images must come from ECR.
	VPCEndpointsOnly
)

func (e Egress) String() string {
	switch e {
	case NATGatewayPerAZ:
		return "NATGatewayPerAZ"
	case SingleNATGateway:
		return "SingleNATGateway"
	case VPCEndpointsOnly:
		return "VPCEndpointsOnly"
	}
	return fmt.Sprintf("Egress(%d)", int(e))
}

// Defaults applied to zero-valued props.
const (
	DefaultCIDR          = "10.0.0.0/16"
	DefaultAZCount       = 2
	DefaultSubnetNewBits = 4
	MaxAZCount           = 6
)

// endpointServices are the interface endpoints that VPCEndpointsOnly creates:
// what a Fargate task needs to pull from ECR and ship logs.
var endpointServices = []string{"ecr.api", "ecr.dkr", "logs"}

// EndpointServices returns the interface endpoints that VPCEndpointsOnly creates. It is a copy: changing it changes no check.
func EndpointServices() []string { return slices.Clone(endpointServices) }

// Props configures a [Network]. The zero value, with a Name, is a two-zone VPC
// with a NAT gateway per zone.
type Props struct {
	// Name prefixes the Name tag of every resource. Required.
	Name string

	// CIDR is the VPC's IPv4 block. If empty, DefaultCIDR is used.
	CIDR string
	// AZCount is how many availability zones get a public and a private
	// subnet (2 to MaxAZCount). If zero, DefaultAZCount is used, or the length
	// of AvailabilityZones when that is set.
	AZCount int
	// AvailabilityZones names the zones to use. If empty, the first AZCount
	// zones that the region reports as available are used.
	AvailabilityZones []string
	// SubnetNewBits is how many bits are added to the VPC prefix for each
	// subnet (a /16 VPC with 4 gives /20 subnets). Public subnets take the
	// first netnums, private subnets start halfway. If zero,
	// DefaultSubnetNewBits is used.
	SubnetNewBits int
	// Egress chooses NAT gateways or VPC endpoints for the private subnets.
	Egress Egress
	// ExtraEndpointServices adds interface endpoints (e.g. "secretsmanager",
	// "ssm") when Egress is VPCEndpointsOnly.
	ExtraEndpointServices []string

	// VPCID, with PublicSubnetIDs and PrivateSubnetIDs, uses an existing
	// network instead of creating one; the fields above must then be empty.
	VPCID            string
	PublicSubnetIDs  []string
	PrivateSubnetIDs []string
	// VPCCIDR is the existing VPC's block, if known; constructs that scope
	// rules to the VPC use it.
	VPCCIDR string

	// DisableFlowLogs turns off the VPC flow logs. By default a created VPC
	// records its traffic (accepted and rejected) in the log group
	// /vpc/<Name>/flow-logs, written by a role that may write only there
	// (Security Hub EC2.6). They cost CloudWatch ingestion for every
	// connection, so a throwaway environment may turn them off. An existing
	// VPC (VPCID) gets none: its flow logs belong where it is managed.
	DisableFlowLogs bool
	// FlowLogRetentionDays keeps flow logs this long: one of
	// verify.RetentionDays(). If zero, DefaultFlowLogRetentionDays.
	FlowLogRetentionDays int
	// FlowLogKMSKeyARN encrypts the flow log group with this customer
	// managed key; its key policy must allow logs.<region>.amazonaws.com.
	FlowLogKMSKeyARN string

	// Tags are added to every resource created.
	Tags map[string]string
}

// DefaultFlowLogRetentionDays is how long flow logs are kept by default.
const DefaultFlowLogRetentionDays = 30

// Network is what [New] created or took. The resource fields are nil for an
// existing network and for parts that the chosen Egress does not need.
type Network struct {
	// VPCID, VPCCIDR and the subnet ids are set in both modes.
	VPCID            string
	VPCCIDR          string
	PublicSubnetIDs  []string
	PrivateSubnetIDs []string

	VPC             vpc.Vpc
	InternetGateway internetgateway.InternetGateway
	PublicSubnets   []subnet.Subnet
	PrivateSubnets  []subnet.Subnet
	// PublicRouteTable routes the public subnets to the internet gateway
	// (PublicDefaultRoute); PublicRouteTableAssociations[i] ties it to
	// PublicSubnets[i].
	PublicRouteTable             routetable.RouteTable
	PublicDefaultRoute           route.Route
	PublicRouteTableAssociations []routetableassociation.RouteTableAssociation
	// PrivateRouteTables has one table per zone; PrivateRouteTableAssociations[i]
	// ties it to PrivateSubnets[i]. PrivateDefaultRoutes[i] is its route to a
	// NAT gateway (none with VPCEndpointsOnly).
	PrivateRouteTables            []routetable.RouteTable
	PrivateRouteTableAssociations []routetableassociation.RouteTableAssociation
	PrivateDefaultRoutes          []route.Route
	NATGatewayEIPs                []eip.Eip
	NATGateways                   []natgateway.NatGateway
	// EndpointSecurityGroup admits HTTPS from the VPC (EndpointIngressRule)
	// to the interface endpoints.
	EndpointSecurityGroup securitygroup.SecurityGroup
	EndpointIngressRule   vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule
	// Endpoints maps a service short name ("ecr.api", "s3") to its endpoint.
	Endpoints map[string]vpcendpoint.VpcEndpoint

	// AvailabilityZonesData looks the zones up when Props.AvailabilityZones
	// is empty; RegionData names the endpoints' services (VPCEndpointsOnly).
	AvailabilityZonesData dataawsavailabilityzones.DataAwsAvailabilityZones
	RegionData            dataawsregion.DataAwsRegion

	// FlowLogGroup, FlowLogRole, FlowLogRolePolicy and FlowLog are set
	// unless Props.DisableFlowLogs (or the VPC is an existing one).
	FlowLogGroup      cloudwatchloggroup.CloudwatchLogGroup
	FlowLogRole       iamrole.IamRole
	FlowLogRolePolicy iamrolepolicy.IamRolePolicy
	FlowLog           flowlog.FlowLog

	// AccountID and Partition are the stack's account and partition (tokens)
	// when the network needed them (for the flow log role's trust policy).
	// They are looked up once per stack: CallerIdentity and PartitionData
	// are the data sources when the network was the first construct of the
	// stack to need them and created them, else nil.
	AccountID      string
	Partition      string
	CallerIdentity dataawscalleridentity.DataAwsCallerIdentity
	PartitionData  dataawspartition.DataAwsPartition

	// Egress is the mode the private subnets were given.
	Egress Egress
	// EgressReady lists what must exist before tasks can reach the outside
	// (NAT routes or endpoints); services depend on it.
	EgressReady []cdktf.ITerraformDependable
}

var (
	nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,62}$`)
	azRE   = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$`)
	svcRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,62}$`)
)

// reservedRanges are IPv4 blocks that cannot address hosts in a VPC.
var reservedRanges = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "\"this network\""},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local, where the instance metadata and DNS services live"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
}

type plan struct {
	cidr     string
	azCount  int
	public   []string
	private  []string
	existing bool
}

// Validate checks props without creating anything and returns every problem.
func Validate(props Props) error {
	_, err := check(props)
	return err
}

func check(props Props) (plan, error) {
	c := verify.New("network.New")
	var p plan
	c.Tags("Tags", props.Tags)
	if props.Name == "" || !nameRE.MatchString(props.Name) {
		c.Add("Name", props.Name, "must be 1-63 letters, digits or hyphens, starting with a letter or digit")
	} else {
		c.ReservedPrefix("Name", props.Name, "sg-", verify.SGPrefixRule)
	}
	c.TagCount("Tags", props.Tags, "Name")
	c.FakeTokens("", props)
	if props.FlowLogRetentionDays != 0 {
		if props.DisableFlowLogs {
			c.Add("FlowLogRetentionDays", props.FlowLogRetentionDays, "is only used with flow logs, which DisableFlowLogs turns off")
		}
		verify.OneOf(c, "FlowLogRetentionDays", props.FlowLogRetentionDays, verify.RetentionDays())
	}
	if props.FlowLogKMSKeyARN != "" {
		if props.DisableFlowLogs {
			c.Add("FlowLogKMSKeyARN", props.FlowLogKMSKeyARN, "is only used with flow logs, which DisableFlowLogs turns off")
		}
		c.KMSKeyARN("FlowLogKMSKeyARN", props.FlowLogKMSKeyARN)
	}
	if props.VPCID != "" || len(props.PublicSubnetIDs) > 0 || len(props.PrivateSubnetIDs) > 0 {
		p.existing = true
		checkExisting(c, props)
		return p, c.Err()
	}
	p.cidr = props.CIDR
	if p.cidr == "" {
		p.cidr = DefaultCIDR
	}
	prefix, cidrOK := c.CIDR("CIDR", p.cidr)
	if cidrOK && (prefix.Bits() < 16 || prefix.Bits() > 24) {
		c.Add("CIDR", p.cidr, "the VPC prefix length must be between /16 and /24 (AWS limits)")
		cidrOK = false
	}
	if cidrOK {
		for _, r := range reservedRanges {
			if prefix.Overlaps(r.prefix) {
				c.Add("CIDR", p.cidr, "overlaps %s (%s), which AWS does not route in a VPC: use a private range such as %s", r.prefix, r.what, DefaultCIDR)
				cidrOK = false
				break
			}
		}
	}
	p.azCount = props.AZCount
	if p.azCount == 0 {
		p.azCount = DefaultAZCount
		if len(props.AvailabilityZones) > 0 {
			p.azCount = len(props.AvailabilityZones)
		}
	}
	c.Range("AZCount", p.azCount, 2, MaxAZCount)
	if n := len(props.AvailabilityZones); n > 0 && n != p.azCount {
		c.Add("AvailabilityZones", props.AvailabilityZones, "lists %d zones but AZCount is %d: give one zone per subnet pair", n, p.azCount)
	}
	seen := map[string]bool{}
	firstRegion, firstIndex := "", 0
	for i, az := range props.AvailabilityZones {
		f := fmt.Sprintf("AvailabilityZones[%d]", i)
		literal := !verify.IsToken(az)
		switch {
		case literal && !azRE.MatchString(az):
			c.Add(f, az, "must be an availability zone name such as us-east-1a")
		case seen[az]:
			c.Add(f, az, "is listed twice: the load balancer needs subnets in distinct zones")
		case literal && firstRegion == "":
			firstRegion, firstIndex = az[:len(az)-1], i
		case literal && az[:len(az)-1] != firstRegion:
			// A VPC lives in one region: its subnets cannot be elsewhere.
			c.Add(f, az, "is in region %s but AvailabilityZones[%d] is in %s: a VPC's zones are all in its region", az[:len(az)-1], firstIndex, firstRegion)
		}
		seen[az] = true
	}
	newBits := props.SubnetNewBits
	if newBits == 0 {
		newBits = DefaultSubnetNewBits
	}
	if !c.Range("SubnetNewBits", newBits, 1, 12) {
		cidrOK = false
	}
	if cidrOK && prefix.Bits()+newBits > 28 {
		c.Add("SubnetNewBits", newBits, "%s plus %d bits gives /%d subnets; AWS subnets can be at most /28", p.cidr, newBits, prefix.Bits()+newBits)
		cidrOK = false
	}
	if cidrOK && p.azCount >= 2 && p.azCount <= MaxAZCount {
		half := 1 << (newBits - 1)
		if p.azCount > half {
			c.Add("SubnetNewBits", newBits, "gives room for %d subnets per tier, fewer than the %d zones: use more bits", half, p.azCount)
		} else {
			for i := 0; i < p.azCount; i++ {
				p.public = append(p.public, subnetCIDR(prefix, newBits, i).String())
				p.private = append(p.private, subnetCIDR(prefix, newBits, half+i).String())
			}
		}
	}
	switch props.Egress {
	case NATGatewayPerAZ, SingleNATGateway:
		if len(props.ExtraEndpointServices) > 0 {
			c.Add("ExtraEndpointServices", props.ExtraEndpointServices, "is only used with Egress VPCEndpointsOnly")
		}
	case VPCEndpointsOnly:
		for i, s := range props.ExtraEndpointServices {
			if !svcRE.MatchString(s) {
				c.Add(fmt.Sprintf("ExtraEndpointServices[%d]", i), s, `must be a service short name such as "secretsmanager"`)
			}
		}
	default:
		c.Add("Egress", props.Egress, "must be NATGatewayPerAZ, SingleNATGateway or VPCEndpointsOnly")
	}
	return p, c.Err()
}

func checkExisting(c *verify.Checker, props Props) {
	const conflict = "cannot be combined with VPCID: an existing network brings its own subnets and egress"
	if props.CIDR != "" {
		c.Add("CIDR", props.CIDR, conflict)
	}
	if props.AZCount != 0 {
		c.Add("AZCount", props.AZCount, conflict)
	}
	if len(props.AvailabilityZones) != 0 {
		c.Add("AvailabilityZones", props.AvailabilityZones, conflict)
	}
	if props.SubnetNewBits != 0 {
		c.Add("SubnetNewBits", props.SubnetNewBits, conflict)
	}
	// An existing VPC gets no flow logs whatever DisableFlowLogs says; only
	// settings that would be silently ignored are refused.
	const flowLogsElsewhere = "cannot be combined with VPCID: flow logs of an existing VPC belong where the VPC is managed"
	if props.FlowLogRetentionDays != 0 {
		c.Add("FlowLogRetentionDays", props.FlowLogRetentionDays, flowLogsElsewhere)
	}
	if props.FlowLogKMSKeyARN != "" {
		c.Add("FlowLogKMSKeyARN", props.FlowLogKMSKeyARN, flowLogsElsewhere)
	}
	if props.Egress != NATGatewayPerAZ || len(props.ExtraEndpointServices) > 0 {
		c.Add("Egress", props.Egress.String(), conflict)
	}
	if props.VPCID == "" {
		c.Add("VPCID", props.VPCID, "is required when subnet ids are given")
	} else {
		c.VPCID("VPCID", props.VPCID)
	}
	const twoZones = "needs at least 2 subnets in distinct availability zones"
	c.SubnetIDs("PublicSubnetIDs", props.PublicSubnetIDs, 2, twoZones)
	c.SubnetIDs("PrivateSubnetIDs", props.PrivateSubnetIDs, 2, twoZones)
	if props.VPCCIDR != "" {
		c.CIDR("VPCCIDR", props.VPCCIDR)
	}
}

// subnetCIDR is Terraform's cidrsubnet(prefix, newBits, netnum) for IPv4.
func subnetCIDR(prefix netip.Prefix, newBits, netnum int) netip.Prefix {
	base := prefix.Masked().Addr().As4()
	v := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	bits := prefix.Bits() + newBits
	v |= uint32(netnum) << (32 - bits)
	a := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	return netip.PrefixFrom(a, bits)
}

// New validates props and creates the network under scope/id. On invalid
// props it returns a *propcheck.Error and creates nothing.
func New(scope constructs.Construct, id string, props Props) (_ *Network, err error) {
	p, err := check(props)
	if err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	if p.existing {
		// Nothing is created, but its ids must be real: a token no
		// construct issued would fail at synth.
		c := verify.New("network.New")
		registry.CheckTokens(c, "Network", props)
		if err := c.Err(); err != nil {
			return nil, err
		}
		return &Network{
			VPCID:            props.VPCID,
			VPCCIDR:          props.VPCCIDR,
			PublicSubnetIDs:  append([]string(nil), props.PublicSubnetIDs...),
			PrivateSubnetIDs: append([]string(nil), props.PrivateSubnetIDs...),
		}, nil
	}
	// An existing network creates nothing and needs no scope; a new one
	// checks its id and claims its names first.
	var undo txn.Undo
	defer undo.OnError(&err)
	s, err := undo.Enter(scope, id, entry(props))
	if err != nil {
		return nil, err
	}
	n := &Network{VPCCIDR: p.cidr, Egress: props.Egress, Endpoints: map[string]vpcendpoint.VpcEndpoint{}}
	tags := func(suffix string) *map[string]*string {
		return tfx.Tags(props.Tags, map[string]string{"Name": props.Name + suffix})
	}

	n.VPC = vpc.NewVpc(s, tfx.Str("Vpc"), &vpc.VpcConfig{
		CidrBlock:          &p.cidr,
		EnableDnsSupport:   true,
		EnableDnsHostnames: true,
		Tags:               tags(""),
	})
	n.VPCID = *n.VPC.Id()
	n.InternetGateway = internetgateway.NewInternetGateway(s, tfx.Str("InternetGateway"), &internetgateway.InternetGatewayConfig{
		VpcId: &n.VPCID,
		Tags:  tags("-igw"),
	})
	igwID := *n.InternetGateway.Id()

	zones := props.AvailabilityZones
	if len(zones) == 0 {
		n.AvailabilityZonesData = dataawsavailabilityzones.NewDataAwsAvailabilityZones(s, tfx.Str("AvailabilityZones"), &dataawsavailabilityzones.DataAwsAvailabilityZonesConfig{
			State: tfx.Str("available"),
		})
		names := n.AvailabilityZonesData.Names()
		for i := 0; i < p.azCount; i++ {
			zones = append(zones, *cdktf.Token_AsString(cdktf.Fn_Element(names, tfx.Num(i)), nil))
		}
	}

	n.PublicRouteTable = routetable.NewRouteTable(s, tfx.Str("PublicRouteTable"), &routetable.RouteTableConfig{
		VpcId: &n.VPCID,
		Tags:  tags("-public"),
	})
	publicRT := *n.PublicRouteTable.Id()
	n.PublicDefaultRoute = route.NewRoute(s, tfx.Str("PublicDefaultRoute"), &route.RouteConfig{
		RouteTableId:         &publicRT,
		DestinationCidrBlock: tfx.Str("0.0.0.0/0"),
		GatewayId:            &igwID,
	})

	for i := 0; i < p.azCount; i++ {
		pub := subnet.NewSubnet(s, tfx.Str(fmt.Sprintf("PublicSubnet%d", i)), &subnet.SubnetConfig{
			VpcId:               &n.VPCID,
			CidrBlock:           &p.public[i],
			AvailabilityZone:    &zones[i],
			MapPublicIpOnLaunch: false,
			Tags:                tfx.Tags(props.Tags, map[string]string{"Name": fmt.Sprintf("%s-public-%d", props.Name, i), "Tier": "public"}),
		})
		priv := subnet.NewSubnet(s, tfx.Str(fmt.Sprintf("PrivateSubnet%d", i)), &subnet.SubnetConfig{
			VpcId:            &n.VPCID,
			CidrBlock:        &p.private[i],
			AvailabilityZone: &zones[i],
			Tags:             tfx.Tags(props.Tags, map[string]string{"Name": fmt.Sprintf("%s-private-%d", props.Name, i), "Tier": "private"}),
		})
		n.PublicSubnets = append(n.PublicSubnets, pub)
		n.PrivateSubnets = append(n.PrivateSubnets, priv)
		n.PublicSubnetIDs = append(n.PublicSubnetIDs, *pub.Id())
		n.PrivateSubnetIDs = append(n.PrivateSubnetIDs, *priv.Id())
		n.PublicRouteTableAssociations = append(n.PublicRouteTableAssociations,
			routetableassociation.NewRouteTableAssociation(s, tfx.Str(fmt.Sprintf("PublicRouteTableAssociation%d", i)), &routetableassociation.RouteTableAssociationConfig{
				SubnetId:     &n.PublicSubnetIDs[i],
				RouteTableId: &publicRT,
			}))
	}

	// One private route table per zone in every mode, so that switching
	// between a shared and a per-zone NAT gateway only changes routes.
	privateRTs := make([]string, p.azCount)
	for i := 0; i < p.azCount; i++ {
		rt := routetable.NewRouteTable(s, tfx.Str(fmt.Sprintf("PrivateRouteTable%d", i)), &routetable.RouteTableConfig{
			VpcId: &n.VPCID,
			Tags:  tags(fmt.Sprintf("-private-%d", i)),
		})
		n.PrivateRouteTables = append(n.PrivateRouteTables, rt)
		privateRTs[i] = *rt.Id()
		n.PrivateRouteTableAssociations = append(n.PrivateRouteTableAssociations,
			routetableassociation.NewRouteTableAssociation(s, tfx.Str(fmt.Sprintf("PrivateRouteTableAssociation%d", i)), &routetableassociation.RouteTableAssociationConfig{
				SubnetId:     &n.PrivateSubnetIDs[i],
				RouteTableId: &privateRTs[i],
			}))
	}

	switch props.Egress {
	case NATGatewayPerAZ, SingleNATGateway:
		natCount := p.azCount
		if props.Egress == SingleNATGateway {
			natCount = 1
		}
		natIDs := make([]string, natCount)
		for i := 0; i < natCount; i++ {
			e := eip.NewEip(s, tfx.Str(fmt.Sprintf("NatEip%d", i)), &eip.EipConfig{
				Domain:    tfx.Str("vpc"),
				Tags:      tags(fmt.Sprintf("-nat-%d", i)),
				DependsOn: tfx.Deps(n.InternetGateway),
			})
			nat := natgateway.NewNatGateway(s, tfx.Str(fmt.Sprintf("NatGateway%d", i)), &natgateway.NatGatewayConfig{
				AllocationId: e.Id(),
				SubnetId:     &n.PublicSubnetIDs[i],
				Tags:         tags(fmt.Sprintf("-nat-%d", i)),
				DependsOn:    tfx.Deps(n.InternetGateway),
			})
			n.NATGatewayEIPs = append(n.NATGatewayEIPs, e)
			n.NATGateways = append(n.NATGateways, nat)
			natIDs[i] = *nat.Id()
		}
		for i := 0; i < p.azCount; i++ {
			r := route.NewRoute(s, tfx.Str(fmt.Sprintf("PrivateDefaultRoute%d", i)), &route.RouteConfig{
				RouteTableId:         &privateRTs[i],
				DestinationCidrBlock: tfx.Str("0.0.0.0/0"),
				NatGatewayId:         &natIDs[i%natCount],
			})
			n.PrivateDefaultRoutes = append(n.PrivateDefaultRoutes, r)
			n.EgressReady = append(n.EgressReady, r)
		}
	case VPCEndpointsOnly:
		n.EndpointSecurityGroup = securitygroup.NewSecurityGroup(s, tfx.Str("EndpointSecurityGroup"), &securitygroup.SecurityGroupConfig{
			NamePrefix:  tfx.Str(props.Name + "-endpoints-"),
			Description: tfx.Str("HTTPS from inside the VPC to its interface endpoints"),
			VpcId:       &n.VPCID,
			Tags:        tags("-endpoints"),
			Lifecycle:   &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: tfx.Bool(true)},
		})
		sgID := *n.EndpointSecurityGroup.Id()
		n.EndpointIngressRule = endpointIngress(s, sgID, p.cidr)
		n.RegionData = dataawsregion.NewDataAwsRegion(s, tfx.Str("Region"), &dataawsregion.DataAwsRegionConfig{})
		regionName := *n.RegionData.Name()
		services := append(append([]string(nil), endpointServices...), props.ExtraEndpointServices...)
		for _, svc := range services {
			ep := vpcendpoint.NewVpcEndpoint(s, tfx.Str("Endpoint-"+strings.ReplaceAll(svc, ".", "-")), &vpcendpoint.VpcEndpointConfig{
				VpcId:             &n.VPCID,
				ServiceName:       tfx.Str("com.amazonaws." + regionName + "." + svc),
				VpcEndpointType:   tfx.Str("Interface"),
				SubnetIds:         tfx.Strs(n.PrivateSubnetIDs),
				SecurityGroupIds:  tfx.Strs([]string{sgID}),
				PrivateDnsEnabled: true,
				Tags:              tags("-" + svc),
			})
			n.Endpoints[svc] = ep
			n.EgressReady = append(n.EgressReady, ep)
		}
		s3 := vpcendpoint.NewVpcEndpoint(s, tfx.Str("Endpoint-s3"), &vpcendpoint.VpcEndpointConfig{
			VpcId:           &n.VPCID,
			ServiceName:     tfx.Str("com.amazonaws." + regionName + ".s3"),
			VpcEndpointType: tfx.Str("Gateway"),
			RouteTableIds:   tfx.Strs(privateRTs),
			Tags:            tags("-s3"),
		})
		n.Endpoints["s3"] = s3
		n.EgressReady = append(n.EgressReady, s3)
	}
	if !props.DisableFlowLogs {
		if err := addFlowLogs(s, props, n); err != nil {
			return nil, err
		}
	}
	if err := txn.Fault("network.New"); err != nil {
		return nil, err
	}
	return n, nil
}

// entry is what New claims in its stack for a new network (without scope
// and id).
func entry(props Props) registry.Entry {
	e := registry.Entry{Op: "network.New", Props: props,
		TagsField: "Tags", Tags: props.Tags, ExtraTags: []string{"Name"}}
	if !props.DisableFlowLogs {
		e.Names = []registry.Name{
			{Kind: registry.LogGroup, Value: flowLogGroupName(props), Field: "Name"},
			{Kind: registry.IAMRole, Value: flowLogRoleName(props), Field: "Name"},
		}
	}
	return e
}

// A pattern plans its network before creating anything; an existing VPC
// claims nothing.
func init() {
	registry.RegisterPlanner("network.New", func(props any) (registry.Entry, bool) {
		p, ok := props.(Props)
		if !ok {
			return registry.Entry{}, false
		}
		if pl, err := check(p); err != nil || pl.existing {
			return registry.Entry{}, false
		}
		return entry(p), true
	})
}

func flowLogGroupName(props Props) string { return "/vpc/" + props.Name + "/flow-logs" }

func flowLogRoleName(props Props) string { return naming.Fit(props.Name, 54) + "-flow-logs" }

// addFlowLogs sends the VPC's flow logs to a log group of their own, through
// a role that vpc-flow-logs.amazonaws.com may assume only for this account's
// flow logs and that may write only to that group.
func addFlowLogs(s constructs.Construct, props Props, n *Network) error {
	days := props.FlowLogRetentionDays
	if days == 0 {
		days = DefaultFlowLogRetentionDays
	}
	name := flowLogGroupName(props)
	n.FlowLogGroup = cloudwatchloggroup.NewCloudwatchLogGroup(s, tfx.Str("FlowLogGroup"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            &name,
		RetentionInDays: tfx.Num(days),
		Tags:            tfx.Tags(props.Tags),
	})
	if props.FlowLogKMSKeyARN != "" {
		n.FlowLogGroup.SetKmsKeyId(&props.FlowLogKMSKeyARN)
	}
	// The stack's lookups: created here when the network is the first
	// construct of the stack to need them.
	account, ci, err := stackwide.AccountID(s)
	if err != nil {
		return err
	}
	partition, pd, err := stackwide.Partition(s)
	if err != nil {
		return err
	}
	n.CallerIdentity, n.PartitionData = ci, pd
	n.AccountID, n.Partition = account, partition
	trust := iampolicy.ServiceTrust("vpc-flow-logs.amazonaws.com", account,
		fmt.Sprintf("arn:%s:ec2:*:%s:vpc-flow-log/*", partition, account)).JSON()
	n.FlowLogRole = iamrole.NewIamRole(s, tfx.Str("FlowLogRole"), &iamrole.IamRoleConfig{
		Name:             tfx.Str(flowLogRoleName(props)),
		Description:      tfx.Str("VPC flow logs of " + props.Name + ": writes to " + name),
		AssumeRolePolicy: &trust,
		Tags:             tfx.Tags(props.Tags),
	})
	groupARN := *n.FlowLogGroup.Arn()
	roleName := *n.FlowLogRole.Name()
	n.FlowLogRolePolicy = iamrolepolicy.NewIamRolePolicy(s, tfx.Str("FlowLogRolePolicy"), &iamrolepolicy.IamRolePolicyConfig{
		Name: tfx.Str("flow-logs"),
		Role: &roleName,
		Policy: tfx.Str(iampolicy.Document{Statement: []iampolicy.Statement{{
			Sid:      "WriteFlowLogs",
			Effect:   iampolicy.Allow,
			Action:   []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
			Resource: []string{groupARN, groupARN + ":log-stream:*"},
		}, {
			// The delivery service looks its destination up by listing.
			Sid:      "FindLogGroup",
			Effect:   iampolicy.Allow,
			Action:   []string{"logs:DescribeLogGroups"},
			Resource: []string{fmt.Sprintf("arn:%s:logs:*:%s:log-group:*", partition, account)},
		}}}.JSON()),
	})
	n.FlowLog = flowlog.NewFlowLog(s, tfx.Str("FlowLog"), &flowlog.FlowLogConfig{
		VpcId:                  &n.VPCID,
		TrafficType:            tfx.Str("ALL"),
		LogDestinationType:     tfx.Str("cloud-watch-logs"),
		LogDestination:         &groupARN,
		IamRoleArn:             n.FlowLogRole.Arn(),
		MaxAggregationInterval: tfx.Num(600),
		Tags:                   tfx.Tags(props.Tags, map[string]string{"Name": props.Name + "-flow-logs"}),
		DependsOn:              tfx.Deps(n.FlowLogRolePolicy),
	})
	return nil
}

func endpointIngress(s constructs.Construct, sgID, cidr string) vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule {
	return vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(s, tfx.Str("EndpointIngressHttps"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: &sgID,
		Description:     tfx.Str("HTTPS from the VPC"),
		IpProtocol:      tfx.Str("tcp"),
		FromPort:        tfx.Num(443),
		ToPort:          tfx.Num(443),
		CidrIpv4:        &cidr,
	})
}

// Package stacks builds complete Fargate stacks from a typed [Config]: the
// provider, the state backend, the network, the load balancer, the cluster and
// the service, wired together, with outputs. [Production] and [Development]
// are the two stacks this repository deploys.
package stacks

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/tfx"
)

// Config describes one stack. Fields that other parts provide (the service's
// VPC, subnets, cluster and load balancer; the load balancer's VPC and
// subnets) are filled in by [New] and must be left empty.
type Config struct {
	// StackName is the CDKTF stack id: the directory under cdktf.out/stacks
	// and the default state file name. Required.
	StackName string
	// Region for the provider and the service. Required.
	Region string
	// ProviderVersion overrides awsprovider.DefaultVersionConstraint.
	ProviderVersion string
	// AllowedAccountIDs guards against applying to the wrong account.
	AllowedAccountIDs []string
	// Tags become the provider's default tags, on every resource.
	Tags map[string]string
	// Backend stores the Terraform state. The zero value is a local file
	// beside cdktf.json.
	Backend Backend

	Network      network.Props
	Cluster      cluster.Props
	LoadBalancer loadbalancer.Props
	Service      service.Props
}

// Backend chooses where Terraform keeps the stack's state.
type Backend struct {
	// LocalPath is the local state file, relative to the stack's directory
	// (cdktf.out/stacks/<StackName>). If empty,
	// "../../../terraform.<StackName>.tfstate": beside cdktf.json, outside
	// cdktf.out, which every synth rewrites. It is never an absolute path, so
	// the synthesized JSON is the same on every machine.
	LocalPath string
	// S3, when set, stores state in S3 instead, encrypted and locked.
	S3 *S3Backend
}

// S3Backend stores state in an S3 bucket.
type S3Backend struct {
	Bucket string
	// Key of the state object. If empty, "<StackName>/terraform.tfstate".
	Key    string
	Region string
	// DynamoDBTable locks the state with a DynamoDB table; if empty, the
	// S3 lock file (Terraform 1.10 and later) locks it instead.
	DynamoDBTable string
}

// Stack is what [New] built. Every part is exported.
type Stack struct {
	Stack        cdktf.TerraformStack
	Network      *network.Network
	Cluster      *cluster.Cluster
	LoadBalancer *loadbalancer.LoadBalancer
	Service      *service.Service
}

var (
	stackNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	bucketRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	keyRE       = regexp.MustCompile(`^[A-Za-z0-9!_.*'()/-]{1,1000}$`)
	tableRE     = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)
	localPathRE = regexp.MustCompile(`^[A-Za-z0-9_./-]+\.tfstate$`)
)

// placeholder stands for a value that another construct provides at synth
// time: a token, so that the constructs' own checks skip it.
const placeholder = "${TfToken[fargatekit.placeholder]}"

// Validate checks a whole config, every construct's props included, without
// starting the jsii kernel or creating anything. It returns one
// *propcheck.Error that lists every problem.
func Validate(cfg Config) error {
	c := propcheck.New("stacks.New(" + cfg.StackName + ")")
	c.Pattern("Config.StackName", cfg.StackName, stackNameRE, "must be 1-63 lowercase letters, digits or hyphens, starting with a letter")
	c.Merge("Config", awsprovider.Validate(providerProps(cfg)))
	c.Tags("Config.Tags", cfg.Tags)
	checkBackend(c, cfg)

	c.Merge("Config.Network", network.Validate(cfg.Network))
	for i, az := range cfg.Network.AvailabilityZones {
		if !propcheck.IsToken(az) && cfg.Region != "" && !strings.HasPrefix(az, cfg.Region) {
			c.Add(fmt.Sprintf("Network.AvailabilityZones[%d]", i), az, "is not in Config.Region %q", cfg.Region)
		}
	}
	if cfg.Network.Egress == network.VPCEndpointsOnly && cfg.Network.VpcID == "" {
		vpcCIDR := cfg.Network.CIDR
		if vpcCIDR == "" {
			vpcCIDR = network.DefaultCIDR
		}
		if vpc, err := netip.ParsePrefix(vpcCIDR); err == nil {
			for i, e := range cfg.Service.EgressCIDRs {
				if p, err := netip.ParsePrefix(e); err == nil && (!vpc.Contains(p.Addr()) || p.Bits() < vpc.Bits()) {
					c.Add(fmt.Sprintf("Service.EgressCIDRs[%d]", i), e, "lies outside the VPC %s: with VPCEndpointsOnly there is no route beyond it", vpcCIDR)
				}
			}
		}
	}
	c.Merge("Config.Cluster", cluster.Validate(wireCluster(cfg)))

	const provided = "is provided by the stack (from its network): leave it empty"
	if cfg.LoadBalancer.VpcID != "" {
		c.Add("LoadBalancer.VpcID", cfg.LoadBalancer.VpcID, provided)
	}
	if len(cfg.LoadBalancer.SubnetIDs) > 0 {
		c.Add("LoadBalancer.SubnetIDs", cfg.LoadBalancer.SubnetIDs, provided)
	}
	c.Merge("Config.LoadBalancer", loadbalancer.Validate(wireLoadBalancer(cfg, placeholder, []string{placeholder, placeholder})))

	if cfg.Service.VpcID != "" {
		c.Add("Service.VpcID", cfg.Service.VpcID, provided)
	}
	if len(cfg.Service.SubnetIDs) > 0 {
		c.Add("Service.SubnetIDs", cfg.Service.SubnetIDs, provided)
	}
	if cfg.Service.Cluster != nil || cfg.Service.LoadBalancer != nil {
		c.Add("Service.Cluster", "set", "the cluster and load balancer are provided by the stack: leave Cluster and LoadBalancer nil")
	}
	if cfg.Service.Region != "" && cfg.Service.Region != cfg.Region {
		c.Add("Service.Region", cfg.Service.Region, "differs from Config.Region %q: leave it empty", cfg.Region)
	}
	c.Merge("Config.Service", service.Validate(wireService(cfg, &network.Network{VpcID: placeholder, PrivateSubnetIDs: []string{placeholder}},
		&cluster.Cluster{Name: cfg.Cluster.Name}, &loadbalancer.LoadBalancer{})))
	return c.Err()
}

func checkBackend(c *propcheck.Checker, cfg Config) {
	b := cfg.Backend
	if b.S3 == nil {
		if b.LocalPath != "" && (!localPathRE.MatchString(b.LocalPath) || strings.HasPrefix(b.LocalPath, "/")) {
			c.Add("Backend.LocalPath", b.LocalPath, `must be a relative path ending in ".tfstate" (absolute paths make the synthesized JSON machine-specific)`)
		}
		return
	}
	if b.LocalPath != "" {
		c.Add("Backend.LocalPath", b.LocalPath, "conflicts with Backend.S3: choose one")
	}
	if !bucketRE.MatchString(b.S3.Bucket) || strings.Contains(b.S3.Bucket, "..") {
		c.Add("Backend.S3.Bucket", b.S3.Bucket, "must be an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens")
	}
	if b.S3.Key != "" && !keyRE.MatchString(b.S3.Key) {
		c.Add("Backend.S3.Key", b.S3.Key, "must be an S3 key of letters, digits and ! _ . * ' ( ) / -")
	}
	if b.S3.Region != "" {
		c.Merge("Backend.S3.Region", awsprovider.Validate(awsprovider.Props{Region: b.S3.Region}))
	}
	if b.S3.DynamoDBTable != "" && !tableRE.MatchString(b.S3.DynamoDBTable) {
		c.Add("Backend.S3.DynamoDBTable", b.S3.DynamoDBTable, "must be a DynamoDB table name: 3-255 letters, digits, _ . -")
	}
}

func providerProps(cfg Config) awsprovider.Props {
	return awsprovider.Props{
		Region:            cfg.Region,
		VersionConstraint: cfg.ProviderVersion,
		DefaultTags:       cfg.Tags,
		AllowedAccountIDs: cfg.AllowedAccountIDs,
	}
}

func wireLoadBalancer(cfg Config, vpcID string, publicSubnets []string) loadbalancer.Props {
	p := cfg.LoadBalancer
	p.VpcID = vpcID
	p.SubnetIDs = publicSubnets
	return p
}

func wireService(cfg Config, n *network.Network, cl *cluster.Cluster, alb *loadbalancer.LoadBalancer) service.Props {
	p := cfg.Service
	p.Region = cfg.Region
	p.Cluster = cl
	p.VpcID = n.VpcID
	p.SubnetIDs = n.PrivateSubnetIDs
	p.WaitFor = n.EgressReady
	p.LoadBalancer = alb
	if p.AccountID == "" && p.Partition == "" {
		// Read once per stack when the network already looked them up.
		p.AccountID, p.Partition = n.AccountID, n.Partition
	}
	if n.Egress == network.VPCEndpointsOnly && len(p.EgressCIDRs) == 0 && len(p.EgressPrefixListIDs) == 0 && !p.EgressAllowAll {
		// No internet route: HTTPS to the endpoints inside the VPC and to
		// S3 (image layers) through its gateway endpoint is all tasks need.
		p.EgressCIDRs = []string{n.VpcCIDR}
		if s3, ok := n.Endpoints["s3"]; ok {
			p.EgressPrefixListIDs = []string{*s3.PrefixListId()}
		}
	}
	return p
}

// New validates cfg and builds the stack in app. On invalid config it returns
// a *propcheck.Error and adds nothing to app.
func New(app constructs.Construct, cfg Config) (st *Stack, err error) {
	if err := Validate(cfg); err != nil {
		return nil, err
	}
	// The generated bindings panic on what validation cannot see; turn that
	// into an error rather than a jsii stack trace.
	defer func() {
		if r := recover(); r != nil {
			st, err = nil, fmt.Errorf("stacks.New(%s): %s", cfg.StackName, firstLine(fmt.Sprint(r)))
		}
	}()
	stack := cdktf.NewTerraformStack(app, &cfg.StackName)
	if _, err := awsprovider.New(stack, "aws", providerProps(cfg)); err != nil {
		return nil, err
	}
	addBackend(stack, cfg)

	st = &Stack{Stack: stack}
	if st.Network, err = network.New(stack, "Network", cfg.Network); err != nil {
		return nil, err
	}
	if st.Cluster, err = cluster.New(stack, "Cluster", wireCluster(cfg)); err != nil {
		return nil, err
	}
	if st.LoadBalancer, err = loadbalancer.New(stack, "LoadBalancer", wireLoadBalancer(cfg, st.Network.VpcID, st.Network.PublicSubnetIDs)); err != nil {
		return nil, err
	}
	if st.Service, err = service.New(stack, "Service", wireService(cfg, st.Network, st.Cluster, st.LoadBalancer)); err != nil {
		return nil, err
	}
	output := func(id, value, desc string) {
		cdktf.NewTerraformOutput(stack, &id, &cdktf.TerraformOutputConfig{Value: value, Description: &desc})
	}
	output("alb_dns_name", st.LoadBalancer.DNSName, "DNS name of the load balancer")
	output("url", st.LoadBalancer.URL(), "Where the service answers")
	output("cluster_name", st.Cluster.Name, "ECS cluster")
	output("service_name", st.Service.Name, "ECS service")
	output("execution_role_arn", st.Service.ExecutionRoleARN, "Role the ECS agent uses to pull images and write logs")
	output("task_role_arn", st.Service.TaskRoleARN, "Role the application runs as")
	output("log_group_name", st.Service.LogGroupName, "CloudWatch log group of the containers")
	return st, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func addBackend(stack cdktf.TerraformStack, cfg Config) {
	if s3 := cfg.Backend.S3; s3 != nil {
		key := s3.Key
		if key == "" {
			key = cfg.StackName + "/terraform.tfstate"
		}
		region := s3.Region
		if region == "" {
			region = cfg.Region
		}
		bc := &cdktf.S3BackendConfig{Bucket: &s3.Bucket, Key: &key, Region: &region, Encrypt: tfx.Bool(true)}
		if s3.DynamoDBTable != "" {
			bc.DynamodbTable = &s3.DynamoDBTable
		}
		cdktf.NewS3Backend(stack, bc)
		if s3.DynamoDBTable == "" {
			// cdktf 0.20 has no field for it yet; Terraform >= 1.10 reads it.
			stack.AddOverride(tfx.Str("terraform.backend.s3.use_lockfile"), true)
		}
		return
	}
	path := cfg.Backend.LocalPath
	if path == "" {
		path = DefaultLocalStatePath(cfg.StackName)
	}
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: &path})
}

// DefaultLocalStatePath is where a stack keeps local state unless
// Backend.LocalPath says otherwise, relative to cdktf.out/stacks/<name>.
func DefaultLocalStatePath(stackName string) string {
	return "../../../terraform." + stackName + ".tfstate"
}

// Package stacks builds complete Fargate stacks from a typed [Config]: the
// provider, the state backend and the outputs around an albservice pattern
// (the network, the load balancer, the cluster and the service, wired
// together). [Production] and [Development] are the two stacks this
// repository deploys.
package stacks

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsroute53zone"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/domain"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/registry"
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

	NetworkProps      network.Props
	ClusterProps      cluster.Props
	LoadBalancerProps loadbalancer.Props
	ServiceProps      service.Props

	// Domain, when set, names the load balancer (package domain): an ACM
	// certificate for its names validated by DNS, the HTTPS listener with
	// HTTP redirecting to it, and alias records. LoadBalancer.CertificateARN
	// must then be empty.
	Domain *Domain
	// NamespaceProps, when set, creates an ECS Service Connect namespace
	// (package connect). The services that serve a port (ServiceConnect.Serve)
	// or call others (Route.Calls, Worker.Calls) join it: leave their
	// ServiceConnect.NamespaceProps empty.
	NamespaceProps *connect.Props
	// Routes are more services behind the same load balancer, each through
	// a listener rule of its own (by host, path or both).
	Routes []Route
	// Workers are services without a load balancer, in the same network
	// and cluster.
	Workers []Worker
}

// Domain is the load balancer's DNS name. The public hosted zone ZoneName
// must exist: it is looked up by name (data source aws_route53_zone).
type Domain struct {
	// Name and SubjectAlternativeNames are the certificate's names, each in
	// the zone; every one gets an alias record.
	Name                    string
	SubjectAlternativeNames []string
	// ZoneName is the hosted zone's domain, e.g. "example.com".
	ZoneName string
}

// Route is a service behind the stack's load balancer through its own rule.
type Route struct {
	// ID is the construct id the route's parts are created under.
	ID string
	// Rule picks the requests (albservice.Props.Rule).
	Rule loadbalancer.RuleProps
	// ServiceProps is the service; the stack wires what albservice wires.
	ServiceProps service.Props
	// Calls names services of this stack (Config.Service, or a Route's or
	// Worker's service listed before this one, by Service.Name) that this
	// service calls through Service Connect.
	Calls []string
}

// Worker is a service without a load balancer (albservice.Pattern.AddWorker).
type Worker struct {
	// ID is the service's construct id.
	ID           string
	ServiceProps service.Props
	// Calls is as in Route.
	Calls []string
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
	TerraformStack cdktf.TerraformStack
	// Pattern is the load-balanced service the stack is built around; its
	// parts are also below, by name.
	Pattern      *albservice.Pattern
	Network      *network.Network
	Cluster      *cluster.Cluster
	LoadBalancer *loadbalancer.LoadBalancer
	Service      *service.Service
	// Namespace, Domain, Routes (by Route.ID) and Workers (by Worker.ID)
	// are nil or empty unless the config asks for them.
	Namespace *connect.Namespace
	Domain    *domain.Domain
	// Zone is the lookup of Config.Domain's hosted zone.
	Zone    dataawsroute53zone.DataAwsRoute53Zone
	Routes  map[string]*albservice.Pattern
	Workers map[string]*service.Service
}

var (
	stackNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	bucketRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	keyRE       = regexp.MustCompile(`^[A-Za-z0-9!_.*'()/-]{1,1000}$`)
	tableRE     = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)
	localPathRE = regexp.MustCompile(`^[A-Za-z0-9_./-]+\.tfstate$`)
)

// Validate checks a whole config, every construct's props included, without
// starting the jsii kernel or creating anything. It returns one
// *propcheck.Error that lists every problem.
func Validate(cfg Config) error {
	c := verify.New("stacks.New(" + cfg.StackName + ")")
	c.Pattern("Config.StackName", cfg.StackName, stackNameRE, "must be 1-63 lowercase letters, digits or hyphens, starting with a letter")
	c.Merge("Config", awsprovider.Validate(providerProps(cfg)))
	c.Tags("Config.Tags", cfg.Tags)
	checkBackend(c, cfg)
	if cfg.ServiceProps.Region != "" && cfg.ServiceProps.Region != cfg.Region {
		c.Add("Service.Region", cfg.ServiceProps.Region, "differs from Config.Region %q: leave it empty", cfg.Region)
	}
	pp := patternProps(cfg)
	// New's provider gives the services this region.
	pp.ServiceProps.Region = cfg.Region
	if cfg.Domain != nil && pp.LoadBalancerProps.CertificateARN != "" {
		c.Add("LoadBalancer.CertificateARN", pp.LoadBalancerProps.CertificateARN, "conflicts with Config.Domain, whose certificate the load balancer uses: give one of them")
	}
	c.Merge("Config", albservice.ValidateWired(patternID, pp, albservice.Wired{Certificate: cfg.Domain != nil, Namespace: cfg.NamespaceProps != nil}))
	checkExtras(c, cfg)
	return c.Err()
}

func checkBackend(c *verify.Checker, cfg Config) {
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
	} else if why := reservedBucketName(b.S3.Bucket); why != "" {
		c.Add("Backend.S3.Bucket", b.S3.Bucket, "%s (Amazon S3 User Guide, General purpose bucket naming rules)", why)
	}
	if b.S3.Key != "" && !keyRE.MatchString(b.S3.Key) {
		c.Add("Backend.S3.Key", b.S3.Key, "must be an S3 key of letters, digits and ! _ . * ' ( ) / -")
	}
	if b.S3.Region != "" {
		c.Region("Backend.S3.Region", b.S3.Region)
	}
	if b.S3.DynamoDBTable != "" && !tableRE.MatchString(b.S3.DynamoDBTable) {
		c.Add("Backend.S3.DynamoDBTable", b.S3.DynamoDBTable, "must be a DynamoDB table name: 3-255 letters, digits, _ . -")
	}
}

// reservedBucketName says why S3 refuses a well-formed bucket name, or "".
func reservedBucketName(b string) string {
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(b, p) {
			return fmt.Sprintf("must not begin with %q, which S3 reserves", p)
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", "--x-s3", "--table-s3", ".mrap"} {
		if strings.HasSuffix(b, s) {
			return fmt.Sprintf("must not end with %q, which S3 reserves", s)
		}
	}
	if a, err := netip.ParseAddr(b); err == nil && a.Is4() {
		return "must not be formatted as an IP address"
	}
	return ""
}

func providerProps(cfg Config) awsprovider.Props {
	return awsprovider.Props{
		Region:            cfg.Region,
		VersionConstraint: cfg.ProviderVersion,
		DefaultTags:       cfg.Tags,
		AllowedAccountIDs: cfg.AllowedAccountIDs,
	}
}

// patternID names the stack's pattern in its errors; with Unscoped it makes
// no construct of its own.
const patternID = "Service"

// patternProps is cfg's part of the stack: everything but the provider, the
// backend and the outputs. Unscoped keeps the parts at the stack's top level,
// where their resource addresses have always been. The services take the
// region of the stack's provider (Config.Region).
func patternProps(cfg Config) albservice.Props {
	return albservice.Props{
		NetworkProps:      cfg.NetworkProps,
		ClusterProps:      cfg.ClusterProps,
		LoadBalancerProps: cfg.LoadBalancerProps,
		ServiceProps:      cfg.ServiceProps,
		Unscoped:          true,
	}
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
			st, err = nil, fmt.Errorf("stacks.New(%s): %s", cfg.StackName, tfx.PanicMessage(r))
		}
	}()
	idc := verify.New("stacks.New(" + cfg.StackName + ")")
	if !registry.CheckID(idc, app, cfg.StackName) {
		return nil, idc.Err()
	}
	stack := cdktf.NewTerraformStack(app, &cfg.StackName)
	if _, err := awsprovider.New(stack, "aws", providerProps(cfg)); err != nil {
		return nil, err
	}
	addBackend(stack, cfg)

	st = &Stack{TerraformStack: stack}
	if err := st.addNamespace(cfg); err != nil {
		return nil, err
	}
	if err := st.addDomain(cfg); err != nil {
		return nil, err
	}
	pp := patternProps(cfg)
	if st.Domain != nil {
		pp.LoadBalancerProps.CertificateARN = st.Domain.CertificateARN
	}
	if len(pp.ServiceProps.ServiceConnect.Serve) > 0 {
		// Only services that serve or call join the namespace: each that
		// joins runs the Service Connect proxy in its tasks.
		pp.ServiceProps.ServiceConnect.Namespace = st.Namespace
	}
	pat, err := albservice.New(stack, patternID, pp)
	if err != nil {
		return nil, err
	}
	st.Pattern, st.Network, st.Cluster, st.LoadBalancer, st.Service = pat, pat.Network, pat.Cluster, pat.LoadBalancer, pat.Service
	if err := st.addExtras(cfg); err != nil {
		return nil, err
	}
	output := func(id, value, desc string) {
		cdktf.NewTerraformOutput(stack, &id, &cdktf.TerraformOutputConfig{Value: value, Description: &desc})
	}
	output("alb_dns_name", st.LoadBalancer.DNSName, "DNS name of the load balancer")
	url := st.LoadBalancer.URL()
	if cfg.Domain != nil {
		// The certificate is for the domain's names, not the ALB's own.
		url = "https://" + cfg.Domain.Name
	}
	output("url", url, "Where the service answers")
	output("cluster_name", st.Cluster.Name, "ECS cluster")
	output("service_name", st.Service.Name, "ECS service")
	output("execution_role_arn", st.Service.ExecutionRoleARN, "Role the ECS agent uses to pull images and write logs")
	output("task_role_arn", st.Service.TaskRoleARN, "Role the application runs as")
	output("log_group_name", st.Service.LogGroupName, "CloudWatch log group of the containers")
	return st, nil
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

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

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/constructs/registry"
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
	Stack cdktf.TerraformStack
	// Pattern is the load-balanced service the stack is built around; its
	// parts are also below, by name.
	Pattern      *albservice.Pattern
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

// Validate checks a whole config, every construct's props included, without
// starting the jsii kernel or creating anything. It returns one
// *propcheck.Error that lists every problem.
func Validate(cfg Config) error {
	c := propcheck.New("stacks.New(" + cfg.StackName + ")")
	c.Pattern("Config.StackName", cfg.StackName, stackNameRE, "must be 1-63 lowercase letters, digits or hyphens, starting with a letter")
	c.Merge("Config", awsprovider.Validate(providerProps(cfg)))
	c.Tags("Config.Tags", cfg.Tags)
	checkBackend(c, cfg)
	if cfg.Service.Region != "" && cfg.Service.Region != cfg.Region {
		c.Add("Service.Region", cfg.Service.Region, "differs from Config.Region %q: leave it empty", cfg.Region)
	}
	c.Merge("Config", albservice.Validate(patternID, patternProps(cfg)))
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
// where their resource addresses have always been.
func patternProps(cfg Config) albservice.Props {
	svc := cfg.Service
	svc.Region = cfg.Region
	return albservice.Props{
		NetworkProps:      cfg.Network,
		ClusterProps:      cfg.Cluster,
		LoadBalancerProps: cfg.LoadBalancer,
		Service:           svc,
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
	idc := propcheck.New("stacks.New(" + cfg.StackName + ")")
	if !registry.CheckID(idc, app, cfg.StackName) {
		return nil, idc.Err()
	}
	stack := cdktf.NewTerraformStack(app, &cfg.StackName)
	if _, err := awsprovider.New(stack, "aws", providerProps(cfg)); err != nil {
		return nil, err
	}
	addBackend(stack, cfg)

	pat, err := albservice.New(stack, patternID, patternProps(cfg))
	if err != nil {
		return nil, err
	}
	st = &Stack{Stack: stack, Pattern: pat, Network: pat.Network, Cluster: pat.Cluster, LoadBalancer: pat.LoadBalancer, Service: pat.Service}
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

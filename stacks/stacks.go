// Package stacks builds complete Fargate stacks from a typed [Config]: the
// provider, the state backend and the outputs around an albservice pattern
// (the network, the load balancer, the cluster and the service, wired
// together). [Production] and [Development] are the two stacks this
// repository deploys.
package stacks

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
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
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/naming"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/txn"
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

	// NetworkProps, ClusterProps, LoadBalancerProps and ServiceProps are the
	// parts, as in albservice.Props. Each Name left empty is derived from
	// StackName: lower-cased, each run of other characters than letters and
	// digits made a hyphen, at most 63 characters ("production" stays
	// "production").
	NetworkProps      network.Props
	ClusterProps      cluster.Props
	LoadBalancerProps loadbalancer.Props
	ServiceProps      service.Props

	// Domain, when set, names the load balancer (albservice.Props.Domain):
	// an ACM certificate for its names validated by DNS, the HTTPS listener
	// with HTTP redirecting to it, and alias records.
	// LoadBalancerProps.CertificateARN must then be empty.
	Domain *Domain
	// NamespaceProps, when set, creates an ECS Service Connect namespace
	// (albservice.Props.NamespaceProps). The services that serve a port
	// (ServiceConnect.Serve) or call others (Route.Calls, Worker.Calls) join
	// it: leave their ServiceConnect.Namespace empty.
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
	c := verify.New("stacks.New").At(cfg.StackName)
	c.Pattern("StackName", cfg.StackName, stackNameRE, "must be 1-63 lowercase letters, digits or hyphens, starting with a letter")
	mergeProvider(c, awsprovider.Validate(providerProps(cfg)))
	checkBackend(c, cfg)
	if cfg.ServiceProps.Region != "" && cfg.ServiceProps.Region != cfg.Region {
		c.Add("ServiceProps.Region", cfg.ServiceProps.Region, "differs from Config.Region %q: leave it empty", cfg.Region)
	}
	pp := patternProps(cfg)
	// New's provider gives the services Config.Region (stackwide); without
	// a stack, Validate gives it here, so zones and certificates are
	// checked against it.
	pp.ServiceProps.Region = cfg.Region
	// The pattern's props are named as in Config: NetworkProps, ServiceProps,
	// Domain, NamespaceProps...
	c.Merge("", albservice.Validate(patternID, pp))
	checkExtras(c, cfg, pp)
	// Every service's Region is Config.Region: a bad one is one mistake,
	// reported on Region by the provider's check.
	regionRefused := slices.ContainsFunc(c.Problems(), func(p verify.Problem) bool { return p.Field == "Region" })
	c.Drop(func(p verify.Problem) bool {
		return regionRefused && p.Value == cfg.Region && strings.HasSuffix(p.Field, "ServiceProps.Region")
	})
	// The names AWS holds once that two parts of the stack would both
	// create, and the tags per resource with the provider's: what New would
	// find only after the first of the two exists.
	registry.Clashes(c, cfg.Tags, planned(cfg))
	return c.Err()
}

// adopt returns the error of a constructor New called (a name the stack
// already holds is found only when the part is created) as New's own: Op
// stacks.New, the stack's name, and each problem on the Config field its
// props come from: under field, or as merge puts them (for the provider,
// whose props are several Config fields). A problem with the construct id
// is on idField when the id comes from Config (a route's or worker's ID).
func adopt(cfg Config, field, idField string, err error, merge func(*verify.Checker, error)) error {
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		return err
	}
	c := verify.New("stacks.New").At(cfg.StackName)
	if merge != nil {
		merge(c, err)
	} else {
		c.MergeUnder(field, err)
	}
	if idField != "" {
		renameID(c, idField)
	}
	return c.Err()
}

// renameID moves the problems with a construct id to the Config field the
// id comes from.
func renameID(c *verify.Checker, field string) {
	for i := range c.Problems() {
		if p := &c.Problems()[i]; p.Field == "id" {
			p.Field = field
		}
	}
}

// providerFields are the Config fields the provider's props come from.
var providerFields = map[string]string{"Region": "Region", "VersionConstraint": "ProviderVersion", "DefaultTags": "Tags", "AllowedAccountIDs": "AllowedAccountIDs"}

// mergeProvider adds the problems of the provider's props under the Config
// fields they come from (DefaultTags is Config.Tags).
func mergeProvider(c *verify.Checker, err error) {
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		c.Merge("", err)
		return
	}
	for _, p := range pe.Problems {
		i := strings.IndexAny(p.Field, ".[")
		if i < 0 {
			i = len(p.Field)
		}
		if f, ok := providerFields[p.Field[:i]]; ok {
			p.Field = f + p.Field[i:]
		}
		c.Add(p.Field, p.Value, "%s", p.Rule)
	}
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
// backend, the routes, the workers and the outputs. Unscoped keeps the parts
// (the namespace, the zone and the domain too) at the stack's top level,
// where their resource addresses have always been.
func patternProps(cfg Config) albservice.Props {
	pp := albservice.Props{
		NetworkProps:      cfg.NetworkProps,
		ClusterProps:      cfg.ClusterProps,
		LoadBalancerProps: cfg.LoadBalancerProps,
		ServiceProps:      cfg.ServiceProps,
		NamespaceProps:    cfg.NamespaceProps,
		Unscoped:          true,
	}
	// Names left empty are the stack's, rather than the pattern's id.
	name := naming.FromID(cfg.StackName)
	for _, n := range []*string{&pp.NetworkProps.Name, &pp.ClusterProps.Name, &pp.LoadBalancerProps.Name, &pp.ServiceProps.Name} {
		if *n == "" {
			*n = name
		}
	}
	if cfg.Domain != nil {
		pp.Domain = &domain.Props{Name: cfg.Domain.Name, SubjectAlternativeNames: cfg.Domain.SubjectAlternativeNames, ZoneName: cfg.Domain.ZoneName}
	}
	return pp
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
	idc := verify.New("stacks.New").At(cfg.StackName)
	if !registry.CheckID(idc, app, cfg.StackName) {
		// The stack's id is Config.StackName.
		renameID(idc, "StackName")
		return nil, idc.Err()
	}
	// Tokens in the config (from another stack of the app) must be ones
	// the kernel issued; Validate cannot ask it.
	registry.CheckTokens(idc, "Config", cfg)
	if err := idc.Err(); err != nil {
		return nil, err
	}
	// Should a part still be refused, the stack goes again, with all it
	// claimed.
	var undo txn.Undo
	defer undo.OnError(&err)
	stack := cdktf.NewTerraformStack(app, &cfg.StackName)
	undo.Child(app, cfg.StackName)
	if _, err := awsprovider.New(stack, "aws", providerProps(cfg)); err != nil {
		return nil, adopt(cfg, "", "", err, mergeProvider)
	}
	addBackend(stack, cfg)

	// The pattern creates the namespace, the domain (its certificate on the
	// load balancer, its alias records) and the parts, in the stack itself.
	pat, err := albservice.New(stack, patternID, patternProps(cfg))
	if err != nil {
		// The pattern's props are named as in Config.
		return nil, adopt(cfg, "", "", err, nil)
	}
	st = &Stack{TerraformStack: stack, Pattern: pat, Network: pat.Network, Cluster: pat.Cluster, LoadBalancer: pat.LoadBalancer, Service: pat.Service,
		Namespace: pat.Namespace, Domain: pat.Domain, Zone: pat.Zone}
	if err := st.addExtras(cfg); err != nil {
		return nil, err
	}
	output := func(id, value, desc string) {
		cdktf.NewTerraformOutput(stack, &id, &cdktf.TerraformOutputConfig{Value: value, Description: &desc})
	}
	output("alb_dns_name", st.LoadBalancer.DNSName, "DNS name of the load balancer")
	// With a domain, its name: the certificate is for it, not the ALB's own.
	output("url", pat.URL(), "Where the service answers")
	output("cluster_name", st.Cluster.Name, "ECS cluster")
	output("service_name", st.Service.Name, "ECS service")
	output("execution_role_arn", st.Service.ExecutionRoleARN, "Role the ECS agent uses to pull images and write logs")
	output("task_role_arn", st.Service.TaskRoleARN, "Role the application runs as")
	output("log_group_name", st.Service.LogGroupName, "CloudWatch log group of the containers")
	if err := txn.Fault("stacks.New"); err != nil {
		return nil, err
	}
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

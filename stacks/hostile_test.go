package stacks

// Hostile input: values a careless or malicious config could carry, across
// every construct. Each case mutates Production() (or calls one package's
// Validate) and must get a *propcheck.Error that names the field and echoes
// the value; none may panic. Values that are legitimate although tricky
// (environment values, commands, health-check commands, IAM policy
// variables) are not refused but escaped: TestHostileLegitimateValuesAreLiteral
// synthesizes one variant holding all of them and checks that Terraform will
// read them literally.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// hostileCase is one bad input. Exactly one of mutate and validate is set.
type hostileCase struct {
	name     string
	mutate   func(c *Config) // applied to Production(), then stacks.Validate
	validate func() error    // a package's own Validate
	field    string          // must be among the error's Fields()
	echo     string          // must appear in the error message
}

func q(s string) string { return strconv.Quote(s) }

func hostileCases() []hostileCase {
	long := func(n int) string { return strings.Repeat("a", n) }
	app := func(c *Config) *container.Definition { return &c.ServiceProps.Containers[0] }
	existing := network.Props{
		Name:             "existing",
		VPCID:            "vpc-0a1b2c3d4e5f67890",
		PublicSubnetIDs:  []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
		PrivateSubnetIDs: []string{"subnet-2a1b2c3d4e5f67890", "subnet-3a1b2c3d4e5f67890"},
	}
	return []hostileCase{
		// Stack and provider.
		{name: "stack/name-empty", mutate: func(c *Config) { c.StackName = "" }, field: "StackName", echo: `StackName = ""`},
		{name: "stack/name-overlong", mutate: func(c *Config) { c.StackName = "p" + long(63) }, field: "StackName", echo: q("p" + long(63))},
		{name: "stack/name-path-traversal", mutate: func(c *Config) { c.StackName = "../prod" }, field: "StackName", echo: q("../prod")},
		{name: "stack/name-template", mutate: func(c *Config) { c.StackName = "prod-${var.x}" }, field: "StackName", echo: q("prod-${var.x}")},
		{name: "stack/region-newline", mutate: func(c *Config) { c.Region = "us-east-1\nx" }, field: "Region", echo: q("us-east-1\nx")},
		{name: "stack/region-unknown-shape", mutate: func(c *Config) { c.Region = "mars-north-1" }, field: "Region", echo: q("mars-north-1")},
		{name: "stack/provider-version-4x", mutate: func(c *Config) { c.ProviderVersion = "~> 4.0" }, field: "ProviderVersion", echo: q("~> 4.0")},
		{name: "stack/provider-version-template", mutate: func(c *Config) { c.ProviderVersion = `>= 5.84.0${"\n"}` }, field: "ProviderVersion", echo: q(`>= 5.84.0${"\n"}`)},
		{name: "stack/account-id-short", mutate: func(c *Config) { c.AllowedAccountIDs = []string{"12345"} }, field: "AllowedAccountIDs[0]", echo: q("12345")},
		{name: "stack/s3-bucket-template", mutate: func(c *Config) { c.Backend.S3 = &S3Backend{Bucket: "state-${var.env}"} }, field: "Backend.S3.Bucket", echo: q("state-${var.env}")},
		{name: "stack/s3-key-quote", mutate: func(c *Config) { c.Backend.S3 = &S3Backend{Bucket: "acme-state", Key: `a"b`} }, field: "Backend.S3.Key", echo: q(`a"b`)},
		{name: "stack/local-state-absolute", mutate: func(c *Config) { c.Backend.LocalPath = "/etc/terraform.tfstate" }, field: "Backend.LocalPath", echo: q("/etc/terraform.tfstate")},
		{name: "stack/service-vpc-given", mutate: func(c *Config) { c.ServiceProps.VPCID = "vpc-0a1b2c3d" }, field: "ServiceProps.VPCID", echo: q("vpc-0a1b2c3d")},

		// Tags (provider default tags, on every resource).
		{name: "tags/key-template", mutate: func(c *Config) { c.Tags["${var.k}"] = "v" }, field: `Tags["${var.k}"]`, echo: q("${var.k}")},
		{name: "tags/value-directive", mutate: func(c *Config) { c.Tags["Team"] = `%{ if true }x%{ endif }` }, field: `Tags["Team"]`, echo: q(`%{ if true }x%{ endif }`)},
		{name: "tags/value-newline", mutate: func(c *Config) { c.Tags["Team"] = "web\nadmin" }, field: `Tags["Team"]`, echo: q("web\nadmin")},
		{name: "tags/value-quote", mutate: func(c *Config) { c.Tags["Team"] = `web", "Owner": "x` }, field: `Tags["Team"]`, echo: q(`web", "Owner": "x`)},
		{name: "tags/key-reserved-aws", mutate: func(c *Config) { c.Tags["aws:cloudformation:stack"] = "x" }, field: `Tags["aws:cloudformation:stack"]`, echo: q("aws:cloudformation:stack")},
		{name: "tags/value-overlong", mutate: func(c *Config) { c.Tags["Team"] = long(257) }, field: `Tags["Team"]`, echo: q(long(257))},

		// Network.
		{name: "network/name-leading-hyphen", mutate: func(c *Config) { c.NetworkProps.Name = "-web" }, field: "NetworkProps.Name", echo: q("-web")},
		{name: "network/name-overlong", mutate: func(c *Config) { c.NetworkProps.Name = long(64) }, field: "NetworkProps.Name", echo: q(long(64))},
		{name: "network/name-template", mutate: func(c *Config) { c.NetworkProps.Name = "prod${path.cwd}" }, field: "NetworkProps.Name", echo: q("prod${path.cwd}")},
		{name: "network/cidr-garbage", mutate: func(c *Config) { c.NetworkProps.CIDR = "10.0.0.0/33" }, field: "NetworkProps.CIDR", echo: q("10.0.0.0/33")},
		{name: "network/cidr-host-bits", mutate: func(c *Config) { c.NetworkProps.CIDR = "10.0.0.1/16" }, field: "NetworkProps.CIDR", echo: q("10.0.0.1/16")},
		{name: "network/cidr-too-large", mutate: func(c *Config) { c.NetworkProps.CIDR = "10.0.0.0/8" }, field: "NetworkProps.CIDR", echo: q("10.0.0.0/8")},
		{name: "network/cidr-ipv6", mutate: func(c *Config) { c.NetworkProps.CIDR = "fd00::/56" }, field: "NetworkProps.CIDR", echo: q("fd00::/56")},
		{name: "network/cidr-loopback", mutate: func(c *Config) { c.NetworkProps.CIDR = "127.0.0.0/16" }, field: "NetworkProps.CIDR", echo: q("127.0.0.0/16")},
		{name: "network/cidr-link-local", mutate: func(c *Config) { c.NetworkProps.CIDR = "169.254.0.0/16" }, field: "NetworkProps.CIDR", echo: q("169.254.0.0/16")},
		{name: "network/az-count-7", mutate: func(c *Config) { c.NetworkProps.AZCount = 7 }, field: "NetworkProps.AZCount", echo: "= 7"},
		{name: "network/az-twice", mutate: func(c *Config) { c.NetworkProps.AvailabilityZones = []string{"us-east-1a", "us-east-1a"} }, field: "NetworkProps.AvailabilityZones[1]", echo: q("us-east-1a")},
		{name: "network/az-in-two-regions", mutate: func(c *Config) { c.NetworkProps.AvailabilityZones = []string{"us-east-1a", "eu-west-1b"} }, field: "NetworkProps.AvailabilityZones[1]", echo: q("eu-west-1b")},
		{name: "network/az-template", mutate: func(c *Config) { c.NetworkProps.AvailabilityZones = []string{"us-east-1a", "${var.az}"} }, field: "NetworkProps.AvailabilityZones[1]", echo: q("${var.az}")},
		{name: "network/subnets-overflow-28", mutate: func(c *Config) { c.NetworkProps.CIDR = "10.0.0.0/24"; c.NetworkProps.SubnetNewBits = 5 }, field: "NetworkProps.SubnetNewBits", echo: "= 5"},
		{name: "network/existing-vpc-id-template", validate: func() error {
			p := existing
			p.VPCID = "vpc-${var.id}"
			return seedNetwork(p)
		}, field: "VPCID", echo: q("vpc-${var.id}")},
		{name: "network/existing-subnet-twice", validate: func() error {
			p := existing
			p.PrivateSubnetIDs = []string{"subnet-2a1b2c3d4e5f67890", "subnet-2a1b2c3d4e5f67890"}
			return seedNetwork(p)
		}, field: "PrivateSubnetIDs[1]", echo: q("subnet-2a1b2c3d4e5f67890")},
		{name: "network/existing-vpc-cidr-bad", validate: func() error {
			p := existing
			p.VPCCIDR = "10.0.0.0/40"
			return seedNetwork(p)
		}, field: "VPCCIDR", echo: q("10.0.0.0/40")},
		{name: "network/existing-with-own-cidr", validate: func() error {
			p := existing
			p.CIDR = "10.9.0.0/16"
			return seedNetwork(p)
		}, field: "CIDR", echo: q("10.9.0.0/16")},

		// Cluster.
		{name: "cluster/name-space", mutate: func(c *Config) { c.ClusterProps.Name = "web app" }, field: "ClusterProps.Name", echo: q("web app")},
		{name: "cluster/name-overlong", mutate: func(c *Config) { c.ClusterProps.Name = long(256) }, field: "ClusterProps.Name", echo: q(long(256))},
		{name: "cluster/name-quote-newline", mutate: func(c *Config) { c.ClusterProps.Name = "prod\"\nx" }, field: "ClusterProps.Name", echo: q("prod\"\nx")},
		{name: "cluster/unknown-provider", mutate: func(c *Config) { c.ClusterProps.DefaultStrategy = []cluster.Strategy{{Provider: "EC2", Weight: 1}} }, field: "ClusterProps.DefaultStrategy[0].Provider", echo: q("EC2")},
		{name: "cluster/two-bases", validate: func() error {
			return seedCluster(cluster.Props{Name: "c", DefaultStrategy: []cluster.Strategy{{Provider: cluster.Fargate, Base: 1, Weight: 1}, {Provider: cluster.FargateSpot, Base: 1, Weight: 1}}})
		}, field: "DefaultStrategy", echo: "only one entry may have a Base"},
		{name: "cluster/from-name-template", validate: func() error { return seedFromName("${var.cluster}") }, field: "Name", echo: q("${var.cluster}")},

		// Load balancer.
		{name: "lb/name-trailing-hyphen", mutate: func(c *Config) { c.LoadBalancerProps.Name = "web-" }, field: "LoadBalancerProps.Name", echo: q("web-")},
		{name: "lb/name-overlong", mutate: func(c *Config) { c.LoadBalancerProps.Name = long(256) }, field: "LoadBalancerProps.Name", echo: q(long(256))},
		{name: "lb/name-leading-hyphen", mutate: func(c *Config) { c.LoadBalancerProps.Name = "-web" }, field: "LoadBalancerProps.Name", echo: q("-web")},
		{name: "lb/name-quote", mutate: func(c *Config) { c.LoadBalancerProps.Name = `web"` }, field: "LoadBalancerProps.Name", echo: q(`web"`)},
		{name: "lb/ingress-cidr-bad", mutate: func(c *Config) { c.LoadBalancerProps.IngressCIDRs = []string{"0.0.0.0/0\n"} }, field: "LoadBalancerProps.IngressCIDRs[0]", echo: q("0.0.0.0/0\n")},
		{name: "lb/ingress-cidr-twice", mutate: func(c *Config) { c.LoadBalancerProps.IngressCIDRs = []string{"203.0.113.0/24", "203.0.113.0/24"} }, field: "LoadBalancerProps.IngressCIDRs[1]", echo: q("203.0.113.0/24")},
		{name: "lb/ingress-cidr-overlapping", mutate: func(c *Config) { c.LoadBalancerProps.IngressCIDRs = []string{"10.0.0.0/8", "10.20.0.0/16"} }, field: "LoadBalancerProps.IngressCIDRs[1]", echo: q("10.20.0.0/16")},
		{name: "lb/target-port-0", validate: func() error {
			return seedLB(loadbalancer.Props{Name: "web", VPCID: "vpc-0a1b2c3d", SubnetIDs: []string{"subnet-0a1b2c3d", "subnet-1a1b2c3d"}, Target: loadbalancer.TargetProps{Port: -1}})
		}, field: "Target.Port", echo: "= -1"},
		{name: "lb/target-port-65536", mutate: func(c *Config) { c.LoadBalancerProps.Target.Port = 65536 }, field: "LoadBalancerProps.Target.Port", echo: "= 65536"},
		{name: "lb/health-path-newline", mutate: func(c *Config) { c.LoadBalancerProps.Target.HealthCheckPath = "/health\nHost: evil" }, field: "LoadBalancerProps.Target.HealthCheckPath", echo: q("/health\nHost: evil")},
		{name: "lb/health-path-template", mutate: func(c *Config) { c.LoadBalancerProps.Target.HealthCheckPath = "/${var.p}" }, field: "LoadBalancerProps.Target.HealthCheckPath", echo: q("/${var.p}")},
		{name: "lb/matcher-600", mutate: func(c *Config) { c.LoadBalancerProps.Target.HealthCheckMatcher = "600" }, field: "LoadBalancerProps.Target.HealthCheckMatcher", echo: q("600")},
		{name: "lb/idle-timeout-4001s", mutate: func(c *Config) { c.LoadBalancerProps.IdleTimeout = 4001 * time.Second }, field: "LoadBalancerProps.IdleTimeout", echo: q("1h6m41s")},
		{name: "lb/certificate-template", mutate: func(c *Config) {
			c.LoadBalancerProps.CertificateARN = `arn:aws:acm:us-east-1:123456789012:certificate/${file("/etc/passwd")}`
		}, field: "LoadBalancerProps.CertificateARN", echo: q(`arn:aws:acm:us-east-1:123456789012:certificate/${file("/etc/passwd")}`)},
		{name: "lb/ssl-policy-without-certificate", mutate: func(c *Config) { c.LoadBalancerProps.SSLPolicy = "ELBSecurityPolicy-2016-08" }, field: "LoadBalancerProps.SSLPolicy", echo: q("ELBSecurityPolicy-2016-08")},

		// Service.
		{name: "service/name-leading-underscore", mutate: func(c *Config) { c.ServiceProps.Name = "_web" }, field: "ServiceProps.Name", echo: q("_web")},
		{name: "service/name-overlong", mutate: func(c *Config) { c.ServiceProps.Name = long(256) }, field: "ServiceProps.Name", echo: q(long(256))},
		{name: "service/name-template", mutate: func(c *Config) { c.ServiceProps.Name = "web-${uuid()}" }, field: "ServiceProps.Name", echo: q("web-${uuid()}")},
		{name: "service/cpu-not-fargate", mutate: func(c *Config) { c.ServiceProps.CPU = 300 }, field: "ServiceProps.CPU", echo: "= 300"},
		{name: "service/memory-not-for-cpu", mutate: func(c *Config) { c.ServiceProps.Memory = 4096 }, field: "ServiceProps.Memory", echo: "= 4096"},
		{name: "service/desired-1001", mutate: func(c *Config) {
			c.ServiceProps.DesiredCount = 1001
			c.ServiceProps.Autoscaling = service.Autoscaling{Disabled: true}
		}, field: "ServiceProps.DesiredCount", echo: "= 1001"},
		{name: "service/min-above-max", mutate: func(c *Config) { c.ServiceProps.Autoscaling.MinCapacity = 11 }, field: "ServiceProps.Autoscaling.MinCapacity", echo: "= 11"},
		{name: "service/cpu-target-negative", mutate: func(c *Config) { c.ServiceProps.Autoscaling.CPUTarget = -5 }, field: "ServiceProps.Autoscaling.CPUTarget", echo: "= -5"},
		{name: "service/cpu-target-over-100", mutate: func(c *Config) { c.ServiceProps.Autoscaling.CPUTarget = 100.5 }, field: "ServiceProps.Autoscaling.CPUTarget", echo: "= 100.5"},
		{name: "service/memory-target-over-100", mutate: func(c *Config) { c.ServiceProps.Autoscaling.MemoryTarget = 101 }, field: "ServiceProps.Autoscaling.MemoryTarget", echo: "= 101"},
		{name: "service/requests-per-target-negative", mutate: func(c *Config) { c.ServiceProps.Autoscaling.RequestsPerTarget = -1 }, field: "ServiceProps.Autoscaling.RequestsPerTarget", echo: "= -1"},
		{name: "service/retention-15", mutate: func(c *Config) { c.ServiceProps.LogRetentionDays = 15 }, field: "ServiceProps.LogRetentionDays", echo: "= 15"},
		{name: "service/kms-not-an-arn", mutate: func(c *Config) { c.ServiceProps.LogKMSKeyARN = "alias/${var.key}" }, field: "ServiceProps.LogKMSKeyARN", echo: q("alias/${var.key}")},
		{name: "service/unknown-capacity-provider", mutate: func(c *Config) {
			c.ServiceProps.CapacityProviderStrategy = []cluster.Strategy{{Provider: "FARGATE_SPOTTY", Weight: 1}}
		}, field: "ServiceProps.CapacityProviderStrategy[0].Provider", echo: q("FARGATE_SPOTTY")},
		{name: "service/egress-cidr-overlapping", mutate: func(c *Config) { c.ServiceProps.EgressCIDRs = []string{"10.0.0.0/16", "10.0.1.0/24"} }, field: "ServiceProps.EgressCIDRs[1]", echo: q("10.0.1.0/24")},
		{name: "service/task-policy-star-action", mutate: func(c *Config) {
			c.ServiceProps.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:*"}, Resource: []string{"arn:aws:s3:::b"}}}
		}, field: "ServiceProps.TaskPolicy[0].Action[0]", echo: q("s3:*")},
		{name: "service/task-policy-star-resource", mutate: func(c *Config) {
			c.ServiceProps.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:GetObject"}, Resource: []string{"*"}}}
		}, field: "ServiceProps.TaskPolicy[0].Resource[0]", echo: q("*")},
		{name: "service/ecs-exec-read-only-root", mutate: func(c *Config) { c.ServiceProps.EnableExecuteCommand = true }, field: "ServiceProps.Containers[0].WritableRootFilesystem", echo: "= false"},
		{name: "service/target-container-unknown", mutate: func(c *Config) { c.ServiceProps.ContainerName = "nope" }, field: "ServiceProps.ContainerName", echo: q("nope")},

		// Containers.
		{name: "container/name-duplicate", mutate: func(c *Config) {
			c.ServiceProps.Containers = append(c.ServiceProps.Containers, container.Definition{Name: "app", Image: "busybox:1.36"})
		}, field: "ServiceProps.Containers[1].Name", echo: q("app")},
		{name: "container/name-template", mutate: func(c *Config) { app(c).Name = "${var.name}" }, field: "ServiceProps.Containers[0].Name", echo: q("${var.name}")},
		{name: "container/image-quote-space", mutate: func(c *Config) { app(c).Image = `nginx:1.27" --privileged` }, field: "ServiceProps.Containers[0].Image", echo: q(`nginx:1.27" --privileged`)},
		{name: "container/image-template", mutate: func(c *Config) { app(c).Image = "nginx:${var.tag}" }, field: "ServiceProps.Containers[0].Image", echo: q("nginx:${var.tag}")},
		{name: "container/port-0", mutate: func(c *Config) { app(c).PortMappings = []container.PortMapping{{ContainerPort: 0}} }, field: "ServiceProps.Containers[0].PortMappings[0].ContainerPort", echo: "= 0"},
		{name: "container/port-65536", mutate: func(c *Config) { app(c).PortMappings = []container.PortMapping{{ContainerPort: 65536}} }, field: "ServiceProps.Containers[0].PortMappings[0].ContainerPort", echo: "= 65536"},
		{name: "container/stop-timeout-121s", mutate: func(c *Config) { app(c).StopTimeout = 121 * time.Second }, field: "ServiceProps.Containers[0].StopTimeout", echo: q("2m1s")},
		{name: "container/env-name-newline", mutate: func(c *Config) { app(c).Environment = map[string]string{"A\nB": "x"} }, field: `ServiceProps.Containers[0].Environment["A\nB"]`, echo: q("A\nB")},
		{name: "container/env-nul", mutate: func(c *Config) { app(c).Environment = map[string]string{"MODE": "a\x00b"} }, field: `ServiceProps.Containers[0].Environment["MODE"]`, echo: q("a\x00b")},
		{name: "container/secret-arn-template", mutate: func(c *Config) {
			app(c).Secrets = map[string]container.Secret{"DB": container.SSMParameter(`arn:aws:ssm:us-east-1:123456789012:parameter/${file("/etc/passwd")}`)}
		}, field: `ServiceProps.Containers[0].Secrets["DB"]`, echo: q(`arn:aws:ssm:us-east-1:123456789012:parameter/${file("/etc/passwd")}`)},
		{name: "container/secret-arn-newline", mutate: func(c *Config) {
			app(c).Secrets = map[string]container.Secret{"DB": container.SSMParameter("arn:aws:ssm:us-east-1:123456789012:parameter/db\n")}
		}, field: `ServiceProps.Containers[0].Secrets["DB"]`, echo: q("arn:aws:ssm:us-east-1:123456789012:parameter/db\n")},
		{name: "container/health-check-not-cmd", mutate: func(c *Config) { app(c).HealthCheck = &container.HealthCheck{Command: []string{"curl localhost"}} }, field: "ServiceProps.Containers[0].HealthCheck.Command", echo: q("curl localhost")},
		{name: "container/health-interval-301s", mutate: func(c *Config) {
			app(c).HealthCheck = &container.HealthCheck{Command: []string{"CMD", "true"}, Interval: 301 * time.Second}
		}, field: "ServiceProps.Containers[0].HealthCheck.Interval", echo: q("5m1s")},
		{name: "container/user-injection", mutate: func(c *Config) { app(c).User = "root; rm -rf /" }, field: "ServiceProps.Containers[0].User", echo: q("root; rm -rf /")},
		{name: "container/scratch-path-traversal", mutate: func(c *Config) { app(c).ScratchPaths = []string{"/tmp/../etc"} }, field: "ServiceProps.Containers[0].ScratchPaths[0]", echo: q("/tmp/../etc")},
		{name: "container/workdir-newline", mutate: func(c *Config) { app(c).WorkingDirectory = "/app\n" }, field: "ServiceProps.Containers[0].WorkingDirectory", echo: q("/app\n")},
		{name: "container/eleven", validate: func() error {
			defs := make([]container.Definition, 11)
			for i := range defs {
				defs[i] = container.Definition{Name: fmt.Sprintf("c%d", i), Image: "busybox:1.36"}
			}
			return seedContainers(defs)
		}, field: "Containers", echo: q("11 containers")},

		// Added with issue 8: IAM wildcards in every form.
		{name: "iam/partial-wildcard-suffix", mutate: func(c *Config) {
			c.ServiceProps.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:Get*"}, Resource: []string{"arn:aws:s3:::b/*"}}}
		}, field: "ServiceProps.TaskPolicy[0].Action[0]", echo: q("s3:Get*")},
		{name: "iam/partial-wildcard-middle", mutate: func(c *Config) {
			c.ServiceProps.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:*Object"}, Resource: []string{"arn:aws:s3:::b/*"}}}
		}, field: "ServiceProps.TaskPolicy[0].Action[0]", echo: q("s3:*Object")},
		{name: "iam/question-mark-wildcard", mutate: func(c *Config) {
			c.ServiceProps.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:GetObjec?"}, Resource: []string{"arn:aws:s3:::b/*"}}}
		}, field: "ServiceProps.TaskPolicy[0].Action[0]", echo: q("s3:GetObjec?")},
		{name: "iam/policy-over-10240-characters", mutate: func(c *Config) {
			res := make([]string, 300)
			for i := range res {
				res[i] = fmt.Sprintf("arn:aws:s3:::bucket-number-%03d/objects/*", i)
			}
			c.ServiceProps.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:GetObject"}, Resource: res}}
		}, field: "ServiceProps.TaskPolicy", echo: "characters of policy"},

		// The ALB's TLS policy: only AWS's list, legacy TLS only on request.
		{name: "lb/ssl-policy-unknown", mutate: func(c *Config) {
			c.LoadBalancerProps.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
			c.LoadBalancerProps.SSLPolicy = "ELBSecurityPolicy-Made-Up-2026"
		}, field: "LoadBalancerProps.SSLPolicy", echo: q("ELBSecurityPolicy-Made-Up-2026")},
		{name: "lb/ssl-policy-tls10-without-opt-in", mutate: func(c *Config) {
			c.LoadBalancerProps.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
			c.LoadBalancerProps.SSLPolicy = "ELBSecurityPolicy-2016-08"
		}, field: "LoadBalancerProps.SSLPolicy", echo: "TLS 1.0"},
		{name: "lb/ssl-policy-tls11-without-opt-in", mutate: func(c *Config) {
			c.LoadBalancerProps.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
			c.LoadBalancerProps.SSLPolicy = "ELBSecurityPolicy-TLS13-1-1-2021-06"
		}, field: "LoadBalancerProps.SSLPolicy", echo: "TLS 1.1"},
		{name: "lb/legacy-opt-in-with-modern-policy", mutate: func(c *Config) {
			c.LoadBalancerProps.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
			c.LoadBalancerProps.SSLPolicy = loadbalancer.DefaultSSLPolicy
			c.LoadBalancerProps.AllowLegacyTLS = true
		}, field: "LoadBalancerProps.AllowLegacyTLS", echo: "= true"},

		// Prefixes AWS reserves.
		{name: "lb/name-internal-prefix", mutate: func(c *Config) { c.LoadBalancerProps.Name = "internal-web" }, field: "LoadBalancerProps.Name", echo: q("internal-web")},
		{name: "lb/name-sg-prefix", mutate: func(c *Config) { c.LoadBalancerProps.Name = "sg-web" }, field: "LoadBalancerProps.Name", echo: q("sg-web")},
		{name: "service/name-sg-prefix", mutate: func(c *Config) { c.ServiceProps.Name = "SG-web" }, field: "ServiceProps.Name", echo: q("SG-web")},
		{name: "network/name-sg-prefix", mutate: func(c *Config) { c.NetworkProps.Name = "sg-prod" }, field: "NetworkProps.Name", echo: q("sg-prod")},

		// Health check codes an ALB accepts.
		{name: "lb/matcher-199", mutate: func(c *Config) { c.LoadBalancerProps.Target.HealthCheckMatcher = "199" }, field: "LoadBalancerProps.Target.HealthCheckMatcher", echo: q("199")},
		{name: "lb/matcher-500", mutate: func(c *Config) { c.LoadBalancerProps.Target.HealthCheckMatcher = "200,500" }, field: "LoadBalancerProps.Target.HealthCheckMatcher", echo: q("200,500")},
		{name: "lb/matcher-range-downwards", mutate: func(c *Config) { c.LoadBalancerProps.Target.HealthCheckMatcher = "399-200" }, field: "LoadBalancerProps.Target.HealthCheckMatcher", echo: q("399-200")},

		// Containers of one awsvpc task share its ports.
		{name: "container/port-shared-by-two-containers", mutate: func(c *Config) {
			c.ServiceProps.Containers = append(c.ServiceProps.Containers, container.Definition{Name: "sidecar", Image: "envoyproxy/envoy:v1.31", PortMappings: []container.PortMapping{{ContainerPort: 80}}})
		}, field: "ServiceProps.Containers[1].PortMappings[0].ContainerPort", echo: "= 80"},
		{name: "container/definitions-over-64KiB", mutate: func(c *Config) {
			app(c).Environment = map[string]string{"BIG": strings.Repeat("x", 70*1024)}
		}, field: "ServiceProps.Containers", echo: "bytes of container definitions"},
		{name: "container/credential-name", mutate: func(c *Config) { app(c).Environment = map[string]string{"GITHUB_TOKEN": "abc"} }, field: `ServiceProps.Containers[0].Environment["GITHUB_TOKEN"]`, echo: q("****")},
		{name: "container/credential-name-camel-case", mutate: func(c *Config) { app(c).Environment = map[string]string{"dbPassword": "abc"} }, field: `ServiceProps.Containers[0].Environment["dbPassword"]`, echo: q("****")},
		{name: "container/not-credentials-names-nothing", mutate: func(c *Config) {
			app(c).Environment = map[string]string{"MODE": "x"}
			app(c).NotCredentials = []string{"CSRF_TOKEN"}
		}, field: "ServiceProps.Containers[0].NotCredentials[0]", echo: q("CSRF_TOKEN")},

		// Tags: at most 50 on a resource, the provider's default tags included.
		{name: "tags/over-50-default-tags", mutate: func(c *Config) {
			for i := range 51 {
				c.Tags[fmt.Sprintf("k%02d", i)] = "v"
			}
		}, field: "Tags", echo: q("54 tags")},
		{name: "tags/service-50-plus-name", mutate: func(c *Config) {
			c.ServiceProps.Tags = map[string]string{}
			for i := range 50 {
				c.ServiceProps.Tags[fmt.Sprintf("k%02d", i)] = "v"
			}
		}, field: "ServiceProps.Tags", echo: q("51 tags")},

		// Strings that imitate a CDKTF token.
		{name: "token/malformed-marker-in-environment", mutate: func(c *Config) { app(c).Environment = map[string]string{"MODE": "${TfToken[x"} }, field: `ServiceProps.Containers[0].Environment["MODE"]`, echo: q("${TfToken[x")},
		{name: "token/key-without-counter-as-vpc-id", validate: func() error {
			p := existing
			p.VPCID = "${TfToken[my-vpc]}"
			return seedNetwork(p)
		}, field: "VPCID", echo: q("${TfToken[my-vpc]}")},

		// Constructs added later: FromAttributes, role ARNs, account and
		// partition, flow-log KMS, the S3 backend's table and region.
		{name: "existing-lb/security-group-template", validate: func() error {
			return seedFromAttributes(loadbalancer.Attributes{SecurityGroupID: "sg-${var.sg}", TargetGroupARN: hostileTG})
		}, field: "SecurityGroupID", echo: q("sg-${var.sg}")},
		{name: "existing-lb/target-group-not-an-arn", validate: func() error {
			return seedFromAttributes(loadbalancer.Attributes{SecurityGroupID: "sg-0a1b2c3d", TargetGroupARN: "targetgroup/web"})
		}, field: "TargetGroupARN", echo: q("targetgroup/web")},
		{name: "existing-lb/one-suffix-only", validate: func() error {
			return seedFromAttributes(loadbalancer.Attributes{SecurityGroupID: "sg-0a1b2c3d", TargetGroupARN: hostileTG, ARNSuffix: "app/web/0123456789abcdef"})
		}, field: "ARNSuffix", echo: q("app/web/0123456789abcdef")},
		{name: "existing-lb/suffix-not-a-suffix", validate: func() error {
			return seedFromAttributes(loadbalancer.Attributes{SecurityGroupID: "sg-0a1b2c3d", TargetGroupARN: hostileTG, ARNSuffix: "/", TargetGroupARNSuffix: "targetgroup/web/0123456789abcdef"})
		}, field: "ARNSuffix", echo: q("/")},
		{name: "existing-lb/dns-name-newline", validate: func() error {
			return seedFromAttributes(loadbalancer.Attributes{SecurityGroupID: "sg-0a1b2c3d", TargetGroupARN: hostileTG, DNSName: "web\nx"})
		}, field: "DNSName", echo: q("web\nx")},
		{name: "service/request-scaling-without-suffixes", validate: func() error {
			lb, err := loadbalancer.FromAttributes(loadbalancer.Attributes{SecurityGroupID: "sg-0a1b2c3d", TargetGroupARN: hostileTG})
			if err != nil {
				return err
			}
			p := hostileServiceProps()
			p.LoadBalancer = lb
			p.Autoscaling.RequestsPerTarget = 100
			return seedService(p)
		}, field: "Autoscaling.RequestsPerTarget", echo: "= 100"},
		{name: "service/execution-role-not-an-arn", mutate: func(c *Config) { c.ServiceProps.ExecutionRoleARN = "web-execution" }, field: "ServiceProps.ExecutionRoleARN", echo: q("web-execution")},
		{name: "service/task-role-template", mutate: func(c *Config) {
			c.ServiceProps.TaskRoleARN = "arn:aws:iam::123456789012:role/${var.r}"
		}, field: "ServiceProps.TaskRoleARN", echo: q("arn:aws:iam::123456789012:role/${var.r}")},
		{name: "service/account-id-short", mutate: func(c *Config) { c.ServiceProps.AccountID = "12345" }, field: "ServiceProps.AccountID", echo: q("12345")},
		{name: "service/partition-space", mutate: func(c *Config) { c.ServiceProps.Partition = "aws cn" }, field: "ServiceProps.Partition", echo: q("aws cn")},
		{name: "network/flow-log-kms-alias", mutate: func(c *Config) { c.NetworkProps.FlowLogKMSKeyARN = "alias/flow-logs" }, field: "NetworkProps.FlowLogKMSKeyARN", echo: q("alias/flow-logs")},
		{name: "stack/s3-table-short", mutate: func(c *Config) { c.Backend.S3 = &S3Backend{Bucket: "acme-state", DynamoDBTable: "tf"} }, field: "Backend.S3.DynamoDBTable", echo: q("tf")},
		{name: "stack/s3-table-template", mutate: func(c *Config) { c.Backend.S3 = &S3Backend{Bucket: "acme-state", DynamoDBTable: "locks-${var.env}"} }, field: "Backend.S3.DynamoDBTable", echo: q("locks-${var.env}")},
		{name: "stack/s3-region-unknown", mutate: func(c *Config) { c.Backend.S3 = &S3Backend{Bucket: "acme-state", Region: "mars-1"} }, field: "Backend.S3.Region", echo: q("mars-1")},

		// Regions that must match, and names S3 reserves.
		{name: "service/log-kms-key-other-region", mutate: func(c *Config) {
			c.ServiceProps.LogKMSKeyARN = "arn:aws:kms:eu-west-1:123456789012:key/0123abcd-0000-0000-0000-000000000000"
		}, field: "ServiceProps.LogKMSKeyARN", echo: q("arn:aws:kms:eu-west-1:123456789012:key/0123abcd-0000-0000-0000-000000000000")},
		{name: "lb/certificate-other-region", mutate: func(c *Config) {
			c.LoadBalancerProps.CertificateARN = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
		}, field: "LoadBalancerProps.CertificateARN", echo: q("arn:aws:acm:eu-west-1:123456789012:certificate/abc")},
		{name: "stack/s3-bucket-reserved-prefix", mutate: func(c *Config) { c.Backend.S3 = &S3Backend{Bucket: "xn--state"} }, field: "Backend.S3.Bucket", echo: q("xn--state")},
		{name: "stack/s3-bucket-reserved-suffix", mutate: func(c *Config) { c.Backend.S3 = &S3Backend{Bucket: "state-s3alias"} }, field: "Backend.S3.Bucket", echo: q("state-s3alias")},
		{name: "stack/s3-bucket-ip-address", mutate: func(c *Config) { c.Backend.S3 = &S3Backend{Bucket: "192.168.5.4"} }, field: "Backend.S3.Bucket", echo: q("192.168.5.4")},

		// VPC endpoints only: what a task cannot reach without the internet.
		{name: "endpoints/image-outside-ecr", mutate: func(c *Config) { c.NetworkProps.Egress = network.VPCEndpointsOnly }, field: "ServiceProps.Containers[0].Image", echo: q("nginx:1.27")},
		{name: "endpoints/secret-without-endpoint", mutate: func(c *Config) {
			c.NetworkProps.Egress = network.VPCEndpointsOnly
			app(c).Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"
			app(c).Secrets = map[string]container.Secret{"DB": container.SecretsManager("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf")}
		}, field: `ServiceProps.Containers[0].Secrets["DB"]`, echo: q("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf")},

		// ARNs: partition, a real region code, account and resource type,
		// each named when wrong (docs/hostile-input.md, "ARNs and regions").
		{name: "arn/topic-region-without-dash", mutate: func(c *Config) { c.ServiceProps.Alarms.TopicARN = "arn:aws:sns:eu-west1:123456789012:alarms" }, field: "ServiceProps.Alarms.TopicARN", echo: q("arn:aws:sns:eu-west1:123456789012:alarms")},
		{name: "arn/topic-region-letters-swapped", mutate: func(c *Config) { c.ServiceProps.Alarms.TopicARN = "arn:aws:sns:eu-wset-1:123456789012:alarms" }, field: "ServiceProps.Alarms.TopicARN", echo: q("arn:aws:sns:eu-wset-1:123456789012:alarms")},
		{name: "arn/topic-partition-not-the-regions", mutate: func(c *Config) { c.ServiceProps.Alarms.TopicARN = "arn:aws-cn:sns:us-east-1:123456789012:alarms" }, field: "ServiceProps.Alarms.TopicARN", echo: q("arn:aws-cn:sns:us-east-1:123456789012:alarms")},
		{name: "arn/topic-kms-key-of-sqs", mutate: func(c *Config) { c.ServiceProps.Alarms.TopicKMSKeyARN = "arn:aws:sqs:us-east-1:123456789012:key/abc" }, field: "ServiceProps.Alarms.TopicKMSKeyARN", echo: q("arn:aws:sqs:us-east-1:123456789012:key/abc")},
		{name: "arn/task-role-with-region", mutate: func(c *Config) { c.ServiceProps.TaskRoleARN = "arn:aws:iam:us-east-1:123456789012:role/web" }, field: "ServiceProps.TaskRoleARN", echo: q("arn:aws:iam:us-east-1:123456789012:role/web")},
		{name: "arn/execution-role-short-account", mutate: func(c *Config) { c.ServiceProps.ExecutionRoleARN = "arn:aws:iam::12345678901:role/web" }, field: "ServiceProps.ExecutionRoleARN", echo: q("arn:aws:iam::12345678901:role/web")},
		{name: "arn/certificate-region-typo", mutate: func(c *Config) {
			c.LoadBalancerProps.CertificateARN = "arn:aws:acm:us-est-1:123456789012:certificate/abc"
		}, field: "LoadBalancerProps.CertificateARN", echo: q("arn:aws:acm:us-est-1:123456789012:certificate/abc")},
		{name: "arn/log-kms-key-partition", mutate: func(c *Config) { c.ServiceProps.LogKMSKeyARN = "arn:aws-us-gov:kms:us-east-1:123456789012:key/abc" }, field: "ServiceProps.LogKMSKeyARN", echo: q("arn:aws-us-gov:kms:us-east-1:123456789012:key/abc")},
		{name: "stack/region-letters-swapped", mutate: func(c *Config) { c.Region = "eu-wset-1" }, field: "Region", echo: q("eu-wset-1")},
		{name: "service/partition-not-the-regions", mutate: func(c *Config) { c.ServiceProps.Partition = "aws-cn" }, field: "ServiceProps.Partition", echo: q("aws-cn")},

		// Typed secrets: each part of the reference checked.
		{name: "secret/zero", mutate: func(c *Config) { app(c).Secrets = map[string]container.Secret{"DB": {}} }, field: `ServiceProps.Containers[0].Secrets["DB"]`, echo: "is empty"},
		{name: "secret/parameter-as-secret", mutate: func(c *Config) {
			app(c).Secrets = map[string]container.Secret{"DB": container.SecretsManager("arn:aws:ssm:us-east-1:123456789012:parameter/db")}
		}, field: `ServiceProps.Containers[0].Secrets["DB"]`, echo: q("arn:aws:ssm:us-east-1:123456789012:parameter/db")},
		{name: "secret/key-in-the-arn", mutate: func(c *Config) {
			app(c).Secrets = map[string]container.Secret{"DB": container.SecretsManager("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::")}
		}, field: `ServiceProps.Containers[0].Secrets["DB"]`, echo: q("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::")},
		{name: "secret/json-key-colon", mutate: func(c *Config) {
			app(c).Secrets = map[string]container.Secret{"DB": container.SecretsManagerJSONKey("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", "pass:word")}
		}, field: `ServiceProps.Containers[0].Secrets["DB"]`, echo: q("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:pass:word::")},
		{name: "secret/stage-and-version-id", mutate: func(c *Config) {
			app(c).Secrets = map[string]container.Secret{"DB": container.SecretsManager("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf").
				WithVersionStage("AWSPREVIOUS").WithVersionID("9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE")}
		}, field: `ServiceProps.Containers[0].Secrets["DB"]`, echo: q("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf::AWSPREVIOUS:9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE")},
		{name: "secret/region-without-dash", mutate: func(c *Config) {
			app(c).Secrets = map[string]container.Secret{"DB": container.SSMParameter("arn:aws:ssm:useast-1:123456789012:parameter/db")}
		}, field: `ServiceProps.Containers[0].Secrets["DB"]`, echo: q("arn:aws:ssm:useast-1:123456789012:parameter/db")},

		// Health-check paths: a query is accepted, what AWS refuses is not.
		{name: "lb/health-path-fragment", mutate: func(c *Config) { c.LoadBalancerProps.Target.HealthCheckPath = "/health#top" }, field: "LoadBalancerProps.Target.HealthCheckPath", echo: q("/health#top")},
		{name: "lb/health-path-query-space", mutate: func(c *Config) { c.LoadBalancerProps.Target.HealthCheckPath = "/health?q=a b" }, field: "LoadBalancerProps.Target.HealthCheckPath", echo: q("/health?q=a b")},
		{name: "lb/health-path-1025", mutate: func(c *Config) { c.LoadBalancerProps.Target.HealthCheckPath = "/health?" + long(1017) }, field: "LoadBalancerProps.Target.HealthCheckPath", echo: "/health?aaaa"},
	}
}

// hostileTG is a well-formed target group ARN for FromAttributes cases.
const hostileTG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"

// hostileServiceProps are valid service props without the jsii kernel.
func hostileServiceProps() service.Props {
	cl, _ := cluster.FromName("shared")
	return service.Props{
		Name: "web", Region: "us-east-1", Cluster: cl, VPCID: "vpc-0a1b2c3d", SubnetIDs: []string{"subnet-0a1b2c3d"},
		Containers: []container.Definition{{Name: "app", Image: "nginx:1.27", PortMappings: []container.PortMapping{{ContainerPort: 80}}}},
	}
}

// TestHostileInputIsRefused runs every hostile case: a clear error that names
// the field and echoes the value, never a panic, and nothing accepted.
func TestHostileInputIsRefused(t *testing.T) {
	cases := hostileCases()
	if len(cases) < 139 {
		t.Fatalf("only %d hostile cases; keep at least 139 (docs/hostile-input.md counts them)", len(cases))
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("case name %q is used twice", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			err := hostileRun(t, tc)
			hostileAssert(t, err, tc.field, tc.echo)
		})
	}
}

// hostileRun applies one case and turns a panic into a test failure.
func hostileRun(t *testing.T, tc hostileCase) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panicked instead of returning an error: %v", r)
		}
	}()
	if tc.validate != nil {
		return tc.validate()
	}
	cfg := Production()
	tc.mutate(&cfg)
	return Validate(cfg)
}

// Legitimate values that Terraform would otherwise read as template syntax,
// and values with quotes and newlines: accepted, and delivered literally.
const (
	hostileEnvTemplate  = "prefix-${HOME}-suffix"
	hostileEnvDirective = "%{ if true }yes%{ endif }"
	hostileEnvQuotes    = `say "hi" and 'bye' \ done`
	hostileEnvNewline   = "line1\nline2"
	hostileHealthShell  = `curl -f "http://localhost:${PORT}/health" || exit 1`
	hostileCommandArg   = "echo ${USER} %{x}"
	hostileIAMResource  = "arn:aws:s3:::acme-assets/home/${aws:username}/*"
	hostileHealthPath   = "/health?full=1&probe=alb"
)

func hostileLegitimateConfig() Config {
	c := Production()
	c.StackName = "tricky"
	app := &c.ServiceProps.Containers[0]
	app.Environment = map[string]string{
		"TEMPLATE":  hostileEnvTemplate,
		"DIRECTIVE": hostileEnvDirective,
		"QUOTES":    hostileEnvQuotes,
		"NEWLINE":   hostileEnvNewline,
	}
	app.Command = []string{"nginx", "-g", hostileCommandArg}
	app.HealthCheck = &container.HealthCheck{Command: []string{"CMD-SHELL", hostileHealthShell}}
	// A query in the target group's health-check path (AWS's own example
	// form, /path?query).
	c.LoadBalancerProps.Target.HealthCheckPath = hostileHealthPath
	c.ServiceProps.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:GetObject"}, Resource: []string{hostileIAMResource}}}
	return c
}

// TestHostileLegitimateValuesAreLiteral synthesizes one variant that holds
// every legitimate-but-tricky value and checks the JSON escapes them ("$${",
// "%%{"), so that Terraform deploys them as written, and that decoding what
// Terraform will pass on gives back the original values.
func TestHostileLegitimateValuesAreLiteral(t *testing.T) {
	cfg := hostileLegitimateConfig()
	if err := Validate(cfg); err != nil {
		t.Fatalf("legitimate values must be accepted: %v", err)
	}
	_, doc, _ := synthOne(t, cfg)
	_, td := doc.One(t, "aws_ecs_task_definition")
	defs, _ := td["container_definitions"].(string)
	for _, want := range []string{
		`prefix-$${HOME}-suffix`,
		`%%{ if true }yes%%{ endif }`,
		`say \"hi\" and 'bye' \\ done`,
		`line1\nline2`,
		`http://localhost:$${PORT}/health`,
		`echo $${USER} %%{x}`,
	} {
		if !strings.Contains(defs, want) {
			t.Errorf("container_definitions should hold %s:\n%s", want, defs)
		}
	}
	if unescaped := strings.NewReplacer("$${", "", "%%{", "").Replace(defs); strings.Contains(unescaped, "${") || strings.Contains(unescaped, "%{") {
		t.Errorf("container_definitions holds an unescaped template sequence that Terraform would evaluate:\n%s", defs)
	}

	// What Terraform passes to AWS is the string with "$${" read as "${".
	literal := strings.NewReplacer("$${", "${", "%%{", "%{").Replace(defs)
	for _, want := range []string{hostileEnvTemplate, hostileEnvDirective, hostileEnvQuotes, hostileEnvNewline, hostileHealthShell, hostileCommandArg} {
		enc := strconv.Quote(want)
		enc = strings.ReplaceAll(enc[1:len(enc)-1], `\'`, `'`)
		if !strings.Contains(literal, enc) {
			t.Errorf("after Terraform's unescaping, container_definitions should deliver %q:\n%s", want, literal)
		}
	}

	paths := []any{}
	for _, tg := range doc.Resources("aws_lb_target_group") {
		paths = append(paths, testutil.Get(tg, "health_check", "path"))
	}
	if len(paths) != 1 || paths[0] != hostileHealthPath {
		t.Errorf("the target group's health-check path = %v, want [%s] as written", paths, hostileHealthPath)
	}

	policy := ""
	for _, r := range doc.Resources("aws_iam_role_policy") {
		if r["name"] == "task" {
			policy, _ = r["policy"].(string)
		}
	}
	if !strings.Contains(policy, "arn:aws:s3:::acme-assets/home/$${aws:username}/*") {
		t.Errorf("the task policy should keep the IAM policy variable for IAM, escaped from Terraform as $${aws:username}:\n%s", policy)
	}
}

// TestHostileAddTarget covers loadbalancer.AddTarget, which needs a load
// balancer built in the jsii kernel: one is built in a fresh app, and every
// case must be refused before anything is created.
func TestHostileAddTarget(t *testing.T) {
	app := testutil.TestApp()
	stack := cdktf.NewTerraformStack(app, jsii.String("hostile"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	lb, err := loadbalancer.New(stack, "LoadBalancer", loadbalancer.Props{
		Name: "web", VPCID: "vpc-0a1b2c3d", SubnetIDs: []string{"subnet-0a1b2c3d", "subnet-1a1b2c3d"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := hostileRuleCases()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := hostileRuleBase
			if tc.mutate != nil {
				tc.mutate(&p)
			}
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panicked instead of returning an error: %v", r)
					}
				}()
				_, err = lb.AddTarget(tc.id, p)
			}()
			hostileAssert(t, err, tc.field, tc.echo)
		})
	}
	t.Run("nothing-was-created", func(t *testing.T) {
		_, doc := testutil.Synth(t, stack)
		if n := len(doc.Resources("aws_lb_listener_rule")); n != 0 {
			t.Errorf("refused AddTarget calls created %d listener rules", n)
		}
		if n := len(doc.Resources("aws_lb_target_group")); n != 1 {
			t.Errorf("refused AddTarget calls left %d target groups, want only the default one", n)
		}
	})
}

// hostileRuleBase are valid AddTarget props; each hostileRuleCase changes one thing.
var hostileRuleBase = loadbalancer.RuleProps{Name: "api", PathPatterns: []string{"/api/*"}, Priority: 10}

type hostileRuleCase struct {
	name, id string
	mutate   func(p *loadbalancer.RuleProps)
	field    string
	echo     string
}

func hostileRuleCases() []hostileRuleCase {
	return []hostileRuleCase{
		{"id-empty", "", nil, "id", `id = ""`},
		{"id-slash", "a/b", nil, "id", q("a/b")},
		{"name-quote", "Api", func(p *loadbalancer.RuleProps) { p.Name = `api"` }, "Name", q(`api"`)},
		{"path-template", "Api", func(p *loadbalancer.RuleProps) { p.PathPatterns = []string{"/${var.p}/*"} }, "PathPatterns[0]", q("/${var.p}/*")},
		{"path-newline", "Api", func(p *loadbalancer.RuleProps) { p.PathPatterns = []string{"/api\n*"} }, "PathPatterns[0]", q("/api\n*")},
		{"six-paths", "Api", func(p *loadbalancer.RuleProps) { p.PathPatterns = []string{"/a", "/b", "/c", "/d", "/e", "/f"} }, "PathPatterns", q("/f")},
		{"priority-0", "Api", func(p *loadbalancer.RuleProps) { p.Priority = 0 }, "Priority", "= 0"},
		{"priority-50001", "Api", func(p *loadbalancer.RuleProps) { p.Priority = 50001 }, "Priority", "= 50001"},
		{"target-port-65536", "Api", func(p *loadbalancer.RuleProps) { p.Target.Port = 65536 }, "Target.Port", "= 65536"},
		{"target-matcher-500", "Api", func(p *loadbalancer.RuleProps) { p.Target.HealthCheckMatcher = "500" }, "Target.HealthCheckMatcher", q("500")},
		{"path-imitated-token", "Api", func(p *loadbalancer.RuleProps) { p.PathPatterns = []string{"/${TfToken[x"} }, "PathPatterns[0]", q("/${TfToken[x")},
		{"name-template", "Api", func(p *loadbalancer.RuleProps) { p.Name = "api-${var.x}" }, "Name", q("api-${var.x}")},
		{"target-health-path-fragment", "Api", func(p *loadbalancer.RuleProps) { p.Target.HealthCheckPath = "/health?full=1#x" }, "Target.HealthCheckPath", q("/health?full=1#x")},
	}
}

// hostileAssert: err is a *propcheck.Error with a problem on field whose own
// text (field = value: rule) echoes the value; another field's problem that
// happens to hold the value does not count.
func hostileAssert(t *testing.T, err error, field, echo string) {
	t.Helper()
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *propcheck.Error on %s, got %T: %v", field, err, err)
	}
	var own []string
	for _, p := range pe.Problems {
		if p.Field == field {
			own = append(own, p.String())
		}
	}
	if len(own) == 0 {
		t.Fatalf("want a problem on %s, got fields %q:\n%v", field, pe.Fields(), err)
	}
	for _, p := range own {
		if strings.Contains(p, echo) {
			return
		}
	}
	t.Errorf("the problem on %s should echo the value (%s):\n%s", field, echo, strings.Join(own, "\n"))
}

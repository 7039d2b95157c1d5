package stacks

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
)

// TestInvalidConfigs: each bad config is refused with an error that names the
// field, echoes the value and says what is allowed. Validation needs no jsii
// kernel, so this table is cheap.
func TestInvalidConfigs(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Config)
		field string // expected in Fields()
		value string // expected in that problem's value, as the message shows it
	}{
		{"empty stack name", func(c *Config) { c.StackName = "" }, "StackName", `""`},
		{"uppercase stack name", func(c *Config) { c.StackName = "Prod" }, "StackName", `"Prod"`},
		{"missing region", func(c *Config) { c.Region = "" }, "Region", `""`},
		{"bad region", func(c *Config) { c.Region = "us-east" }, "Region", `"us-east"`},
		{"provider constraint excludes 5.x", func(c *Config) { c.ProviderVersion = "~> 4.0" }, "ProviderVersion", `"~> 4.0"`},
		{"provider constraint gibberish", func(c *Config) { c.ProviderVersion = "latest" }, "ProviderVersion", `"latest"`},
		{"account id", func(c *Config) { c.AllowedAccountIDs = []string{"12345"} }, "AllowedAccountIDs[0]", `"12345"`},
		{"absolute state path", func(c *Config) { c.Backend.LocalPath = "/var/state/prod.tfstate" }, "Backend.LocalPath", `"/var/state/prod.tfstate"`},
		{"s3 bucket name", func(c *Config) { c.Backend.S3 = &S3Backend{Bucket: "My_Bucket"} }, "Backend.S3.Bucket", `"My_Bucket"`},
		{"vpc cidr not a cidr", func(c *Config) { c.NetworkProps.CIDR = "10.0.0.0" }, "NetworkProps.CIDR", `"10.0.0.0"`},
		{"vpc cidr too large", func(c *Config) { c.NetworkProps.CIDR = "10.0.0.0/8" }, "NetworkProps.CIDR", `"10.0.0.0/8"`},
		{"vpc cidr host bits", func(c *Config) { c.NetworkProps.CIDR = "10.0.1.0/16" }, "NetworkProps.CIDR", `"10.0.1.0/16"`},
		{"one zone", func(c *Config) { c.NetworkProps.AZCount = 1 }, "NetworkProps.AZCount", "1"},
		{"subnets too small", func(c *Config) { c.NetworkProps.CIDR = "10.0.0.0/24"; c.NetworkProps.SubnetNewBits = 5 }, "NetworkProps.SubnetNewBits", "5"},
		{"duplicate zone", func(c *Config) { c.NetworkProps.AvailabilityZones = []string{"us-east-1a", "us-east-1a"} }, "NetworkProps.AvailabilityZones[1]", `"us-east-1a"`},
		{"unknown egress", func(c *Config) { c.NetworkProps.Egress = network.Egress(7) }, "NetworkProps.Egress", "Egress(7)"},
		{"existing vpc with cidr", func(c *Config) {
			c.NetworkProps = network.Props{Name: "x", VPCID: "vpc-0123456789abcdef0", CIDR: "10.0.0.0/16", PublicSubnetIDs: []string{"subnet-01234567", "subnet-01234568"}, PrivateSubnetIDs: []string{"subnet-01234569", "subnet-0123456a"}}
		}, "NetworkProps.CIDR", `"10.0.0.0/16"`},
		{"cluster name", func(c *Config) { c.ClusterProps.Name = "prod cluster" }, "ClusterProps.Name", `"prod cluster"`},
		{"unknown capacity provider", func(c *Config) { c.ClusterProps.DefaultStrategy = []cluster.Strategy{{Provider: "EC2", Weight: 1}} }, "ClusterProps.DefaultStrategy[0].Provider", "EC2"},
		{"load balancer name", func(c *Config) { c.LoadBalancerProps.Name = "-api" }, "LoadBalancerProps.Name", `"-api"`},
		{"idle timeout", func(c *Config) { c.LoadBalancerProps.IdleTimeout = 5000 * time.Second }, "LoadBalancerProps.IdleTimeout", "1h23m20s"},
		{"health check path", func(c *Config) { c.LoadBalancerProps.Target.HealthCheckPath = "healthz" }, "LoadBalancerProps.Target.HealthCheckPath", `"healthz"`},
		{"health check timeout not below interval", func(c *Config) {
			c.LoadBalancerProps.Target.HealthCheckInterval = 10 * time.Second
			c.LoadBalancerProps.Target.HealthCheckTimeout = 10 * time.Second
		}, "LoadBalancerProps.Target.HealthCheckTimeout", "10s"},
		{"certificate arn", func(c *Config) { c.LoadBalancerProps.CertificateARN = "my-cert" }, "LoadBalancerProps.CertificateARN", `"my-cert"`},
		{"ingress cidr", func(c *Config) { c.LoadBalancerProps.IngressCIDRs = []string{"0.0.0.0/-1"} }, "LoadBalancerProps.IngressCIDRs[0]", `"0.0.0.0/-1"`},
		{"cpu not a fargate size", func(c *Config) { c.ServiceProps.CPU = 300 }, "ServiceProps.CPU", "300"},
		{"memory not allowed for cpu", func(c *Config) { c.ServiceProps.CPU = 256; c.ServiceProps.Memory = 4096 }, "ServiceProps.Memory", "4096"},
		{"16 vCPU memory off the 8 GiB steps", func(c *Config) { c.ServiceProps.CPU = 16384; c.ServiceProps.Memory = 36864 }, "ServiceProps.Memory", "36864"},
		{"ephemeral storage", func(c *Config) { c.ServiceProps.EphemeralStorageGiB = 201 }, "ServiceProps.EphemeralStorageGiB", "201"},
		{"no containers", func(c *Config) { c.ServiceProps.Containers = nil }, "ServiceProps.Containers", "[]"},
		{"stop timeout 121s", func(c *Config) { c.ServiceProps.Containers[0].StopTimeout = 121 * time.Second }, "ServiceProps.Containers[0].StopTimeout", "2m1s"},
		{"port 0", func(c *Config) { c.ServiceProps.Containers[0].PortMappings[0].ContainerPort = 0 }, "ServiceProps.Containers[0].PortMappings[0].ContainerPort", "0"},
		{"port 65536", func(c *Config) { c.ServiceProps.Containers[0].PortMappings[0].ContainerPort = 65536 }, "ServiceProps.Containers[0].PortMappings[0].ContainerPort", "65536"},
		{"duplicate container", func(c *Config) {
			c.ServiceProps.Containers = append(c.ServiceProps.Containers, container.Definition{Name: "app", Image: "busybox:1.36"})
		}, "ServiceProps.Containers[1].Name", `"app"`},
		{"secret in environment", func(c *Config) {
			c.ServiceProps.Containers[0].Environment = map[string]string{"DB_PASSWORD": "hunter2"}
		}, `ServiceProps.Containers[0].Environment["DB_PASSWORD"]`, `"hu****"`},
		{"log retention 15", func(c *Config) { c.ServiceProps.LogRetentionDays = 15 }, "ServiceProps.LogRetentionDays", "15"},
		{"desired count above 1000", func(c *Config) { c.ServiceProps.DesiredCount = 1001 }, "ServiceProps.DesiredCount", "1001"},
		{"min above max", func(c *Config) {
			c.ServiceProps.Autoscaling.MinCapacity = 5
			c.ServiceProps.Autoscaling.MaxCapacity = 3
		}, "ServiceProps.Autoscaling.MinCapacity", "5"},
		{"cpu target over 100", func(c *Config) { c.ServiceProps.Autoscaling.CPUTarget = 150 }, "ServiceProps.Autoscaling.CPUTarget", "150"},
		{"wildcard task action", func(c *Config) {
			c.ServiceProps.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:*"}, Resource: []string{"arn:aws:s3:::bucket/*"}}}
		}, "ServiceProps.TaskPolicy[0].Action[0]", `"s3:*"`},
		{"star resource for scoped action", func(c *Config) {
			c.ServiceProps.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:GetObject"}, Resource: []string{"*"}}}
		}, "ServiceProps.TaskPolicy[0].Resource[0]", `"*"`},
		{"ecs exec with read-only fs", func(c *Config) { c.ServiceProps.EnableExecuteCommand = true }, "ServiceProps.Containers[0].WritableRootFilesystem", "false"},
		{"service sets what the stack provides", func(c *Config) { c.ServiceProps.VPCID = "vpc-01234567" }, "ServiceProps.VPCID", `"vpc-01234567"`},
		{"zone outside the region", func(c *Config) { c.NetworkProps.AvailabilityZones = []string{"eu-west-1a", "eu-west-1b"} }, "NetworkProps.AvailabilityZones[0]", `"eu-west-1a"`},
		{"endpoints-only egress beyond the VPC", func(c *Config) {
			c.NetworkProps.Egress = network.VPCEndpointsOnly
			c.ServiceProps.EgressCIDRs = []string{"0.0.0.0/0"}
		}, "ServiceProps.EgressCIDRs[0]", `"0.0.0.0/0"`},
		{"tag key reserved", func(c *Config) { c.Tags = map[string]string{"aws:team": "x"} }, `Tags["aws:team"]`, `"aws:team"`},
	}
	if len(cases) < 25 {
		t.Fatalf("the table has %d cases; keep at least 25", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Production()
			tc.edit(&cfg)
			err := Validate(cfg)
			if err == nil {
				t.Fatalf("Validate accepted the config; want an error naming %s", tc.field)
			}
			var pe *propcheck.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, want *propcheck.Error: %v", err, err)
			}
			found := false
			for _, p := range pe.Problems {
				if p.Field == tc.field {
					found = true
					// The value, not the whole line: a field path such
					// as "…PortMappings[0]…" would hold "0" by itself.
					if !strings.Contains(p.ValueString(), tc.value) {
						t.Errorf("problem %q shows the value %s, want %s", p, p.ValueString(), tc.value)
					}
				}
			}
			if !found {
				t.Errorf("no problem names %s; got fields %v:\n%v", tc.field, pe.Fields(), err)
			}
		})
	}
}

// TestInvalidConfigReportsEveryProblemAtOnce: one run lists every mistake.
func TestInvalidConfigReportsEveryProblemAtOnce(t *testing.T) {
	cfg := Production()
	cfg.NetworkProps.CIDR = "banana"
	cfg.ServiceProps.CPU = 3
	cfg.ServiceProps.LogRetentionDays = 2
	err := Validate(cfg)
	var pe *propcheck.Error
	if !errors.As(err, &pe) || len(pe.Problems) != 3 {
		t.Fatalf("want one error with 3 problems, got %v", err)
	}
	if !strings.Contains(err.Error(), "3 invalid props") {
		t.Errorf("the message does not count the problems: %v", err)
	}
}

func TestDefaultsAreValid(t *testing.T) {
	for _, cfg := range Defaults() {
		if err := Validate(cfg); err != nil {
			t.Errorf("%s: %v", cfg.StackName, err)
		}
	}
}

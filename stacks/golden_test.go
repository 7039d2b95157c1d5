package stacks

import (
	"testing"

	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// TestGoldenDefaults holds the synthesized JSON of every default stack.
func TestGoldenDefaults(t *testing.T) {
	s := defaults(t)
	for _, name := range testutil.SortedKeys(s.JSON) {
		t.Run(name, func(t *testing.T) { testutil.Golden(t, name, s.JSON[name]) })
	}
}

// TestGoldenVariants holds notable configurations beyond the defaults.
func TestGoldenVariants(t *testing.T) {
	variants := map[string]func() Config{
		"endpoints-only": func() Config {
			c := Production()
			c.StackName = "endpoints"
			c.Network.Egress = network.VPCEndpointsOnly
			c.Service.Containers[0].Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2"
			return c
		},
		"https-s3-backend": func() Config {
			c := Production()
			c.StackName = "https"
			c.LoadBalancer.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/0b0d2d58-3f3e-4c47-9d2d-0e0ad0f5f0d1"
			c.Backend = Backend{S3: &S3Backend{Bucket: "acme-terraform-state", Region: "us-east-1"}}
			c.LoadBalancer.Target = loadbalancer.TargetProps{Port: 80, HealthCheckPath: "/healthz"}
			c.Service.Autoscaling.MemoryTarget = 75
			c.Service.Autoscaling.RequestsPerTarget = 500
			return c
		},
	}
	for _, name := range testutil.SortedKeys(variants) {
		t.Run(name, func(t *testing.T) {
			raw, _, _ := synthOne(t, variants[name]())
			testutil.Golden(t, name, raw)
		})
	}
}

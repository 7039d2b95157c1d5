package stacks

import (
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
)

// Variant is a configuration beyond [Defaults] that the repository holds to
// the same proofs as the default stacks: a golden file, pinned resource
// addresses, terraform validate, the Security Hub control tests, and (for
// some) a deploy on the emulator.
type Variant struct {
	// Name is the variant's name in testdata/<Name>.golden and in test names.
	Name   string
	Config Config
}

// Example ARNs of the variants (account 123456789012, the documentation
// account). Tests that deploy a variant replace CertificateARN with one the
// target knows.
const (
	ExampleCertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/0b0d2d58-3f3e-4c47-9d2d-0e0ad0f5f0d1"
	ExampleKMSKeyARN      = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	ExampleECRImage       = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2"
)

// Variants returns the notable configurations beyond the defaults, each a
// changed copy of [Production]:
//
//   - endpoints-only: no NAT gateway and no internet route for the tasks;
//     VPC endpoints for ECR, CloudWatch Logs and S3, and an image from ECR.
//   - https-s3-backend: a certificate (HTTPS on 443, port 80 only redirects),
//     state in S3, a health check path, and memory and request-count scaling.
//   - hardened: every security option the defaults leave off: a certificate,
//     a customer managed KMS key for both log groups, an ECR image, secrets
//     from Secrets Manager and SSM, and a task policy with a scoped and an
//     unscoped statement.
func Variants() []Variant {
	endpoints := Production()
	endpoints.StackName = "endpoints"
	endpoints.NetworkProps.Egress = network.VPCEndpointsOnly
	endpoints.ServiceProps.Containers[0].Image = ExampleECRImage

	https := Production()
	https.StackName = "https"
	https.LoadBalancerProps.CertificateARN = ExampleCertificateARN
	https.Backend = Backend{S3: &S3Backend{Bucket: "acme-terraform-state", Region: "us-east-1"}}
	https.LoadBalancerProps.Target = loadbalancer.TargetProps{Port: 80, HealthCheckPath: "/healthz"}
	https.ServiceProps.Autoscaling.MemoryTarget = 75
	https.ServiceProps.Autoscaling.RequestsPerTarget = 500

	hardened := Production()
	hardened.StackName = "hardened"
	hardened.LoadBalancerProps.CertificateARN = ExampleCertificateARN
	hardened.ServiceProps.LogKMSKeyARN = ExampleKMSKeyARN
	hardened.NetworkProps.FlowLogKMSKeyARN = ExampleKMSKeyARN
	hardened.ServiceProps.Containers[0].Image = ExampleECRImage
	hardened.ServiceProps.Containers[0].Secrets = map[string]container.Secret{
		"DB_PASSWORD": container.SecretsManagerJSONKey("arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf", "password"),
		"API_TOKEN":   container.SSMParameter("arn:aws:ssm:us-east-1:123456789012:parameter/web/api-token"),
	}
	hardened.ServiceProps.TaskPolicy = []iampolicy.Statement{
		{Sid: "ReadAssets", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::acme-assets/*"}},
		{Sid: "Traces", Action: []string{"xray:PutTelemetryRecords", "xray:PutTraceSegments"}, Resource: []string{"*"}},
	}
	return []Variant{{"endpoints-only", endpoints}, {"https-s3-backend", https}, {"hardened", hardened}}
}

// VariantConfig returns the config of the variant called name, and whether
// there is one.
func VariantConfig(name string) (Config, bool) {
	for _, v := range Variants() {
		if v.Name == name {
			return v.Config, true
		}
	}
	return Config{}, false
}

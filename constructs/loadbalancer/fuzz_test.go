package loadbalancer

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/internal/fuzzprops"
)

func fuzzBase() Props {
	return Props{Name: "web", VPCID: "vpc-0a1b2c3d", SubnetIDs: []string{"subnet-0a1b2c3d", "subnet-1a1b2c3d"}}
}

// FuzzNew: any Props decoded from the fuzzer's bytes is accepted or refused
// with problems that name fields; never a panic.
func FuzzNew(f *testing.F) {
	https := fuzzBase()
	https.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
	https.SSLPolicy = "ELBSecurityPolicy-2016-08"
	https.AllowLegacyTLS = true
	fuzzprops.Run(f, fuzzBase(), Validate, https)
}

// FuzzAddTarget: the checks AddTarget makes before it needs the kernel.
func FuzzAddTarget(f *testing.F) {
	fuzzprops.Run(f, RuleProps{Name: "api", PathPatterns: []string{"/api/*"}, Priority: 10}, func(p RuleProps) error {
		c := verify.New("loadbalancer.AddTarget")
		checkRule(c, p)
		return c.Err()
	})
}

// FuzzFromAttributes: the same property for FromAttributes.
func FuzzFromAttributes(f *testing.F) {
	fuzzprops.Run(f, Attributes{SecurityGroupID: "sg-0a1b2c3d", TargetGroupARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"},
		func(a Attributes) error { _, err := FromAttributes(a); return err })
}

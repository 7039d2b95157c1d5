package loadbalancer

import (
	"regexp"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"
)

// Attributes describe a load balancer and target group that exist already,
// for [FromAttributes].
type Attributes struct {
	// SecurityGroupID is the load balancer's security group: the service
	// admits it on the container port and adds an egress rule to it.
	// Required.
	SecurityGroupID string
	// TargetGroupARN is the ip-type target group the service registers in.
	// A listener must already forward to it. Required.
	TargetGroupARN string
	// DNSName is for outputs; optional.
	DNSName string
	// ARNSuffix and TargetGroupARNSuffix are needed only for request-count
	// scaling (the resource label "app/…/…/targetgroup/…/…").
	ARNSuffix            string
	TargetGroupARNSuffix string
}

var (
	sgIDRE = regexp.MustCompile(`^sg-[0-9a-f]{8}([0-9a-f]{9})?$`)
	// The resource label parts of ALBRequestCountPerTarget
	// (PredefinedMetricSpecification.ResourceLabel, Application Auto Scaling API).
	albSuffixRE = regexp.MustCompile(`^app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`)
	tgSuffixRE  = regexp.MustCompile(`^targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`)
)

// FromAttributes refers to a load balancer and target group managed
// elsewhere, so that a service can be placed behind them. It creates
// nothing; the returned value has no resources and cannot AddTarget.
func FromAttributes(a Attributes) (*LoadBalancer, error) {
	c := verify.New("loadbalancer.FromAttributes")
	if a.SecurityGroupID == "" {
		c.Add("SecurityGroupID", a.SecurityGroupID, "is required: the load balancer's security group")
	} else {
		c.Pattern("SecurityGroupID", a.SecurityGroupID, sgIDRE, "must be a security group id such as sg-0a1b2c3d4e5f67890")
	}
	if a.TargetGroupARN == "" {
		c.Add("TargetGroupARN", a.TargetGroupARN, "is required: the target group the service registers in")
	} else {
		c.ARN("TargetGroupARN", a.TargetGroupARN, verify.TargetGroup)
	}
	c.NoTemplate("DNSName", a.DNSName)
	if (a.ARNSuffix == "") != (a.TargetGroupARNSuffix == "") {
		c.Add("ARNSuffix", a.ARNSuffix, "ARNSuffix and TargetGroupARNSuffix go together (request-count scaling needs both)")
	}
	if a.ARNSuffix != "" && c.NoTemplate("ARNSuffix", a.ARNSuffix) {
		c.Pattern("ARNSuffix", a.ARNSuffix, albSuffixRE, "must be the load balancer's ARN suffix, app/<name>/<16 hex digits>")
	}
	if a.TargetGroupARNSuffix != "" && c.NoTemplate("TargetGroupARNSuffix", a.TargetGroupARNSuffix) {
		c.Pattern("TargetGroupARNSuffix", a.TargetGroupARNSuffix, tgSuffixRE, "must be the target group's ARN suffix, targetgroup/<name>/<16 hex digits>")
	}
	c.FakeTokens("", a)
	if err := c.Err(); err != nil {
		return nil, err
	}
	name := ""
	if i := strings.Index(a.TargetGroupARN, ":targetgroup/"); i >= 0 {
		name = strings.SplitN(a.TargetGroupARN[i+len(":targetgroup/"):], "/", 2)[0]
	}
	return &LoadBalancer{
		SecurityGroupID:      a.SecurityGroupID,
		TargetGroupARN:       a.TargetGroupARN,
		TargetGroupName:      name,
		DNSName:              a.DNSName,
		ARNSuffix:            a.ARNSuffix,
		TargetGroupARNSuffix: a.TargetGroupARNSuffix,
	}, nil
}

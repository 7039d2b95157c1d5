package loadbalancer

import (
	"strings"
	"testing"
)

func TestFromAttributesCreatesNothing(t *testing.T) {
	alb, err := FromAttributes(Attributes{
		SecurityGroupID: "sg-0a1b2c3d4e5f67890",
		TargetGroupARN:  "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef",
		DNSName:         "web-123.us-east-1.elb.amazonaws.com",
	})
	if err != nil {
		t.Fatal(err)
	}
	if alb.ALB != nil || alb.TargetGroup != nil || len(alb.Listeners) != 0 {
		t.Error("FromAttributes created resources")
	}
	if alb.TargetGroupName != "web" || alb.URL() != "http://web-123.us-east-1.elb.amazonaws.com" {
		t.Errorf("TargetGroupName %q, URL %q", alb.TargetGroupName, alb.URL())
	}
	if _, err := alb.AddTarget("x", RuleProps{}); err == nil {
		t.Error("AddTarget on an existing load balancer was accepted")
	}
}

func TestFromAttributesRefuses(t *testing.T) {
	_, err := FromAttributes(Attributes{SecurityGroupID: "sg-xyz", TargetGroupARN: "web", ARNSuffix: "app/web/1"})
	if err == nil {
		t.Fatal("accepted bad attributes")
	}
	for _, want := range []string{"SecurityGroupID", "TargetGroupARN", "ARNSuffix"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
}

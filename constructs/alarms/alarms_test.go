package alarms_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/alarms"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

// Alarms for a service behind a load balancer, notifying the on-call topic.
func ExampleNew() {
	stack := cdktf.NewTerraformStack(cdktf.NewApp(nil), jsii.String("alarms"))
	a, err := alarms.New(stack, "Alarms", alarms.Target{
		ServiceName:           "web",
		ClusterName:           "prod",
		LoadBalancerARNSuffix: "app/web/0123456789abcdef",
		TargetGroupARNSuffix:  "targetgroup/web/0123456789abcdef",
	}, alarms.Props{
		TopicARN:     "arn:aws:sns:us-east-1:123456789012:oncall",
		ResponseTime: 500 * time.Millisecond,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(a.RollbackAlarmNames, a.Topic == nil)
	// Output: [prod-web-target-5xx prod-web-unhealthy-targets] true
}

// GIVEN bad props THEN Validate names every field; GIVEN a half-given load
// balancer THEN New refuses and creates nothing.
func TestValidateNamesFields(t *testing.T) {
	err := alarms.Validate(alarms.Props{CPUPercent: 120, TopicARN: "x", EvaluationMinutes: -1})
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want *propcheck.Error, got %v", err)
	}
	for _, f := range []string{"CPUPercent", "TopicARN", "EvaluationMinutes"} {
		if !slices.Contains(pe.Fields(), f) {
			t.Errorf("no problem on %s: %v", f, err)
		}
	}
	if err := alarms.Validate(alarms.Props{}); err != nil {
		t.Errorf("the zero Props are refused: %v", err)
	}
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("a"))
	if a, err := alarms.New(stack, "A", alarms.Target{ServiceName: "web", ClusterName: "prod", LoadBalancerARNSuffix: "app/x/1"}, alarms.Props{}); err == nil || a != nil {
		t.Errorf("a load balancer suffix without the target group's was accepted: %v", err)
	}
}

// Names are stable API (deployment alarms refer to them) and fit 255 chars.
func TestNamesFit(t *testing.T) {
	long := string(make([]byte, 0))
	for len(long) < 300 {
		long += "abcdefghij"
	}
	for k, n := range alarms.Names(long, "svc") {
		if len(n) > 255 {
			t.Errorf("%s: %d characters", k, len(n))
		}
	}
	if got := alarms.Names("prod", "web")["cpu"]; got != "prod-web-cpu" {
		t.Errorf("cpu alarm name %q", got)
	}
}

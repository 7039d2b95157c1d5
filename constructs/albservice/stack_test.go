package albservice_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// GIVEN a stack without awsprovider.New WHEN a pattern's service gives no
// Region THEN the pattern is refused before it creates any part (not by
// service.New after the network, cluster and load balancer exist).
func TestNoRegionWithoutProvider(t *testing.T) {
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("noprovider"))
	props := webProps()
	props.ServiceProps.Region = ""
	_, err := albservice.New(stack, "Web", props)
	problemtest.One(t, err, "ServiceProps.Region", `""`, "awsprovider.New")
	if stack.Node().TryFindChild(jsii.String("Web")) != nil {
		t.Error("the refused pattern left parts behind")
	}
}

// GIVEN a provider in us-east-1 WHEN the pattern's service gives no Region
// THEN the pattern checks its parts against the stack's region: zones of
// another region are refused.
func TestStackRegionChecksZones(t *testing.T) {
	stack := newStack(t, "zones")
	props := webProps()
	props.ServiceProps.Region = ""
	props.NetworkProps.AvailabilityZones = []string{"eu-west-1a", "eu-west-1b"}
	_, err := albservice.New(stack, "Web", props)
	requireProblem(t, err, "NetworkProps.AvailabilityZones[0]", `"us-east-1"`)
}

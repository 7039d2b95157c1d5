package cluster_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

// A cluster whose services run on Fargate Spot unless they say otherwise.
func ExampleNew() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("cluster"))
	cl, err := cluster.New(stack, "Cluster", cluster.Props{
		Name:            "batch",
		DefaultStrategy: cluster.SpotStrategy(),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(cl.Name, cl.CapacityProviders != nil)
	// Output: batch true
}

// An existing cluster, referred to by name.
func ExampleFromName() {
	cl, err := cluster.FromName("shared-services")
	fmt.Println(cl.Ref(), err)
	// Output: shared-services <nil>
}

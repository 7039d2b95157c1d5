package propcheck_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// Every test package of a ./... run accepts -update.
var _ = testutil.Update

// A pattern refuses a CPU that is no Fargate size and a CIDR that is no
// block. errors.As gets at the *propcheck.Error: the constructor (Op), the
// construct path it was asked to create (Path: the stack "web" and the id
// "Admin"), and each problem on its Go path in the props, as written.
func ExampleError() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		panic(err)
	}
	_, err := albservice.New(stack, "Admin", albservice.Props{
		NetworkProps:      network.Props{Name: "admin", CIDR: "10.0.0.0/33"},
		ClusterProps:      cluster.Props{Name: "admin"},
		LoadBalancerProps: loadbalancer.Props{Name: "admin"},
		ServiceProps: service.Props{
			Name:       "admin",
			Region:     "us-east-1",
			CPU:        300,
			Containers: []container.Definition{{Name: "admin", Image: "nginx:1.27", PortMappings: []container.PortMapping{{ContainerPort: 80}}}},
		},
	})
	var pe *propcheck.Error
	if errors.As(err, &pe) {
		fmt.Println("Op:", pe.Op)
		fmt.Println("Path:", pe.Path)
		for _, p := range pe.Problems {
			fmt.Printf("%s = %s\n", p.Field, p.ValueString())
		}
		first, _, _ := strings.Cut(err.Error(), "\n")
		fmt.Println(first)
	}
	// Output:
	// Op: albservice.New
	// Path: web/Admin
	// NetworkProps.CIDR = "10.0.0.0/33"
	// ServiceProps.CPU = 300
	// albservice.New(web/Admin): 2 invalid props:
}

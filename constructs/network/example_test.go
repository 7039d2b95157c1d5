package network_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/network"
)

// A two-zone VPC whose private subnets share one NAT gateway.
func ExampleNew() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("net"))
	net, err := network.New(stack, "Network", network.Props{
		Name:   "dev",
		CIDR:   "10.1.0.0/16",
		Egress: network.SingleNATGateway,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(net.PublicSubnets), len(net.PrivateSubnets), len(net.NATGateways), net.VPCCIDR)
	// Output: 2 2 1 10.1.0.0/16
}

// Props that mix the two modes are refused with every conflict named.
func ExampleValidate() {
	err := network.Validate(network.Props{
		Name:             "shared",
		VPCID:            "vpc-0a1b2c3d4e5f67890",
		CIDR:             "10.0.0.0/16",
		PublicSubnetIDs:  []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
		PrivateSubnetIDs: []string{"subnet-2a1b2c3d4e5f67890"},
	})
	fmt.Println(err)
	// Output:
	// network.New: 2 invalid props:
	//   - CIDR = "10.0.0.0/16": cannot be combined with VPCID: an existing network brings its own subnets and egress
	//   - PrivateSubnetIDs = ["subnet-2a1b2c3d4e5f67890"]: needs at least 2 subnets in distinct availability zones
}

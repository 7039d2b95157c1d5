// Command existingvpc shows the library used from another Go module: a
// Fargate service, its load balancer and cluster, placed in a VPC that the
// platform team already runs.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
)

func main() {
	out := flag.String("out", "cdktf.out", "output directory")
	flag.Parse()
	err := build(*out)
	jsii.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func build(out string) error {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: &out})
	stack := cdktf.NewTerraformStack(app, jsii.String("existing-vpc"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "eu-west-1"}); err != nil {
		return err
	}
	net, err := network.New(stack, "Network", network.Props{
		Name:             "shared",
		VPCID:            "vpc-0abc1234def567890",
		VPCCIDR:          "10.20.0.0/16",
		PublicSubnetIDs:  []string{"subnet-0aaa1111bbb222333", "subnet-0aaa1111bbb222444"},
		PrivateSubnetIDs: []string{"subnet-0ccc1111ddd222333", "subnet-0ccc1111ddd222444"},
	})
	if err != nil {
		return err
	}
	cl, err := cluster.New(stack, "Cluster", cluster.Props{Name: "payments"})
	if err != nil {
		return err
	}
	alb, err := loadbalancer.New(stack, "LoadBalancer", loadbalancer.Props{
		Name:      "payments-api",
		VPCID:     net.VPCID,
		SubnetIDs: net.PublicSubnetIDs,
		Target:    loadbalancer.TargetProps{Port: 8080, HealthCheckPath: "/healthz"},
	})
	if err != nil {
		return err
	}
	_, err = service.New(stack, "Api", service.Props{
		Name:         "payments-api", // Region, account, partition: the stack's
		Cluster:      cl,
		VPCID:        net.VPCID,
		SubnetIDs:    net.PrivateSubnetIDs,
		LoadBalancer: alb,
		CPU:          512,
		Memory:       1024,
		Containers: []container.Definition{{
			Name:         "api",
			Image:        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api:2.3.1",
			PortMappings: []container.PortMapping{{ContainerPort: 8080}},
			Environment:  map[string]string{"LOG_LEVEL": "info"},
			ScratchPaths: []string{"/tmp"},
		}},
	})
	if err != nil {
		return err
	}
	app.Synth()
	return nil
}

// Command twoservices shows the albservice pattern inside a stack of your
// own, from another Go module: a web service and an API that share one
// network, one cluster and one load balancer (the API on /api/*), beside a
// plain provider resource, an SSM parameter that publishes the URL.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ssmparameter"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/jsiitune"
)

// StackName is the stack's directory under cdktf.out/stacks.
const StackName = "two-services"

func main() {
	jsiitune.Apply()
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
	stack := cdktf.NewTerraformStack(app, jsii.String(StackName))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		return err
	}
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String("terraform.tfstate")})

	web, err := albservice.New(stack, "Web", albservice.Props{
		NetworkProps: network.Props{Name: "shop", Egress: network.SingleNATGateway},
		ClusterProps: cluster.Props{Name: "shop"},
		LoadBalancerProps: loadbalancer.Props{
			Name: "shop",
			// A demo you will destroy; leave deletion protection on in production.
			DisableDeletionProtection: true,
		},
		ServiceProps: service.Props{
			Name:         "shop-web",
			DesiredCount: 1,
			Containers: []container.Definition{{
				Name:         "web",
				Image:        "nginx:1.27",
				PortMappings: []container.PortMapping{{ContainerPort: 80}},
				ScratchPaths: []string{"/var/cache/nginx", "/var/run", "/tmp"},
			}},
			Autoscaling: service.Autoscaling{MinCapacity: 1, MaxCapacity: 3},
		},
	})
	if err != nil {
		return err
	}

	api, err := albservice.New(stack, "Api", albservice.Props{
		Network:      web.Network,
		Cluster:      web.Cluster,
		LoadBalancer: web.LoadBalancer,
		Rule: &loadbalancer.RuleProps{
			PathPatterns: []string{"/api/*"},
			Priority:     10,
			Target:       loadbalancer.TargetProps{Port: 8080, HealthCheckPath: "/api/health"},
		},
		// Region, account and partition are the stack's: the provider's
		// region, and one lookup of each for the whole stack.
		ServiceProps: service.Props{
			Name:         "shop-api",
			DesiredCount: 1,
			Containers: []container.Definition{{
				Name:         "api",
				Image:        "public.ecr.aws/docker/library/httpd:2.4",
				PortMappings: []container.PortMapping{{ContainerPort: 8080}},
				ScratchPaths: []string{"/tmp"},
			}},
			Autoscaling: service.Autoscaling{MinCapacity: 1, MaxCapacity: 3},
		},
	})
	if err != nil {
		return err
	}

	// A plain provider resource in the same stack, reading the pattern's parts.
	ssmparameter.NewSsmParameter(stack, jsii.String("ApiUrl"), &ssmparameter.SsmParameterConfig{
		Name:        jsii.String("/shop/api-url"),
		Type:        jsii.String("String"),
		Value:       jsii.String(api.URL() + "/api/"),
		Description: jsii.String("Where the shop's API answers"),
	})
	cdktf.NewTerraformOutput(stack, jsii.String("url"), &cdktf.TerraformOutputConfig{Value: web.URL()})
	app.Synth()
	return nil
}

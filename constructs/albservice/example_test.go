package albservice_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
)

// A web service and an API behind one load balancer, in a stack of your own:
// the first pattern creates the network, the cluster and the ALB; the second
// takes them and adds a path rule for /api/*.
func ExampleNew() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("shop"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		panic(err)
	}

	web, err := albservice.New(stack, "Web", albservice.Props{
		NetworkProps:      network.Props{Name: "shop"},
		ClusterProps:      cluster.Props{Name: "shop"},
		LoadBalancerProps: loadbalancer.Props{Name: "shop"},
		ServiceProps: service.Props{
			Name: "web",
			Containers: []container.Definition{{
				Name:         "web",
				Image:        "nginx:1.27",
				PortMappings: []container.PortMapping{{ContainerPort: 80}},
				ScratchPaths: []string{"/var/cache/nginx", "/var/run", "/tmp"},
			}},
		},
	})
	if err != nil {
		panic(err)
	}

	api, err := albservice.New(stack, "Api", albservice.Props{
		Network:      web.Network,
		Cluster:      web.Cluster,
		LoadBalancer: web.LoadBalancer,
		Rule:         &loadbalancer.RuleProps{PathPatterns: []string{"/api/*"}, Priority: 10},
		// Region, account and partition are the stack's: its provider's
		// region, one lookup of each per stack.
		ServiceProps: service.Props{
			Name: "api",
			Containers: []container.Definition{{
				Name:         "api",
				Image:        "public.ecr.aws/docker/library/httpd:2.4",
				PortMappings: []container.PortMapping{{ContainerPort: 80}},
				ScratchPaths: []string{"/tmp"},
			}},
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("web created %+v\n", web.Created)
	fmt.Printf("api created %+v\n", api.Created)
	// Output:
	// web created {Network:true Cluster:true LoadBalancer:true Rule:false}
	// api created {Network:false Cluster:false LoadBalancer:false Rule:true}
}

// Validate checks everything New would, before the jsii kernel starts.
func ExampleValidate() {
	err := albservice.Validate("Web", albservice.Props{
		NetworkProps:      network.Props{Name: "shop", CIDR: "10.0.0.0/33"},
		ClusterProps:      cluster.Props{Name: "shop"},
		LoadBalancerProps: loadbalancer.Props{Name: "shop"},
		Rule:              &loadbalancer.RuleProps{PathPatterns: []string{"/api/*"}, Priority: 10},
		ServiceProps: service.Props{
			Name:       "web",
			Region:     "us-east-1",
			Containers: []container.Definition{{Name: "web", Image: "nginx:1.27", PortMappings: []container.PortMapping{{ContainerPort: 80}}}},
		},
	})
	fmt.Println(err)
	// Output:
	// albservice.New(Web): 2 invalid props:
	//   - NetworkProps.CIDR = "10.0.0.0/33": must be an IPv4 CIDR block such as 10.0.0.0/16
	//   - Rule = ["/api/*"]: conflicts with creating the load balancer (LoadBalancer is nil): a load balancer the pattern creates sends everything to this service; Rule shares a given one
}

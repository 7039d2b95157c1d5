package service_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

// A whole Fargate service behind a load balancer, composed from the
// constructs. Every constructor returns an error instead of panicking.
func ExampleNew() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web"))

	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		panic(err)
	}
	net, err := network.New(stack, "Network", network.Props{Name: "web"})
	if err != nil {
		panic(err)
	}
	cl, err := cluster.New(stack, "Cluster", cluster.Props{Name: "web"})
	if err != nil {
		panic(err)
	}
	alb, err := loadbalancer.New(stack, "LoadBalancer", loadbalancer.Props{
		Name:      "web",
		VPCID:     net.VPCID,
		SubnetIDs: net.PublicSubnetIDs,
	})
	if err != nil {
		panic(err)
	}
	svc, err := service.New(stack, "Service", service.Props{
		Name:         "web",
		Region:       "us-east-1",
		Cluster:      cl,
		VPCID:        net.VPCID,
		SubnetIDs:    net.PrivateSubnetIDs,
		WaitFor:      net.EgressReady,
		LoadBalancer: alb,
		Containers: []container.Definition{{
			Name:         "web",
			Image:        "nginx:1.27",
			PortMappings: []container.PortMapping{{ContainerPort: 80}},
			ScratchPaths: []string{"/var/cache/nginx", "/var/run", "/tmp"},
		}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(svc.Name, svc.LogGroupName, len(svc.ScalingPolicies))
	// Output: web /ecs/web 1
}

// Invalid props come back as one error that lists every problem.
func ExampleValidate() {
	err := service.Validate(service.Props{
		Name:    "web",
		Region:  "us-east-1",
		Cluster: &cluster.Cluster{Name: "web"},
		VPCID:   "vpc-0a1b2c3d4e5f67890", SubnetIDs: []string{"subnet-0a1b2c3d4e5f67890"},
		CPU:        512,
		Memory:     512,
		Containers: []container.Definition{{Name: "web", Image: "nginx:1.27"}},
		Autoscaling: service.Autoscaling{
			MinCapacity: 4,
			MaxCapacity: 2,
		},
	})
	fmt.Println(err)
	// Output:
	// service.New: 2 invalid props:
	//   - Memory = 512: is not a Fargate size for CPU 512: allowed 1024, 2048, 3072, 4096 MiB
	//   - Autoscaling.MinCapacity = 4: must not exceed MaxCapacity (2)
}

// A development service that runs on weekdays only: at 20:00 Berlin time the
// schedule sets the task count to zero, at 07:00 it lets the service run one
// to four tasks again. Target tracking keeps working inside those bounds.
func ExampleSchedule() {
	props := service.Props{
		Name:    "api-dev",
		Region:  "eu-central-1",
		Cluster: &cluster.Cluster{Name: "dev"},
		VPCID:   "vpc-0a1b2c3d4e5f67890", SubnetIDs: []string{"subnet-0a1b2c3d4e5f67890"},
		Containers:   []container.Definition{{Name: "api", Image: "acme/api:2.3.1"}},
		DesiredCount: 1,
		Autoscaling: service.Autoscaling{
			MinCapacity: 1,
			MaxCapacity: 4,
			Schedules: []service.Schedule{
				{Name: "night", Expression: "cron(0 20 ? * MON-FRI *)", TimeZone: "Europe/Berlin", MinCapacity: 0, MaxCapacity: 0},
				{Name: "morning", Expression: "cron(0 7 ? * MON-FRI *)", TimeZone: "Europe/Berlin", MinCapacity: 1, MaxCapacity: 4},
			},
		},
	}
	fmt.Println(service.Validate(props))

	// A five-field Unix cron and a capacity above the ceiling are refused.
	props.Autoscaling.Schedules[1].Expression = "cron(0 7 * * 1-5)"
	props.Autoscaling.Schedules[1].MaxCapacity = 8
	fmt.Println(service.Validate(props))
	// Output:
	// <nil>
	// service.New: 2 invalid props:
	//   - Autoscaling.Schedules[1].Expression = "cron(0 7 * * 1-5)": a cron expression has six fields separated by single spaces, Minutes Hours Day-of-month Month Day-of-week Year (e.g. "cron(0 20 ? * MON-FRI *)"); this one has 5
	//   - Autoscaling.Schedules[1].MaxCapacity = 8: must be between 0 and 4
}

package stacks

import (
	"time"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
)

// nginx is the article's web server. Its root filesystem stays read-only; the
// paths it writes to get task-local scratch volumes.
func nginx() container.Definition {
	return container.Definition{
		Name:         "app",
		Image:        "nginx:1.27",
		PortMappings: []container.PortMapping{{ContainerPort: 80}},
		ScratchPaths: []string{"/var/cache/nginx", "/var/run", "/tmp"},
	}
}

// Production is the article's stack: us-east-1, production-cluster,
// my-service running nginx on 256 CPU / 512 MiB, two tasks behind an
// internet-facing ALB, a NAT gateway per zone, VPC flow logs, CPU target
// tracking at 70 %, and deletion protection on the load balancer.
func Production() Config {
	return Config{
		StackName: "production",
		Region:    "us-east-1",
		Tags:      map[string]string{"Environment": "production", "ManagedBy": "fargatekit", "Service": "my-service"},
		Network:   network.Props{Name: "production", Egress: network.NATGatewayPerAZ},
		Cluster:   cluster.Props{Name: "production-cluster"},
		LoadBalancer: loadbalancer.Props{
			Name:   "my-service",
			Target: loadbalancer.TargetProps{Port: 80},
		},
		Service: service.Props{
			Name:         "my-service",
			Cpu:          256,
			Memory:       512,
			DesiredCount: 2,
			Containers:   []container.Definition{nginx()},
			Autoscaling:  service.Autoscaling{MinCapacity: 2, MaxCapacity: 10, CPUTarget: 70},
		},
	}
}

// Development is the cheap variant: Fargate Spot, one shared NAT gateway, no
// VPC flow logs, one task, short log retention, and no deletion protection so
// it can be torn down at will.
func Development() Config {
	return Config{
		StackName: "development",
		Region:    "us-east-1",
		Tags:      map[string]string{"Environment": "development", "ManagedBy": "fargatekit", "Service": "my-service-dev"},
		// No flow logs: they cost CloudWatch ingestion for every connection, and
		// this stack is torn down at will (an accepted finding, EC2.6).
		Network: network.Props{Name: "development", CIDR: "10.1.0.0/16", Egress: network.SingleNATGateway, DisableFlowLogs: true},
		Cluster: cluster.Props{Name: "development-cluster", DefaultStrategy: cluster.SpotStrategy},
		LoadBalancer: loadbalancer.Props{
			Name:                      "my-service-dev",
			DisableDeletionProtection: true,
			Target:                    loadbalancer.TargetProps{Port: 80, DeregistrationDelay: 5 * time.Second},
		},
		Service: service.Props{
			Name:                     "my-service-dev",
			Cpu:                      256,
			Memory:                   512,
			DesiredCount:             1,
			Containers:               []container.Definition{nginx()},
			CapacityProviderStrategy: cluster.SpotStrategy,
			LogRetentionDays:         7,
			Autoscaling:              service.Autoscaling{MinCapacity: 1, MaxCapacity: 3, CPUTarget: 70},
		},
	}
}

// Defaults returns the stacks `go run .` synthesizes.
func Defaults() []Config { return []Config{Production(), Development()} }

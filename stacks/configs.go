package stacks

import (
	"time"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/connect"
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
		StackName:    "production",
		Region:       "us-east-1",
		Tags:         map[string]string{"Environment": "production", "ManagedBy": "fargatekit", "Service": "my-service"},
		NetworkProps: network.Props{Name: "production", Egress: network.NATGatewayPerAZ},
		ClusterProps: cluster.Props{Name: "production-cluster"},
		LoadBalancerProps: loadbalancer.Props{
			Name:   "my-service",
			Target: loadbalancer.TargetProps{Port: 80},
		},
		ServiceProps: service.Props{
			Name:         "my-service",
			CPU:          256,
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
		NetworkProps: network.Props{Name: "development", CIDR: "10.1.0.0/16", Egress: network.SingleNATGateway, DisableFlowLogs: true},
		ClusterProps: cluster.Props{Name: "development-cluster", DefaultStrategy: cluster.SpotStrategy()},
		LoadBalancerProps: loadbalancer.Props{
			Name:                      "my-service-dev",
			DisableDeletionProtection: true,
			Target:                    loadbalancer.TargetProps{Port: 80, DeregistrationDelay: 5 * time.Second},
		},
		ServiceProps: service.Props{
			Name:                     "my-service-dev",
			CPU:                      256,
			Memory:                   512,
			DesiredCount:             1,
			Containers:               []container.Definition{nginx()},
			CapacityProviderStrategy: cluster.SpotStrategy(),
			LogRetentionDays:         7,
			Autoscaling:              service.Autoscaling{MinCapacity: 1, MaxCapacity: 3, CPUTarget: 70},
		},
	}
}

// Platform is several services that work together, on one load balancer
// and one domain: www.example.com is the web front end (the load balancer's
// default target), api.example.com routes by host to the API, and a worker
// without a load balancer calls the API through ECS Service Connect
// (http://api), the only path into the API's tasks besides the load
// balancer. The API runs its database migration in an init container before
// it starts, and the web front end scales down at night. TLS comes from an
// ACM certificate validated in the public hosted zone example.com, which
// must exist.
func Platform() Config {
	return Config{
		StackName:    "platform",
		Region:       "us-east-1",
		Tags:         map[string]string{"Environment": "production", "ManagedBy": "fargatekit", "System": "platform"},
		NetworkProps: network.Props{Name: "platform", CIDR: "10.2.0.0/16", Egress: network.SingleNATGateway},
		ClusterProps: cluster.Props{Name: "platform-cluster"},
		LoadBalancerProps: loadbalancer.Props{
			Name:   "platform",
			Target: loadbalancer.TargetProps{Port: 80},
		},
		Domain:         &Domain{Name: "www.example.com", SubjectAlternativeNames: []string{"api.example.com"}, ZoneName: "example.com"},
		NamespaceProps: &connect.Props{Name: "platform.internal"},
		ServiceProps: service.Props{
			Name:         "web",
			DesiredCount: 2,
			Containers:   []container.Definition{nginx()},
			Autoscaling: service.Autoscaling{
				MinCapacity: 2, MaxCapacity: 6, CPUTarget: 70,
				Schedules: []service.Schedule{
					{Name: "night", Expression: "cron(0 22 * * ? *)", TimeZone: "America/New_York", MinCapacity: 1, MaxCapacity: 2},
					{Name: "morning", Expression: "cron(0 6 * * ? *)", TimeZone: "America/New_York", MinCapacity: 2, MaxCapacity: 6},
				},
			},
		},
		Routes: []Route{{
			ID:   "Api",
			Rule: loadbalancer.RuleProps{Name: "api", HostHeaders: []string{"api.example.com"}, Priority: 10},
			ServiceProps: service.Props{
				Name:         "api",
				DesiredCount: 2,
				Containers: []container.Definition{
					api(),
					{
						// The migration runs to completion before the API
						// starts; a failed migration stops the task.
						Name:         "migrate",
						Image:        busybox,
						Command:      []string{"sh", "-c", "echo migrating the schema; exit 0"},
						NonEssential: true,
					},
				},
				ServiceConnect: service.ServiceConnect{Serve: []service.ConnectEndpoint{{PortName: "http", DiscoveryName: "api", Port: 80}}},
				Autoscaling:    service.Autoscaling{MinCapacity: 2, MaxCapacity: 6, CPUTarget: 70},
			},
		}},
		Workers: []Worker{{
			ID: "Worker",
			ServiceProps: service.Props{
				Name:         "worker",
				DesiredCount: 1,
				Containers: []container.Definition{{
					Name:  "worker",
					Image: busybox,
					// Calls the API through Service Connect once a minute.
					Command: []string{"sh", "-c", "while true; do wget -q -O /dev/null http://api/ || echo api unreachable; sleep 60; done"},
				}},
				Autoscaling: service.Autoscaling{MinCapacity: 1, MaxCapacity: 3, CPUTarget: 70},
			},
			Calls: []string{"api"},
		}},
	}
}

// busybox is the small image of the platform's migration and worker.
const busybox = "public.ecr.aws/docker/library/busybox:1.36"

// api is the platform's API: nginx on port 80, named "http" for Service
// Connect, started only once the migration has succeeded.
func api() container.Definition {
	d := nginx()
	d.Name = "api"
	d.PortMappings = []container.PortMapping{{ContainerPort: 80, Name: "http", AppProtocol: "http"}}
	d.DependsOn = []container.Dependency{{Container: "migrate", Condition: container.Success}}
	return d
}

// Defaults returns the stacks `go run .` synthesizes.
func Defaults() []Config { return []Config{Production(), Development(), Platform()} }

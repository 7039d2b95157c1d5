// Command library synthesizes the benchmark stack through the fargatekit
// constructs: one network, load balancer and cluster shared by N services.
// The first service uses the load balancer's default target group; each
// further one gets its own target group and path rule from
// loadbalancer.LoadBalancer.AddTarget. See bench/README.md for how its shape
// differs from bench/plaingo's (the library's own choices, not gaps).
// With JSIITUNE=1 in its environment it first calls jsiitune.Apply.
//
//	library -n N -out DIR
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/jsiitune"
)

const region = "us-east-1"

func main() {
	n := flag.Int("n", 1, "number of services")
	out := flag.String("out", "cdktf.out", "synth output directory")
	flag.Parse()
	if *n < 1 {
		log.Fatalf("-n must be >= 1, got %d", *n)
	}
	if os.Getenv("JSIITUNE") == "1" {
		// What a user's main gets from calling jsiitune.Apply (the
		// benchmark's library@tuned variant).
		jsiitune.Apply()
	}
	defer jsii.Close()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: out})
	if err := newStack(app, "fargatekit", *n); err != nil {
		log.Fatal(err)
	}
	app.Synth()
}

func newStack(app cdktf.App, id string, n int) error {
	stack := cdktf.NewTerraformStack(app, &id)
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{
		Region:      region,
		DefaultTags: map[string]string{"ManagedBy": "fargatekit"},
	}); err != nil {
		return err
	}
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String("terraform.tfstate")})

	net, err := network.New(stack, "Network", network.Props{Name: "fargatekit", Egress: network.NATGatewayPerAZ, DisableFlowLogs: true})
	if err != nil {
		return err
	}
	cl, err := cluster.New(stack, "Cluster", cluster.Props{Name: "fargatekit"})
	if err != nil {
		return err
	}
	alb, err := loadbalancer.New(stack, "LoadBalancer", loadbalancer.Props{
		Name:                      "fargatekit",
		VPCID:                     net.VPCID,
		SubnetIDs:                 net.PublicSubnetIDs,
		DisableDeletionProtection: true,
	})
	if err != nil {
		return err
	}
	// One account and partition lookup for the whole stack instead of one
	// pair per service.
	account := *dataawscalleridentity.NewDataAwsCallerIdentity(stack, jsii.String("CallerIdentity"), nil).AccountId()
	partition := *dataawspartition.NewDataAwsPartition(stack, jsii.String("Partition"), nil).Partition()

	for i := range n {
		name := fmt.Sprintf("svc-%d", i)
		target := alb
		if i > 0 {
			if target, err = alb.AddTarget(name, loadbalancer.RuleProps{
				Name:         name,
				PathPatterns: []string{"/" + name + "/*"},
				Priority:     i,
			}); err != nil {
				return err
			}
		}
		if _, err := service.New(stack, name, service.Props{
			Name:         name,
			Region:       region,
			AccountID:    account,
			Partition:    partition,
			Cluster:      cl,
			VPCID:        net.VPCID,
			SubnetIDs:    net.PrivateSubnetIDs,
			WaitFor:      net.EgressReady,
			LoadBalancer: target,
			DesiredCount: 2,
			Containers: []container.Definition{{
				Name:         "app",
				Image:        "nginx:1.27",
				PortMappings: []container.PortMapping{{ContainerPort: 80}},
				ScratchPaths: []string{"/var/cache/nginx", "/var/run", "/tmp"},
			}},
			Autoscaling: service.Autoscaling{MinCapacity: 2, MaxCapacity: 10, CPUTarget: 70},
		}); err != nil {
			return err
		}
	}
	return nil
}

package albservice

import (
	"testing"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/fuzzprops"
)

// FuzzNew: any Props decoded from the fuzzer's bytes (the parts to create,
// the service, a rule) is accepted by Validate or refused with problems that
// name fields; never a panic. Given parts (Props.Network, Cluster,
// LoadBalancer) hold kernel objects that JSON cannot make, so the fuzzer
// reaches them only as the plain fields it can decode.
func FuzzNew(f *testing.F) {
	web := container.Definition{Name: "web", Image: "nginx:1.27", PortMappings: []container.PortMapping{{ContainerPort: 80}},
		ScratchPaths: []string{"/var/cache/nginx", "/var/run", "/tmp"}}
	base := Props{
		NetworkProps:      network.Props{Name: "shop"},
		ClusterProps:      cluster.Props{Name: "shop"},
		LoadBalancerProps: loadbalancer.Props{Name: "shop"},
		ServiceProps:      service.Props{Name: "web", Region: "us-east-1", Containers: []container.Definition{web}},
	}
	endpoints := base
	endpoints.NetworkProps = network.Props{Name: "shop", Egress: network.VPCEndpointsOnly, ExtraEndpointServices: []string{"ssm"}}
	existing := base
	existing.NetworkProps = network.Props{VPCID: "vpc-0a1b2c3d", PublicSubnetIDs: []string{"subnet-0a1b2c3d", "subnet-1a1b2c3d"}, PrivateSubnetIDs: []string{"subnet-2a1b2c3d", "subnet-3a1b2c3d"}}
	wired := base
	wired.ServiceProps.VPCID = "vpc-0a1b2c3d" // provided by the pattern: refused
	fuzzprops.Run(f, base, func(p Props) error { return Validate("Web", p) }, endpoints, existing, wired)
}

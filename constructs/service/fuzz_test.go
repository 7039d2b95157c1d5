package service

import (
	"testing"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/internal/fuzzprops"
)

// FuzzNew: any Props decoded from the fuzzer's bytes (cluster and load
// balancer included, as plain values) is accepted or refused with problems
// that name fields; never a panic.
func FuzzNew(f *testing.F) {
	base := Props{
		Name: "web", Region: "us-east-1", Cluster: &cluster.Cluster{Name: "shared"},
		VPCID: "vpc-0a1b2c3d", SubnetIDs: []string{"subnet-0a1b2c3d"},
		Containers: []container.Definition{{Name: "app", Image: "nginx:1.27", PortMappings: []container.PortMapping{{ContainerPort: 80}}}},
	}
	rich := base
	rich.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*"}}}
	rich.Containers = []container.Definition{{Name: "app", Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1",
		Environment: map[string]string{"MAX_TOKENS": "5", "CSRF_TOKEN": "X-CSRF"}, NotCredentials: []string{"CSRF_TOKEN"},
		Secrets: map[string]container.Secret{"DB": container.SecretsManager("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf")}}}
	connected := base
	connected.Containers = []container.Definition{{Name: "app", Image: "nginx:1.27",
		PortMappings: []container.PortMapping{{ContainerPort: 80, Name: "http", AppProtocol: "http"}}}}
	connected.ServiceConnect = ServiceConnect{
		Namespace: &connect.Namespace{ARN: "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abcdef0123456789", Name: "internal"},
		Serve:     []ConnectEndpoint{{PortName: "http", DiscoveryName: "web", Port: 80}},
		Calls:     []*Service{{Name: "api", SecurityGroupID: "sg-0a1b2c3d4e5f67890"}},
	}
	fuzzprops.Run(f, base, Validate, rich, connected)
}

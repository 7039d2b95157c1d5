package network

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/fuzzprops"
)

// FuzzNew: any Props decoded from the fuzzer's bytes is accepted or refused
// with problems that name fields; never a panic.
func FuzzNew(f *testing.F) {
	fuzzprops.Run(f, Props{Name: "core"}, Validate,
		Props{Name: "core", CIDR: "10.1.0.0/16", AZCount: 3, Egress: VPCEndpointsOnly, ExtraEndpointServices: []string{"secretsmanager"}, FlowLogRetentionDays: 90},
		Props{Name: "shared", VPCID: "vpc-0123456789abcdef0", PublicSubnetIDs: []string{"subnet-01234567", "subnet-01234568"}, PrivateSubnetIDs: []string{"subnet-01234569", "subnet-0123456a"}},
	)
}

package container

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/internal/fuzzprops"
)

// FuzzCheck: any container list decoded from the fuzzer's bytes is accepted
// or refused with problems that name fields; never a panic.
func FuzzCheck(f *testing.F) {
	fuzzprops.Run(f, []Definition{{Name: "app", Image: "nginx:1.27", PortMappings: []PortMapping{{ContainerPort: 80}}}}, func(defs []Definition) error {
		c := verify.New("test")
		checkDefinitions(c, "Containers", defs)
		checkSize(c, "Containers", defs, Logging{Group: "/ecs/web", Region: "us-east-1", StreamPrefix: "ecs"})
		return c.Err()
	})
}

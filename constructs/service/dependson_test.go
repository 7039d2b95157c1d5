package service_test

import (
	"testing"

	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/problemtest"
)

// A start-order mistake in a service's containers is reported with the
// service's field path, before anything is created.
func TestServiceReportsDependsOnWithItsPath(t *testing.T) {
	p := accountProps("123456789012", "aws")
	p.Containers = []container.Definition{
		{Name: "web", Image: "nginx:1.27", DependsOn: []container.Dependency{{Container: "migrate", Condition: container.Success}}},
		{Name: "migrate", Image: "nginx:1.27"},
	}
	problemtest.One(t, service.Validate(p), "Containers[0].DependsOn[0].Condition", `"SUCCESS"`, `container "migrate" is essential`)
}

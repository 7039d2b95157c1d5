package e2e

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/tftest"
)

// refuseBoth asks the emulator to create a service with a launch type and a
// capacity provider strategy, which AWS refuses, and prints the error code.
const refuseBoth = `
import sys, boto3, botocore
ecs = boto3.client("ecs", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
ecs.create_cluster(clusterName="c", capacityProviders=["FARGATE", "FARGATE_SPOT"])
ecs.register_task_definition(family="t", containerDefinitions=[{"name": "a", "image": "nginx"}],
                             requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256", memory="512")
try:
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="t", desiredCount=1,
                       launchType="FARGATE",
                       capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}])
    print("accepted")
except botocore.exceptions.ClientError as e:
    print(e.response["Error"]["Code"])
ecs.create_service(cluster="c", serviceName="ok", taskDefinition="t", desiredCount=1,
                   capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}])
print("strategy alone accepted")
`

// TestEmulatorRefusesLaunchTypeWithStrategy: like AWS, the emulator refuses
// a service that sets both a launch type and a capacity provider strategy,
// so a stack that did would fail its deploy test; either one alone is fine.
func TestEmulatorRefusesLaunchTypeWithStrategy(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("starts the emulator")
	}
	t.Parallel()
	emu := startEmulator(t)
	out, err := exec.Command("python3", "-c", refuseBoth, emu.URL).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := strings.TrimSpace(string(out))
	if got != "InvalidParameterException\nstrategy alone accepted" {
		t.Errorf("the emulator answered %q: want InvalidParameterException for both, and acceptance of a strategy alone", got)
	}
}

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

// serviceConnect creates services with a serviceConnectConfiguration, which
// moto alone drops: one valid (echoed in its deployment), then one each with
// a portName the task definition does not name, a namespace Cloud Map does
// not have, and a discoveryName the first service already uses. It prints
// one line per case.
const serviceConnect = `
import sys, boto3, botocore
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1",
          aws_access_key_id="test", aws_secret_access_key="test")
ecs, sd = boto3.client("ecs", **kw), boto3.client("servicediscovery", **kw)
sd.create_http_namespace(Name="internal")
ns = sd.list_namespaces()["Namespaces"][0]["Arn"]
ecs.create_cluster(clusterName="c")
ecs.register_task_definition(family="t", requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
    cpu="256", memory="512", containerDefinitions=[{"name": "a", "image": "nginx",
    "portMappings": [{"containerPort": 80, "name": "http", "appProtocol": "http"}]}])
def server(port_name="http", namespace=ns, discovery="api"):
    return {"enabled": True, "namespace": namespace,
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "sc"}},
            "services": [{"portName": port_name, "discoveryName": discovery,
                          "clientAliases": [{"port": 80, "dnsName": "api"}]}]}
def create(name, config):
    try:
        ecs.create_service(cluster="c", serviceName=name, taskDefinition="t", desiredCount=1,
                           launchType="FARGATE", serviceConnectConfiguration=config)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    deps = ecs.describe_services(cluster="c", services=[name])["services"][0]["deployments"]
    if all(d.get("serviceConnectConfiguration") == config for d in deps) and deps:
        return "echoed"
    return "not echoed: %r" % deps
print("valid:", create("api", server()))
print("client only:", create("web", {"enabled": True, "namespace": ns}))
print("wrong portName:", create("bad-port", server(port_name="grpc", discovery="other")))
print("missing namespace:", create("bad-ns", server(namespace=ns + "0", discovery="other")))
print("duplicate discoveryName:", create("dup", server()))
`

// TestEmulatorServiceConnect: the emulator keeps a service's Service Connect
// configuration and shows it in its deployment, as AWS does (moto alone
// drops it, so a deploy would prove nothing), and refuses what AWS refuses:
// an unnamed port, an unknown namespace, a discovery name already taken in
// the namespace.
func TestEmulatorServiceConnect(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("starts the emulator")
	}
	t.Parallel()
	emu := startEmulator(t)
	out, err := exec.Command("python3", "-c", serviceConnect, emu.URL).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := []string{
		"valid: echoed",
		"client only: echoed",
		"wrong portName: InvalidParameterException",
		"missing namespace: InvalidParameterException",
		"duplicate discoveryName: InvalidParameterException",
	}
	if got := strings.TrimSpace(string(out)); got != strings.Join(want, "\n") {
		t.Errorf("the emulator answered:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

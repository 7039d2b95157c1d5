package container_test

import (
	"fmt"
	"time"

	"github.com/fargatekit/fargatekit/constructs/container"
)

// The canonical JSON: sorted, no nulls, and the values ECS echoes back.
// "${HOME}" reaches the container literally instead of being interpolated by
// Terraform.
func ExampleJSON() {
	defs := []container.Definition{{
		Name:         "api",
		Image:        "public.ecr.aws/acme/api:2.3.1",
		PortMappings: []container.PortMapping{{ContainerPort: 8080}},
		Environment:  map[string]string{"LOG_LEVEL": "info", "CONFIG": "${HOME}/api.yaml"},
		StopTimeout:  90 * time.Second,
	}}
	if err := container.Validate(defs); err != nil {
		panic(err)
	}
	fmt.Println(container.JSON(defs, container.Logging{Group: "/ecs/api", Region: "eu-west-1", StreamPrefix: "ecs"}))
	// Output: [{"environment":[{"name":"CONFIG","value":"$${HOME}/api.yaml"},{"name":"LOG_LEVEL","value":"info"}],"essential":true,"image":"public.ecr.aws/acme/api:2.3.1","logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/api","awslogs-region":"eu-west-1","awslogs-stream-prefix":"ecs"}},"name":"api","portMappings":[{"containerPort":8080,"hostPort":8080,"protocol":"tcp"}],"readonlyRootFilesystem":true,"stopTimeout":90}]
}

// Credentials in plain environment variables are refused (Security Hub ECS.8).
func ExampleValidate() {
	fmt.Println(container.Validate([]container.Definition{{
		Name:        "api",
		Image:       "acme/api:2.3.1",
		Environment: map[string]string{"DB_PASSWORD": "hunter2"},
	}}))
	// Output: container.Validate: invalid props: [0].Environment["DB_PASSWORD"] = "hu****": looks like a credential (Security Hub ECS.8): pass it through Secrets with a Secrets Manager or SSM ARN instead of a plain environment variable
}

// An init container runs the database migration; the app starts only after
// it has exited with status 0, and after the proxy sidecar is healthy.
func ExampleDependency() {
	defs := []container.Definition{
		{Name: "app", Image: "acme/api:2.3.1", DependsOn: []container.Dependency{
			{Container: "migrate", Condition: container.Success},
			{Container: "proxy", Condition: container.Healthy},
		}},
		{Name: "migrate", Image: "acme/api:2.3.1", Command: []string{"migrate", "up"}, NonEssential: true},
		{Name: "proxy", Image: "envoyproxy/envoy:v1.31.0", NonEssential: true,
			HealthCheck: &container.HealthCheck{Command: []string{"CMD-SHELL", "curl -fs localhost:9901/ready"}}},
	}
	fmt.Println(container.Validate(defs))

	// The migration must not be essential: ECS refuses SUCCESS on an
	// essential container, whose exit would stop the task.
	defs[1].NonEssential = false
	fmt.Println(container.Validate(defs))
	// Output:
	// <nil>
	// container.Validate: invalid props: [0].DependsOn[0].Condition = "SUCCESS": container "migrate" is essential, and ECS refuses SUCCESS on an essential container (its exit would stop the task): make it NonEssential
}

// Secrets are typed references: the whole secret, one JSON key of it (of the
// current or a chosen version), or an SSM parameter. valueFrom takes the
// forms of the ECS Developer Guide.
func ExampleSecretsManagerJSONKey() {
	const db = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:web/db-AbCdEf"
	secrets := map[string]container.Secret{
		"DB_USER":     container.SecretsManagerJSONKey(db, "username"),
		"DB_PASSWORD": container.SecretsManagerJSONKey(db, "password").WithVersionStage("AWSPREVIOUS"),
		"API_TOKEN":   container.SSMParameter("arn:aws:ssm:eu-west-1:123456789012:parameter/web/api-token"),
	}
	for _, name := range []string{"API_TOKEN", "DB_PASSWORD", "DB_USER"} {
		fmt.Println(name, secrets[name].ValueFrom())
	}
	// A typo in the region is refused, naming the variable.
	fmt.Println(container.Validate([]container.Definition{{Name: "api", Image: "acme/api:2.3.1",
		Secrets: map[string]container.Secret{"DB": container.SecretsManager("arn:aws:secretsmanager:eu-west1:123456789012:secret:web/db-AbCdEf")}}}))
	// Output:
	// API_TOKEN arn:aws:ssm:eu-west-1:123456789012:parameter/web/api-token
	// DB_PASSWORD arn:aws:secretsmanager:eu-west-1:123456789012:secret:web/db-AbCdEf:password:AWSPREVIOUS:
	// DB_USER arn:aws:secretsmanager:eu-west-1:123456789012:secret:web/db-AbCdEf:username::
	// container.Validate: invalid props: [0].Secrets["DB"] = "arn:aws:secretsmanager:eu-west1:123456789012:secret:web/db-AbCdEf": must be the ARN of a Secrets Manager secret: the region "eu-west1" is not an AWS region code: codes are <area>-<direction>-<number>, such as us-east-1, eu-west-2 or ap-southeast-1; did you mean "eu-west-1"?
}

package service_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecret"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// GIVEN secrets read by JSON key, by version, whole, from a partial ARN, from
// a secret of the same app (a token) and from SSM WHEN the service is created
// THEN the execution role may read exactly those secrets and that parameter:
// the secret ARNs without key or version, a partial ARN with "-??????" for
// the suffix Secrets Manager appends, each once.
func TestExecutionRoleReadsExactlyTheSecrets(t *testing.T) {
	const db = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf"
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("secrets"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	own := secretsmanagersecret.NewSecretsmanagerSecret(stack, jsii.String("Own"), &secretsmanagersecret.SecretsmanagerSecretConfig{Name: jsii.String("own")})
	p := accountProps("123456789012", "aws")
	p.Containers[0].Secrets = map[string]container.Secret{
		"DB_USER":     container.SecretsManagerJSONKey(db, "username"),
		"DB_PASSWORD": container.SecretsManagerJSONKey(db, "password").WithVersionStage("AWSPREVIOUS"),
		"DB_ALL":      container.SecretsManager(db),
		"LEGACY":      container.SecretsManager("arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy"),
		"OWN":         container.SecretsManager(*own.Arn()),
		"API_TOKEN":   container.SSMParameter("arn:aws:ssm:us-east-1:123456789012:parameter/web/api-token"),
	}
	if _, err := service.New(stack, "Service", p); err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)
	got := executionResources(t, doc)
	secrets := got["ReadSecrets"]
	if len(secrets) != 3 || !slices.Contains(secrets, db) || !slices.Contains(secrets, "arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy-??????") ||
		!slices.ContainsFunc(secrets, func(s string) bool { return strings.HasPrefix(s, "${aws_secretsmanager_secret.Own.arn}") }) {
		t.Errorf("ReadSecrets resources = %q: want %s, the legacy secret with -??????, and the token, each once and without key or version", secrets, db)
	}
	if want := []string{"arn:aws:ssm:us-east-1:123456789012:parameter/web/api-token"}; !slices.Equal(got["ReadParameters"], want) {
		t.Errorf("ReadParameters resources = %q, want %q", got["ReadParameters"], want)
	}
}

package service_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecrrepository"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// ecrPullResources synthesizes a service whose image comes from a repository
// created in the same app (a token) and returns the Resource of the
// execution policy's EcrPull statement.
func ecrPullResources(t *testing.T, withARN bool) []string {
	t.Helper()
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("ecr"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	repo := ecrrepository.NewEcrRepository(stack, jsii.String("Repo"), &ecrrepository.EcrRepositoryConfig{Name: jsii.String("web")})
	p := accountProps("", "")
	p.Containers = []container.Definition{{Name: "web", Image: *repo.RepositoryUrl() + ":1.4.2"}}
	if withARN {
		p.Containers[0].ImageRepositoryARN = *repo.Arn()
	}
	if _, err := service.New(stack, "Service", p); err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)
	got := executionResources(t, doc)
	if _, ok := got["EcrPull"]; !ok {
		t.Fatalf("the execution policy has no EcrPull statement: %+v", got)
	}
	return got["EcrPull"]
}

// executionResources returns the Resource of each statement of the
// execution role's inline policy in doc, by Sid.
func executionResources(t *testing.T, doc testutil.Doc) map[string][]string {
	t.Helper()
	var pol struct {
		Statement []struct {
			Sid      string
			Resource []string
		}
	}
	for _, r := range doc.Resources("aws_iam_role_policy") {
		if r["name"] == "execution" {
			if err := json.Unmarshal([]byte(r["policy"].(string)), &pol); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := map[string][]string{}
	for _, st := range pol.Statement {
		got[st.Sid] = st.Resource
	}
	return got
}

// GIVEN an image from a repository of the same app and its ARN WHEN the
// service is created THEN the execution role may pull from that repository
// alone.
func TestTokenImageWithRepositoryARNPullsFromItAlone(t *testing.T) {
	got := ecrPullResources(t, true)
	if len(got) != 1 || got[0] != "${aws_ecr_repository.Repo.arn}" {
		t.Errorf("EcrPull Resource = %q, want only the repository's ARN", got)
	}
}

// GIVEN an image given as a token without its repository's ARN WHEN the
// service is created THEN the role may pull from every repository of the
// account in the service's region, as the documentation says.
func TestTokenImageWithoutRepositoryARNPullsFromTheAccountsRepositories(t *testing.T) {
	got := ecrPullResources(t, false)
	if len(got) != 1 || !strings.HasSuffix(got[0], ":ecr:us-east-1:${data.aws_caller_identity.Service_CallerIdentity_C75C6BEA.account_id}:repository/*") {
		t.Errorf("EcrPull Resource = %q, want this account's repositories in us-east-1", got)
	}
}

// ImageRepositoryARN is refused with a literal image (whose repository the
// URI names) and when it is not a repository ARN.
func TestImageRepositoryARNValidation(t *testing.T) {
	p := accountProps("123456789012", "aws")
	p.Containers[0].ImageRepositoryARN = "arn:aws:ecr:us-east-1:123456789012:repository/web"
	if err := service.Validate(p); err == nil || !strings.Contains(err.Error(), "Containers[0].ImageRepositoryARN") || !strings.Contains(err.Error(), "only used when Image is a token") {
		t.Errorf("literal image with ImageRepositoryARN: got %v", err)
	}
	p.Containers[0].Image = "${TfToken[TOKEN.1]}"
	p.Containers[0].ImageRepositoryARN = "arn:aws:s3:::bucket"
	if err := service.Validate(p); err == nil || !strings.Contains(err.Error(), `Containers[0].ImageRepositoryARN = "arn:aws:s3:::bucket"`) {
		t.Errorf("non-repository ARN: got %v", err)
	}
}

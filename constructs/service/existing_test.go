package service

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

func existingProps(t *testing.T) Props {
	t.Helper()
	cl, err := cluster.FromName("shared")
	if err != nil {
		t.Fatal(err)
	}
	alb, err := loadbalancer.FromAttributes(loadbalancer.Attributes{
		SecurityGroupID: "sg-0a1b2c3d4e5f67890",
		TargetGroupARN:  "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef",
	})
	if err != nil {
		t.Fatal(err)
	}
	return Props{
		Name:             "web",
		Region:           "us-east-1",
		Cluster:          cl,
		VPCID:            "vpc-0a1b2c3d4e5f67890",
		SubnetIDs:        []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
		LoadBalancer:     alb,
		ExecutionRoleARN: "arn:aws:iam::123456789012:role/platform/web-execution",
		TaskRoleARN:      "arn:aws:iam::123456789012:role/platform/web-task",
		Containers:       []container.Definition{{Name: "web", Image: "nginx:1.27", PortMappings: []container.PortMapping{{ContainerPort: 80}}}},
	}
}

// GIVEN existing roles, cluster and load balancer WHEN the service is built
// THEN it creates no role and wires every reference to the given ones.
func TestServiceWithExistingRolesAndLoadBalancer(t *testing.T) {
	app := testutil.TestApp()
	stack := cdktf.NewTerraformStack(app, jsii.String("existing"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := New(stack, "Service", existingProps(t)); err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)
	if n := len(doc.Resources("aws_iam_role")) + len(doc.Resources("aws_iam_role_policy")); n != 0 {
		t.Errorf("created %d roles or policies; the existing roles must be used", n)
	}
	if n := len(doc.Data("aws_caller_identity")); n != 0 {
		t.Errorf("looked up the account although no trust policy is written")
	}
	_, td := doc.One(t, "aws_ecs_task_definition")
	if td["execution_role_arn"] != "arn:aws:iam::123456789012:role/platform/web-execution" || td["task_role_arn"] != "arn:aws:iam::123456789012:role/platform/web-task" {
		t.Errorf("task definition roles: %v, %v", td["execution_role_arn"], td["task_role_arn"])
	}
	_, svc := doc.One(t, "aws_ecs_service")
	if got := testutil.Get(svc, "load_balancer", 0, "target_group_arn"); !strings.HasSuffix(got.(string), "targetgroup/web/0123456789abcdef") {
		t.Errorf("service registers in %v", got)
	}
	if svc["cluster"] != "shared" {
		t.Errorf("cluster = %v, want the existing cluster's name", svc["cluster"])
	}
	_, ingress := doc.One(t, "aws_vpc_security_group_ingress_rule")
	if ingress["referenced_security_group_id"] != "sg-0a1b2c3d4e5f67890" {
		t.Errorf("task ingress admits %v, want the existing load balancer's group", ingress["referenced_security_group_id"])
	}
}

func TestExistingTaskRoleConflictsWithTaskPolicy(t *testing.T) {
	p := existingProps(t)
	p.TaskPolicy = []iampolicy.Statement{{Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*"}}}
	p.ExecutionRoleARN = "web-execution"
	err := Validate(p)
	if err == nil {
		t.Fatal("accepted TaskPolicy with an existing task role and a role name for an ARN")
	}
	for _, want := range []string{"TaskPolicy", `ExecutionRoleARN = "web-execution"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
}

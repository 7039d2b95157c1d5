package network_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

func synthNetwork(t *testing.T, props network.Props) (*network.Network, testutil.Doc) {
	t.Helper()
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("net"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	n, err := network.New(stack, "Network", props)
	if err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)
	return n, doc
}

// GIVEN the zero value (with a Name) WHEN the network is created THEN the VPC
// records its flow logs: the zero value is the production default.
func TestZeroValueRecordsFlowLogs(t *testing.T) {
	n, doc := synthNetwork(t, network.Props{Name: "web"})
	_, fl := doc.One(t, "aws_flow_log")
	if fl["traffic_type"] != "ALL" {
		t.Errorf("flow log traffic_type = %v, want ALL", fl["traffic_type"])
	}
	if n.FlowLog == nil || n.FlowLogGroup == nil || n.FlowLogRole == nil || n.FlowLogRolePolicy == nil {
		t.Error("the flow log's resources should be exported fields")
	}
}

// GIVEN DisableFlowLogs WHEN the network is created THEN there is no flow log,
// nor its log group, role or lookups.
func TestDisableFlowLogs(t *testing.T) {
	n, doc := synthNetwork(t, network.Props{Name: "web", DisableFlowLogs: true})
	for _, typ := range []string{"aws_flow_log", "aws_cloudwatch_log_group", "aws_iam_role"} {
		if rs := doc.Resources(typ); len(rs) != 0 {
			t.Errorf("DisableFlowLogs still created %s %v", typ, testutil.SortedKeys(rs))
		}
	}
	if n.FlowLog != nil {
		t.Error("FlowLog is set although DisableFlowLogs")
	}
}

// GIVEN an existing VPC and the zero value of the flow-log props WHEN the
// network is created THEN it is accepted and creates nothing (flow logs of an
// existing VPC belong where it is managed); flow-log settings that would be
// ignored are refused.
func TestExistingVPCGetsNoFlowLogs(t *testing.T) {
	existing := network.Props{
		Name:             "web",
		VPCID:            "vpc-0a1b2c3d4e5f67890",
		PublicSubnetIDs:  []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
		PrivateSubnetIDs: []string{"subnet-2a1b2c3d4e5f67890", "subnet-3a1b2c3d4e5f67890"},
	}
	n, doc := synthNetwork(t, existing)
	if rs := doc.Resources("aws_flow_log"); len(rs) != 0 || n.FlowLog != nil {
		t.Errorf("an existing VPC got flow logs: %v", testutil.SortedKeys(rs))
	}
	existing.FlowLogRetentionDays = 7
	var pe *propcheck.Error
	if err := network.Validate(existing); !errors.As(err, &pe) {
		t.Fatalf("FlowLogRetentionDays with an existing VPC would be ignored: want a *propcheck.Error, got %v", err)
	}
	if len(pe.Problems) != 1 || pe.Problems[0].Field != "FlowLogRetentionDays" || !strings.Contains(pe.Problems[0].Rule, "existing VPC") {
		t.Errorf("want one problem on FlowLogRetentionDays about the existing VPC, got %v", pe)
	}
}

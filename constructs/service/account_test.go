package service_test

import (
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

func accountProps(account, partition string) service.Props {
	return service.Props{
		Name:       "web",
		Region:     "us-east-1",
		AccountID:  account,
		Partition:  partition,
		Cluster:    &cluster.Cluster{Name: "web"},
		VPCID:      "vpc-0a1b2c3d4e5f67890",
		SubnetIDs:  []string{"subnet-0a1b2c3d4e5f67890"},
		Containers: []container.Definition{{Name: "web", Image: "nginx:1.27"}},
	}
}

// GIVEN AccountID and Partition WHEN the service is created THEN it creates
// no data sources of its own and the roles' trust conditions use the given
// values.
func TestGivenAccountAndPartitionNoDataSources(t *testing.T) {
	stack := providerStack(t)
	p := accountProps("123456789012", "aws-cn")
	p.Region = "cn-north-1"
	if _, err := service.New(stack, "Service", p); err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)
	if n := len(doc.Data("aws_caller_identity")) + len(doc.Data("aws_partition")); n != 0 {
		t.Errorf("%d account or partition data sources, want none", n)
	}
	roles := doc.Resources("aws_iam_role")
	if len(roles) != 2 {
		t.Fatalf("%d IAM roles %v, want the execution and the task role: their trust policies could not be checked", len(roles), testutil.SortedKeys(roles))
	}
	for name, role := range roles {
		trust, _ := role["assume_role_policy"].(string)
		if !strings.Contains(trust, `"aws:SourceAccount":"123456789012"`) || !strings.Contains(trust, `"arn:aws-cn:ecs:cn-north-1:123456789012:*"`) {
			t.Errorf("role %s trust policy does not use the given account and partition: %s", name, trust)
		}
	}
}

// A partition that does not hold the region is refused: the roles' trust
// conditions would name ARNs that cannot exist.
func TestPartitionMustHoldTheRegion(t *testing.T) {
	err := service.Validate(accountProps("123456789012", "aws-cn"))
	if err == nil || !strings.Contains(err.Error(), `Partition = "aws-cn": does not hold Region "us-east-1", which is in partition "aws"`) {
		t.Errorf("want the partition refused, got %v", err)
	}
}

// An account id or partition that is not one is refused.
func TestInvalidAccountAndPartition(t *testing.T) {
	err := service.Validate(accountProps("12345", "amazon"))
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{`AccountID = "12345"`, `Partition = "amazon"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s:\n%v", want, err)
		}
	}
}

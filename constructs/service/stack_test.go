package service_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/internal/txn"
)

// stackIn is a stack whose provider is in region.
func stackIn(t *testing.T, region string) cdktf.TerraformStack {
	t.Helper()
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("stackwide"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: region}); err != nil {
		t.Fatal(err)
	}
	return stack
}

// bare is a service that leaves Region, AccountID and Partition to the stack.
func bare(name string) service.Props {
	p := accountProps("", "")
	p.Name, p.Region = name, ""
	return p
}

// GIVEN a stack whose provider is in eu-west-1 WHEN a service gives no
// Region THEN it runs in eu-west-1 (logs, role trust); one that gives a
// Region keeps its own.
func TestRegionIsTheProviders(t *testing.T) {
	stack := stackIn(t, "eu-west-1")
	if _, err := service.New(stack, "Web", bare("web")); err != nil {
		t.Fatal(err)
	}
	own := bare("other")
	own.Region = "eu-central-1"
	if _, err := service.New(stack, "Other", own); err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)
	want := map[string]string{"web": "eu-west-1", "other": "eu-central-1"}
	for addr, td := range doc.Resources("aws_ecs_task_definition") {
		family := fmt.Sprint(td["family"])
		if defs := fmt.Sprint(td["container_definitions"]); !strings.Contains(defs, `"awslogs-region":"`+want[family]+`"`) {
			t.Errorf("%s (%s) logs to another region than %s: %s", addr, family, want[family], defs)
		}
	}
	for addr, role := range doc.Resources("aws_iam_role") {
		trust := fmt.Sprint(role["assume_role_policy"])
		region := want["web"]
		if strings.HasPrefix(addr, "Other_") {
			region = want["other"]
		}
		if !strings.Contains(trust, ":ecs:"+region+":") {
			t.Errorf("role %s trusts ECS of another region than %s: %s", addr, region, trust)
		}
	}
}

// GIVEN a stack without awsprovider.New WHEN a service gives no Region THEN
// it is refused, naming the field and both ways out, and nothing is created.
func TestNoRegionWithoutProvider(t *testing.T) {
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("noprovider"))
	_, err := service.New(stack, "Web", bare("web"))
	problemtest.One(t, err, "Region", `""`, "awsprovider.New")
	if err != nil && !strings.Contains(err.Error(), "set Region") {
		t.Errorf("the error does not say to set Region: %v", err)
	}
	if stack.Node().TryFindChild(jsii.String("Web")) != nil {
		t.Error("the refused service left a construct behind")
	}
}

// GIVEN three services in a stack, the third with its own AccountID WHEN
// they are created THEN the stack has one account and one partition lookup,
// created by the first service (where it always created them), and every
// role that needs the stack's account uses that lookup.
func TestLookupsOncePerStack(t *testing.T) {
	stack := stackIn(t, "us-east-1")
	first, err := service.New(stack, "First", bare("first"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := service.New(stack, "Second", bare("second"))
	if err != nil {
		t.Fatal(err)
	}
	third := bare("third")
	third.AccountID = "123456789012"
	if _, err := service.New(stack, "Third", third); err != nil {
		t.Fatal(err)
	}
	if first.CallerIdentity == nil || first.PartitionData == nil {
		t.Error("the first service did not report the lookups it created")
	}
	if second.CallerIdentity != nil || second.PartitionData != nil {
		t.Error("the second service reports lookups of its own")
	}
	if second.AccountID != first.AccountID || second.Partition != first.Partition {
		t.Errorf("the second service's account %q/%q is not the first's %q/%q", second.AccountID, second.Partition, first.AccountID, first.Partition)
	}
	_, doc := testutil.Synth(t, stack)
	ci, part := doc.Data("aws_caller_identity"), doc.Data("aws_partition")
	if len(ci) != 1 || len(part) != 1 {
		t.Fatalf("lookups %v and %v, want one of each", testutil.SortedKeys(ci), testutil.SortedKeys(part))
	}
	for _, name := range append(testutil.SortedKeys(ci), testutil.SortedKeys(part)...) {
		if !strings.HasPrefix(name, "First_") {
			t.Errorf("lookup %s is not where the first service always created it (First_…)", name)
		}
	}
	for addr, role := range doc.Resources("aws_iam_role") {
		trust := fmt.Sprint(role["assume_role_policy"])
		shared := strings.Contains(trust, "data.aws_caller_identity.First_CallerIdentity")
		if strings.HasPrefix(addr, "Third_") {
			if shared || !strings.Contains(trust, `"aws:SourceAccount":"123456789012"`) {
				t.Errorf("role %s does not use its service's own AccountID: %s", addr, trust)
			}
		} else if !shared {
			t.Errorf("role %s does not use the stack's account lookup: %s", addr, trust)
		}
	}
}

// GIVEN three services with alarms, the third with a topic key of its own
// WHEN they are created THEN the first two share one topic and one key,
// created under the first service's alarms with its name, and the third
// gets a topic of its own encrypted with its key.
func TestOneAlarmTopicPerStack(t *testing.T) {
	stack := stackIn(t, "us-east-1")
	a, err := service.New(stack, "First", bare("first"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := service.New(stack, "Second", bare("second"))
	if err != nil {
		t.Fatal(err)
	}
	own := bare("third")
	own.Alarms.TopicKMSKeyARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	c, err := service.New(stack, "Third", own)
	if err != nil {
		t.Fatal(err)
	}
	if b.Alarms.Topic != a.Alarms.Topic || b.Alarms.TopicKey != a.Alarms.TopicKey || b.Alarms.TopicARN != a.Alarms.TopicARN {
		t.Error("the second service's alarms do not report the shared topic and key")
	}
	if c.Alarms.Topic == a.Alarms.Topic || c.Alarms.TopicKey != nil {
		t.Error("the third service's alarms do not report a topic of their own without a created key")
	}
	_, doc := testutil.Synth(t, stack)
	topics, keys := doc.Resources("aws_sns_topic"), doc.Resources("aws_kms_key")
	if len(topics) != 2 || len(keys) != 1 {
		t.Fatalf("topics %v and keys %v, want the shared topic, the third's, and one key", testutil.SortedKeys(topics), testutil.SortedKeys(keys))
	}
	var shared string
	for addr, topic := range topics {
		switch {
		case strings.HasPrefix(addr, "First_Alarms_Topic_"):
			shared = addr
			if topic["name"] != "web-first-alarms" {
				t.Errorf("the shared topic is named %v, want the first service's name", topic["name"])
			}
		case strings.HasPrefix(addr, "Third_Alarms_Topic_"):
			if topic["kms_master_key_id"] != own.Alarms.TopicKMSKeyARN {
				t.Errorf("the third's topic is encrypted with %v, want its own key", topic["kms_master_key_id"])
			}
		default:
			t.Errorf("unexpected topic %s", addr)
		}
	}
	for addr := range keys {
		if !strings.HasPrefix(addr, "First_Alarms_TopicKey_") {
			t.Errorf("the key %s is not under the first service's alarms", addr)
		}
	}
	for addr, alarm := range doc.Resources("aws_cloudwatch_metric_alarm") {
		want := "${aws_sns_topic." + shared + ".arn}"
		if strings.HasPrefix(addr, "Third_") {
			want = "Third_Alarms_Topic_"
		}
		if actions := fmt.Sprint(alarm["alarm_actions"], alarm["ok_actions"]); !strings.Contains(actions, want) {
			t.Errorf("alarm %s notifies %s, want %s", addr, actions, want)
		}
	}
}

// GIVEN a stack whose first service fails after it created the stack's
// account and partition lookups and its shared alarm topic (a fault
// injected at the end of service.New, which then takes back all it created)
// WHEN a second service is created THEN the stack does not refer to the
// removed lookups or topic: the second service creates them again, under
// itself, and the stack synthesizes with exactly one of each.
func TestAnUndoneServiceTakesBackTheStacksLookupsAndTopic(t *testing.T) {
	stack := stackIn(t, "us-east-1")
	injected := errors.New("injected after creation")
	clear := txn.InjectFault("service.New", func() error { return injected })
	_, err := service.New(stack, "First", bare("first"))
	clear()
	if !errors.Is(err, injected) {
		t.Fatalf("service.New with the fault = %v, want the injected error", err)
	}
	if stack.Node().TryFindChild(jsii.String("First")) != nil {
		t.Fatal("the failed service is still in the stack")
	}
	second, err := service.New(stack, "Second", bare("second"))
	if err != nil {
		t.Fatal(err)
	}
	if second.CallerIdentity == nil || second.PartitionData == nil {
		t.Error("the second service reused the lookups of the removed one")
	}
	_, doc := testutil.Synth(t, stack)
	ci, part := doc.Data("aws_caller_identity"), doc.Data("aws_partition")
	topics := doc.Resources("aws_sns_topic")
	if len(ci) != 1 || len(part) != 1 || len(topics) != 1 {
		t.Fatalf("lookups %v and %v and topics %v, want one of each", testutil.SortedKeys(ci), testutil.SortedKeys(part), testutil.SortedKeys(topics))
	}
	for _, name := range append(append(testutil.SortedKeys(ci), testutil.SortedKeys(part)...), testutil.SortedKeys(topics)...) {
		if !strings.HasPrefix(name, "Second_") {
			t.Errorf("%s is not under the second service", name)
		}
	}
}

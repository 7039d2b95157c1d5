package stacks

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/alarms"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// SNS.1: SNS topics are encrypted at rest with KMS, and (for the alarm topic)
// with a key CloudWatch may use: never the AWS managed alias/aws/sns.
func secSNS1(p *secProblems, doc testutil.Doc) {
	for name, topic := range secResources(p, doc, "aws_sns_topic") {
		key, _ := topic["kms_master_key_id"].(string)
		switch {
		case key == "":
			p.add("aws_sns_topic.%s has no kms_master_key_id: messages are stored unencrypted (SNS.1)", name)
		case strings.EqualFold(key, alarms.AWSManagedSNSKey):
			p.add("aws_sns_topic.%s is encrypted with %s, which CloudWatch alarms cannot use: notifications would never arrive", name, key)
		}
	}
}

// TestControlSNS1_TopicEncrypted: the alarm topic is encrypted with KMS.
func TestControlSNS1_TopicEncrypted(t *testing.T) { secRun(t, "SNS.1", secSNS1) }

// KMS.4: customer managed keys rotate.
func secKMS4(p *secProblems, doc testutil.Doc) {
	for name, key := range secResources(p, doc, "aws_kms_key") {
		if key["enable_key_rotation"] != true {
			p.add("aws_kms_key.%s.enable_key_rotation = %v: turn rotation on (KMS.4)", name, key["enable_key_rotation"])
		}
	}
}

// TestControlKMS4_KeyRotation: every key the stack creates rotates.
func TestControlKMS4_KeyRotation(t *testing.T) { secRun(t, "KMS.4", secKMS4) }

// CloudWatch.15: alarms have actions; and the service's deployment alarms
// name alarms that exist in the stack.
func secCloudWatch15(p *secProblems, doc testutil.Doc) {
	names := []string{}
	for name, a := range secResources(p, doc, "aws_cloudwatch_metric_alarm") {
		acts, _ := a["alarm_actions"].([]any)
		if a["actions_enabled"] != true || len(acts) == 0 {
			p.add("aws_cloudwatch_metric_alarm.%s notifies nobody: actions_enabled=%v alarm_actions=%v (CloudWatch.15)", name, a["actions_enabled"], a["alarm_actions"])
		}
		names = append(names, a["alarm_name"].(string))
	}
	for name, svc := range secResources(p, doc, "aws_ecs_service") {
		if svc["load_balancer"] == nil && svc["alarms"] == nil {
			// A service without a load balancer (a worker) has no alarm
			// that tells a bad release; its circuit breaker rolls back.
			continue
		}
		blocks := secBlocks(svc["alarms"])
		if len(blocks) != 1 || blocks[0]["rollback"] != true {
			p.add("aws_ecs_service.%s: no deployment alarms with rollback: %v", name, svc["alarms"])
			continue
		}
		list, _ := blocks[0]["alarm_names"].([]any)
		for _, n := range list {
			if !slices.Contains(names, n.(string)) {
				p.add("aws_ecs_service.%s deployment alarm %v is not an alarm of the stack", name, n)
			}
		}
	}
}

// TestControlCloudWatch15_AlarmsHaveActions: every alarm notifies the topic,
// and the deployment alarms roll back on alarms the stack creates.
func TestControlCloudWatch15_AlarmsHaveActions(t *testing.T) {
	secRun(t, "CloudWatch.15", secCloudWatch15)
}

// TestDay2ControlsCatchViolations breaks a copy of the production document
// once per day-2 control and expects that control to report it.
func TestDay2ControlsCatchViolations(t *testing.T) {
	prod := defaults(t).JSON["production"]
	first := func(doc testutil.Doc, typ string) map[string]any { return secFirst(t, doc, typ) }
	cases := []struct {
		name    string
		control secControl
		breakIt func(doc testutil.Doc)
		want    string
	}{
		{"SNS.1 unencrypted", secSNS1, func(d testutil.Doc) { delete(first(d, "aws_sns_topic"), "kms_master_key_id") }, "has no kms_master_key_id"},
		{"SNS.1 aws managed key", secSNS1, func(d testutil.Doc) { first(d, "aws_sns_topic")["kms_master_key_id"] = "alias/aws/sns" }, "CloudWatch alarms cannot use"},
		{"KMS.4", secKMS4, func(d testutil.Doc) { first(d, "aws_kms_key")["enable_key_rotation"] = false }, "enable_key_rotation = false"},
		{"CloudWatch.15 no actions", secCloudWatch15, func(d testutil.Doc) { first(d, "aws_cloudwatch_metric_alarm")["alarm_actions"] = []any{} }, "notifies nobody"},
		{"deployment alarm unknown", secCloudWatch15, func(d testutil.Doc) {
			first(d, "aws_ecs_service")["alarms"].(map[string]any)["alarm_names"] = []any{"nope"}
		}, "deployment alarm nope is not an alarm of the stack"},
		{"no rollback", secCloudWatch15, func(d testutil.Doc) { delete(first(d, "aws_ecs_service"), "alarms") }, "no deployment alarms with rollback"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { secCatches(t, prod, tc.control, tc.breakIt, tc.want) })
	}
}

// secCatches checks that control passes on the production document prod,
// then reports a problem containing want once breakIt has broken a copy.
func secCatches(t *testing.T, prod []byte, control secControl, breakIt func(testutil.Doc), want string) {
	t.Helper()
	var doc testutil.Doc
	if err := json.Unmarshal(prod, &doc); err != nil {
		t.Fatal(err)
	}
	p := &secProblems{stack: "production"}
	control(p, doc)
	if len(p.list) != 0 {
		t.Fatalf("the unbroken production stack already fails: %q", p.list)
	}
	breakIt(doc)
	control(p, doc)
	if !slices.ContainsFunc(p.list, func(s string) bool { return strings.Contains(s, want) }) {
		t.Errorf("the control did not report the violation (want a message containing %q), got %q", want, p.list)
	}
}

// secFirst returns one resource of type typ of doc, failing the test if there
// is none.
func secFirst(t *testing.T, doc testutil.Doc, typ string) map[string]any {
	t.Helper()
	for _, r := range doc.Resources(typ) {
		return r
	}
	t.Fatalf("no %s", typ)
	return nil
}

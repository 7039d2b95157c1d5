package stackdefaults_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/constructs/stackdefaults"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

const (
	topicARN = "arn:aws:sns:us-east-1:123456789012:oncall"
	keyARN   = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	otherKey = "arn:aws:kms:us-east-1:123456789012:key/5678abcd-12ab-34cd-56ef-1234567890ab"
)

func newStack(t *testing.T) cdktf.TerraformStack {
	t.Helper()
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("defaults"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	return stack
}

func svc(name string) service.Props {
	return service.Props{
		Name:       name,
		Cluster:    &cluster.Cluster{Name: "main"},
		VPCID:      "vpc-0a1b2c3d4e5f67890",
		SubnetIDs:  []string{"subnet-0a1b2c3d4e5f67890"},
		Containers: []container.Definition{{Name: name, Image: "nginx:1.27", PortMappings: []container.PortMapping{{ContainerPort: 80, Name: "http"}}}},
	}
}

func newService(t *testing.T, stack cdktf.TerraformStack, id string, p service.Props) *service.Service {
	t.Helper()
	s, err := service.New(stack, id, p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// GIVEN the stack's AlarmTopicARN WHEN two services are created THEN no
// topic and no key are created and every alarm notifies that topic.
func TestAlarmTopicARN(t *testing.T) {
	stack := newStack(t)
	if err := stackdefaults.New(stack, stackdefaults.Props{AlarmTopicARN: topicARN}); err != nil {
		t.Fatal(err)
	}
	newService(t, stack, "Web", svc("web"))
	newService(t, stack, "Api", svc("api"))
	_, doc := testutil.Synth(t, stack)
	if n := len(doc.Resources("aws_sns_topic")) + len(doc.Resources("aws_kms_key")); n != 0 {
		t.Errorf("%d topics and keys created, want none", n)
	}
	alarms := doc.Resources("aws_cloudwatch_metric_alarm")
	if len(alarms) == 0 {
		t.Fatal("no alarms: nothing to check")
	}
	for addr, a := range alarms {
		if got := fmt.Sprint(a["alarm_actions"], a["ok_actions"]); got != "["+topicARN+"] ["+topicARN+"]" {
			t.Errorf("alarm %s notifies %s, want %s", addr, got, topicARN)
		}
	}
}

// GIVEN the stack's AlarmTopicKMSKeyARN WHEN two services are created THEN
// the one shared topic is encrypted with it and no key is created.
func TestAlarmTopicKMSKeyARN(t *testing.T) {
	stack := newStack(t)
	if err := stackdefaults.New(stack, stackdefaults.Props{AlarmTopicKMSKeyARN: keyARN}); err != nil {
		t.Fatal(err)
	}
	web := newService(t, stack, "Web", svc("web"))
	newService(t, stack, "Api", svc("api"))
	if web.Alarms.TopicKey != nil {
		t.Error("the alarms report a created key")
	}
	_, doc := testutil.Synth(t, stack)
	if keys := doc.Resources("aws_kms_key"); len(keys) != 0 {
		t.Errorf("keys %v created, want none", testutil.SortedKeys(keys))
	}
	if _, topic := doc.One(t, "aws_sns_topic"); topic["kms_master_key_id"] != keyARN {
		t.Errorf("the topic is encrypted with %v, want %s", topic["kms_master_key_id"], keyARN)
	}
}

// GIVEN the stack's LogKMSKeyARN and Tags WHEN one service gives neither
// and another gives its own THEN the first takes the stack's and the second
// keeps its own.
func TestLogKeyAndTags(t *testing.T) {
	stack := newStack(t)
	if err := stackdefaults.New(stack, stackdefaults.Props{LogKMSKeyARN: keyARN, Tags: map[string]string{"Team": "shop"}}); err != nil {
		t.Fatal(err)
	}
	newService(t, stack, "Web", svc("web"))
	own := svc("api")
	own.LogKMSKeyARN, own.Tags = otherKey, map[string]string{"Team": "api"}
	newService(t, stack, "Api", own)
	_, doc := testutil.Synth(t, stack)
	want := map[string][2]string{"/ecs/web": {keyARN, "shop"}, "/ecs/api": {otherKey, "api"}}
	groups := doc.Resources("aws_cloudwatch_log_group")
	if len(groups) != 2 {
		t.Fatalf("log groups %v, want two", testutil.SortedKeys(groups))
	}
	for addr, g := range groups {
		w := want[fmt.Sprint(g["name"])]
		if g["kms_key_id"] != w[0] || testutil.Get(g, "tags", "Team") != w[1] {
			t.Errorf("log group %s: key %v, Team tag %v; want %s, %s", addr, g["kms_key_id"], testutil.Get(g, "tags", "Team"), w[0], w[1])
		}
	}
}

// GIVEN the stack's Namespace WHEN a service serves a port without a
// namespace of its own THEN it joins the stack's.
func TestNamespace(t *testing.T) {
	stack := newStack(t)
	ns, err := connect.New(stack, "Namespace", connect.Props{Name: "internal"})
	if err != nil {
		t.Fatal(err)
	}
	if err := stackdefaults.New(stack, stackdefaults.Props{Namespace: ns}); err != nil {
		t.Fatal(err)
	}
	p := svc("api")
	p.ServiceConnect.Serve = []service.ConnectEndpoint{{PortName: "http"}}
	api := newService(t, stack, "Api", p)
	if api.ConnectNamespace != ns {
		t.Errorf("the service joined %v, want the stack's namespace", api.ConnectNamespace)
	}
	_, doc := testutil.Synth(t, stack)
	_, s := doc.One(t, "aws_ecs_service")
	if got := fmt.Sprint(testutil.Get(s, "service_connect_configuration", "namespace")); !strings.Contains(got, "aws_service_discovery_http_namespace.Namespace") {
		t.Errorf("service connect namespace = %s, want the stack's", got)
	}
}

// GIVEN a service already created WHEN stackdefaults.New comes after it
// THEN it is refused naming that service; a second call is refused too.
func TestOrder(t *testing.T) {
	stack := newStack(t)
	newService(t, stack, "Web", svc("web"))
	err := stackdefaults.New(stack, stackdefaults.Props{AlarmTopicARN: topicARN})
	problemtest.One(t, err, "Defaults", "", `"defaults/Web"`)

	stack2 := newStack(t)
	if err := stackdefaults.New(stack2, stackdefaults.Props{}); err != nil {
		t.Fatal(err)
	}
	problemtest.One(t, stackdefaults.New(stack2, stackdefaults.Props{}), "Defaults", "", "once per stack")
}

// Bad props are refused naming the field and the value.
func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		name         string
		props        stackdefaults.Props
		field, value string
		rule         string
	}{
		{"topic-and-key", stackdefaults.Props{AlarmTopicARN: topicARN, AlarmTopicKMSKeyARN: keyARN}, "Defaults.AlarmTopicKMSKeyARN", keyARN, "conflicts with AlarmTopicARN"},
		{"managed-key", stackdefaults.Props{AlarmTopicKMSKeyARN: "alias/aws/sns"}, "Defaults.AlarmTopicKMSKeyARN", "alias/aws/sns", "AWS managed key"},
		{"topic-not-arn", stackdefaults.Props{AlarmTopicARN: "oncall"}, "Defaults.AlarmTopicARN", "oncall", "SNS"},
		{"log-key-other-region", stackdefaults.Props{LogKMSKeyARN: strings.Replace(keyARN, "us-east-1", "eu-west-1", 1)}, "Defaults.LogKMSKeyARN", "eu-west-1", "us-east-1"},
		{"namespace-without-arn", stackdefaults.Props{Namespace: &connect.Namespace{Name: "internal"}}, "Defaults.Namespace", "internal", "no ARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problemtest.One(t, stackdefaults.New(newStack(t), tc.props), tc.field, tc.value, tc.rule)
		})
	}
}

package service_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fargatekit/fargatekit/constructs/alarms"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// synthService builds one service with mutate applied to accountProps and
// returns the synthesized document and the service.
func synthService(t *testing.T, mutate func(p *service.Props)) (testutil.Doc, *service.Service) {
	t.Helper()
	stack := providerStack(t)
	p := accountProps("123456789012", "aws")
	if mutate != nil {
		mutate(&p)
	}
	svc, err := service.New(stack, "Service", p)
	if err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)
	return doc, svc
}

func ignored(svc map[string]any) []string {
	var out []string
	list, _ := testutil.Get(svc, "lifecycle", "ignore_changes").([]any)
	for _, v := range list {
		out = append(out, v.(string))
	}
	return out
}

// GIVEN the zero Deployment WHEN the service is built THEN Terraform owns the
// image (task_definition is not ignored), there is no triggers map, apply does
// not wait, and force_new_deployment stays true.
func TestDeploymentDefaultTerraformOwnsImage(t *testing.T) {
	doc, _ := synthService(t, nil)
	_, svc := doc.One(t, "aws_ecs_service")
	if slices.Contains(ignored(svc), "task_definition") {
		t.Errorf("task_definition is ignored by default; Terraform must own the image: %v", ignored(svc))
	}
	if !slices.Contains(ignored(svc), "desired_count") {
		t.Errorf("desired_count is no longer left to the scaler: %v", ignored(svc))
	}
	if svc["triggers"] != nil {
		t.Errorf("triggers set without a RedeployToken: %v", svc["triggers"])
	}
	if svc["wait_for_steady_state"] != false || svc["timeouts"] != nil {
		t.Errorf("apply waits by default: wait_for_steady_state=%v timeouts=%v", svc["wait_for_steady_state"], svc["timeouts"])
	}
	if svc["force_new_deployment"] != true {
		t.Errorf("force_new_deployment = %v; it must stay true (triggers need it; false makes a strategy change replace the service)", svc["force_new_deployment"])
	}
	if pc := testutil.Get(svc, "lifecycle", "postcondition"); pc != nil {
		t.Errorf("postcondition without waiting: %v", pc)
	}
}

// GIVEN PipelineOwnsImage WHEN the service is built THEN Terraform ignores the
// service's task_definition (and still leaves desired_count to the scaler),
// but the task definition resource is still created for the first revision.
func TestDeploymentPipelineOwnsImageIgnoresTaskDefinition(t *testing.T) {
	doc, _ := synthService(t, func(p *service.Props) { p.Deployment.ImageOwner = service.PipelineOwnsImage })
	_, svc := doc.One(t, "aws_ecs_service")
	got := ignored(svc)
	if !slices.Contains(got, "task_definition") || !slices.Contains(got, "desired_count") {
		t.Errorf("ignore_changes = %v, want task_definition and desired_count", got)
	}
	if len(doc.Resources("aws_ecs_task_definition")) != 1 {
		t.Errorf("the first revision is not created by Terraform")
	}
}

// GIVEN a RedeployToken WHEN the service is built THEN the token is the one
// entry of the triggers map, with force_new_deployment true so that a change
// of it deploys.
func TestDeploymentRedeployTokenIsTheTrigger(t *testing.T) {
	doc, _ := synthService(t, func(p *service.Props) { p.Deployment.RedeployToken = "sha256:0123abcd" })
	_, svc := doc.One(t, "aws_ecs_service")
	trig, _ := svc["triggers"].(map[string]any)
	if len(trig) != 1 || trig[service.RedeployTriggerKey] != "sha256:0123abcd" {
		t.Errorf("triggers = %v, want {%s: sha256:0123abcd}", svc["triggers"], service.RedeployTriggerKey)
	}
	if svc["force_new_deployment"] != true {
		t.Errorf("force_new_deployment = %v: the provider ignores triggers without it", svc["force_new_deployment"])
	}
}

// GIVEN WaitForSteadyState WHEN the service is built THEN apply waits at most
// the default timeout, and (Terraform owning the image) fails when the service
// does not run the registered revision, which is what a rollback leaves.
func TestDeploymentWaitIsBoundedAndCatchesRollback(t *testing.T) {
	doc, _ := synthService(t, func(p *service.Props) { p.Deployment.WaitForSteadyState = true })
	_, svc := doc.One(t, "aws_ecs_service")
	if svc["wait_for_steady_state"] != true {
		t.Fatalf("wait_for_steady_state = %v", svc["wait_for_steady_state"])
	}
	want := "1200s"
	if c, u := testutil.Get(svc, "timeouts", "create"), testutil.Get(svc, "timeouts", "update"); c != want || u != want {
		t.Errorf("timeouts create=%v update=%v, want %s (DefaultWaitTimeout)", c, u, want)
	}
	tdAddr, _ := doc.One(t, "aws_ecs_task_definition")
	cond, _ := testutil.Get(svc, "lifecycle", "postcondition", 0, "condition").(string)
	if cond != "${self.task_definition == aws_ecs_task_definition."+tdAddr+".arn}" {
		t.Errorf("postcondition = %q, want the service to run this apply's revision", cond)
	}

	doc, _ = synthService(t, func(p *service.Props) {
		p.Deployment = service.Deployment{ImageOwner: service.PipelineOwnsImage, WaitForSteadyState: true, WaitTimeout: 45 * time.Minute}
	})
	_, svc = doc.One(t, "aws_ecs_service")
	if testutil.Get(svc, "timeouts", "update") != "2700s" {
		t.Errorf("WaitTimeout 45m gave timeouts %v", svc["timeouts"])
	}
	if pc := testutil.Get(svc, "lifecycle", "postcondition"); pc != nil {
		t.Errorf("the pipeline owns the revision, yet the postcondition compares it: %v", pc)
	}
}

// GIVEN the default alarms WHEN a service behind a load balancer is built THEN
// the six alarms exist, notify a topic encrypted with a key CloudWatch may
// use, and the 5xx and unhealthy-target alarms roll deployments back.
func TestAlarmsOnByDefaultAndRollBackDeployments(t *testing.T) {
	alb, err := loadbalancer.FromAttributes(loadbalancer.Attributes{
		SecurityGroupID:      "sg-0a1b2c3d4e5f67890",
		TargetGroupARN:       "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef",
		ARNSuffix:            "app/web/0123456789abcdef",
		TargetGroupARNSuffix: "targetgroup/web/0123456789abcdef",
	})
	if err != nil {
		t.Fatal(err)
	}
	doc, s := synthService(t, func(p *service.Props) {
		p.LoadBalancer = alb
		p.Containers[0].PortMappings = []container.PortMapping{{ContainerPort: 80}}
	})
	if s.Alarms == nil || s.Alarms.Target5xx == nil || s.Alarms.UnhealthyTargets == nil || s.Alarms.ResponseTime == nil ||
		s.Alarms.RunningTasks == nil || s.Alarms.CPU == nil || s.Alarms.Memory == nil || s.Alarms.Topic == nil || s.Alarms.TopicKey == nil {
		t.Fatalf("not every alarm is exported: %+v", s.Alarms)
	}
	if n := len(doc.Resources("aws_cloudwatch_metric_alarm")); n != 6 {
		t.Errorf("%d alarms, want 6", n)
	}
	topicAddr, topic := doc.One(t, "aws_sns_topic")
	keyAddr, key := doc.One(t, "aws_kms_key")
	if topic["kms_master_key_id"] != "${aws_kms_key."+keyAddr+".arn}" {
		t.Errorf("topic encrypted with %v, want the created key", topic["kms_master_key_id"])
	}
	if !strings.Contains(key["policy"].(string), `"Service":["cloudwatch.amazonaws.com"]`) || key["enable_key_rotation"] != true {
		t.Errorf("the topic key does not let CloudWatch publish, or does not rotate: %v", key)
	}
	for addr, a := range doc.Resources("aws_cloudwatch_metric_alarm") {
		acts, _ := a["alarm_actions"].([]any)
		if len(acts) != 1 || acts[0] != "${aws_sns_topic."+topicAddr+".arn}" {
			t.Errorf("alarm %s notifies %v", addr, a["alarm_actions"])
		}
	}
	_, svc := doc.One(t, "aws_ecs_service")
	names, _ := testutil.Get(svc, "alarms", "alarm_names").([]any)
	if testutil.Get(svc, "alarms", "rollback") != true || testutil.Get(svc, "alarms", "enable") != true || len(names) != 2 ||
		names[0] != "web-web-target-5xx" || names[1] != "web-web-unhealthy-targets" {
		t.Errorf("deployment alarms = %v, want the 5xx and unhealthy-target alarms with rollback", svc["alarms"])
	}
}

// GIVEN a service without a load balancer WHEN built THEN only the task
// alarms exist and no deployment alarm is configured (nothing signals a bad
// release there but the circuit breaker).
func TestAlarmsWithoutLoadBalancer(t *testing.T) {
	doc, s := synthService(t, nil)
	if n := len(doc.Resources("aws_cloudwatch_metric_alarm")); n != 3 {
		t.Errorf("%d alarms, want running tasks, CPU and memory", n)
	}
	if s.Alarms.Target5xx != nil {
		t.Errorf("a 5xx alarm without a load balancer")
	}
	_, svc := doc.One(t, "aws_ecs_service")
	if svc["alarms"] != nil {
		t.Errorf("deployment alarms without any to watch: %v", svc["alarms"])
	}
}

// GIVEN a caller's topic WHEN built THEN no topic or key is created and every
// alarm notifies the given one; GIVEN Disabled THEN nothing is created.
func TestAlarmsGivenTopicAndDisabled(t *testing.T) {
	const arn = "arn:aws:sns:us-east-1:123456789012:oncall"
	doc, _ := synthService(t, func(p *service.Props) { p.Alarms.TopicARN = arn })
	if len(doc.Resources("aws_sns_topic"))+len(doc.Resources("aws_kms_key")) != 0 {
		t.Errorf("created a topic or key although one was given")
	}
	for addr, a := range doc.Resources("aws_cloudwatch_metric_alarm") {
		if testutil.Get(a, "ok_actions", 0) != arn {
			t.Errorf("%s notifies %v", addr, a["ok_actions"])
		}
	}
	doc, s := synthService(t, func(p *service.Props) { p.Alarms.Disabled = true })
	if len(doc.Resources("aws_cloudwatch_metric_alarm")) != 0 || s.Alarms != nil {
		t.Errorf("alarms created although disabled")
	}
}

// GIVEN ECS Exec on a cluster created without session logging THEN New
// refuses; with it, the task role may write exactly to the session log group.
func TestExecNeedsAuditedCluster(t *testing.T) {
	stack := providerStack(t)
	plain, err := cluster.New(stack, "Plain", cluster.Props{Name: "plain"})
	if err != nil {
		t.Fatal(err)
	}
	audited, err := cluster.New(stack, "Audited", cluster.Props{Name: "audited", ExecAudit: cluster.ExecAudit{Enabled: true, LogRetentionDays: 90}})
	if err != nil {
		t.Fatal(err)
	}
	p := accountProps("123456789012", "aws")
	p.EnableExecuteCommand = true
	p.Containers[0].WritableRootFilesystem = true
	p.Cluster = plain
	err = service.Validate(p)
	var pe *propcheck.Error
	if !errors.As(err, &pe) || !slices.Contains(pe.Fields(), "EnableExecuteCommand") {
		t.Fatalf("ECS Exec on an unaudited cluster: got %v", err)
	}
	p.Cluster = audited
	if _, err := service.New(stack, "Service", p); err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)
	var found bool
	for addr, cl := range doc.Resources("aws_ecs_cluster") {
		if cl["name"] != "audited" {
			continue
		}
		found = true
		if testutil.Get(cl, "configuration", "execute_command_configuration", "logging") != "OVERRIDE" {
			t.Errorf("%s: sessions are not logged: %v", addr, cl["configuration"])
		}
	}
	if !found {
		t.Fatal("no audited cluster")
	}
	lgs := doc.Resources("aws_cloudwatch_log_group")
	var execGroup string
	for addr, lg := range lgs {
		if lg["name"] == cluster.ExecLogGroupName("audited") {
			execGroup = addr
			if lg["retention_in_days"] != float64(90) {
				t.Errorf("retention %v, want 90", lg["retention_in_days"])
			}
		}
	}
	if execGroup == "" {
		t.Fatal("no session log group")
	}
	for _, pol := range doc.Resources("aws_iam_role_policy") {
		if pol["name"] == "task" && !strings.Contains(pol["policy"].(string), "${aws_cloudwatch_log_group."+execGroup+".arn}:*") {
			t.Errorf("the task role may not write the session log: %v", pol["policy"])
		}
	}
}

var _ = alarms.DefaultCPUPercent

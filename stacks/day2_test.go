package stacks

import (
	"testing"
	"time"

	"github.com/fargatekit/fargatekit/constructs/alarms"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// Hostile input for the day-2 props (deployment, alarms, ECS Exec audit):
// each must be a *propcheck.Error naming the field and echoing the value.
func day2HostileCases() []hostileCase {
	return []hostileCase{
		{name: "deploy/owner-unknown", mutate: func(c *Config) { c.ServiceProps.Deployment.ImageOwner = 7 }, field: "ServiceProps.Deployment.ImageOwner", echo: "= 7"},
		{name: "deploy/token-blank", mutate: func(c *Config) { c.ServiceProps.Deployment.RedeployToken = "   " }, field: "ServiceProps.Deployment.RedeployToken", echo: q("   ")},
		{name: "deploy/token-template", mutate: func(c *Config) { c.ServiceProps.Deployment.RedeployToken = "${GITHUB_SHA}" }, field: "ServiceProps.Deployment.RedeployToken", echo: q("${GITHUB_SHA}")},
		{name: "deploy/token-directive", mutate: func(c *Config) { c.ServiceProps.Deployment.RedeployToken = "%{ if true }x%{ endif }" }, field: "ServiceProps.Deployment.RedeployToken", echo: q("%{ if true }x%{ endif }")},
		{name: "deploy/token-newline", mutate: func(c *Config) { c.ServiceProps.Deployment.RedeployToken = "abc\ndef" }, field: "ServiceProps.Deployment.RedeployToken", echo: q("abc\ndef")},
		{name: "deploy/token-space", mutate: func(c *Config) { c.ServiceProps.Deployment.RedeployToken = "v1 2" }, field: "ServiceProps.Deployment.RedeployToken", echo: q("v1 2")},
		{name: "deploy/token-overlong", mutate: func(c *Config) { c.ServiceProps.Deployment.RedeployToken = string(make256()) }, field: "ServiceProps.Deployment.RedeployToken", echo: q(string(make256()))},
		{name: "deploy/timeout-without-wait", mutate: func(c *Config) { c.ServiceProps.Deployment.WaitTimeout = time.Minute }, field: "ServiceProps.Deployment.WaitTimeout", echo: q("1m0s")},
		{name: "deploy/timeout-too-short", mutate: func(c *Config) {
			c.ServiceProps.Deployment = service.Deployment{WaitForSteadyState: true, WaitTimeout: 10 * time.Second}
		}, field: "ServiceProps.Deployment.WaitTimeout", echo: q("10s")},
		{name: "deploy/timeout-unbounded", mutate: func(c *Config) {
			c.ServiceProps.Deployment = service.Deployment{WaitForSteadyState: true, WaitTimeout: 24 * time.Hour}
		}, field: "ServiceProps.Deployment.WaitTimeout", echo: q("24h0m0s")},
		{name: "deploy/timeout-fraction", mutate: func(c *Config) {
			c.ServiceProps.Deployment = service.Deployment{WaitForSteadyState: true, WaitTimeout: 90*time.Second + time.Millisecond}
		}, field: "ServiceProps.Deployment.WaitTimeout", echo: q("1m30.001s")},

		{name: "alarms/topic-not-arn", mutate: func(c *Config) { c.ServiceProps.Alarms.TopicARN = "oncall" }, field: "ServiceProps.Alarms.TopicARN", echo: q("oncall")},
		{name: "alarms/topic-sqs-arn", mutate: func(c *Config) { c.ServiceProps.Alarms.TopicARN = "arn:aws:sqs:us-east-1:123456789012:oncall" }, field: "ServiceProps.Alarms.TopicARN", echo: q("arn:aws:sqs:us-east-1:123456789012:oncall")},
		{name: "alarms/topic-template", mutate: func(c *Config) { c.ServiceProps.Alarms.TopicARN = "arn:aws:sns:us-east-1:123456789012:${var.t}" }, field: "ServiceProps.Alarms.TopicARN", echo: q("arn:aws:sns:us-east-1:123456789012:${var.t}")},
		{name: "alarms/topic-and-key", mutate: func(c *Config) {
			c.ServiceProps.Alarms.TopicARN = "arn:aws:sns:us-east-1:123456789012:oncall"
			c.ServiceProps.Alarms.TopicKMSKeyARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
		}, field: "ServiceProps.Alarms.TopicKMSKeyARN", echo: q("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")},
		{name: "alarms/key-aws-managed", mutate: func(c *Config) { c.ServiceProps.Alarms.TopicKMSKeyARN = alarms.AWSManagedSNSKey }, field: "ServiceProps.Alarms.TopicKMSKeyARN", echo: q("alias/aws/sns")},
		{name: "alarms/key-not-arn", mutate: func(c *Config) { c.ServiceProps.Alarms.TopicKMSKeyARN = "1234abcd" }, field: "ServiceProps.Alarms.TopicKMSKeyARN", echo: q("1234abcd")},
		{name: "alarms/cpu-negative", mutate: func(c *Config) { c.ServiceProps.Alarms.CPUPercent = -5 }, field: "ServiceProps.Alarms.CPUPercent", echo: "= -5"},
		{name: "alarms/cpu-over-100", mutate: func(c *Config) { c.ServiceProps.Alarms.CPUPercent = 150 }, field: "ServiceProps.Alarms.CPUPercent", echo: "= 150"},
		{name: "alarms/memory-over-100", mutate: func(c *Config) { c.ServiceProps.Alarms.MemoryPercent = 101 }, field: "ServiceProps.Alarms.MemoryPercent", echo: "= 101"},
		{name: "alarms/5xx-negative", mutate: func(c *Config) { c.ServiceProps.Alarms.Target5xxPerMinute = -1 }, field: "ServiceProps.Alarms.Target5xxPerMinute", echo: "= -1"},
		{name: "alarms/unhealthy-huge", mutate: func(c *Config) { c.ServiceProps.Alarms.UnhealthyTargets = 5000 }, field: "ServiceProps.Alarms.UnhealthyTargets", echo: "= 5000"},
		{name: "alarms/response-time-tiny", mutate: func(c *Config) { c.ServiceProps.Alarms.ResponseTime = time.Microsecond }, field: "ServiceProps.Alarms.ResponseTime", echo: q("1µs")},
		{name: "alarms/response-time-negative", mutate: func(c *Config) { c.ServiceProps.Alarms.ResponseTime = -time.Second }, field: "ServiceProps.Alarms.ResponseTime", echo: q("-1s")},
		{name: "alarms/evaluation-too-long", mutate: func(c *Config) { c.ServiceProps.Alarms.EvaluationMinutes = 61 }, field: "ServiceProps.Alarms.EvaluationMinutes", echo: "= 61"},
		{name: "alarms/disabled-with-thresholds", mutate: func(c *Config) { c.ServiceProps.Alarms = alarms.Props{Disabled: true, CPUPercent: 80} }, field: "ServiceProps.Alarms.Disabled", echo: "= true"},

		{name: "exec/audit-retention-forever", mutate: func(c *Config) { c.ClusterProps.ExecAudit = cluster.ExecAudit{Enabled: true, LogRetentionDays: 0 - 1} }, field: "ClusterProps.ExecAudit.LogRetentionDays", echo: "= -1"},
		{name: "exec/audit-key-not-arn", mutate: func(c *Config) { c.ClusterProps.ExecAudit = cluster.ExecAudit{Enabled: true, KMSKeyARN: "alias/exec"} }, field: "ClusterProps.ExecAudit.KMSKeyARN", echo: q("alias/exec")},
		{name: "exec/audit-fields-while-off", mutate: func(c *Config) { c.ClusterProps.ExecAudit = cluster.ExecAudit{LogRetentionDays: 30} }, field: "ClusterProps.ExecAudit.Enabled", echo: "= false"},
	}
}

func make256() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = 'a'
	}
	return b
}

func TestDay2HostileInputIsRefused(t *testing.T) {
	for _, tc := range day2HostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			err := hostileRun(t, tc)
			hostileAssert(t, err, tc.field, tc.echo)
		})
	}
}

// TestDay2LegitimateValuesPass: a release id of each usual shape is accepted.
func TestDay2LegitimateReleaseIDs(t *testing.T) {
	for _, id := range []string{
		"0c9a7e1f3b2d4a5c6e7f8091a2b3c4d5e6f70812",
		"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"v1.4.2+build.17", "release/2026-11-29", "123",
	} {
		cfg := Production()
		cfg.ServiceProps.Deployment.RedeployToken = id
		if err := Validate(cfg); err != nil {
			t.Errorf("release id %q refused: %v", id, err)
		}
	}
}

// TestDay2StackTurnsOnExecAudit: a stack whose service uses ECS Exec gets a
// cluster that logs the sessions.
func TestDay2StackTurnsOnExecAudit(t *testing.T) {
	cfg := Production()
	cfg.StackName = "exec"
	cfg.ServiceProps.EnableExecuteCommand = true
	cfg.ServiceProps.Containers[0].WritableRootFilesystem = true
	_, doc, st := synthOne(t, cfg)
	if st.Cluster.ExecLogGroup == nil {
		t.Fatal("no ECS Exec session log group")
	}
	_, cl := doc.One(t, "aws_ecs_cluster")
	if name := testutil.Get(cl, "configuration", "execute_command_configuration", "log_configuration", "cloud_watch_log_group_name"); name == nil {
		t.Errorf("the cluster does not log ECS Exec sessions: %v", cl["configuration"])
	}
}

// BenchmarkNewProductionAlarms measures building and synthesizing the
// production stack with the default alarms against the same stack with
// Alarms.Disabled (the peer), in the same run.
func BenchmarkNewProductionAlarms(b *testing.B) {
	defaults(b) // start the jsii kernel outside the timings
	for _, tc := range []struct {
		name     string
		disabled bool
	}{{"alarms-on", false}, {"alarms-off", true}} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := Production()
			cfg.ServiceProps.Alarms.Disabled = tc.disabled
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				synthOne(b, cfg)
			}
		})
	}
}

package cluster

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/internal/tfx"
)

// DefaultExecLogRetentionDays keeps ECS Exec session logs for a year, long
// enough for an audit.
const DefaultExecLogRetentionDays = 365

// ExecAudit logs the ECS Exec sessions of the cluster's services (what was
// typed and what came back) to a log group of its own. Turn it on for any
// cluster whose services set EnableExecuteCommand: service.New refuses ECS
// Exec on a cluster created without it, and stacks.New turns it on when the
// stack's service uses ECS Exec.
type ExecAudit struct {
	// Enabled creates the log group /aws/ecs/<cluster>/execute-command and
	// sets the cluster's execute_command_configuration to log to it.
	Enabled bool
	// LogRetentionDays of the session logs: one of verify.RetentionDays().
	// If zero, DefaultExecLogRetentionDays.
	LogRetentionDays int
	// KMSKeyARN encrypts the session log group with this customer managed
	// key; its key policy must allow logs.<region>.amazonaws.com to use it.
	KMSKeyARN string
}

// ExecLogGroupName is the log group ExecAudit creates for a cluster.
func ExecLogGroupName(cluster string) string { return "/aws/ecs/" + cluster + "/execute-command" }

func checkExecAudit(c *verify.Checker, a ExecAudit) {
	const f = "ExecAudit"
	if !a.Enabled {
		if a != (ExecAudit{}) {
			c.Add(f+".Enabled", false, "other ExecAudit fields are set: set Enabled too, or remove them")
		}
		return
	}
	if a.LogRetentionDays != 0 {
		verify.OneOf(c, f+".LogRetentionDays", a.LogRetentionDays, verify.RetentionDays())
	}
	if a.KMSKeyARN != "" {
		c.KMSKeyARN(f+".KMSKeyARN", a.KMSKeyARN)
	}
}

// execConfiguration creates the session log group and returns the cluster's
// configuration block, or nil when the audit is off.
func execConfiguration(s constructs.Construct, props Props, out *Cluster) *ecscluster.EcsClusterConfiguration {
	a := props.ExecAudit
	if !a.Enabled {
		return nil
	}
	days := a.LogRetentionDays
	if days == 0 {
		days = DefaultExecLogRetentionDays
	}
	out.ExecLogGroupName = ExecLogGroupName(props.Name)
	cfg := &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            tfx.Str(out.ExecLogGroupName),
		RetentionInDays: tfx.Num(days),
		Tags:            tfx.Tags(props.Tags),
	}
	if a.KMSKeyARN != "" {
		cfg.KmsKeyId = tfx.Str(a.KMSKeyARN)
	}
	out.ExecLogGroup = cloudwatchloggroup.NewCloudwatchLogGroup(s, tfx.Str("ExecLogGroup"), cfg)
	out.ExecLogGroupARN = *out.ExecLogGroup.Arn()
	return &ecscluster.EcsClusterConfiguration{
		ExecuteCommandConfiguration: &ecscluster.EcsClusterConfigurationExecuteCommandConfiguration{
			Logging: tfx.Str("OVERRIDE"),
			LogConfiguration: &ecscluster.EcsClusterConfigurationExecuteCommandConfigurationLogConfiguration{
				CloudWatchLogGroupName:      out.ExecLogGroup.Name(),
				CloudWatchEncryptionEnabled: a.KMSKeyARN != "",
			},
		},
	}
}

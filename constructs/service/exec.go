package service

import (
	"fmt"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/constructs/iampolicy"
)

// checkExecAudit refuses ECS Exec on a cluster this app created without
// session logging: a shell into a production task must leave a trace. An
// existing cluster (cluster.FromName) is trusted to be configured.
func checkExecAudit(c *verify.Checker, p Props) {
	if p.EnableExecuteCommand && p.Cluster != nil && p.Cluster.ECSCluster != nil && p.Cluster.ExecLogGroupName == "" {
		c.Add("EnableExecuteCommand", true, "the cluster %q does not log ECS Exec sessions: create it with cluster.Props.ExecAudit.Enabled", p.Cluster.Name)
	}
}

// execAuditStatements let the SSM agent in the task write the session log to
// the cluster's ECS Exec log group.
func execAuditStatements(r resolved, partition, account string) []iampolicy.Statement {
	arn := r.Cluster.ExecLogGroupARN
	if !r.EnableExecuteCommand || arn == "" {
		return nil
	}
	// The agent looks the group up with DescribeLogGroups, which IAM
	// authorises against the account's log groups in the region.
	groups := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", partition, r.Region, account)
	return []iampolicy.Statement{
		{Sid: "EcsExecAuditFind", Effect: iampolicy.Allow, Action: []string{"logs:DescribeLogGroups"}, Resource: []string{groups}},
		{Sid: "EcsExecAuditWrite", Effect: iampolicy.Allow, Action: []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"}, Resource: []string{arn + ":*"}},
	}
}

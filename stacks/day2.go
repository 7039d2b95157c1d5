package stacks

import "github.com/fargatekit/fargatekit/constructs/cluster"

// wireCluster returns the cluster's props with ECS Exec session logging
// turned on when the stack's service uses ECS Exec (service.New refuses ECS
// Exec on a cluster that does not log it).
func wireCluster(cfg Config) cluster.Props {
	p := cfg.Cluster
	if cfg.Service.EnableExecuteCommand {
		p.ExecAudit.Enabled = true
	}
	return p
}

// Package service creates a production Fargate service: execution and task
// roles with least-privilege policies, a log group with finite retention, the
// task definition with awslogs, a security group that admits only the load
// balancer, the ECS service with the deployment circuit breaker, and target
// tracking autoscaling.
package service

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fargatekit/fargatekit/internal/verify"
	"github.com/fargatekit/fargatekit/internal/wired"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingscheduledaction"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingtarget"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecstaskdefinition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/alarms"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/internal/naming"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/stackwide"
	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/txn"
)

// Service is what [New] created. Every resource is exported so that users can
// adjust what the props do not cover. Optional parts are nil when not created.
type Service struct {
	ExecutionRole       iamrole.IamRole
	ExecutionRolePolicy iamrolepolicy.IamRolePolicy
	TaskRole            iamrole.IamRole
	TaskRolePolicy      iamrolepolicy.IamRolePolicy
	LogGroup            cloudwatchloggroup.CloudwatchLogGroup
	TaskDefinition      ecstaskdefinition.EcsTaskDefinition
	SecurityGroup       securitygroup.SecurityGroup
	// IngressFromLoadBalancer admits the load balancer's group on the
	// container port, and LoadBalancerEgress lets that group reach the tasks
	// there (nil without a LoadBalancer; LoadBalancerEgress lives in the load
	// balancer's group).
	IngressFromLoadBalancer vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule
	LoadBalancerEgress      vpcsecuritygroupegressrule.VpcSecurityGroupEgressRule
	// EgressRules are the tasks' egress rules: one per EgressCIDRs entry,
	// then one per EgressPrefixListIDs entry, or the one EgressAllowAll rule.
	EgressRules    []vpcsecuritygroupegressrule.VpcSecurityGroupEgressRule
	ECSService     ecsservice.EcsService
	ScalableTarget appautoscalingtarget.AppautoscalingTarget
	// ScalingPolicies by metric: "cpu", "memory", "requests".
	ScalingPolicies map[string]appautoscalingpolicy.AppautoscalingPolicy
	// CallerIdentity and PartitionData are the stack's lookups of the account
	// and partition when this service created them: when a role is created,
	// Props.AccountID or Props.Partition is empty and no construct of the
	// stack looked them up before (else nil; the lookups are shared).
	CallerIdentity dataawscalleridentity.DataAwsCallerIdentity
	PartitionData  dataawspartition.DataAwsPartition
	// ScheduledActions by Schedule.Name; nil without Autoscaling.Schedules.
	ScheduledActions map[string]appautoscalingscheduledaction.AppautoscalingScheduledAction
	// Alarms are the service's CloudWatch alarms and their topic; nil with
	// Props.Alarms.Disabled.
	Alarms *alarms.Alarms
	// ConnectNamespace is the Service Connect namespace the service joined
	// and ConnectEndpoints the ports it serves there, defaults filled in;
	// nil without Props.ServiceConnect. CallRules are the security group
	// rules its ServiceConnect.Calls opened, one pair per called endpoint.
	ConnectNamespace *connect.Namespace
	ConnectEndpoints []Endpoint
	CallRules        []CallRule

	// Name is the service name; LogGroupName is /ecs/<Name>.
	Name         string
	LogGroupName string
	// ContainerDefinitions is the canonical JSON given to the task definition.
	ContainerDefinitions string
	// ExecutionRoleARN, TaskRoleARN and SecurityGroupID, read once.
	ExecutionRoleARN string
	TaskRoleARN      string
	SecurityGroupID  string
	// AccountID and Partition are what the roles were built with: the props'
	// values, or the stack's lookups. Empty when both roles are existing
	// ones.
	AccountID string
	Partition string
}

var (
	nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$`)
	plRE   = regexp.MustCompile(`^pl-[0-9a-f]{8,17}$`)
	acctRE = regexp.MustCompile(`^[0-9]{12}$`)
	partRE = regexp.MustCompile(`^aws(-[a-z]+)*$`)
)

// resolved is Props with every default filled in.
type resolved struct {
	Props
	containerName string
	containerPort int
	roleBase      string
	endpoints     []Endpoint
}

// Validate checks props without creating anything and returns every problem.
// To check a service that albservice wires (its network, cluster, load
// balancer or namespace created alongside), validate the pattern's props
// with albservice.Validate. What [New] takes from the stack when a field is
// empty is not required here (it is not known without the stack): Region,
// and with stackdefaults.New, ServiceConnect.Namespace.
func Validate(props Props) error {
	_, err := check(props, wired.Parts{}, false)
	return err
}

// init lends check to the albservice pattern, which validates a service
// before the parts it wires exist.
func init() {
	wired.Register(func(p Props, w wired.Parts) error {
		_, err := check(p, w, false)
		return err
	})
}

// check validates p; inStack is true when p has been given the stack's
// defaults (New), so that what is still empty is missing.
func check(p Props, w wired.Parts, inStack bool) (resolved, error) {
	c := verify.New("service.New")
	r := resolved{Props: p}
	if !nameRE.MatchString(p.Name) {
		c.Add("Name", p.Name, "must be 1-255 letters, digits, hyphens or underscores, starting with a letter or digit")
	} else {
		c.ReservedPrefix("Name", p.Name, "sg-", verify.SGPrefixRule)
	}
	c.FakeTokens("", p)
	// Role names are limited to 64 characters with "-execution" appended.
	r.roleBase = naming.Fit(p.Name, 54)
	regionOK := false
	switch {
	case p.Region != "":
		regionOK = c.Region("Region", p.Region)
	case inStack:
		c.Add("Region", p.Region, stackwide.NoRegion)
	}
	if p.AccountID != "" {
		c.Pattern("AccountID", p.AccountID, acctRE, "must be a 12-digit AWS account id (or leave it empty to read it from a data source)")
	}
	if p.Partition != "" && c.Pattern("Partition", p.Partition, partRE, `must be an AWS partition such as "aws" (or leave it empty to read it from a data source)`) &&
		regionOK && !verify.IsToken(p.Partition) && !verify.IsToken(p.Region) {
		if want := verify.RegionPartition(p.Region); want != p.Partition {
			c.Add("Partition", p.Partition, "does not hold Region %q, which is in partition %q (or leave it empty to read it from a data source)", p.Region, want)
		}
	}
	if p.Cluster == nil && !w.Cluster {
		c.Add("Cluster", nil, "is required: use cluster.New or cluster.FromName")
	}
	if !w.Network {
		c.VPCID("VPCID", p.VPCID)
		c.SubnetIDs("SubnetIDs", p.SubnetIDs, 1, "needs at least one private subnet (two or more for availability)")
	}

	if r.CPU == 0 {
		r.CPU = DefaultCPU
	}
	if r.Memory == 0 {
		r.Memory = DefaultMemory
	}
	if mems, ok := fargateMemory[r.CPU]; !ok {
		c.Add("CPU", r.CPU, "must be one of the Fargate task sizes 256, 512, 1024, 2048, 4096, 8192 or 16384")
	} else if !slices.Contains(mems, r.Memory) {
		c.Add("Memory", r.Memory, "is not a Fargate size for CPU %d: allowed %s MiB", r.CPU, describeSizes(mems))
	}
	if p.Architecture != X86_64 && p.Architecture != ARM64 {
		c.Add("Architecture", int(p.Architecture), "must be X86_64 or ARM64")
	}
	if p.EphemeralStorageGiB != 0 {
		c.Range("EphemeralStorageGiB", p.EphemeralStorageGiB, minEphemeralStorageGiB, maxEphemeralStorageGiB)
	}
	c.MergeUnder("Containers", container.Validate(p.Containers))
	for i, d := range p.Containers {
		if d.ImageRepositoryARN == "" {
			continue
		}
		f := fmt.Sprintf("Containers[%d].ImageRepositoryARN", i)
		if !verify.IsToken(d.Image) {
			c.Add(f, d.ImageRepositoryARN, "is only used when Image is a token: the repository of a literal image URI is read from the URI")
		} else {
			c.ARN(f, d.ImageRepositoryARN, verify.ECRRepository)
		}
	}
	sumCPU, sumMem := 0, 0
	for _, d := range p.Containers {
		sumCPU += d.CPU
		sumMem += max(d.Memory, d.MemoryReservation)
	}
	if sumCPU > r.CPU {
		c.Add("Containers", fmt.Sprintf("%d cpu units in all", sumCPU), "the containers reserve more CPU than the task has (%d)", r.CPU)
	}
	if sumMem > r.Memory {
		c.Add("Containers", fmt.Sprintf("%d MiB in all", sumMem), "the containers reserve more memory than the task has (%d MiB)", r.Memory)
	}

	if r.DesiredCount == 0 {
		r.DesiredCount = DefaultDesiredCount
		// Start inside the scaler's bounds rather than below its minimum.
		if a := p.Autoscaling; !a.Disabled && a.MinCapacity > r.DesiredCount {
			r.DesiredCount = a.MinCapacity
		}
	}
	c.Range("DesiredCount", r.DesiredCount, 1, MaxDesiredCount)
	c.MergeUnder("CapacityProviderStrategy", cluster.ValidateStrategy(p.CapacityProviderStrategy))

	if r.HealthCheckGracePeriod == 0 {
		r.HealthCheckGracePeriod = DefaultHealthCheckGracePeriod
	}
	if p.LoadBalancer != nil || w.LoadBalancer {
		c.Seconds("HealthCheckGracePeriod", r.HealthCheckGracePeriod, 0, maxHealthCheckGracePeriodSec)
		r.containerName, r.containerPort = p.ContainerName, p.ContainerPort
		if r.containerName == "" && len(p.Containers) > 0 {
			r.containerName = p.Containers[0].Name
		}
		var target *container.Definition
		for i := range p.Containers {
			if p.Containers[i].Name == r.containerName {
				target = &p.Containers[i]
			}
		}
		switch {
		case target == nil && len(p.Containers) > 0:
			c.Add("ContainerName", p.ContainerName, "names no container of the task")
		case target != nil && r.containerPort == 0 && len(target.PortMappings) == 0:
			c.Add("Containers", target.Name, "the load balancer needs a port: add a PortMapping to container %q", target.Name)
		case target != nil:
			if r.containerPort == 0 {
				r.containerPort = target.PortMappings[0].ContainerPort
			}
			found := false
			for _, pm := range target.PortMappings {
				found = found || (pm.ContainerPort == r.containerPort && (pm.Protocol == "" || pm.Protocol == "tcp"))
			}
			if !found {
				c.Add("ContainerPort", r.containerPort, "container %q has no tcp port mapping for it", target.Name)
			}
		}
	} else {
		if p.ContainerName != "" || p.ContainerPort != 0 {
			c.Add("ContainerPort", p.ContainerPort, "ContainerName and ContainerPort pick a load balancer target: set LoadBalancer too")
		}
		if p.Autoscaling.RequestsPerTarget != 0 {
			c.Add("Autoscaling.RequestsPerTarget", p.Autoscaling.RequestsPerTarget, "needs a LoadBalancer")
		}
	}

	if len(r.EgressCIDRs) == 0 && len(p.EgressPrefixListIDs) == 0 {
		r.EgressCIDRs = defaultEgressCIDRs
	}
	if p.EgressAllowAll && (len(p.EgressCIDRs) > 0 || len(p.EgressPrefixListIDs) > 0) {
		c.Add("EgressAllowAll", true, "conflicts with EgressCIDRs and EgressPrefixListIDs: choose one")
	}
	c.CIDRs("EgressCIDRs", r.EgressCIDRs)
	for i, pl := range p.EgressPrefixListIDs {
		c.Pattern(fmt.Sprintf("EgressPrefixListIDs[%d]", i), pl, plRE, "must be a prefix list id such as pl-63a5400a")
	}

	if r.LogRetentionDays == 0 {
		r.LogRetentionDays = DefaultLogRetentionDays
	}
	verify.OneOf(c, "LogRetentionDays", r.LogRetentionDays, logRetentionDays)
	if p.LogKMSKeyARN != "" {
		if c.KMSKeyARN("LogKMSKeyARN", p.LogKMSKeyARN) && !verify.IsToken(p.LogKMSKeyARN) && !verify.IsToken(p.Region) {
			if region := strings.Split(p.LogKMSKeyARN, ":")[3]; p.Region != "" && region != p.Region {
				c.Add("LogKMSKeyARN", p.LogKMSKeyARN, "is a key in %s, but the log group is in %s: CloudWatch Logs uses a KMS key of its own region only (CloudWatch Logs User Guide, Encrypt log data using AWS KMS)", region, p.Region)
			}
		}
	}
	c.MergeUnder("TaskPolicy", iampolicy.Validate(p.TaskPolicy))
	for _, role := range []struct{ field, arn string }{{"ExecutionRoleARN", p.ExecutionRoleARN}, {"TaskRoleARN", p.TaskRoleARN}} {
		if role.arn != "" {
			c.ARN(role.field, role.arn, verify.IAMRole)
		}
	}
	if p.TaskRoleARN != "" && len(p.TaskPolicy) > 0 {
		c.Add("TaskPolicy", fmt.Sprintf("%d statements", len(p.TaskPolicy)), "conflicts with TaskRoleARN: an existing role's permissions are managed where the role is")
	}
	if p.EnableExecuteCommand {
		for i, d := range p.Containers {
			if !d.WritableRootFilesystem {
				c.Add(fmt.Sprintf("Containers[%d].WritableRootFilesystem", i), false, "ECS Exec (EnableExecuteCommand) needs a writable root filesystem in every container: set it, or turn ECS Exec off")
			}
		}
	}
	c.Tags("Tags", p.Tags)
	c.TagCount("Tags", p.Tags, "Name")
	c.MergeUnder("Containers", container.ValidateSize(p.Containers, logging(r)))
	c.MergeUnder("TaskPolicy", iampolicy.ValidateSize(iampolicy.Document{Statement: taskStatements(r)}))
	if lb := p.LoadBalancer; lb != nil && p.Autoscaling.RequestsPerTarget != 0 && !p.Autoscaling.Disabled && (lb.ARNSuffix == "" || lb.TargetGroupARNSuffix == "") {
		c.Add("Autoscaling.RequestsPerTarget", p.Autoscaling.RequestsPerTarget, "request-count scaling needs the load balancer's ARNSuffix and TargetGroupARNSuffix (its metric's resource label); give both to loadbalancer.FromAttributes, or scale on CPU and memory only")
	}

	a := &r.Autoscaling
	if !a.Disabled {
		if a.MinCapacity == 0 {
			a.MinCapacity = r.DesiredCount
		}
		if a.MaxCapacity == 0 {
			a.MaxCapacity = max(DefaultMaxCapacity, a.MinCapacity)
		}
		c.Range("Autoscaling.MinCapacity", a.MinCapacity, 0, MaxDesiredCount)
		c.Range("Autoscaling.MaxCapacity", a.MaxCapacity, 1, MaxDesiredCount)
		if a.MinCapacity > a.MaxCapacity {
			c.Add("Autoscaling.MinCapacity", a.MinCapacity, "must not exceed MaxCapacity (%d)", a.MaxCapacity)
		}
		if p.DesiredCount != 0 && (p.DesiredCount < a.MinCapacity || p.DesiredCount > a.MaxCapacity) {
			c.Add("DesiredCount", p.DesiredCount, "must be within Autoscaling.MinCapacity and MaxCapacity (%d-%d)", a.MinCapacity, a.MaxCapacity)
		}
		if a.CPUTarget == 0 {
			a.CPUTarget = DefaultCPUTarget
		}
		c.FloatRange("Autoscaling.CPUTarget", a.CPUTarget, 0, 100)
		if a.MemoryTarget != 0 {
			c.FloatRange("Autoscaling.MemoryTarget", a.MemoryTarget, 0, 100)
		}
		if a.RequestsPerTarget != 0 {
			c.Range("Autoscaling.RequestsPerTarget", a.RequestsPerTarget, 1, 1000000)
		}
		if a.ScaleInCooldown == 0 {
			a.ScaleInCooldown = DefaultScaleInCooldown
		}
		if a.ScaleOutCooldown == 0 {
			a.ScaleOutCooldown = DefaultScaleOutCooldown
		}
		c.Seconds("Autoscaling.ScaleInCooldown", a.ScaleInCooldown, 0, 3600)
		c.Seconds("Autoscaling.ScaleOutCooldown", a.ScaleOutCooldown, 0, 3600)
		checkSchedules(c, "Autoscaling.Schedules", a.Schedules, a.MaxCapacity)
	} else if a.MinCapacity != 0 || a.MaxCapacity != 0 || a.MemoryTarget != 0 || a.RequestsPerTarget != 0 || a.CPUTarget != 0 || len(a.Schedules) != 0 {
		c.Add("Autoscaling.Disabled", true, "other Autoscaling fields are set: remove them or enable autoscaling")
	}
	r.endpoints = checkConnect(c, p, w.Namespace)
	r.Deployment = checkDeployment(c, p.Deployment)
	checkExecAudit(c, p)
	c.MergeUnder("Alarms", alarms.Validate(p.Alarms))
	return r, c.Err()
}

func describeSizes(mems []int) string {
	if len(mems) <= 4 {
		s := make([]string, len(mems))
		for i, m := range mems {
			s[i] = strconv.Itoa(m)
		}
		return strings.Join(s, ", ")
	}
	return fmt.Sprintf("%d to %d in steps of %d", mems[0], mems[len(mems)-1], mems[1]-mems[0])
}

// New validates props and creates the service under scope/id. On invalid props
// it returns a *propcheck.Error and creates nothing.
func New(scope constructs.Construct, id string, props Props) (_ *Service, err error) {
	props, inStack := fromStack(scope, props)
	r, err := check(props, wired.Parts{}, inStack)
	if err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	var undo txn.Undo
	defer undo.OnError(&err)
	s, err := undo.Enter(scope, id, entry(r))
	if err != nil {
		return nil, err
	}
	stackwide.Read(scope, id)
	out := &Service{Name: r.Name, LogGroupName: "/ecs/" + r.Name, ScalingPolicies: map[string]appautoscalingpolicy.AppautoscalingPolicy{}}
	tags := tfx.Tags(r.Tags)

	out.LogGroup = cloudwatchloggroup.NewCloudwatchLogGroup(s, tfx.Str("LogGroup"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            &out.LogGroupName,
		RetentionInDays: tfx.Num(r.LogRetentionDays),
		KmsKeyId:        optional(r.LogKMSKeyARN),
		Tags:            tags,
	})

	var account, partition, trust string
	if r.ExecutionRoleARN == "" || r.TaskRoleARN == "" {
		account, partition = r.AccountID, r.Partition
		// The stack's lookups, created here when this service is the
		// first construct of the stack to need them.
		if account == "" {
			if account, out.CallerIdentity, err = stackwide.AccountID(s); err != nil {
				return nil, err
			}
		}
		if partition == "" {
			if partition, out.PartitionData, err = stackwide.Partition(s); err != nil {
				return nil, err
			}
		}
		// Confused-deputy protection: only ECS acting for this account and
		// region may assume the roles.
		out.AccountID, out.Partition = account, partition
		trust = iampolicy.ServiceTrust("ecs-tasks.amazonaws.com", account,
			fmt.Sprintf("arn:%s:ecs:%s:%s:*", partition, r.Region, account)).JSON()
	}

	out.ExecutionRoleARN = r.ExecutionRoleARN
	if out.ExecutionRoleARN == "" {
		out.ExecutionRole = iamrole.NewIamRole(s, tfx.Str("ExecutionRole"), &iamrole.IamRoleConfig{
			Name:             tfx.Str(r.roleBase + "-execution"),
			Description:      tfx.Str("ECS agent for service " + r.Name + ": pulls the image, writes logs, reads the task's secrets"),
			AssumeRolePolicy: &trust,
			Tags:             tags,
		})
		out.ExecutionRoleARN = *out.ExecutionRole.Arn()
		execRoleName := *out.ExecutionRole.Name()
		out.ExecutionRolePolicy = iamrolepolicy.NewIamRolePolicy(s, tfx.Str("ExecutionRolePolicy"), &iamrolepolicy.IamRolePolicyConfig{
			Name:   tfx.Str("execution"),
			Role:   &execRoleName,
			Policy: tfx.Str(executionPolicy(r, *out.LogGroup.Arn(), partition, account).JSON()),
		})
	}

	out.TaskRoleARN = r.TaskRoleARN
	if out.TaskRoleARN == "" {
		out.TaskRole = iamrole.NewIamRole(s, tfx.Str("TaskRole"), &iamrole.IamRoleConfig{
			Name:             tfx.Str(r.roleBase + "-task"),
			Description:      tfx.Str("Application of service " + r.Name),
			AssumeRolePolicy: &trust,
			Tags:             tags,
		})
		out.TaskRoleARN = *out.TaskRole.Arn()
		if stmts := append(taskStatements(r), execAuditStatements(r, partition, account)...); len(stmts) > 0 {
			taskRoleName := *out.TaskRole.Name()
			out.TaskRolePolicy = iamrolepolicy.NewIamRolePolicy(s, tfx.Str("TaskRolePolicy"), &iamrolepolicy.IamRolePolicyConfig{
				Name:   tfx.Str("task"),
				Role:   &taskRoleName,
				Policy: tfx.Str(iampolicy.Document{Statement: stmts}.JSON()),
			})
		}
	}

	out.ContainerDefinitions = container.JSON(r.Containers, logging(r))
	arch := r.Architecture.String()
	td := &ecstaskdefinition.EcsTaskDefinitionConfig{
		Family:                  &r.Name,
		Cpu:                     tfx.Str(strconv.Itoa(r.CPU)),
		Memory:                  tfx.Str(strconv.Itoa(r.Memory)),
		NetworkMode:             tfx.Str("awsvpc"),
		RequiresCompatibilities: tfx.Strs([]string{"FARGATE"}),
		ExecutionRoleArn:        &out.ExecutionRoleARN,
		TaskRoleArn:             &out.TaskRoleARN,
		ContainerDefinitions:    &out.ContainerDefinitions,
		RuntimePlatform: &ecstaskdefinition.EcsTaskDefinitionRuntimePlatform{
			OperatingSystemFamily: tfx.Str("LINUX"),
			CpuArchitecture:       &arch,
		},
		Tags: tags,
		// The log group must exist before a task tries to write to it.
		DependsOn: tfx.Deps(out.LogGroup),
	}
	if vols := container.ScratchVolumes(r.Containers); len(vols) > 0 {
		tv := make([]*ecstaskdefinition.EcsTaskDefinitionVolume, len(vols))
		for i := range vols {
			// Explicit, as the ECS API echoes configuredAtLaunch: false.
			tv[i] = &ecstaskdefinition.EcsTaskDefinitionVolume{Name: &vols[i], ConfigureAtLaunch: false}
		}
		td.Volume = &tv
	}
	if r.EphemeralStorageGiB != 0 {
		td.EphemeralStorage = &ecstaskdefinition.EcsTaskDefinitionEphemeralStorage{SizeInGib: tfx.Num(r.EphemeralStorageGiB)}
	}
	out.TaskDefinition = ecstaskdefinition.NewEcsTaskDefinition(s, tfx.Str("TaskDefinition"), td)

	// A security group description holds at most 255 characters.
	sgDesc := "Tasks of service " + naming.Fit(r.Name, 200) + ": only the load balancer may connect"
	if len(r.endpoints) > 0 {
		sgDesc = "Tasks of service " + naming.Fit(r.Name, 170) + ": only the load balancer and Service Connect callers may connect"
	}
	out.SecurityGroup = securitygroup.NewSecurityGroup(s, tfx.Str("SecurityGroup"), &securitygroup.SecurityGroupConfig{
		NamePrefix:  tfx.Str(naming.Fit(r.Name, 200) + "-tasks-"),
		Description: &sgDesc,
		VpcId:       &r.VPCID,
		Tags:        tfx.Tags(r.Tags, map[string]string{"Name": r.Name + "-tasks"}),
		Lifecycle:   &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: tfx.Bool(true)},
	})
	out.SecurityGroupID = *out.SecurityGroup.Id()
	out.EgressRules = addEgress(s, r, out.SecurityGroupID)
	connectCfg, called := addServiceConnect(s, r, out)

	deps := slices.Clone(r.WaitFor)
	// Callers start after the services they call, whose names their proxy
	// then knows.
	for _, c := range called {
		if c.ECSService != nil {
			deps = append(deps, c.ECSService)
		}
	}
	var lbs *[]*ecsservice.EcsServiceLoadBalancer
	var grace *float64
	if alb := r.LoadBalancer; alb != nil {
		port := tfx.Num(r.containerPort)
		out.IngressFromLoadBalancer = vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(s, tfx.Str("IngressFromLoadBalancer"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId:           &out.SecurityGroupID,
			Description:               tfx.Str(fmt.Sprintf("Container port %d from the load balancer", r.containerPort)),
			IpProtocol:                tfx.Str("tcp"),
			FromPort:                  port,
			ToPort:                    port,
			ReferencedSecurityGroupId: &alb.SecurityGroupID,
		})
		out.LoadBalancerEgress = vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(s, tfx.Str("LoadBalancerEgress"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId:           &alb.SecurityGroupID,
			Description:               tfx.Str(fmt.Sprintf("To the tasks of %s on port %d", naming.Fit(r.Name, 200), r.containerPort)),
			IpProtocol:                tfx.Str("tcp"),
			FromPort:                  port,
			ToPort:                    port,
			ReferencedSecurityGroupId: &out.SecurityGroupID,
		})
		lbs = &[]*ecsservice.EcsServiceLoadBalancer{{
			TargetGroupArn: &alb.TargetGroupARN,
			ContainerName:  &r.containerName,
			ContainerPort:  port,
		}}
		grace = tfx.Num(int(r.HealthCheckGracePeriod / time.Second))
		// Targets can only be registered once a listener uses the group.
		deps = append(deps, alb.Listeners...)
	}

	if out.Alarms, err = newAlarms(s, r, account, partition); err != nil {
		return nil, err
	}
	svc := &ecsservice.EcsServiceConfig{
		Name:                          &r.Name,
		Cluster:                       tfx.Str(r.Cluster.Ref()),
		TaskDefinition:                out.TaskDefinition.Arn(),
		DesiredCount:                  tfx.Num(r.DesiredCount),
		PlatformVersion:               tfx.Str("LATEST"),
		SchedulingStrategy:            tfx.Str("REPLICA"),
		HealthCheckGracePeriodSeconds: grace,
		LoadBalancer:                  lbs,
		NetworkConfiguration: &ecsservice.EcsServiceNetworkConfiguration{
			Subnets:        tfx.Strs(r.SubnetIDs),
			SecurityGroups: tfx.Strs([]string{out.SecurityGroupID}),
			AssignPublicIp: false,
		},
		// A new deployment on every apply that changes the service, so that
		// a re-pushed tag is picked up (pin digests to avoid surprises).
		ForceNewDeployment: true,
		DeploymentCircuitBreaker: &ecsservice.EcsServiceDeploymentCircuitBreaker{
			Enable:   true,
			Rollback: true,
		},
		DeploymentMinimumHealthyPercent: tfx.Num(DefaultDeploymentMinHealthy),
		DeploymentMaximumPercent:        tfx.Num(DefaultDeploymentMaxPercent),
		EnableEcsManagedTags:            true,
		PropagateTags:                   tfx.Str("SERVICE"),
		EnableExecuteCommand:            r.EnableExecuteCommand,
		WaitForSteadyState:              false,
		ServiceConnectConfiguration:     connectCfg,
		Tags:                            tags,
		DependsOn:                       tfx.Deps(deps...),
	}
	if len(r.CapacityProviderStrategy) > 0 {
		items := make([]*ecsservice.EcsServiceCapacityProviderStrategy, len(r.CapacityProviderStrategy))
		for i, st := range r.CapacityProviderStrategy {
			items[i] = &ecsservice.EcsServiceCapacityProviderStrategy{
				CapacityProvider: tfx.Str(st.Provider),
				Base:             tfx.Num(st.Base),
				Weight:           tfx.Num(st.Weight),
			}
		}
		svc.CapacityProviderStrategy = &items
	} else {
		svc.LaunchType = tfx.Str("FARGATE")
	}
	if !r.Autoscaling.Disabled {
		// The scaler owns the count once it exists.
		svc.Lifecycle = &cdktf.TerraformResourceLifecycle{IgnoreChanges: tfx.Strs([]string{"desired_count"})}
	}
	if r.Cluster.CapacityProviders != nil {
		// A strategy may name a provider only once it is attached.
		svc.DependsOn = tfx.Deps(append(deps, r.Cluster.CapacityProviders)...)
	}
	configureDeployment(svc, r.Deployment, "aws_ecs_task_definition."+*out.TaskDefinition.FriendlyUniqueId(), wireAlarms(svc, out.Alarms))
	out.ECSService = ecsservice.NewEcsService(s, tfx.Str("Service"), svc)

	if !r.Autoscaling.Disabled {
		addAutoscaling(s, r, out)
	}
	if err := txn.Fault("service.New"); err != nil {
		return nil, err
	}
	return out, nil
}

// logging is the awslogs configuration of r's containers.
func logging(r resolved) container.Logging {
	return container.Logging{Group: "/ecs/" + r.Name, Region: r.Region, StreamPrefix: DefaultLogStreamPrefix}
}

// entry is what New claims in its stack for r (without scope and id).
func entry(r resolved) registry.Entry {
	return registry.Entry{
		Op: "service.New", Props: r.Props,
		Names: names(r), TagsField: "Tags", Tags: r.Tags, ExtraTags: []string{"Name"},
	}
}

// A pattern plans a service before its network, cluster and namespace
// exist: props may leave what they provide empty, but the Cluster must name
// the cluster (its names are per cluster) and the ServiceConnect.Namespace,
// if any, the namespace.
func init() {
	registry.RegisterPlanner("service.New", func(props any) (registry.Entry, bool) {
		p, ok := props.(Props)
		if !ok || p.Cluster == nil {
			return registry.Entry{}, false
		}
		// The names need only the name, the cluster, the role ARNs and the
		// served endpoints: they are planned even when other props are
		// wrong, which Validate reports besides.
		r, _ := check(p, wired.Parts{Network: true, Namespace: true}, false)
		return entry(r), nameRE.MatchString(p.Name)
	})
}

// names are the AWS names New creates that must be unique.
func names(r resolved) []registry.Name {
	out := []registry.Name{
		{Kind: registry.LogGroup, Value: "/ecs/" + r.Name, Field: "Name", Given: r.Name},
		{Kind: registry.TaskFamily, Value: r.Name, Field: "Name", Given: r.Name},
		{Kind: registry.Service, Namespace: "cluster " + r.Cluster.Name, Value: r.Name, Field: "Name", Given: r.Name},
	}
	if r.ExecutionRoleARN == "" {
		out = append(out, registry.Name{Kind: registry.IAMRole, Value: r.roleBase + "-execution", Field: "Name", Given: r.Name})
	}
	if r.TaskRoleARN == "" {
		out = append(out, registry.Name{Kind: registry.IAMRole, Value: r.roleBase + "-task", Field: "Name", Given: r.Name})
	}
	return append(out, connectNames(r)...)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// executionPolicy grants the ECS agent exactly what this task needs.
func executionPolicy(r resolved, logGroupARN, partition, account string) iampolicy.Document {
	stmts := []iampolicy.Statement{{
		Sid:      "WriteLogs",
		Effect:   iampolicy.Allow,
		Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		Resource: []string{logGroupARN + ":log-stream:*"},
	}}
	var repos []string
	anyECR := false
	for _, d := range r.Containers {
		if img, ok := container.ParseECRImage(d.Image); ok {
			anyECR = true
			arn := fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", partition, img.Region, img.AccountID, img.Repository)
			if !slices.Contains(repos, arn) {
				repos = append(repos, arn)
			}
		} else if verify.IsToken(d.Image) {
			// An image from a repository created in the same app: its URI
			// is unknown until apply. Its repository when the container
			// names it, else this account's repositories in the region.
			anyECR = true
			arn := d.ImageRepositoryARN
			if arn == "" {
				arn = fmt.Sprintf("arn:%s:ecr:%s:%s:repository/*", partition, r.Region, account)
			}
			if !slices.Contains(repos, arn) {
				repos = append(repos, arn)
			}
		}
	}
	if anyECR {
		stmts = append(stmts,
			// ecr:GetAuthorizationToken cannot be scoped to a repository:
			// AWS requires Resource "*" for it.
			iampolicy.Statement{Sid: "EcrLogin", Effect: iampolicy.Allow, Action: []string{"ecr:GetAuthorizationToken"}, Resource: []string{"*"}},
			iampolicy.Statement{Sid: "EcrPull", Effect: iampolicy.Allow, Action: []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, Resource: repos},
		)
	}
	var sm, ssm []string
	for _, d := range r.Containers {
		for _, k := range slices.Sorted(maps.Keys(d.Secrets)) {
			// The secret or parameter itself: a valueFrom's JSON key and
			// version are not part of the resource IAM matches.
			secret := d.Secrets[k]
			arn := secret.ARN()
			if secret.Service() == "secretsmanager" {
				arn = secretGrant(arn)
				if !slices.Contains(sm, arn) {
					sm = append(sm, arn)
				}
			} else if !slices.Contains(ssm, arn) {
				ssm = append(ssm, arn)
			}
		}
	}
	if len(sm) > 0 {
		stmts = append(stmts, iampolicy.Statement{Sid: "ReadSecrets", Effect: iampolicy.Allow, Action: []string{"secretsmanager:GetSecretValue"}, Resource: sm})
	}
	if len(ssm) > 0 {
		stmts = append(stmts, iampolicy.Statement{Sid: "ReadParameters", Effect: iampolicy.Allow, Action: []string{"ssm:GetParameters"}, Resource: ssm})
	}
	return iampolicy.Document{Statement: stmts}
}

// completeSecretRE is the end of a complete secret ARN: Secrets Manager
// appends "-" and six characters to the secret's name.
var completeSecretRE = regexp.MustCompile(`-[A-Za-z0-9]{6}$`)

// secretGrant is the resource that grants reading the secret arn. IAM
// matches the complete ARN, so a partial one (the name without the six
// characters Secrets Manager appends, which ECS accepts) is granted with
// "-??????" in their place, as the Secrets Manager User Guide advises; an
// ARN that ends like a complete one, or a token, is granted as it is.
func secretGrant(arn string) string {
	if verify.IsToken(arn) || completeSecretRE.MatchString(arn) {
		return arn
	}
	return arn + "-??????"
}

func taskStatements(r resolved) []iampolicy.Statement {
	stmts := make([]iampolicy.Statement, 0, len(r.TaskPolicy)+1)
	for _, st := range r.TaskPolicy {
		if st.Effect == "" {
			st.Effect = iampolicy.Allow
		}
		stmts = append(stmts, st)
	}
	if r.EnableExecuteCommand {
		// The ssmmessages channel actions cannot be scoped to a resource.
		stmts = append(stmts, iampolicy.Statement{
			Sid:      "EcsExec",
			Effect:   iampolicy.Allow,
			Action:   []string{"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"},
			Resource: []string{"*"},
		})
	}
	return stmts
}

func addEgress(s constructs.Construct, r resolved, sgID string) []vpcsecuritygroupegressrule.VpcSecurityGroupEgressRule {
	if r.EgressAllowAll {
		return []vpcsecuritygroupegressrule.VpcSecurityGroupEgressRule{vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(s, tfx.Str("EgressAll"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId: &sgID,
			Description:     tfx.Str("Everything, everywhere (EgressAllowAll)"),
			IpProtocol:      tfx.Str("-1"),
			CidrIpv4:        tfx.Str("0.0.0.0/0"),
		})}
	}
	var rules []vpcsecuritygroupegressrule.VpcSecurityGroupEgressRule
	for i, cidr := range r.EgressCIDRs {
		rules = append(rules, vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(s, tfx.Str(fmt.Sprintf("EgressHttps%d", i)), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId: &sgID,
			Description:     tfx.Str("HTTPS to " + cidr + ": image pulls, AWS APIs"),
			IpProtocol:      tfx.Str("tcp"),
			FromPort:        tfx.Num(DefaultEgressPort),
			ToPort:          tfx.Num(DefaultEgressPort),
			CidrIpv4:        &r.EgressCIDRs[i],
		}))
	}
	for i := range r.EgressPrefixListIDs {
		rules = append(rules, vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(s, tfx.Str(fmt.Sprintf("EgressHttpsPrefixList%d", i)), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId: &sgID,
			Description:     tfx.Str("HTTPS to a prefix list (e.g. S3 for image layers)"),
			IpProtocol:      tfx.Str("tcp"),
			FromPort:        tfx.Num(DefaultEgressPort),
			ToPort:          tfx.Num(DefaultEgressPort),
			PrefixListId:    &r.EgressPrefixListIDs[i],
		}))
	}
	return rules
}

func addAutoscaling(s constructs.Construct, r resolved, out *Service) {
	a := r.Autoscaling
	out.ScalableTarget = appautoscalingtarget.NewAppautoscalingTarget(s, tfx.Str("ScalableTarget"), &appautoscalingtarget.AppautoscalingTargetConfig{
		ServiceNamespace:  tfx.Str("ecs"),
		ResourceId:        tfx.Str(fmt.Sprintf("service/%s/%s", r.Cluster.Name, r.Name)),
		ScalableDimension: tfx.Str("ecs:service:DesiredCount"),
		MinCapacity:       tfx.Num(a.MinCapacity),
		MaxCapacity:       tfx.Num(a.MaxCapacity),
		Tags:              tfx.Tags(r.Tags),
		DependsOn:         tfx.Deps(out.ECSService),
		Lifecycle:         scheduleLifecycle(r),
	})
	// Policies take the target's attributes, so Terraform registers the
	// target before it attaches any policy.
	target := struct{ id, dim, ns string }{*out.ScalableTarget.ResourceId(), *out.ScalableTarget.ScalableDimension(), *out.ScalableTarget.ServiceNamespace()}
	add := func(key, metric string, value float64, label string) {
		var spec = &appautoscalingpolicy.AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification{
			PredefinedMetricType: &metric,
		}
		if label != "" {
			spec.ResourceLabel = &label
		}
		out.ScalingPolicies[key] = appautoscalingpolicy.NewAppautoscalingPolicy(s, tfx.Str(strings.ToUpper(key[:1])+key[1:]+"Scaling"), &appautoscalingpolicy.AppautoscalingPolicyConfig{
			Name:              tfx.Str(naming.Fit(r.Name, 240) + "-" + key),
			PolicyType:        tfx.Str("TargetTrackingScaling"),
			ResourceId:        &target.id,
			ScalableDimension: &target.dim,
			ServiceNamespace:  &target.ns,
			TargetTrackingScalingPolicyConfiguration: &appautoscalingpolicy.AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration{
				TargetValue:                   &value,
				PredefinedMetricSpecification: spec,
				ScaleInCooldown:               tfx.Num(int(a.ScaleInCooldown / time.Second)),
				ScaleOutCooldown:              tfx.Num(int(a.ScaleOutCooldown / time.Second)),
			},
		})
	}
	add("cpu", "ECSServiceAverageCPUUtilization", a.CPUTarget, "")
	if a.MemoryTarget != 0 {
		add("memory", "ECSServiceAverageMemoryUtilization", a.MemoryTarget, "")
	}
	if a.RequestsPerTarget != 0 {
		alb := r.LoadBalancer
		add("requests", "ALBRequestCountPerTarget", float64(a.RequestsPerTarget), alb.ARNSuffix+"/"+alb.TargetGroupARNSuffix)
	}
	addSchedules(s, r, out, target)
}

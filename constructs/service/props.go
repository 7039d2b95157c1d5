package service

import (
	"slices"
	"time"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/alarms"
	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
)

// Architecture is the CPU architecture of the task.
type Architecture int

const (
	// X86_64 is the default.
	X86_64 Architecture = iota
	// ARM64 runs on Graviton: cheaper per vCPU, needs arm64 images.
	ARM64
)

func (a Architecture) String() string {
	switch a {
	case X86_64:
		return "X86_64"
	case ARM64:
		return "ARM64"
	}
	return "Architecture(?)"
}

// Defaults applied to zero-valued props.
const (
	DefaultCPU                    = 256
	DefaultMemory                 = 512
	DefaultDesiredCount           = 2
	DefaultLogRetentionDays       = 30
	DefaultHealthCheckGracePeriod = 60 * time.Second
	DefaultMaxCapacity            = 10
	DefaultCPUTarget              = 70.0
	DefaultScaleInCooldown        = 300 * time.Second
	DefaultScaleOutCooldown       = 60 * time.Second
	DefaultEphemeralStorageGiB    = 20
	DefaultDeploymentMinHealthy   = 100
	DefaultDeploymentMaxPercent   = 200
	DefaultLogStreamPrefix        = "ecs"
	DefaultEgressPort             = 443
	MaxDesiredCount               = 1000
	minEphemeralStorageGiB        = 21
	maxEphemeralStorageGiB        = 200
	maxHealthCheckGracePeriodSec  = 2147483647
)

// defaultEgressCIDRs is where tasks may open HTTPS connections by default:
// anywhere, since images, AWS APIs and most dependencies are reached over
// HTTPS through the NAT gateway.
var defaultEgressCIDRs = []string{"0.0.0.0/0"}

// DefaultEgressCIDRs returns where tasks may open HTTPS connections when Props.EgressCIDRs is empty. It is a copy: changing it changes no check.
func DefaultEgressCIDRs() []string { return slices.Clone(defaultEgressCIDRs) }

// logRetentionDays are the retention periods CloudWatch Logs accepts, except
// 0 (never expire), which this library refuses.
var logRetentionDays = verify.RetentionDays()

// LogRetentionDays returns the values Props.LogRetentionDays takes (CloudWatch Logs' retention periods, except never expire). It is a copy: changing it changes no check.
func LogRetentionDays() []int { return slices.Clone(logRetentionDays) }

// fargateMemory lists, for each task CPU size, the memory sizes (MiB) Fargate
// accepts on Linux.
var fargateMemory = map[int][]int{
	256:   {512, 1024, 2048},
	512:   steps(1024, 4096, 1024),
	1024:  steps(2048, 8192, 1024),
	2048:  steps(4096, 16384, 1024),
	4096:  steps(8192, 30720, 1024),
	8192:  steps(16384, 61440, 4096),
	16384: steps(32768, 122880, 8192),
}

// FargateMemory returns for each task CPU size, the memory sizes (MiB) Fargate accepts. It is a copy: changing it changes no check.
func FargateMemory() map[int][]int { return cloneMemory() }

func cloneMemory() map[int][]int {
	m := make(map[int][]int, len(fargateMemory))
	for k, v := range fargateMemory {
		m[k] = slices.Clone(v)
	}
	return m
}

func steps(from, to, step int) []int {
	var out []int
	for v := from; v <= to; v += step {
		out = append(out, v)
	}
	return out
}

// Props configures a [Service]. Zero values are the production-safe defaults
// named by the Default constants.
type Props struct {
	// Name of the service; also the task family, the log group /ecs/<Name>
	// and the prefix of the role names. 1-255 letters, digits, hyphens and
	// underscores. Required.
	Name string
	// Region the service runs in, for the awslogs driver and ARNs. If empty,
	// the region of the stack's provider (awsprovider.New); a stack without
	// one needs it set. Set it only to override the stack's.
	Region string
	// AccountID and Partition ("aws", "aws-cn", …) go into the roles' trust
	// conditions and the execution policy's ARNs. Each one left empty is the
	// stack's: looked up once per stack (data aws_caller_identity,
	// aws_partition) by the first construct that needs it (the network's
	// flow logs, or the first service) and shared by every other. Set them
	// only to override the stack's.
	AccountID string
	Partition string
	// Cluster to run in: from cluster.New or cluster.FromName. Required.
	Cluster *cluster.Cluster
	// VPCID and SubnetIDs (private subnets) place the tasks. Required.
	VPCID     string
	SubnetIDs []string
	// WaitFor lists resources the service must be created after, such as the
	// network's NAT routes or VPC endpoints (network.Network.EgressReady), so
	// that the first tasks can pull their image.
	WaitFor []cdktf.ITerraformDependable

	// CPU units (256 … 16384) and Memory MiB of the task; the pair must be in
	// the Fargate table (FargateMemory). If zero, DefaultCPU and DefaultMemory.
	CPU    int
	Memory int
	// Architecture of the task. Zero is X86_64.
	Architecture Architecture
	// EphemeralStorageGiB above Fargate's free 20 GiB: 21-200. Zero keeps 20.
	EphemeralStorageGiB int
	// Containers of the task. At least one is required.
	Containers []container.Definition

	// DesiredCount of tasks, 1-1000. If zero, DefaultDesiredCount. With
	// autoscaling on, this is the initial count and Terraform then leaves the
	// count to the scaler.
	DesiredCount int
	// CapacityProviderStrategy runs tasks on FARGATE / FARGATE_SPOT by weight;
	// if empty the service uses the FARGATE launch type.
	CapacityProviderStrategy []cluster.Strategy

	// LoadBalancer, when set, registers ContainerName:ContainerPort in its
	// target group and lets its security group reach the tasks on that port.
	LoadBalancer *loadbalancer.LoadBalancer
	// ContainerName and ContainerPort pick the target; if empty, the first
	// container and its first port mapping.
	ContainerName string
	ContainerPort int
	// HealthCheckGracePeriod ignores failing load balancer health checks of
	// a new task for this long. If zero, DefaultHealthCheckGracePeriod.
	HealthCheckGracePeriod time.Duration

	// EgressCIDRs may be reached from the tasks over HTTPS (443). If empty,
	// DefaultEgressCIDRs. With VPC endpoints only, give the VPC's CIDR and
	// the S3 prefix list instead.
	EgressCIDRs []string
	// EgressPrefixListIDs may also be reached over HTTPS (e.g. the S3
	// gateway endpoint's prefix list).
	EgressPrefixListIDs []string
	// EgressAllowAll opens every port and protocol to anywhere instead.
	EgressAllowAll bool

	// LogRetentionDays of the log group: one of LogRetentionDays. If zero,
	// DefaultLogRetentionDays.
	LogRetentionDays int
	// LogKMSKeyARN encrypts the log group with this customer managed key; its
	// key policy must allow logs.<region>.amazonaws.com to use it. If empty,
	// the stack's (stackdefaults.Props.LogKMSKeyARN), if any.
	LogKMSKeyARN string

	// ExecutionRoleARN uses an existing execution role instead of creating
	// one. It must trust ecs-tasks.amazonaws.com and allow writing to the
	// log group /ecs/<Name>, pulling the image and reading the Secrets.
	ExecutionRoleARN string
	// TaskRoleARN uses an existing task role instead of creating one; its
	// permissions are then yours to manage, so TaskPolicy must be empty.
	TaskRoleARN string

	// TaskPolicy is what the application may do with AWS (the task role).
	// Wildcard actions are refused; "*" resources only for actions AWS
	// cannot scope (iampolicy.UnscopedActions()).
	TaskPolicy []iampolicy.Statement

	// EnableExecuteCommand turns on ECS Exec. It needs every container's
	// WritableRootFilesystem (the SSM agent writes to it) and grants the task
	// role the four ssmmessages channel actions.
	EnableExecuteCommand bool

	// Autoscaling of the desired count; on by default.
	Autoscaling Autoscaling

	// Deployment: who deploys new images, redeploy tokens, waiting for the
	// deployment. The zero value is Terraform owning the image.
	Deployment Deployment
	// ServiceConnect lets services call each other by name without a load
	// balancer (ECS Service Connect); the zero value leaves it off.
	ServiceConnect ServiceConnect

	// Alarms of the service, on by default (see package alarms); the ones
	// that signal a bad release also roll deployments back.
	Alarms alarms.Props

	// Tags are added to every resource created. If empty, the stack's
	// (stackdefaults.Props.Tags), if any.
	Tags map[string]string
}

// Autoscaling configures target tracking on the service's desired count.
type Autoscaling struct {
	// Disabled keeps the count fixed at DesiredCount.
	Disabled bool
	// MinCapacity and MaxCapacity bound the count. If zero, MinCapacity is
	// the desired count and MaxCapacity is the larger of DefaultMaxCapacity
	// and MinCapacity.
	MinCapacity int
	MaxCapacity int
	// CPUTarget is the average CPU utilisation to hold, in percent (0-100].
	// If zero, DefaultCPUTarget.
	CPUTarget float64
	// MemoryTarget, when set, also tracks average memory utilisation (0-100].
	MemoryTarget float64
	// RequestsPerTarget, when set, also tracks ALB requests per task; needs
	// a LoadBalancer.
	RequestsPerTarget int
	// ScaleInCooldown and ScaleOutCooldown: if zero, the Default constants.
	ScaleInCooldown  time.Duration
	ScaleOutCooldown time.Duration
	// Schedules change MinCapacity and MaxCapacity at set times (scale a
	// development service to zero at night); empty means none. See [Schedule].
	Schedules []Schedule
}

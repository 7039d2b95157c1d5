package service

import (
	"fmt"
	"strings"
	"time"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchmetricalarm"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsservice"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/alarms"
	"github.com/fargatekit/fargatekit/internal/tfx"
)

// ImageOwner says who deploys new revisions of the task definition.
type ImageOwner int

const (
	// TerraformOwnsImage is the default: the image and every task setting
	// are in the props, and `terraform apply` deploys a change of any of
	// them. A revision deployed by anything else is drift that the next
	// apply reverts.
	TerraformOwnsImage ImageOwner = iota
	// PipelineOwnsImage lets a CI job deploy new revisions (aws ecs
	// register-task-definition + update-service, or the GitHub action
	// amazon-ecs-deploy-task-definition). Terraform creates the first
	// revision from the props and from then on ignores which revision the
	// service runs (lifecycle ignore_changes = [task_definition]): a plan
	// after a CI deploy shows no change, and an apply never rolls CI's
	// revision back. The task definition resource itself stays Terraform's:
	// a change of the props registers a new revision in Terraform's state
	// that the service does not run until the pipeline deploys it.
	PipelineOwnsImage
)

func (o ImageOwner) String() string {
	switch o {
	case TerraformOwnsImage:
		return "TerraformOwnsImage"
	case PipelineOwnsImage:
		return "PipelineOwnsImage"
	}
	return fmt.Sprintf("ImageOwner(%d)", int(o))
}

// Deployment defaults and bounds.
const (
	// DefaultWaitTimeout bounds WaitForSteadyState: the AWS provider's own
	// create and update timeout for aws_ecs_service.
	DefaultWaitTimeout = 20 * time.Minute
	minWaitTimeout     = time.Minute
	maxWaitTimeout     = 3 * time.Hour
	// RedeployTriggerKey is the key of the service's triggers map that
	// holds Deployment.RedeployToken.
	RedeployTriggerKey = "redeploy"
)

// Deployment configures how new versions reach the running service. The zero
// value is Terraform owning the image, no redeploy token, and an apply that
// returns once ECS accepted the change (the circuit breaker and the deployment
// alarms then roll a bad release back on their own).
type Deployment struct {
	// ImageOwner: TerraformOwnsImage (zero) or PipelineOwnsImage.
	ImageOwner ImageOwner

	// RedeployToken, when set, is a release id (git SHA, image digest,
	// version, build number): the apply that changes it starts exactly one
	// new ECS deployment, even when nothing else changed (a re-pushed mutable
	// tag); an apply with the same token starts none. Empty means no token.
	// It goes into the service's triggers map under RedeployTriggerKey;
	// removing it later starts no deployment.
	RedeployToken string

	// WaitForSteadyState makes apply wait until the deployment has finished:
	// one deployment left and as many tasks running as desired, for at most
	// WaitTimeout. With TerraformOwnsImage a postcondition then fails the
	// apply if the service does not run the revision Terraform registered,
	// which is what a circuit-breaker or alarm rollback leaves behind: the
	// AWS provider 5.x itself reports such a rollback as success.
	WaitForSteadyState bool
	// WaitTimeout bounds the wait: 1m-3h in whole seconds. If zero,
	// DefaultWaitTimeout. Only with WaitForSteadyState.
	WaitTimeout time.Duration
}

func checkDeployment(c *verify.Checker, d Deployment) Deployment {
	const f = "Deployment"
	if d.ImageOwner != TerraformOwnsImage && d.ImageOwner != PipelineOwnsImage {
		c.Add(f+".ImageOwner", int(d.ImageOwner), "must be TerraformOwnsImage or PipelineOwnsImage")
	}
	if d.RedeployToken != "" {
		c.ReleaseID(f+".RedeployToken", d.RedeployToken)
	}
	switch {
	case !d.WaitForSteadyState && d.WaitTimeout != 0:
		c.Add(f+".WaitTimeout", d.WaitTimeout.String(), "is only used with WaitForSteadyState: set it too, or remove WaitTimeout")
	case d.WaitForSteadyState && d.WaitTimeout == 0:
		d.WaitTimeout = DefaultWaitTimeout
	}
	if d.WaitForSteadyState {
		c.Seconds(f+".WaitTimeout", d.WaitTimeout, int(minWaitTimeout/time.Second), int(maxWaitTimeout/time.Second))
	}
	return d
}

// configureDeployment sets what Deployment decides on the service's config:
// triggers, waiting and its timeouts, what Terraform ignores, and the
// deployment alarms. taskDefinitionAddress is the task definition's
// Terraform address (aws_ecs_task_definition.<id>).
func configureDeployment(svc *ecsservice.EcsServiceConfig, d Deployment, taskDefinitionAddress string, rollbackAlarms []*string) {
	// force_new_deployment stays true: the provider ignores a change of
	// triggers unless it is (triggersCustomizeDiff), and with it false a
	// change of capacity_provider_strategy replaces the service.
	if d.RedeployToken != "" {
		svc.Triggers = &map[string]*string{RedeployTriggerKey: tfx.Str(verify.Literal(d.RedeployToken))}
	}
	if d.WaitForSteadyState {
		svc.WaitForSteadyState = true
		timeout := fmt.Sprintf("%ds", int(d.WaitTimeout/time.Second))
		svc.Timeouts = &ecsservice.EcsServiceTimeouts{Create: &timeout, Update: &timeout}
	}
	var ignore []string
	if svc.Lifecycle != nil && svc.Lifecycle.IgnoreChanges != nil {
		for _, s := range *svc.Lifecycle.IgnoreChanges.(*[]*string) {
			ignore = append(ignore, *s)
		}
	}
	if d.ImageOwner == PipelineOwnsImage {
		ignore = append(ignore, "task_definition")
	}
	lc := &cdktf.TerraformResourceLifecycle{}
	if len(ignore) > 0 {
		lc.IgnoreChanges = tfx.Strs(ignore)
	}
	if d.WaitForSteadyState && d.ImageOwner == TerraformOwnsImage {
		lc.Postcondition = &[]*cdktf.Postcondition{{
			Condition: fmt.Sprintf("${self.task_definition == %s.arn}", taskDefinitionAddress),
			ErrorMessage: tfx.Str("The service does not run the task definition revision this apply registered: " +
				"ECS rolled the deployment back (deployment circuit breaker or deployment alarm). " +
				"See the service's events (aws ecs describe-services) and the stopped tasks' reasons."),
		}}
	}
	if lc.IgnoreChanges != nil || lc.Postcondition != nil {
		svc.Lifecycle = lc
	}
	if len(rollbackAlarms) > 0 {
		svc.Alarms = &ecsservice.EcsServiceAlarms{AlarmNames: &rollbackAlarms, Enable: true, Rollback: true}
	}
}

// newAlarms creates the service's alarms (unless Props.Alarms.Disabled).
// account and partition may be empty: the alarms then read them themselves
// if their topic key needs them.
func newAlarms(s constructs.Construct, r resolved, account, partition string) (*alarms.Alarms, error) {
	if account == "" && !verify.IsToken(r.ExecutionRoleARN) {
		// Existing roles: their ARN names the account; no lookup needed.
		if parts := strings.Split(r.ExecutionRoleARN, ":"); len(parts) > 4 {
			partition, account = parts[1], parts[4]
		}
	}
	t := alarms.Target{
		ServiceName: r.Name,
		ClusterName: r.Cluster.Name,
		AccountID:   account,
		Partition:   partition,
		Tags:        r.Tags,
	}
	if lb := r.LoadBalancer; lb != nil && lb.ARNSuffix != "" && lb.TargetGroupARNSuffix != "" {
		// An existing load balancer given without its ARN suffixes
		// (loadbalancer.FromAttributes) gets no load balancer alarms.
		t.LoadBalancerARNSuffix, t.TargetGroupARNSuffix = lb.ARNSuffix, lb.TargetGroupARNSuffix
	}
	return alarms.New(s, "Alarms", t, r.Alarms)
}

// wireAlarms makes the service wait for its alarms (ECS refuses deployment
// alarms that do not exist) and returns the names of those that roll a
// deployment back.
func wireAlarms(svc *ecsservice.EcsServiceConfig, a *alarms.Alarms) []*string {
	if a == nil {
		return nil
	}
	var deps []cdktf.ITerraformDependable
	if svc.DependsOn != nil {
		deps = *svc.DependsOn
	}
	for _, al := range []cloudwatchmetricalarm.CloudwatchMetricAlarm{a.Target5xx, a.UnhealthyTargets} {
		if al != nil {
			deps = append(deps, al)
		}
	}
	svc.DependsOn = tfx.Deps(deps...)
	names := make([]*string, len(a.RollbackAlarmNames))
	for i := range a.RollbackAlarmNames {
		names[i] = &a.RollbackAlarmNames[i]
	}
	return names
}

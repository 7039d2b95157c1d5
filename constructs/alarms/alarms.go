// Package alarms creates the CloudWatch alarms an on-call engineer wants for
// a Fargate service without writing any: tasks running below the desired
// count, CPU and memory near their limit and, behind a load balancer, 5xx
// responses from the targets, unhealthy targets and slow responses. Actions
// go to an SNS topic the caller passes or one per stack, which the first
// service's alarms create, encrypted with a customer managed KMS key that
// CloudWatch may use.
//
// service.New creates them by default (service.Props.Alarms) and wires the
// alarms that signal a bad release (RollbackAlarmNames) into the service's
// deployment alarms, so that ECS rolls such a release back.
package alarms

import (
	"fmt"
	"strings"
	"time"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchmetricalarm"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopic"

	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/internal/naming"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/stackwide"
	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/txn"
)

// Defaults applied to zero-valued props. Every alarm evaluates one-minute
// periods; it fires when every one of the last N periods breaches.
const (
	DefaultCPUPercent         = 90.0
	DefaultMemoryPercent      = 90.0
	DefaultTarget5xxPerMinute = 10
	DefaultUnhealthyTargets   = 1
	DefaultResponseTime       = 2 * time.Second
	// DefaultEvaluationMinutes of breach before an alarm fires, for the
	// load balancer alarms; the task alarms wait DefaultTaskEvaluationMinutes,
	// as a task needs a minute or two to start after a scale-out.
	DefaultEvaluationMinutes     = 3
	DefaultTaskEvaluationMinutes = 5
	// Period of every alarm.
	Period = time.Minute
	// ResponseTimeStatistic is the percentile the response-time alarm holds.
	ResponseTimeStatistic = "p99"
	maxEvaluationMinutes  = 60
)

// AWSManagedSNSKey is the alias of the AWS managed key for SNS. Its key policy
// cannot be changed and does not let CloudWatch alarms use it, so alarm
// notifications to a topic encrypted with it are never delivered: Props
// refuses it.
const AWSManagedSNSKey = "alias/aws/sns"

// Props configures the alarms of one service. The zero value creates every
// alarm with the Default thresholds, notifying the stack's alarm topic: the
// one stackdefaults.Props.AlarmTopicARN names, else one KMS-encrypted topic
// per stack that the first alarms of the stack create (named after their
// service) and every later service's alarms share.
type Props struct {
	// Disabled creates no alarm and no topic, and leaves the service's
	// deployment alarms off (the circuit breaker still rolls back).
	Disabled bool
	// TopicARN sends alarm and OK notifications to this SNS topic instead of
	// the stack's. If it is encrypted, its key policy must let
	// cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey*.
	TopicARN string
	// TopicKMSKeyARN gives these alarms a topic of their own, named after
	// the service and encrypted with this customer managed key (same
	// requirement), instead of the stack's topic. Not with TopicARN.
	TopicKMSKeyARN string

	// CPUPercent: average CPU utilisation of the service's tasks that fires
	// the CPU alarm, (0-100]. If zero, DefaultCPUPercent.
	CPUPercent float64
	// MemoryPercent: memory utilisation of the busiest task that fires the
	// memory alarm, (0-100]. If zero, DefaultMemoryPercent.
	MemoryPercent float64
	// Target5xxPerMinute: 5xx responses from the targets per minute that
	// fire the 5xx alarm, 1-1000000. If zero, DefaultTarget5xxPerMinute.
	Target5xxPerMinute int
	// UnhealthyTargets: unhealthy targets that fire the unhealthy-targets
	// alarm, 1-1000. If zero, DefaultUnhealthyTargets.
	UnhealthyTargets int
	// ResponseTime: p99 target response time that fires the response-time
	// alarm, 10ms-10m. If zero, DefaultResponseTime.
	ResponseTime time.Duration
	// EvaluationMinutes overrides how many one-minute periods in a row must
	// breach before every alarm fires, 1-60. If zero, the Default constants.
	EvaluationMinutes int

	// DisableDeploymentRollback keeps the alarms but does not let them roll a
	// deployment back (the service's deployment alarms stay off).
	DisableDeploymentRollback bool
}

// Target is what the alarms watch. service.New fills it in.
type Target struct {
	// ServiceName and ClusterName name the ECS service (literal names).
	ServiceName string
	ClusterName string
	// LoadBalancerARNSuffix and TargetGroupARNSuffix ("app/…", "targetgroup/…")
	// enable the load balancer alarms; empty without a load balancer.
	LoadBalancerARNSuffix string
	TargetGroupARNSuffix  string
	// AccountID and Partition go into the created key's policy; each one
	// left empty is the stack's (data aws_caller_identity, aws_partition,
	// looked up once per stack: created here if nothing in the stack did
	// before).
	AccountID string
	Partition string
	// Tags are added to every resource created.
	Tags map[string]string
}

// Alarms is what [New] created. Every resource is exported; the load balancer
// alarms are nil without a load balancer. Topic and TopicKey are the topic the
// alarms notify and its key: their own (Props.TopicKMSKeyARN, then TopicKey
// is nil) or the stack's shared one, the same objects for every service that
// shares it (created under the first one's alarms). Both are nil when the
// topic was given (Props.TopicARN, stackdefaults.Props.AlarmTopicARN);
// TopicKey is nil when the shared topic's key was given
// (stackdefaults.Props.AlarmTopicKMSKeyARN).
type Alarms struct {
	TopicKey         kmskey.KmsKey
	Topic            snstopic.SnsTopic
	RunningTasks     cloudwatchmetricalarm.CloudwatchMetricAlarm
	CPU              cloudwatchmetricalarm.CloudwatchMetricAlarm
	Memory           cloudwatchmetricalarm.CloudwatchMetricAlarm
	Target5xx        cloudwatchmetricalarm.CloudwatchMetricAlarm
	UnhealthyTargets cloudwatchmetricalarm.CloudwatchMetricAlarm
	ResponseTime     cloudwatchmetricalarm.CloudwatchMetricAlarm

	// TopicARN receives every alarm's notifications.
	TopicARN string
	// RollbackAlarmNames are the alarms that signal a bad release (target
	// 5xx, unhealthy targets), for the service's deployment alarms; empty
	// without a load balancer or with DisableDeploymentRollback.
	RollbackAlarmNames []string
}

// Resolve returns p with every default filled in.
func Resolve(p Props) Props {
	if p.CPUPercent == 0 {
		p.CPUPercent = DefaultCPUPercent
	}
	if p.MemoryPercent == 0 {
		p.MemoryPercent = DefaultMemoryPercent
	}
	if p.Target5xxPerMinute == 0 {
		p.Target5xxPerMinute = DefaultTarget5xxPerMinute
	}
	if p.UnhealthyTargets == 0 {
		p.UnhealthyTargets = DefaultUnhealthyTargets
	}
	if p.ResponseTime == 0 {
		p.ResponseTime = DefaultResponseTime
	}
	return p
}

// checkProps records a problem for every invalid prop; field is the path of p in
// the caller's props, e.g. "Alarms" in service.Props ("" for p itself).
func checkProps(c *verify.Checker, field string, p Props) {
	if p.Disabled {
		if p != (Props{Disabled: true}) {
			c.Add(verify.Join(field, "Disabled"), true, "other Alarms fields are set: remove them or enable the alarms")
		}
		return
	}
	if p.TopicARN != "" {
		c.SNSTopicARN(verify.Join(field, "TopicARN"), p.TopicARN)
		if p.TopicKMSKeyARN != "" {
			c.Add(verify.Join(field, "TopicKMSKeyARN"), p.TopicKMSKeyARN, "conflicts with TopicARN: the key only encrypts a topic the construct creates")
		}
	}
	if p.TopicKMSKeyARN != "" {
		if strings.EqualFold(p.TopicKMSKeyARN, AWSManagedSNSKey) {
			c.Add(verify.Join(field, "TopicKMSKeyARN"), p.TopicKMSKeyARN, "CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key (its policy does not allow cloudwatch.amazonaws.com): give a customer managed key, or leave it empty for one the construct creates")
		} else {
			c.KMSKeyARN(verify.Join(field, "TopicKMSKeyARN"), p.TopicKMSKeyARN)
		}
	}
	r := Resolve(p)
	c.FloatRange(verify.Join(field, "CPUPercent"), r.CPUPercent, 0, 100)
	c.FloatRange(verify.Join(field, "MemoryPercent"), r.MemoryPercent, 0, 100)
	c.Range(verify.Join(field, "Target5xxPerMinute"), r.Target5xxPerMinute, 1, 1000000)
	c.Range(verify.Join(field, "UnhealthyTargets"), r.UnhealthyTargets, 1, 1000)
	if r.ResponseTime%time.Millisecond != 0 || r.ResponseTime < 10*time.Millisecond || r.ResponseTime > 10*time.Minute {
		c.Add(verify.Join(field, "ResponseTime"), r.ResponseTime.String(), "must be a whole number of milliseconds between 10ms and 10m")
	}
	if p.EvaluationMinutes != 0 {
		c.Range(verify.Join(field, "EvaluationMinutes"), p.EvaluationMinutes, 1, maxEvaluationMinutes)
	}
}

// Validate checks props without creating anything and returns every problem.
func Validate(p Props) error {
	c := verify.New("alarms.New")
	checkProps(c, "", p)
	return c.Err()
}

// Names returns the alarm names New gives a service's alarms, by key
// ("running-tasks", "cpu", "memory", "target-5xx", "unhealthy-targets",
// "response-time"): "<cluster>-<service>-<key>", shortened to fit.
func Names(clusterName, serviceName string) map[string]string {
	base := naming.Fit(clusterName+"-"+serviceName, 230)
	out := map[string]string{}
	for _, k := range []string{"running-tasks", "cpu", "memory", "target-5xx", "unhealthy-targets", "response-time"} {
		out[k] = base + "-" + k
	}
	return out
}

// New validates props and creates the alarms under scope/id, and the topic
// and its key when it needs them and the stack has none yet (see [Props]).
// It returns nil, nil when props.Disabled.
func New(scope constructs.Construct, id string, t Target, props Props) (_ *Alarms, err error) {
	c := verify.New("alarms.New")
	checkProps(c, "", props)
	c.Required("Target.ServiceName", t.ServiceName, "the ECS service the alarms watch")
	c.Required("Target.ClusterName", t.ClusterName, "the cluster of the service")
	if (t.LoadBalancerARNSuffix == "") != (t.TargetGroupARNSuffix == "") {
		c.Add("Target.TargetGroupARNSuffix", t.TargetGroupARNSuffix, "give both load balancer suffixes or neither")
	}
	if err := c.Err(); err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	if props.Disabled {
		return nil, nil
	}
	var undo txn.Undo
	defer undo.OnError(&err)
	// The id and the tokens, checked in the kernel before anything is
	// created.
	if err := registry.Enter(registry.Entry{Op: "alarms.New", Scope: scope, ID: id, Props: props}); err != nil {
		return nil, err
	}
	undo.Child(scope, id)
	p := Resolve(props)
	d := stackwide.DefaultsOf(scope)
	stackwide.Read(scope, id)
	s := constructs.NewConstruct(scope, &id)
	out := &Alarms{TopicARN: p.TopicARN}
	switch {
	case out.TopicARN != "":
	case p.TopicKMSKeyARN != "":
		// A key of its own: a topic of its own, encrypted with it.
		if err := addTopic(s, t, p.TopicKMSKeyARN, out); err != nil {
			return nil, err
		}
	case d.AlarmTopicARN != "":
		out.TopicARN = d.AlarmTopicARN
	default:
		// One topic and key per stack, created by the first alarms that
		// need them, at the address a service's alarms always created
		// theirs.
		shared, err := stackwide.SharedTopic(s)
		if err != nil {
			return nil, err
		}
		if shared == nil {
			if err := addTopic(s, t, d.AlarmTopicKMSKeyARN, out); err != nil {
				return nil, err
			}
			shared = &stackwide.Topic{ARN: out.TopicARN, Topic: out.Topic, Key: out.TopicKey}
			if err := stackwide.SetSharedTopic(s, shared); err != nil {
				return nil, err
			}
		}
		out.TopicARN, out.Topic, out.TopicKey = shared.ARN, shared.Topic, shared.Key
	}
	addAlarms(s, t, p, out)
	if err := txn.Fault("alarms.New"); err != nil {
		return nil, err
	}
	return out, nil
}

// addTopic creates the topic, named after t's service, encrypted with keyARN
// or, when it is empty, with a key it creates.
func addTopic(s constructs.Construct, t Target, keyARN string, out *Alarms) error {
	tags := tfx.Tags(t.Tags)
	if keyARN == "" {
		policy, err := topicKeyPolicy(s, t)
		if err != nil {
			return err
		}
		out.TopicKey = kmskey.NewKmsKey(s, tfx.Str("TopicKey"), &kmskey.KmsKeyConfig{
			Description:          tfx.Str("Alarm notifications of ECS service " + t.ServiceName),
			EnableKeyRotation:    true,
			DeletionWindowInDays: tfx.Num(7),
			Policy:               tfx.Str(policy.JSON()),
			Tags:                 tags,
		})
		keyARN = *out.TopicKey.Arn()
	}
	out.Topic = snstopic.NewSnsTopic(s, tfx.Str("Topic"), &snstopic.SnsTopicConfig{
		Name:           tfx.Str(naming.Fit(t.ClusterName+"-"+t.ServiceName, 249) + "-alarms"),
		DisplayName:    tfx.Str("Alarms of " + t.ServiceName),
		KmsMasterKeyId: &keyARN,
		Tags:           tags,
	})
	out.TopicARN = *out.Topic.Arn()
	return nil
}

// topicKeyPolicy is the created key's policy: the account administers it (the
// default key policy) and CloudWatch, acting for this account, may encrypt
// messages to the topic with it.
func topicKeyPolicy(s constructs.Construct, t Target) (iampolicy.Document, error) {
	account, partition := t.AccountID, t.Partition
	var err error
	if account == "" {
		if account, _, err = stackwide.AccountID(s); err != nil {
			return iampolicy.Document{}, err
		}
	}
	if partition == "" {
		if partition, _, err = stackwide.Partition(s); err != nil {
			return iampolicy.Document{}, err
		}
	}
	return iampolicy.Document{Statement: []iampolicy.Statement{
		{
			Sid:       "AccountAdministers",
			Effect:    iampolicy.Allow,
			Principal: &iampolicy.Principal{AWS: []string{fmt.Sprintf("arn:%s:iam::%s:root", partition, account)}},
			Action:    []string{"kms:*"},
			Resource:  []string{"*"},
		},
		{
			Sid:       "CloudWatchAlarmsPublish",
			Effect:    iampolicy.Allow,
			Principal: &iampolicy.Principal{Service: []string{"cloudwatch.amazonaws.com"}},
			Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]string{"StringEquals": {"aws:SourceAccount": account}},
		},
	}}, nil
}

type alarmSpec struct {
	key, description             string
	namespace, metric, statistic string
	dims                         map[string]string
	comparison                   string
	threshold                    float64
	minutes                      int
	missing                      string
	query                        []*cloudwatchmetricalarm.CloudwatchMetricAlarmMetricQuery
	target                       *cloudwatchmetricalarm.CloudwatchMetricAlarm
}

func addAlarms(s constructs.Construct, t Target, p Props, out *Alarms) {
	names := Names(t.ClusterName, t.ServiceName)
	ecsDims := map[string]string{"ClusterName": t.ClusterName, "ServiceName": t.ServiceName}
	minutes := func(def int) int {
		if p.EvaluationMinutes != 0 {
			return p.EvaluationMinutes
		}
		return def
	}
	period := tfx.Num(int(Period / time.Second))
	insights := func(id, metric string) *cloudwatchmetricalarm.CloudwatchMetricAlarmMetricQuery {
		return &cloudwatchmetricalarm.CloudwatchMetricAlarmMetricQuery{
			Id:         tfx.Str(id),
			ReturnData: false,
			Metric: &cloudwatchmetricalarm.CloudwatchMetricAlarmMetricQueryMetric{
				Namespace:  tfx.Str("ECS/ContainerInsights"),
				MetricName: tfx.Str(metric),
				Stat:       tfx.Str("Average"),
				Period:     period,
				Dimensions: tfx.Tags(ecsDims),
			},
		}
	}
	specs := []alarmSpec{
		{
			key:         "running-tasks",
			description: "Fewer tasks of " + t.ServiceName + " run than desired (Container Insights). Look at the service's events and the stopped tasks' reasons: image pull, health checks, out of memory, capacity.",
			comparison:  "GreaterThanThreshold", threshold: 0, minutes: minutes(DefaultTaskEvaluationMinutes), missing: "missing",
			query: []*cloudwatchmetricalarm.CloudwatchMetricAlarmMetricQuery{
				insights("running", "RunningTaskCount"),
				insights("desired", "DesiredTaskCount"),
				{Id: tfx.Str("missing_tasks"), Expression: tfx.Str("desired - running"), Label: tfx.Str("Desired minus running tasks"), ReturnData: true},
			},
			target: &out.RunningTasks,
		},
		{
			key:         "cpu",
			description: fmt.Sprintf("Average CPU of %s is above %g %% of what the tasks have. Check that autoscaling is not at its maximum; raise MaxCapacity or the task CPU.", t.ServiceName, p.CPUPercent),
			namespace:   "AWS/ECS", metric: "CPUUtilization", statistic: "Average", dims: ecsDims,
			comparison: "GreaterThanThreshold", threshold: p.CPUPercent, minutes: minutes(DefaultTaskEvaluationMinutes), missing: "missing",
			target: &out.CPU,
		},
		{
			key:         "memory",
			description: fmt.Sprintf("A task of %s uses more than %g %% of its memory and may be stopped out of memory soon. Look for a leak or raise the task memory.", t.ServiceName, p.MemoryPercent),
			namespace:   "AWS/ECS", metric: "MemoryUtilization", statistic: "Maximum", dims: ecsDims,
			comparison: "GreaterThanThreshold", threshold: p.MemoryPercent, minutes: minutes(DefaultTaskEvaluationMinutes), missing: "missing",
			target: &out.Memory,
		},
	}
	if t.LoadBalancerARNSuffix != "" {
		lbDims := map[string]string{"LoadBalancer": t.LoadBalancerARNSuffix, "TargetGroup": t.TargetGroupARNSuffix}
		lb := func(key, metric, statistic, comparison string, threshold float64, target *cloudwatchmetricalarm.CloudwatchMetricAlarm, description string) alarmSpec {
			return alarmSpec{
				key: key, description: description,
				namespace: "AWS/ApplicationELB", metric: metric, statistic: statistic, dims: lbDims,
				comparison: comparison, threshold: threshold, minutes: minutes(DefaultEvaluationMinutes),
				// No traffic is not an incident.
				missing: "notBreaching", target: target,
			}
		}
		specs = append(specs,
			lb("target-5xx", "HTTPCode_Target_5XX_Count", "Sum", "GreaterThanOrEqualToThreshold", float64(p.Target5xxPerMinute), &out.Target5xx,
				fmt.Sprintf("The tasks of %s answer %d or more 5xx responses a minute. If a deployment is running, ECS rolls it back; otherwise read the application's logs.", t.ServiceName, p.Target5xxPerMinute)),
			lb("unhealthy-targets", "UnHealthyHostCount", "Maximum", "GreaterThanOrEqualToThreshold", float64(p.UnhealthyTargets), &out.UnhealthyTargets,
				fmt.Sprintf("%d or more tasks of %s fail the load balancer's health check. If a deployment is running, ECS rolls it back; otherwise check the health check path and the application's logs.", p.UnhealthyTargets, t.ServiceName)),
			lb("response-time", "TargetResponseTime", ResponseTimeStatistic, "GreaterThanThreshold", p.ResponseTime.Seconds(), &out.ResponseTime,
				fmt.Sprintf("The %s target response time of %s is above %s. Check CPU, downstream dependencies and recent deployments.", ResponseTimeStatistic, t.ServiceName, p.ResponseTime)),
		)
	}
	actions := tfx.Strs([]string{out.TopicARN})
	for _, sp := range specs {
		cfg := &cloudwatchmetricalarm.CloudwatchMetricAlarmConfig{
			AlarmName:          tfx.Str(names[sp.key]),
			AlarmDescription:   tfx.Str(sp.description),
			ComparisonOperator: tfx.Str(sp.comparison),
			Threshold:          tfx.Num(sp.threshold),
			EvaluationPeriods:  tfx.Num(sp.minutes),
			DatapointsToAlarm:  tfx.Num(sp.minutes),
			TreatMissingData:   tfx.Str(sp.missing),
			ActionsEnabled:     true,
			AlarmActions:       actions,
			OkActions:          actions,
			Tags:               tfx.Tags(t.Tags),
		}
		if sp.query != nil {
			cfg.MetricQuery = &sp.query
		} else {
			cfg.Namespace, cfg.MetricName, cfg.Period, cfg.Dimensions = &sp.namespace, &sp.metric, period, tfx.Tags(sp.dims)
			if strings.HasPrefix(sp.statistic, "p") {
				cfg.ExtendedStatistic = &sp.statistic
			} else {
				cfg.Statistic = &sp.statistic
			}
		}
		*sp.target = cloudwatchmetricalarm.NewCloudwatchMetricAlarm(s, tfx.Str(alarmID(sp.key)), cfg)
	}
	if !p.DisableDeploymentRollback && t.LoadBalancerARNSuffix != "" {
		out.RollbackAlarmNames = []string{names["target-5xx"], names["unhealthy-targets"]}
	}
}

// alarmID turns "target-5xx" into the construct id "Target5xx".
func alarmID(key string) string {
	var b strings.Builder
	for _, part := range strings.Split(key, "-") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

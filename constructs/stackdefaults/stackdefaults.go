// Package stackdefaults sets, once per stack, what every service of the
// stack uses when its own field is zero: the alarm topic (or the key of the
// stack's shared one), the log groups' KMS key, the tags and the Service
// Connect namespace.
//
// Without it a stack still shares what it can: the region of its provider
// (awsprovider.New), one account and one partition lookup, and one alarm
// topic with one KMS key, which the first service's alarms create and every
// later service's alarms notify. Call [New] right after awsprovider.New:
// the constructs created before it did not see the defaults, so New refuses
// to come after them.
//
//	awsprovider.New(stack, "aws", awsprovider.Props{Region: "eu-west-1"})
//	stackdefaults.New(stack, stackdefaults.Props{AlarmTopicARN: oncall, Tags: tags})
//	// every service.New in stack now notifies oncall and carries tags
package stackdefaults

import (
	"maps"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/fargatekit/fargatekit/constructs/alarms"
	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/internal/stackwide"
	"github.com/fargatekit/fargatekit/internal/verify"
)

// Props are the stack's defaults. Each field left zero keeps the library's
// own default.
type Props struct {
	// AlarmTopicARN receives the notifications of every service's alarms
	// whose service.Props.Alarms has neither TopicARN nor TopicKMSKeyARN;
	// no topic is created. If empty, the first service's alarms create one
	// topic for the stack (see AlarmTopicKMSKeyARN). If it is encrypted, its
	// key policy must let cloudwatch.amazonaws.com use kms:Decrypt and
	// kms:GenerateDataKey*.
	AlarmTopicARN string
	// AlarmTopicKMSKeyARN encrypts the stack's alarm topic with this
	// customer managed key (same requirement) instead of a key created with
	// the topic. Not with AlarmTopicARN.
	AlarmTopicKMSKeyARN string
	// LogKMSKeyARN encrypts the log group of every service whose
	// service.Props.LogKMSKeyARN is empty. It must be in the stack's region
	// and its key policy must let logs.<region>.amazonaws.com use it.
	LogKMSKeyARN string
	// Tags are the service.Props.Tags of every service that gives none (its
	// alarms, topic and key included). Tags for every resource of the stack
	// are the provider's default tags (awsprovider.Props.DefaultTags).
	Tags map[string]string
	// Namespace is the Service Connect namespace of every service that
	// serves or calls (service.Props.ServiceConnect.Serve or Calls) without
	// a ServiceConnect.Namespace of its own.
	Namespace *connect.Namespace
}

// Validate checks props without a stack and returns every problem.
func Validate(props Props) error {
	c := verify.New("stackdefaults.New")
	check(c, props)
	return c.Err()
}

func check(c *verify.Checker, p Props) {
	c.FakeTokens("Defaults", p)
	if p.AlarmTopicARN != "" {
		c.SNSTopicARN("Defaults.AlarmTopicARN", p.AlarmTopicARN)
		if p.AlarmTopicKMSKeyARN != "" {
			c.Add("Defaults.AlarmTopicKMSKeyARN", p.AlarmTopicKMSKeyARN, "conflicts with AlarmTopicARN: the key only encrypts a topic the library creates")
		}
	}
	if p.AlarmTopicKMSKeyARN != "" {
		if strings.EqualFold(p.AlarmTopicKMSKeyARN, alarms.AWSManagedSNSKey) {
			c.Add("Defaults.AlarmTopicKMSKeyARN", p.AlarmTopicKMSKeyARN, "CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key (its policy does not allow cloudwatch.amazonaws.com): give a customer managed key, or leave it empty for one the library creates")
		} else {
			c.KMSKeyARN("Defaults.AlarmTopicKMSKeyARN", p.AlarmTopicKMSKeyARN)
		}
	}
	if p.LogKMSKeyARN != "" {
		c.KMSKeyARN("Defaults.LogKMSKeyARN", p.LogKMSKeyARN)
	}
	c.Tags("Defaults.Tags", p.Tags)
	c.TagCount("Defaults.Tags", p.Tags, "Name")
	if p.Namespace != nil && p.Namespace.ARN == "" {
		c.Add("Defaults.Namespace", p.Namespace.Name, "has no ARN: it must come from connect.New or connect.FromARN")
	}
}

// New validates props and makes them the defaults of scope's stack. It
// creates no resource. It refuses a second call in a stack, a call after a
// service (or alarms) was created in it, and a LogKMSKeyARN of another
// region than the stack's provider; on error it sets nothing.
func New(scope constructs.Construct, props Props) error {
	c := verify.New("stackdefaults.New")
	if scope == nil {
		c.Add("scope", nil, "is required: the stack (or a construct in it) whose defaults these are")
		return c.Err()
	}
	check(c, props)
	region, err := stackwide.Region(scope)
	if err != nil {
		c.Add("scope", nil, "must be inside a cdktf.TerraformStack: %v", err)
		return c.Err()
	}
	if k := props.LogKMSKeyARN; k != "" && region != "" && !verify.IsToken(k) && !verify.IsToken(region) {
		if parts := strings.Split(k, ":"); len(parts) > 3 && parts[3] != region {
			c.Add("Defaults.LogKMSKeyARN", k, "is a key in %s, but the stack's log groups are in %s: CloudWatch Logs uses a KMS key of its own region only (CloudWatch Logs User Guide, Encrypt log data using AWS KMS)", parts[3], region)
		}
	}
	if err := c.Err(); err != nil {
		return err
	}
	if err := stackwide.SetDefaults(scope, stackwide.Defaults{
		AlarmTopicARN:       props.AlarmTopicARN,
		AlarmTopicKMSKeyARN: props.AlarmTopicKMSKeyARN,
		LogKMSKeyARN:        props.LogKMSKeyARN,
		Tags:                maps.Clone(props.Tags),
		Namespace:           props.Namespace,
	}); err != nil {
		c.Add("Defaults", nil, "%v", err)
		return c.Err()
	}
	return nil
}

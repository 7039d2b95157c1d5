// Package stackwide keeps what is set or looked up once per stack and read
// by every construct in it: the region of the stack's provider
// (awsprovider.New records it), the account and partition lookups (data
// aws_caller_identity and aws_partition, created by the first construct that
// needs them, where that construct created them before they were shared, so
// no address moves), the stack's shared alarm topic (created by the first
// service's alarms) and the defaults of stackdefaults.New.
//
// Like internal/registry, the record is keyed by the stack object, so
// several stacks and apps in one process never see each other's values.
//
// It imports constructs/connect for the default namespace's type, so that
// package cannot import this one.
package stackwide

import (
	"fmt"
	"sync"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopic"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/connect"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/tfx"
)

// NoRegion is the rule for a Region that is empty in a stack without an
// awsprovider.New provider.
const NoRegion = "is required: the stack has no provider from awsprovider.New, whose region every construct takes by default; create the stack's provider with awsprovider.New, or set Region"

// Lookup ids, in the scope of the construct that first needs them.
const (
	CallerIdentityID = "CallerIdentity"
	PartitionID      = "Partition"
)

// Defaults are the stack-wide defaults of stackdefaults.New.
type Defaults struct {
	AlarmTopicARN       string
	AlarmTopicKMSKeyARN string
	LogKMSKeyARN        string
	Tags                map[string]string
	Namespace           *connect.Namespace
}

// Topic is the stack's shared alarm topic and the key it was created with
// (nil when the key was given).
type Topic struct {
	ARN   string
	Topic snstopic.SnsTopic
	Key   kmskey.KmsKey
}

type record struct {
	region    string
	account   string
	partition string
	topic     *Topic

	// The paths of the constructs that created the account and partition
	// lookups and the shared topic, so that undoing one forgets it.
	accountPath, partitionPath, topicPath string

	defaults    Defaults
	defaultsSet bool
	// firstReader is the first construct that read the defaults (its scope
	// and id), for the error of a late stackdefaults.New.
	firstReader constructs.Construct
	readerID    string
}

var (
	mu     sync.Mutex
	stacks = map[cdktf.TerraformStack]*record{}
)

// of returns scope's stack and its record, creating the record.
func of(scope constructs.Construct) (*record, error) {
	if scope == nil {
		return nil, fmt.Errorf("no scope")
	}
	stack, err := registry.StackOf(scope)
	if err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	r := stacks[stack]
	if r == nil {
		r = &record{}
		stacks[stack] = r
	}
	return r, nil
}

// SetRegion records region as the region of scope's stack, unless one is
// recorded already (the stack's first provider wins).
func SetRegion(scope constructs.Construct, region string) error {
	r, err := of(scope)
	if err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	if r.region == "" {
		r.region = region
	}
	return nil
}

// Region returns the region of scope's stack, "" when the stack has no
// provider from awsprovider.New, and an error when scope is in no stack.
func Region(scope constructs.Construct) (string, error) {
	r, err := of(scope)
	if err != nil {
		return "", err
	}
	mu.Lock()
	defer mu.Unlock()
	return r.region, nil
}

// AccountID returns the account of scope's stack (a token of data
// aws_caller_identity). The first call in a stack creates the data source in
// scope with id CallerIdentityID and returns it as created; later calls
// return nil for it and the first one's attribute.
func AccountID(scope constructs.Construct) (string, dataawscalleridentity.DataAwsCallerIdentity, error) {
	r, err := of(scope)
	if err != nil {
		return "", nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	if r.account != "" {
		return r.account, nil, nil
	}
	ci := dataawscalleridentity.NewDataAwsCallerIdentity(scope, tfx.Str(CallerIdentityID), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
	r.account, r.accountPath = *ci.AccountId(), *ci.Node().Path()
	return r.account, ci, nil
}

// Partition is AccountID's twin for data aws_partition ("aws", "aws-cn", …),
// with id PartitionID.
func Partition(scope constructs.Construct) (string, dataawspartition.DataAwsPartition, error) {
	r, err := of(scope)
	if err != nil {
		return "", nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	if r.partition != "" {
		return r.partition, nil, nil
	}
	p := dataawspartition.NewDataAwsPartition(scope, tfx.Str(PartitionID), &dataawspartition.DataAwsPartitionConfig{})
	r.partition, r.partitionPath = *p.Partition(), *p.Node().Path()
	return r.partition, p, nil
}

// SharedTopic returns the stack's shared alarm topic, or nil before the
// first service's alarms created it.
func SharedTopic(scope constructs.Construct) (*Topic, error) {
	r, err := of(scope)
	if err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	return r.topic, nil
}

// SetSharedTopic records t as the stack's shared alarm topic.
func SetSharedTopic(scope constructs.Construct, t *Topic) error {
	r, err := of(scope)
	if err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	if r.topic == nil {
		r.topic = t
		if t.Topic != nil {
			r.topicPath, _ = tfx.Kernel(func() string { return *t.Topic.Node().Path() })
		}
	}
	return nil
}

// SetDefaults records d for scope's stack. It refuses a second call, and a
// call after a construct read the defaults (which it then did without them).
func SetDefaults(scope constructs.Construct, d Defaults) error {
	r, err := of(scope)
	if err != nil {
		return err
	}
	mu.Lock()
	set, reader, readerID := r.defaultsSet, r.firstReader, r.readerID
	if !set && reader == nil {
		r.defaults, r.defaultsSet = d, true
	}
	mu.Unlock()
	switch {
	case set:
		return fmt.Errorf("are already set: stackdefaults.New is called once per stack")
	case reader != nil:
		path, _ := tfx.Kernel(func() string { return *reader.Node().Path() })
		if path != "" {
			path += "/"
		}
		return fmt.Errorf("come after %q, which was created without them: call stackdefaults.New before the constructs that read the defaults (right after awsprovider.New)", path+readerID)
	}
	return nil
}

// DefaultsOf returns the defaults of scope's stack (zero without
// stackdefaults.New, or when scope is in no stack).
func DefaultsOf(scope constructs.Construct) Defaults {
	r, err := of(scope)
	if err != nil {
		return Defaults{}
	}
	mu.Lock()
	defer mu.Unlock()
	return r.defaults
}

// Read records that the construct id, created in scope, read the defaults of
// its stack: stackdefaults.New is refused from then on.
func Read(scope constructs.Construct, id string) {
	r, err := of(scope)
	if err != nil {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if r.firstReader == nil {
		r.firstReader, r.readerID = scope, id
	}
}

func init() { registry.RegisterReleaser(release) }

// release forgets what the construct at target (or below it) created or
// read: a refused constructor's undo removed it, so a later construct must
// look up the account again, create the shared topic again, and may be
// preceded by stackdefaults.New. An empty target is the whole stack.
func release(stack cdktf.TerraformStack, target string) {
	mu.Lock()
	defer mu.Unlock()
	r := stacks[stack]
	if r == nil {
		return
	}
	if target == "" {
		delete(stacks, stack)
		return
	}
	if r.accountPath != "" && registry.Under(r.accountPath, target) {
		r.account, r.accountPath = "", ""
	}
	if r.partitionPath != "" && registry.Under(r.partitionPath, target) {
		r.partition, r.partitionPath = "", ""
	}
	if r.topicPath != "" && registry.Under(r.topicPath, target) {
		r.topic, r.topicPath = nil, ""
	}
	if r.firstReader != nil {
		if p, err := tfx.Kernel(func() string { return registry.ChildPath(r.firstReader, r.readerID) }); err == nil && registry.Under(p, target) {
			r.firstReader, r.readerID = nil, ""
		}
	}
}

// Package cluster creates an ECS cluster for Fargate services, with Container
// Insights on and the FARGATE and FARGATE_SPOT capacity providers attached,
// or refers to an existing cluster by name.
package cluster

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsclustercapacityproviders"

	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/txn"
)

// The capacity providers a Fargate cluster can use.
const (
	Fargate     = "FARGATE"
	FargateSpot = "FARGATE_SPOT"
)

// capacityProviders are the providers attached to every cluster New creates.
var capacityProviders = []string{Fargate, FargateSpot}

// CapacityProviders returns the providers attached to every cluster New creates. It is a copy: changing it changes no check.
func CapacityProviders() []string { return slices.Clone(capacityProviders) }

// Strategy is one entry of a capacity provider strategy: Base tasks run on
// Provider first, then the rest are spread by Weight.
type Strategy struct {
	Provider string
	Base     int
	Weight   int
}

// defaultStrategy runs every task on regular (on-demand) Fargate.
var defaultStrategy = []Strategy{{Provider: Fargate, Weight: 1}}

// DefaultStrategy returns the strategy of a cluster whose Props.DefaultStrategy is empty: every task on regular (on-demand) Fargate. It is a copy: changing it changes no check.
func DefaultStrategy() []Strategy { return slices.Clone(defaultStrategy) }

// spotStrategy runs every task on Fargate Spot: about 70 % cheaper, and a task
// can be stopped with two minutes' notice. Suits development and batch work.
var spotStrategy = []Strategy{{Provider: FargateSpot, Weight: 1}}

// SpotStrategy returns a strategy that runs every task on Fargate Spot. It is a copy: changing it changes no check.
func SpotStrategy() []Strategy { return slices.Clone(spotStrategy) }

// Props configures a [Cluster]. The zero value, with a Name, has Container
// Insights on and runs tasks on regular Fargate by default.
type Props struct {
	// Name of the cluster: 1-255 letters, digits, hyphens and underscores.
	// Required.
	Name string
	// DisableContainerInsights turns off CloudWatch Container Insights
	// (Security Hub control ECS.12 expects it on).
	DisableContainerInsights bool
	// DefaultStrategy is used by services that give no strategy and no launch
	// type. If empty, DefaultStrategy.
	DefaultStrategy []Strategy
	// Tags are added to the cluster.
	Tags map[string]string
	// ExecAudit logs ECS Exec sessions; needed by services with ECS Exec.
	ExecAudit ExecAudit
}

// Cluster is what [New] created, or what [FromName] refers to. Cluster and
// capacityProviders are nil for an existing cluster.
type Cluster struct {
	Name string
	// ARN is the cluster's ARN: a token for a created cluster, or empty for an
	// existing one referred to by name (the ECS API accepts either).
	ARN               string
	ECSCluster        ecscluster.EcsCluster
	CapacityProviders ecsclustercapacityproviders.EcsClusterCapacityProviders
	// ExecLogGroup receives ECS Exec session logs (ExecAudit); nil without
	// it. ExecLogGroupName and ExecLogGroupARN are empty then.
	ExecLogGroup     cloudwatchloggroup.CloudwatchLogGroup
	ExecLogGroupName string
	ExecLogGroupARN  string
}

// Ref returns what an ECS service's cluster argument takes: the ARN when
// known, else the name.
func (c *Cluster) Ref() string {
	if c.ARN != "" {
		return c.ARN
	}
	return c.Name
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// FromName refers to an existing cluster. It creates nothing.
func FromName(name string) (*Cluster, error) {
	c := verify.New("cluster.FromName")
	c.Pattern("Name", name, nameRE, "must be 1-255 letters, digits, hyphens or underscores")
	c.NoFakeToken("Name", name)
	if err := c.Err(); err != nil {
		return nil, err
	}
	return &Cluster{Name: name}, nil
}

// checkStrategy records a problem for each invalid entry of a capacity
// provider strategy. Other constructs that take a strategy use it too.
func checkStrategy(c *verify.Checker, field string, strategy []Strategy) {
	seen := map[string]bool{}
	bases := 0
	weights := 0
	for i, s := range strategy {
		f := fmt.Sprintf("%s[%d]", field, i)
		if verify.OneOf(c, f+".Provider", s.Provider, capacityProviders) && seen[s.Provider] {
			c.Add(f+".Provider", s.Provider, "is listed twice")
		}
		seen[s.Provider] = true
		c.Range(f+".Base", s.Base, 0, 100000)
		c.Range(f+".Weight", s.Weight, 0, 1000)
		if s.Base > 0 {
			bases++
		}
		weights += s.Weight
	}
	if bases > 1 {
		c.Add(field, fmt.Sprint(strategy), "only one entry may have a Base")
	}
	if len(strategy) > 0 && weights == 0 {
		c.Add(field, fmt.Sprint(strategy), "at least one entry needs a Weight above 0")
	}
}

// ValidateStrategy checks a capacity provider strategy as New checks
// Props.DefaultStrategy and service.New checks CapacityProviderStrategy,
// and returns a *propcheck.Error whose fields are relative to the slice
// ("[0].Provider"), or nil.
func ValidateStrategy(strategy []Strategy) error {
	c := verify.New("cluster.ValidateStrategy")
	checkStrategy(c, "", strategy)
	return c.Err()
}

// entry is what New claims in its stack (without scope and id).
func entry(props Props) registry.Entry {
	return registry.Entry{
		Op: "cluster.New", Props: props,
		Names:     []registry.Name{{Kind: registry.Cluster, Value: props.Name, Field: "Name"}},
		TagsField: "Tags", Tags: props.Tags,
	}
}

func init() {
	registry.RegisterPlanner("cluster.New", func(props any) (registry.Entry, bool) {
		p, ok := props.(Props)
		if !ok || Validate(p) != nil {
			return registry.Entry{}, false
		}
		return entry(p), true
	})
}

// Validate checks props without creating anything and returns every problem.
func Validate(props Props) error {
	c := verify.New("cluster.New")
	c.Pattern("Name", props.Name, nameRE, "must be 1-255 letters, digits, hyphens or underscores")
	checkStrategy(c, "DefaultStrategy", props.DefaultStrategy)
	c.Tags("Tags", props.Tags)
	c.TagCount("Tags", props.Tags)
	c.FakeTokens("", props)
	checkExecAudit(c, props.ExecAudit)
	return c.Err()
}

// New validates props and creates the cluster under scope/id. On invalid props
// it returns a *propcheck.Error and creates nothing.
func New(scope constructs.Construct, id string, props Props) (_ *Cluster, err error) {
	if err := Validate(props); err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	var undo txn.Undo
	defer undo.OnError(&err)
	s, err := undo.Enter(scope, id, entry(props))
	if err != nil {
		return nil, err
	}
	insights := "enabled"
	if props.DisableContainerInsights {
		insights = "disabled"
	}
	out := &Cluster{Name: props.Name}
	cl := ecscluster.NewEcsCluster(s, tfx.Str("Cluster"), &ecscluster.EcsClusterConfig{
		Name:          &props.Name,
		Configuration: execConfiguration(s, props, out),
		Setting: &[]*ecscluster.EcsClusterSetting{{
			Name:  tfx.Str("containerInsights"),
			Value: &insights,
		}},
		Tags: tfx.Tags(props.Tags),
	})
	strategy := props.DefaultStrategy
	if len(strategy) == 0 {
		strategy = defaultStrategy
	}
	items := make([]*ecsclustercapacityproviders.EcsClusterCapacityProvidersDefaultCapacityProviderStrategy, len(strategy))
	for i, st := range strategy {
		items[i] = &ecsclustercapacityproviders.EcsClusterCapacityProvidersDefaultCapacityProviderStrategy{
			CapacityProvider: tfx.Str(st.Provider),
			Base:             tfx.Num(st.Base),
			Weight:           tfx.Num(st.Weight),
		}
	}
	cp := ecsclustercapacityproviders.NewEcsClusterCapacityProviders(s, tfx.Str("CapacityProviders"), &ecsclustercapacityproviders.EcsClusterCapacityProvidersConfig{
		ClusterName:                     cl.Name(),
		CapacityProviders:               tfx.Strs(capacityProviders),
		DefaultCapacityProviderStrategy: &items,
	})
	out.ARN, out.ECSCluster, out.CapacityProviders = *cl.Arn(), cl, cp
	if err := txn.Fault("cluster.New"); err != nil {
		return nil, err
	}
	return out, nil
}

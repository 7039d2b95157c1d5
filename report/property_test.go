package report_test

import (
	"path/filepath"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/alarms"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/fuzzprops"
	"github.com/fargatekit/fargatekit/internal/reportcheck"
	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/stacks"
)

const givenTopic = "arn:aws:sns:us-east-1:123456789012:ops-alarms"

// modes are configurations built for the modes the default stacks and the
// variants do not reach: an existing VPC given by id, alarms to a given
// topic, images a pipeline deploys, a worker, and a service on a host rule.
func modes() []stacks.Variant {
	withWorkerAndHost := func(cfg stacks.Config, topic string) stacks.Config {
		api := stacks.Production().ServiceProps
		api.Name = "api"
		api.Alarms = alarms.Props{TopicARN: topic}
		cfg.Routes = []stacks.Route{{ID: "Api", Rule: loadbalancer.RuleProps{Name: "api", HostHeaders: []string{"api.example.com"}, Priority: 10}, ServiceProps: api}}
		w := stacks.Production().ServiceProps
		w.Name = "worker"
		w.Alarms = alarms.Props{TopicARN: topic}
		cfg.Workers = []stacks.Worker{{ID: "Worker", ServiceProps: w}}
		return cfg
	}
	existing := stacks.Production()
	existing.StackName = "existing-vpc-given-topic"
	existing.NetworkProps = network.Props{VPCID: "vpc-0abc1234def567890",
		PublicSubnetIDs:  []string{"subnet-0aaa1111bbb222333", "subnet-0aaa1111bbb222334"},
		PrivateSubnetIDs: []string{"subnet-0ccc1111bbb222333", "subnet-0ccc1111bbb222334"}}
	existing.ServiceProps.Alarms = alarms.Props{TopicARN: givenTopic}
	existing.ServiceProps.Deployment = service.Deployment{ImageOwner: service.PipelineOwnsImage}
	existing = withWorkerAndHost(existing, givenTopic)

	created := stacks.Production()
	created.StackName = "created-vpc-pipeline"
	created.ServiceProps.Deployment = service.Deployment{ImageOwner: service.PipelineOwnsImage}
	created = withWorkerAndHost(created, "")
	return []stacks.Variant{{Name: existing.StackName, Config: existing}, {Name: created.StackName, Config: created}}
}

// fuzzAccepted are the configs of the stacks fuzz corpus
// (stacks/testdata/fuzz/FuzzNew) that stacks.Validate accepts, decoded onto
// Production() as FuzzNew decodes them, named by their corpus file. Inputs
// the fuzzer finds and that get committed to the corpus join the property
// test here.
func fuzzAccepted(t *testing.T) []stacks.Variant {
	t.Helper()
	corpus, err := fuzzprops.ReadCorpus(filepath.Join("..", "stacks", "testdata", "fuzz", "FuzzNew"))
	if err != nil {
		t.Fatal(err)
	}
	base := fuzzprops.Encode(stacks.Production())
	var out []stacks.Variant
	for _, name := range testutil.SortedKeys(corpus) {
		cfg, ok := fuzzprops.Decode[stacks.Config](base, corpus[name])
		if !ok || stacks.Validate(cfg) != nil {
			continue
		}
		out = append(out, stacks.Variant{Name: "fuzz/" + name, Config: cfg})
	}
	return out
}

// TestEveryModeIsDrawnAndPricedCompletely is the property of the report
// (reportcheck.Check) over the default stacks, every variant, the modes
// above and every config of the stacks fuzz corpus that stacks.Validate
// accepts; the root tests of the examples (examples_test.go, main_test.go)
// hold the examples to it.
func TestEveryModeIsDrawnAndPricedCompletely(t *testing.T) {
	var all []stacks.Variant
	for _, c := range stacks.Defaults() {
		all = append(all, stacks.Variant{Name: c.StackName, Config: c})
	}
	all = append(all, stacks.Variants()...)
	all = append(all, modes()...)
	fuzzed := fuzzAccepted(t)
	// The corpus holds the six accepted seeds of stacks' FuzzNew at least;
	// fewer means the corpus was not found or no longer decodes.
	if len(fuzzed) < 6 {
		t.Fatalf("only %d accepted configs in the stacks fuzz corpus: %v", len(fuzzed), fuzzed)
	}
	all = append(all, fuzzed...)
	reached := map[string]bool{}
	for _, v := range all {
		t.Run(v.Name, func(t *testing.T) {
			app := testutil.TestApp()
			st, err := stacks.New(app, v.Config)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := testutil.Synth(t, st.TerraformStack)
			r := reportcheck.Check(t, v.Name, raw, v.Config.NetworkProps.VPCID)
			for _, m := range reportcheck.Reached(r, givenTopic) {
				reached[m] = true
			}
		})
	}
	// The property is only as strong as the modes it ran over.
	for _, m := range reportcheck.Modes {
		if !reached[m] {
			t.Errorf("no stack of the property test has %s", m)
		}
	}
}

package stacks

// Fuzzing: FuzzNew decodes the fuzzer's bytes as JSON onto Production() and
// holds stacks.Validate to its property (accept, or a *propcheck.Error whose
// problems name fields; never a panic). Each constructor package has its own
// target over its props. The committed seed corpora hold every hostile case
// of hostile_test.go (TestFuzzCorpusHoldsEveryHostileCase keeps them in step;
// -update rewrites them), and the accepted configs of the corpus are
// synthesized and passed through `terraform validate` in one batch
// (TestFuzzAcceptedConfigsAreValidTerraform).

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/constructs/cluster"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/constructs/network"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/fuzzprops"
	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/internal/tftest"
)

// fuzzAccepted are valid configs beyond the defaults that the corpus holds,
// so that the terraform-validate batch covers more than the defaults.
func fuzzAccepted() map[string]Config {
	endpoints := Production()
	endpoints.StackName = "endpoints"
	endpoints.NetworkProps.Egress = network.VPCEndpointsOnly
	endpoints.NetworkProps.ExtraEndpointServices = []string{"secretsmanager"}
	endpoints.ServiceProps.Containers[0].Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0"
	endpoints.ServiceProps.Containers[0].Secrets = map[string]container.Secret{"DB_PASSWORD": container.SecretsManager("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf")}
	endpoints.ServiceProps.Containers[0].Environment = map[string]string{"MAX_TOKENS": "512", "CSRF_TOKEN": "X-CSRF-Token"}
	endpoints.ServiceProps.Containers[0].NotCredentials = []string{"CSRF_TOKEN"}

	legacy := Development()
	legacy.StackName = "legacy-tls"
	legacy.LoadBalancerProps.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0000-0000-0000-000000000000"
	legacy.LoadBalancerProps.SSLPolicy = "ELBSecurityPolicy-TLS13-1-0-2021-06"
	legacy.LoadBalancerProps.AllowLegacyTLS = true
	legacy.ServiceProps.Containers = append(legacy.ServiceProps.Containers, container.Definition{Name: "metrics", Image: "prom/statsd-exporter:v0.27.0", NonEssential: true,
		PortMappings: []container.PortMapping{{ContainerPort: 9102}, {ContainerPort: 9125, Protocol: "udp"}}})

	return map[string]Config{"accepted-production": Production(), "accepted-development": Development(),
		"accepted-endpoints": endpoints, "accepted-legacy-tls": legacy, "accepted-tricky": hostileLegitimateConfig(), "accepted-platform": Platform()}
}

// FuzzNew: stacks.Validate over a whole Config.
func FuzzNew(f *testing.F) {
	seeds := []Config{}
	for _, name := range testutil.SortedKeys(fuzzAccepted()) {
		seeds = append(seeds, fuzzAccepted()[name])
	}
	fuzzprops.Run(f, Production(), Validate, seeds...)
}

// A seed for another package's fuzz target, recorded by the seed helpers
// that the hostile table's validate cases call.
type fuzzSeed struct {
	dir, target string
	value       any
}

var seedSink func(fuzzSeed)

func record(dir, target string, v any) {
	if seedSink != nil {
		seedSink(fuzzSeed{dir, target, v})
	}
}

func seedNetwork(p network.Props) error {
	record("../constructs/network", "FuzzNew", p)
	return network.Validate(p)
}

func seedCluster(p cluster.Props) error {
	record("../constructs/cluster", "FuzzNew", p)
	return cluster.Validate(p)
}

func seedFromName(name string) error {
	record("../constructs/cluster", "FuzzFromName", name)
	_, err := cluster.FromName(name)
	return err
}

func seedLB(p loadbalancer.Props) error {
	record("../constructs/loadbalancer", "FuzzNew", p)
	return loadbalancer.Validate(p)
}

func seedFromAttributes(a loadbalancer.Attributes) error {
	record("../constructs/loadbalancer", "FuzzFromAttributes", a)
	_, err := loadbalancer.FromAttributes(a)
	return err
}

func seedContainers(defs []container.Definition) error {
	record("../constructs/container", "FuzzCheck", defs)
	c := verify.New("test")
	c.MergeUnder("Containers", container.Validate(defs))
	return c.Err()
}

func seedService(p service.Props) error {
	record("../constructs/service", "FuzzNew", p)
	return service.Validate(p)
}

// corpusFiles are the files the seed corpora must hold: path -> data.
func corpusFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	own := filepath.Join("testdata", "fuzz", "FuzzNew")
	for name, cfg := range fuzzAccepted() {
		files[filepath.Join(own, name)] = fuzzprops.Encode(cfg)
	}
	for _, tc := range hostileCases() {
		if tc.mutate != nil {
			cfg := Production()
			tc.mutate(&cfg)
			files[filepath.Join(own, fuzzprops.FileName(tc.name))] = fuzzprops.Encode(cfg)
			continue
		}
		var seeds []fuzzSeed
		seedSink = func(s fuzzSeed) { seeds = append(seeds, s) }
		_ = tc.validate()
		seedSink = nil
		if len(seeds) != 1 {
			t.Fatalf("hostile case %s recorded %d fuzz seeds; its validate must call one seed helper", tc.name, len(seeds))
		}
		s := seeds[0]
		files[filepath.Join(s.dir, "testdata", "fuzz", s.target, fuzzprops.FileName(tc.name))] = fuzzprops.Encode(s.value)
	}
	for _, rc := range hostileRuleCases() {
		if rc.mutate == nil {
			continue // an id, not props
		}
		p := hostileRuleBase
		rc.mutate(&p)
		files[filepath.Join("..", "constructs", "loadbalancer", "testdata", "fuzz", "FuzzAddTarget", fuzzprops.FileName("addtarget/"+rc.name))] = fuzzprops.Encode(p)
	}
	return files
}

// TestFuzzCorpusHoldsEveryHostileCase: every hostile case (and every accepted
// variant) is a committed seed of the matching fuzz target, byte for byte;
// `go test ./stacks -run TestFuzzCorpus -update` rewrites them.
func TestFuzzCorpusHoldsEveryHostileCase(t *testing.T) {
	files := corpusFiles(t)
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		want := fuzzprops.CorpusFile(files[p])
		if *testutil.Update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("seed %s is missing or stale (run: go test ./stacks -run TestFuzzCorpus -update): %v", p, err)
		}
	}
	t.Logf("%d seed files", len(paths))
}

// TestFuzzHostileSeedsAreRefused: decoded from the corpus, each hostile seed
// of FuzzNew is still refused on its field, so the seeds prove something.
func TestFuzzHostileSeedsAreRefused(t *testing.T) {
	corpus, err := fuzzprops.ReadCorpus(filepath.Join("testdata", "fuzz", "FuzzNew"))
	if err != nil {
		t.Fatal(err)
	}
	base := fuzzprops.Encode(Production())
	for _, tc := range hostileCases() {
		if tc.mutate == nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			data, ok := corpus[fuzzprops.FileName(tc.name)]
			if !ok {
				t.Fatal("no seed")
			}
			cfg, ok := fuzzprops.Decode[Config](base, data)
			if !ok {
				t.Fatal("the seed does not decode")
			}
			hostileAssert(t, Validate(cfg), tc.field, tc.echo)
		})
	}
}

// TestFuzzAcceptedConfigsAreValidTerraform: every config of the FuzzNew
// corpus that Validate accepts is built, synthesized and run through
// `terraform validate` with the real provider, in one batch at the end.
// Inputs the fuzzer finds and that get committed to the corpus join it.
func TestFuzzAcceptedConfigsAreValidTerraform(t *testing.T) {
	corpus, err := fuzzprops.ReadCorpus(filepath.Join("testdata", "fuzz", "FuzzNew"))
	if err != nil {
		t.Fatal(err)
	}
	base := fuzzprops.Encode(Production())
	names := testutil.SortedKeys(corpus)
	// One batch: each accepted config becomes a module of one root, so a
	// single terraform init and validate (one provider start) checks all.
	root := t.TempDir()
	modules := map[string]any{}
	var accepted []string
	for _, name := range names {
		cfg, ok := fuzzprops.Decode[Config](base, corpus[name])
		if !ok || Validate(cfg) != nil {
			continue
		}
		accepted = append(accepted, name)
		raw, _, _ := synthOne(t, cfg)
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		// A module has no backend; the state location is not validated.
		if tf, ok := doc["terraform"].(map[string]any); ok {
			delete(tf, "backend")
		}
		dir := filepath.Join(root, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), fuzzprops.Encode(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		modules[strings.ReplaceAll(name, "-", "_")] = map[string]string{"source": "./" + name}
	}
	if len(accepted) < len(fuzzAccepted()) {
		t.Fatalf("only %d accepted configs in the corpus (%v); the accepted seeds alone are %d", len(accepted), accepted, len(fuzzAccepted()))
	}
	if err := os.WriteFile(filepath.Join(root, "main.tf.json"), fuzzprops.Encode(map[string]any{"module": modules}), 0o644); err != nil {
		t.Fatal(err)
	}
	if testing.Short() && !tftest.InCI() {
		t.Skip("-short: synthesized, terraform validate skipped")
	}
	tftest.Binary(t)
	tftest.Validate(t, root)
	t.Logf("terraform validate passed for %d accepted configs: %v", len(accepted), accepted)
	if !slices.Contains(accepted, "accepted-endpoints") {
		t.Error("the endpoints-only seed was not accepted")
	}
}

// Package e2e deploys every stack in stacks/ to a local AWS API emulator with
// the real Terraform AWS provider: apply, a plan that must show no change,
// destroy, and a look at what is left.
package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/internal/tftest"
	"github.com/fargatekit/fargatekit/stacks"
)

var _ = testutil.Update

// excused lists plan differences that are the emulator's fault, by exact
// resource address and attribute, each with the reason. A difference that is
// the library's fault is fixed in the library, never listed here.
var excused = map[string][]string{}

// synthMu serializes synthesis: the subtests run in parallel, and all of
// them talk to the one jsii kernel of the test binary.
var synthMu sync.Mutex

// synthStack synthesizes cfg, and the same config with the load balancer's
// deletion protection off (what an operator applies before tearing a
// protected stack down; nil when cfg has it off already), and returns the
// two cdk.tf.json documents.
func synthStack(t *testing.T, cfg stacks.Config) (main, teardown []byte) {
	t.Helper()
	synthMu.Lock()
	defer synthMu.Unlock()
	build := func(cfg stacks.Config) []byte {
		outdir := filepath.Join(t.TempDir(), "cdktf.out")
		app := cdktf.NewApp(&cdktf.AppConfig{Outdir: &outdir})
		if _, err := stacks.New(app, cfg); err != nil {
			t.Fatalf("stacks.New(%s): %v", cfg.StackName, err)
		}
		app.Synth()
		b, err := os.ReadFile(filepath.Join(outdir, "stacks", cfg.StackName, "cdk.tf.json"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	main = build(cfg)
	if !cfg.LoadBalancerProps.DisableDeletionProtection {
		cfg.LoadBalancerProps.DisableDeletionProtection = true
		teardown = build(cfg)
	}
	return main, teardown
}

// stackDir writes a stack's JSON into a private directory for one test,
// laid out like cdktf.out so that the relative state path stays inside it.
func stackDir(t *testing.T, name string, doc []byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cdktf.out", "stacks", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func timed(t *testing.T, what string, f func() error) time.Duration {
	t.Helper()
	start := time.Now()
	if err := f(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	d := time.Since(start).Round(100 * time.Millisecond)
	t.Logf("%s took %s", what, d)
	return d
}

// assertNoChanges plans and fails with every resource change and the
// attributes that differ, unless the difference is excused.
func assertNoChanges(t *testing.T, ctx context.Context, tf *tfexec.Terraform, dir string) {
	t.Helper()
	planFile := filepath.Join(dir, "check.tfplan")
	changed, err := tf.Plan(ctx, tfexec.Out(planFile))
	if err != nil {
		t.Fatalf("plan after apply: %v", err)
	}
	if !changed {
		return
	}
	plan, err := tf.ShowPlanFile(ctx, planFile)
	if err != nil {
		t.Fatalf("show plan: %v", err)
	}
	var problems []string
	for _, rc := range plan.ResourceChanges {
		if rc.Change == nil || rc.Change.Actions.NoOp() || rc.Change.Actions.Read() {
			continue
		}
		attrs := changedAttributes(rc.Change)
		var unexcused []string
		for _, a := range attrs {
			if !contains(excused[rc.Address], a) {
				unexcused = append(unexcused, a)
			}
		}
		if len(attrs) > 0 && len(unexcused) == 0 {
			t.Logf("excused emulator difference on %s: %v", rc.Address, attrs)
			continue
		}
		problems = append(problems, fmt.Sprintf("  %s %v: %s", rc.Address, rc.Change.Actions, describe(rc.Change, unexcused)))
	}
	if len(problems) > 0 {
		t.Fatalf("the plan after apply is not empty (a perpetual diff):\n%s", strings.Join(problems, "\n"))
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func changedAttributes(c *tfjson.Change) []string {
	before, _ := c.Before.(map[string]any)
	after, _ := c.After.(map[string]any)
	unknown, _ := c.AfterUnknown.(map[string]any)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if unknown[k] == true || !reflect.DeepEqual(before[k], after[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func describe(c *tfjson.Change, attrs []string) string {
	before, _ := c.Before.(map[string]any)
	after, _ := c.After.(map[string]any)
	var parts []string
	for _, a := range attrs {
		parts = append(parts, fmt.Sprintf("%s: %v -> %v", a, short(before[a]), short(after[a])))
	}
	return strings.Join(parts, "; ")
}

func short(v any) string {
	s := fmt.Sprintf("%v", v)
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// deployTarget is one stack the deploy test applies: a default stack, or a
// variant made deployable on the emulator.
type deployTarget struct {
	name string
	// config returns the stack's config for a running emulator.
	config func(t *testing.T, emu *emulator) stacks.Config
	// init adds options to terraform init; after checks or cleans up the
	// emulator once the stack is destroyed, before the inventory.
	init  []tfexec.InitOption
	after func(t *testing.T, emu *emulator, cfg stacks.Config)
	// applied checks the emulator after the apply, before the re-plan.
	applied func(t *testing.T, emu *emulator, cfg stacks.Config)
}

// deployTargets are the default stacks and every variant, for what the
// defaults do not exercise: VPC endpoints and prefix-list egress
// (endpoints-only); the HTTPS listener with its redirect, memory and
// request-count scaling, and state in S3 with the S3 lock file
// (https-s3-backend); KMS-encrypted log groups, secrets and a task policy
// (hardened).
func deployTargets() []deployTarget {
	var out []deployTarget
	for _, cfg := range stacks.Defaults() {
		target := deployTarget{name: cfg.StackName, config: func(*testing.T, *emulator) stacks.Config { return cfg }}
		if cfg.Domain != nil {
			// The stack looks its hosted zone up by name: the zone is the
			// test's input, created before the apply and removed after
			// the destroy.
			var zoneID string
			target.config = func(t *testing.T, emu *emulator) stacks.Config {
				zoneID = emu.input(t, "hosted-zone", cfg.Domain.ZoneName)
				return cfg
			}
			target.after = func(t *testing.T, emu *emulator, _ stacks.Config) {
				emu.input(t, "delete-hosted-zone", zoneID)
			}
		}
		if cfg.NamespaceProps != nil {
			target.applied = assertServiceConnect
		}
		out = append(out, target)
	}
	out = append(out,
		deployTarget{name: "endpoints-only", config: func(t *testing.T, _ *emulator) stacks.Config { return variant(t, "endpoints-only") }},
		deployTarget{
			name: "https-s3-backend",
			config: func(t *testing.T, emu *emulator) stacks.Config {
				cfg := variant(t, "https-s3-backend")
				// The emulator knows only certificates imported into it,
				// under ARNs of its choosing.
				cfg.LoadBalancerProps.CertificateARN = emu.importCertificate(t)
				// The S3 backend stays as synthesized: its bucket is created
				// in the emulator, which the backend reaches through
				// AWS_ENDPOINT_URL like the provider.
				emu.stateBucket(t, cfg.Backend.S3.Bucket)
				return cfg
			},
			// bucket.127.0.0.1 is no host: path-style addressing, given at
			// init time, so the synthesized JSON is unchanged.
			init: []tfexec.InitOption{tfexec.BackendConfig("use_path_style=true")},
			after: func(t *testing.T, emu *emulator, cfg stacks.Config) {
				// The certificate is the test's input, not the stack's.
				emu.input(t, "delete-certificate", cfg.LoadBalancerProps.CertificateARN)
				want := cfg.StackName + "/terraform.tfstate"
				if got := emu.stateObjects(t, cfg.Backend.S3.Bucket); !slices.Equal(got, []string{want}) {
					t.Errorf("state bucket %s holds %q, want only %s (the S3 backend, its lock file released)", cfg.Backend.S3.Bucket, got, want)
				}
			},
		},
		deployTarget{
			name: "hardened",
			config: func(t *testing.T, emu *emulator) stacks.Config {
				cfg := variant(t, "hardened")
				// Its certificate, key, secret and parameter are inputs the
				// stack refers to: real ones, created in the emulator.
				cfg.LoadBalancerProps.CertificateARN = emu.importCertificate(t)
				key := emu.input(t, "kms-key")
				cfg.ServiceProps.LogKMSKeyARN, cfg.NetworkProps.FlowLogKMSKeyARN = key, key
				cfg.ServiceProps.Containers[0].Secrets = map[string]container.Secret{
					"DB_PASSWORD": container.SecretsManagerJSONKey(emu.input(t, "secret", "web/db"), "password"),
					"API_TOKEN":   container.SSMParameter(emu.input(t, "parameter", "/web/api-token")),
				}
				return cfg
			},
			// The key, certificate and parameter are inputs and outlive the
			// stack: the test removes them (the key's deletion is scheduled,
			// as AWS allows) before the inventory looks.
			after: func(t *testing.T, emu *emulator, cfg stacks.Config) {
				emu.input(t, "delete-key", cfg.ServiceProps.LogKMSKeyARN)
				emu.input(t, "delete-certificate", cfg.LoadBalancerProps.CertificateARN)
				emu.input(t, "delete-parameter", "/web/api-token")
			},
		},
	)
	return out
}

func variant(t *testing.T, name string) stacks.Config {
	t.Helper()
	cfg, ok := stacks.VariantConfig(name)
	if !ok {
		t.Fatalf("no variant %q in stacks.Variants", name)
	}
	return cfg
}

// TestDeploy applies every default stack and every variant, each to its own
// emulator, plans again (no changes allowed),
// destroys, and checks that nothing is left. -run 'TestDeploy/<name>' picks
// one.
func TestDeploy(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("deploys to the emulator")
	}
	t.Parallel()
	tftest.Binary(t)
	for _, target := range deployTargets() {
		t.Run(target.name, func(t *testing.T) {
			// Each stack has its own emulator; most of an apply is waiting.
			t.Parallel()
			emu := startEmulator(t)
			cfg := target.config(t, emu)
			doc, teardown := synthStack(t, cfg)
			dir := stackDir(t, cfg.StackName, doc)
			tf := tftest.New(t, dir, emu.env())
			ctx := context.Background()
			timed(t, "init", func() error { return tf.Init(ctx, target.init...) })
			apply := timed(t, "apply", func() error { return tf.Apply(ctx) })
			if target.applied != nil {
				target.applied(t, emu, cfg)
			}
			plan := timed(t, "plan", func() error { assertNoChanges(t, ctx, tf, dir); return nil })
			if teardown != nil {
				if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), teardown, 0o644); err != nil {
					t.Fatal(err)
				}
				timed(t, "apply without deletion protection", func() error { return tf.Apply(ctx) })
			}
			destroy := timed(t, "destroy", func() error { return tf.Destroy(ctx) })
			if target.after != nil {
				target.after(t, emu, cfg)
			}
			if left := leftovers(emu.inventory(t)); left != "" {
				t.Fatalf("destroy left resources behind in the emulator:\n%s", left)
			}
			t.Logf("TIMING %s apply=%s plan=%s destroy=%s", target.name, apply, plan, destroy)
		})
	}
}

// assertServiceConnect checks, after the apply of a stack with a Service
// Connect namespace, that the emulator (whose ecs_service_connect patch
// refuses what AWS refuses) holds what the config asks for: each service
// that serves a port does so under its discovery name and alias in the
// stack's namespace, each service that calls others is a client of that
// namespace, and the services that do neither have no Service Connect.
func assertServiceConnect(t *testing.T, emu *emulator, cfg stacks.Config) {
	t.Helper()
	var got struct {
		Services map[string]struct {
			Enabled   bool
			Namespace string
			Serves    []string
		}
		Namespaces []string
	}
	if err := json.Unmarshal(emu.script(t, "connect.py", cfg.ClusterProps.Name), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Namespaces) != 1 {
		t.Fatalf("the emulator holds namespaces %v, want the stack's one", got.Namespaces)
	}
	type want struct {
		joins  bool
		serves []string
	}
	wants := map[string]want{}
	add := func(sp service.Props, calls []string) {
		var serves []string
		for _, e := range sp.ServiceConnect.Serve {
			name, port := cmp.Or(e.DiscoveryName, e.PortName), e.Port
			for _, c := range sp.Containers {
				for _, pm := range c.PortMappings {
					if port == 0 && pm.Name == e.PortName {
						port = pm.ContainerPort // the alias port defaults to the container's
					}
				}
			}
			serves = append(serves, fmt.Sprintf("%s=%s:%d", name, cmp.Or(e.DNSName, name), port))
		}
		slices.Sort(serves)
		wants[sp.Name] = want{joins: len(serves) > 0 || len(calls) > 0, serves: serves}
	}
	add(cfg.ServiceProps, nil)
	for _, r := range cfg.Routes {
		add(r.ServiceProps, r.Calls)
	}
	for _, w := range cfg.Workers {
		add(w.ServiceProps, w.Calls)
	}
	for name, w := range wants {
		g, ok := got.Services[name]
		switch {
		case !ok:
			t.Errorf("service %s is not in the emulator: %v", name, got.Services)
		case g.Enabled != w.joins:
			t.Errorf("service %s: Service Connect enabled = %v, want %v", name, g.Enabled, w.joins)
		case w.joins && g.Namespace != got.Namespaces[0]:
			t.Errorf("service %s joined namespace %q, want the stack's %q", name, g.Namespace, got.Namespaces[0])
		case !slices.Equal(g.Serves, w.serves):
			t.Errorf("service %s serves %v, want %v", name, g.Serves, w.serves)
		}
	}
}

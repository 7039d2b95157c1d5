package tfhcl

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/internal/tftest"
	"github.com/fargatekit/fargatekit/stacks"
)

// synthesized holds the cdk.tf.json of every default stack and variant, as
// `cdktf synth` writes it: with the "//" metadata that names come from.
var synthesized = sync.OnceValues(func() (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "tfhcl-synth-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: &dir})
	cfgs := stacks.Defaults()
	for _, v := range stacks.Variants() {
		cfgs = append(cfgs, v.Config)
	}
	for _, cfg := range cfgs {
		if _, err := stacks.New(app, cfg); err != nil {
			return nil, err
		}
	}
	app.Synth()
	out := map[string][]byte{}
	for _, cfg := range cfgs {
		b, err := os.ReadFile(filepath.Join(dir, "stacks", cfg.StackName, "cdk.tf.json"))
		if err != nil {
			return nil, err
		}
		out[cfg.StackName] = b
	}
	return out, nil
})

func allStacks(t *testing.T) map[string][]byte {
	t.Helper()
	s, err := synthesized()
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != len(stacks.Defaults())+len(stacks.Variants()) {
		t.Fatalf("synthesized %d stacks", len(s))
	}
	return s
}

// concat joins the files of a conversion, each under its name.
func concat(files map[string][]byte) []byte {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "# ---- %s ----\n", n)
		b.Write(files[n])
	}
	return []byte(b.String())
}

// TestDefaultStacksHCL: the HCL of each default stack, for reviewers to read.
func TestDefaultStacksHCL(t *testing.T) {
	all := allStacks(t)
	for _, cfg := range stacks.Defaults() {
		t.Run(cfg.StackName, func(t *testing.T) {
			res, err := Convert(cfg.StackName, all[cfg.StackName], Options{})
			if err != nil {
				t.Fatal(err)
			}
			testutil.Golden(t, cfg.StackName+".tf", concat(res.Files))
		})
	}
}

// TestEveryStackMeansTheSame: in every default stack and variant, each
// attribute of each resource, data source, output and local evaluates in the
// HCL to what it evaluates to in the JSON (references given values that name
// the original address), policy documents compared as JSON documents.
func TestEveryStackMeansTheSame(t *testing.T) {
	all := allStacks(t)
	for _, name := range testutil.SortedKeys(all) {
		t.Run(name, func(t *testing.T) {
			var doc map[string]map[string]map[string]map[string]any
			_ = json.Unmarshal(all[name], &doc)
			attrs := 0
			for _, byName := range doc["resource"] {
				for _, body := range byName {
					attrs += len(body)
				}
			}
			n := checkEquivalent(t, name, all[name], Options{})
			// Every attribute but the nested blocks, metadata and
			// meta-arguments: well over half of the keys.
			if n < attrs/2 {
				t.Errorf("compared only %d values of %d resource keys", n, attrs)
			}
			t.Logf("%d values compared", n)
		})
	}
}

// TestEveryStackIsValidTerraform: every default stack and variant converts;
// `terraform fmt -check` finds nothing to change and `terraform validate`
// (one init for all: each stack is a module of one root) accepts them.
func TestEveryStackIsValidTerraform(t *testing.T) {
	all := allStacks(t)
	root := t.TempDir()
	modules := map[string]any{}
	for _, name := range testutil.SortedKeys(all) {
		res, err := Convert(name, all[name], Options{})
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for f, b := range res.Files {
			if f == "versions.tf" {
				// A module has no backend; validate the rest.
				b = []byte(stripBackend(t, string(b)))
			}
			if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		modules[name] = map[string]string{"source": "./" + name}
	}
	raw, _ := json.MarshalIndent(map[string]any{"module": modules}, "", "  ")
	if err := os.WriteFile(filepath.Join(root, "main.tf.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if testing.Short() && !tftest.InCI() {
		t.Skip("-short: converted, terraform fmt and validate skipped")
	}
	tf := tftest.New(t, root, nil)
	ok, files, err := tf.FormatCheck(context.Background(), tfexec.Recursive(true), tfexec.Dir(root))
	if err != nil || !ok {
		t.Fatalf("terraform fmt -check: would change %v (err %v)", files, err)
	}
	tftest.Validate(t, root)
}

func stripBackend(t *testing.T, src string) string {
	i := strings.Index(src, "  backend \"")
	if i < 0 {
		return src
	}
	j := strings.Index(src[i:], "\n  }\n")
	if j < 0 {
		t.Fatalf("backend block without end:\n%s", src)
	}
	return src[:i] + src[i+j+len("\n  }\n"):]
}

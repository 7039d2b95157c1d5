// Package testutil holds what the project's tests share: the -update flag for
// golden files, a unified diff for their failures, one synthesis helper and
// small accessors for synthesized Terraform JSON.
//
// Every test package of the module imports it, so that `go test ./... -update`
// is accepted by every package in the run.
package testutil

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/jsiitune"
)

// Test binaries start the jsii kernel the way main does: with the lazy
// provider index, about 2 s and 400 MiB less per binary.
func init() { jsiitune.Apply() }

// Update is set by `go test -update`: golden files are rewritten instead of
// compared. Read the diff of what it rewrote before committing it.
var Update = flag.Bool("update", false, "rewrite golden files under testdata/ instead of comparing against them")

// TestApp returns an app for tests: cdktf's version stubbed, no output written.
func TestApp() cdktf.App {
	return cdktf.Testing_App(&cdktf.TestingAppConfig{StubVersion: boolPtr(true)})
}

func boolPtr(b bool) *bool { return &b }

// Synth synthesizes stack (with cdktf's validations) and returns the Terraform
// JSON document, pretty-printed with sorted keys, and its decoded form.
func Synth(t testing.TB, stack cdktf.TerraformStack) ([]byte, Doc) {
	t.Helper()
	raw, doc, err := SynthE(stack)
	if err != nil {
		t.Fatal(err)
	}
	return raw, doc
}

// SynthE is [Synth] returning its error, for callers that must not stop a
// test from inside a sync.Once (which would leave later callers with nothing).
func SynthE(stack cdktf.TerraformStack) (pretty []byte, doc Doc, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synthesis failed: %v", r)
		}
	}()
	raw := cdktf.Testing_Synth(stack, boolPtr(true))
	var m map[string]any
	if err := json.Unmarshal([]byte(*raw), &m); err != nil {
		return nil, nil, fmt.Errorf("synthesized JSON does not parse: %v", err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	return append(b, '\n'), Doc(m), nil
}

// Golden compares got with testdata/<name>.golden, or rewrites the file when
// -update is set. A mismatch fails with a unified diff and the command that
// refreshes the file.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *Update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v\nCreate it with: go test -run '%s' -update ./<this package>", err, t.Name())
	}
	if bytes.Equal(want, got) {
		return
	}
	t.Fatalf("synthesized output differs from %s:\n%s\nIf every change is intended (a changed resource address replaces a live resource), refresh with: go test -run '%s' -update ./<this package>",
		path, UnifiedDiff(string(want), string(got)), t.Name())
}

// Doc is a synthesized Terraform JSON document.
type Doc map[string]any

// Resources returns the resources of one type, keyed by their Terraform name.
func (d Doc) Resources(typ string) map[string]map[string]any {
	return d.block("resource", typ)
}

// Data returns the data sources of one type, keyed by their Terraform name.
func (d Doc) Data(typ string) map[string]map[string]any {
	return d.block("data", typ)
}

func (d Doc) block(kind, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	all, _ := d[kind].(map[string]any)
	byName, _ := all[typ].(map[string]any)
	for name, v := range byName {
		if m, ok := v.(map[string]any); ok {
			out[name] = m
		}
	}
	return out
}

// One returns the only resource of a type and fails the test if there is not
// exactly one.
func (d Doc) One(t testing.TB, typ string) (string, map[string]any) {
	t.Helper()
	rs := d.Resources(typ)
	if len(rs) != 1 {
		t.Fatalf("want exactly one %s, found %d: %v", typ, len(rs), SortedKeys(rs))
	}
	for name, r := range rs {
		return name, r
	}
	panic("unreachable")
}

// Addresses returns every resource address ("type.name") in the document, sorted.
func (d Doc) Addresses() []string {
	var out []string
	all, _ := d["resource"].(map[string]any)
	for typ, byName := range all {
		for name := range byName.(map[string]any) {
			out = append(out, typ+"."+name)
		}
	}
	sort.Strings(out)
	return out
}

// SortedKeys returns the keys of m in order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Get walks a decoded JSON value along a path of map keys and list indexes and
// returns what it finds, or nil.
func Get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		default:
			panic(fmt.Sprintf("testutil.Get: bad path element %v", p))
		}
	}
	return v
}

// UnifiedDiff returns a line diff of a and b in unified form with 3 lines of
// context.
func UnifiedDiff(a, b string) string {
	x := strings.SplitAfter(a, "\n")
	y := strings.SplitAfter(b, "\n")
	// Longest common subsequence table; golden files are small enough.
	n, m := len(x), len(y)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		kind byte
		line string
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, op{' ', x[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, op{'+', y[j]})
			j++
		default:
			ops = append(ops, op{'-', x[i]})
			i++
		}
	}
	var out strings.Builder
	out.WriteString("--- want\n+++ got\n")
	const ctx = 3
	for k := 0; k < len(ops); k++ {
		if ops[k].kind == ' ' {
			continue
		}
		start := max(0, k-ctx)
		end := k
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run-end > 2*ctx || run == len(ops) {
				end = min(len(ops), end+ctx)
				break
			}
			end = run
		}
		fmt.Fprintf(&out, "@@ op %d-%d @@\n", start, end)
		for _, o := range ops[start:end] {
			line := strings.TrimSuffix(o.line, "\n")
			fmt.Fprintf(&out, "%c%s\n", o.kind, line)
		}
		k = end
	}
	return out.String()
}

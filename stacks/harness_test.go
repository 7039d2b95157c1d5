package stacks

import (
	"fmt"
	"sync"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

// synthesized holds every default stack, synthesized once per test binary:
// each synthesis shares one jsii kernel, and starting it is the slow part.
type synthesized struct {
	JSON map[string][]byte
	Doc  map[string]testutil.Doc
	// Stacks are the built stacks, for tests that inspect exported fields.
	Stacks map[string]*Stack
}

// synthesizeAll builds and synthesizes every named config, each in its own
// app. It returns its error rather than failing a test: it runs inside a
// sync.Once, where a t.Fatalf would stop only the first caller and leave every
// later test with zero stacks and zero subtests, passing.
func synthesizeAll(named []Variant) (synthesized, error) {
	out := synthesized{JSON: map[string][]byte{}, Doc: map[string]testutil.Doc{}, Stacks: map[string]*Stack{}}
	for _, v := range named {
		st, err := New(testutil.TestApp(), v.Config)
		if err != nil {
			return out, fmt.Errorf("building %s: %w", v.Name, err)
		}
		raw, doc, err := testutil.SynthE(st.TerraformStack)
		if err != nil {
			return out, fmt.Errorf("synthesizing %s: %w", v.Name, err)
		}
		out.Stacks[v.Name], out.JSON[v.Name], out.Doc[v.Name] = st, raw, doc
	}
	return out, nil
}

// synthOnce synthesizes a set of stacks once per test binary and hands the
// result, or its error, to every caller.
type synthOnce struct {
	once sync.Once
	out  synthesized
	err  error
}

func (o *synthOnce) get(t testing.TB, named func() []Variant) synthesized {
	t.Helper()
	o.once.Do(func() { o.out, o.err = synthesizeAll(named()) })
	if o.err != nil {
		t.Fatal(o.err)
	}
	return o.out
}

var defaultsOnce, variantsOnce synthOnce

// defaults returns the synthesized default stacks (Production, Development),
// keyed by stack name.
func defaults(t testing.TB) synthesized {
	return defaultsOnce.get(t, func() []Variant {
		var named []Variant
		for _, cfg := range Defaults() {
			named = append(named, Variant{Name: cfg.StackName, Config: cfg})
		}
		return named
	})
}

// variants returns every synthesized [Variants] config, keyed by variant name.
func variants(t testing.TB) synthesized { return variantsOnce.get(t, Variants) }

// synthOne builds and synthesizes one extra config in its own app (the kernel
// is already running, so this costs well under a second).
func synthOne(t testing.TB, cfg Config) ([]byte, testutil.Doc, *Stack) {
	t.Helper()
	app := testutil.TestApp()
	st, err := New(app, cfg)
	if err != nil {
		t.Fatalf("New(%s): %v", cfg.StackName, err)
	}
	raw, doc := testutil.Synth(t, st.TerraformStack)
	return raw, doc, st
}

// forEachStack runs f as a subtest for every default stack.
func forEachStack(t *testing.T, f func(t *testing.T, name string, doc testutil.Doc)) {
	s := defaults(t)
	for _, name := range testutil.SortedKeys(s.Doc) {
		t.Run(name, func(t *testing.T) { f(t, name, s.Doc[name]) })
	}
}

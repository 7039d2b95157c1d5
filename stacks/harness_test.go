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

var (
	synthOnce sync.Once
	synthOut  synthesized
	synthErr  error
)

// defaults returns the synthesized default stacks (Production, Development).
func defaults(t testing.TB) synthesized {
	t.Helper()
	synthOnce.Do(func() {
		synthOut = synthesized{JSON: map[string][]byte{}, Doc: map[string]testutil.Doc{}, Stacks: map[string]*Stack{}}
		app := testutil.TestApp()
		for _, cfg := range Defaults() {
			st, err := New(app, cfg)
			if err != nil {
				synthErr = err
				return
			}
			synthOut.Stacks[cfg.StackName] = st
		}
		for name, st := range synthOut.Stacks {
			// Not testutil.Synth: a t.Fatalf here would stop only the first
			// caller and leave every later test with zero stacks and zero
			// subtests, passing. The error is kept and fails every caller.
			raw, doc, err := testutil.SynthE(st.Stack)
			if err != nil {
				synthErr = fmt.Errorf("synthesizing %s: %w", name, err)
				return
			}
			synthOut.JSON[name], synthOut.Doc[name] = raw, doc
		}
		if len(synthOut.Doc) != len(Defaults()) {
			synthErr = fmt.Errorf("synthesized %d stacks, want the %d of Defaults()", len(synthOut.Doc), len(Defaults()))
		}
	})
	if synthErr != nil {
		t.Fatalf("building the default stacks: %v", synthErr)
	}
	return synthOut
}

var (
	variantsOnce sync.Once
	variantsOut  synthesized
	variantsErr  error
)

// variants returns every synthesized [Variants] config, keyed by variant
// name, built once per test binary like the defaults.
func variants(t testing.TB) synthesized {
	t.Helper()
	defaults(t) // the kernel's start is paid there
	variantsOnce.Do(func() {
		variantsOut = synthesized{JSON: map[string][]byte{}, Doc: map[string]testutil.Doc{}, Stacks: map[string]*Stack{}}
		for _, v := range Variants() {
			st, err := New(testutil.TestApp(), v.Config)
			if err != nil {
				variantsErr = fmt.Errorf("building variant %s: %w", v.Name, err)
				return
			}
			raw, doc, err := testutil.SynthE(st.Stack)
			if err != nil {
				variantsErr = fmt.Errorf("synthesizing variant %s: %w", v.Name, err)
				return
			}
			variantsOut.Stacks[v.Name], variantsOut.JSON[v.Name], variantsOut.Doc[v.Name] = st, raw, doc
		}
	})
	if variantsErr != nil {
		t.Fatal(variantsErr)
	}
	return variantsOut
}

// synthOne builds and synthesizes one extra config in its own app (the kernel
// is already running, so this costs well under a second).
func synthOne(t testing.TB, cfg Config) ([]byte, testutil.Doc, *Stack) {
	t.Helper()
	app := testutil.TestApp()
	st, err := New(app, cfg)
	if err != nil {
		t.Fatalf("New(%s): %v", cfg.StackName, err)
	}
	raw, doc := testutil.Synth(t, st.Stack)
	return raw, doc, st
}

// forEachStack runs f as a subtest for every default stack.
func forEachStack(t *testing.T, f func(t *testing.T, name string, doc testutil.Doc)) {
	s := defaults(t)
	for _, name := range testutil.SortedKeys(s.Doc) {
		t.Run(name, func(t *testing.T) { f(t, name, s.Doc[name]) })
	}
}

package stacks

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

// TestGoldenDefaults holds the synthesized JSON of every default stack.
func TestGoldenDefaults(t *testing.T) {
	s := defaults(t)
	for _, name := range testutil.SortedKeys(s.JSON) {
		t.Run(name, func(t *testing.T) { testutil.Golden(t, name, s.JSON[name]) })
	}
}

// TestGoldenVariants holds notable configurations beyond the defaults
// (Variants).
func TestGoldenVariants(t *testing.T) {
	v := variants(t)
	for _, name := range testutil.SortedKeys(v.JSON) {
		t.Run(name, func(t *testing.T) { testutil.Golden(t, name, v.JSON[name]) })
	}
}

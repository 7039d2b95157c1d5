// Package txntest proves that a constructor is transactional: a refusal
// leaves its scope exactly as it was (the construct tree, the names and
// holds the registry keeps for the stack, such as load balancer rule
// priorities), and the same id is usable again with fixed props.
//
// Walking the tree asks the kernel about every construct (two round trips
// each): keep the scopes that tests snapshot small.
package txntest

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/internal/fuzzprops"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// Snapshot is the state a refused constructor must leave as it found it:
// the path of every construct at or below each root, and the registry's
// names and holds of the roots' stacks (or, for an app, of its stacks).
func Snapshot(roots ...constructs.Construct) []string {
	var out []string
	for _, root := range roots {
		for _, c := range *root.Node().FindAll(constructs.ConstructOrder_PREORDER) {
			out = append(out, "construct "+*c.Node().Path())
		}
		out = append(out, registry.Snapshot(root)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Refused runs refuse, which must return a *propcheck.Error (and not
// panic), and fails t when the snapshot of roots differs afterwards; then,
// when retry is not nil, it runs retry (the same id with fixed props), which
// must succeed. It returns refuse's error.
func Refused(t testing.TB, roots []constructs.Construct, refuse, retry func() error) error {
	t.Helper()
	before := Snapshot(roots...)
	err := fuzzprops.Call(t, refuse)
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *propcheck.Error, got %T: %v", err, err)
	}
	if after := Snapshot(roots...); !slices.Equal(before, after) {
		t.Fatalf("the refusal changed the scope:\n%s\nthe error: %v", testutil.UnifiedDiff(strings.Join(before, "\n")+"\n", strings.Join(after, "\n")+"\n"), err)
	}
	if retry != nil {
		if err := fuzzprops.Call(t, retry); err != nil {
			t.Fatalf("the same id with fixed props was refused after the refusal: %v", err)
		}
	}
	return err
}

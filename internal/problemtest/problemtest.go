// Package problemtest asserts on the *propcheck.Error a constructor returns, for
// the hostile-input tables of the construct packages. (It is not part of
// testutil, which propcheck's own tests import.)
package problemtest

import (
	"errors"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/propcheck"
)

// One fails t unless err is a *propcheck.Error with exactly one
// problem, on field, whose printed form contains value (as printed, e.g.
// `"db"` for a string) and whose rule contains rule.
func One(t testing.TB, err error, field, value, rule string) {
	t.Helper()
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *propcheck.Error, got %v", err)
	}
	if len(pe.Problems) != 1 {
		t.Errorf("want exactly one problem, got %v", pe)
	}
	p := pe.Problems[0]
	if p.Field != field || !strings.Contains(p.String(), value) || !strings.Contains(p.Rule, rule) {
		t.Errorf("got %s\nwant field %s, value %s, rule containing %q", p, field, value, rule)
	}
}

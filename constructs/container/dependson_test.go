package container

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

var healthy = &HealthCheck{Command: []string{"CMD-SHELL", "true"}}

// TestDependsOnIsEmittedWithItsCondition: the app waits for the migration to
// succeed and the proxy to be healthy; an empty condition is written as
// START, the value ECS echoes, so a plan after apply shows no change.
func TestDependsOnIsEmittedWithItsCondition(t *testing.T) {
	out := render(t, []Definition{
		{Name: "app", Image: "app:1", DependsOn: []Dependency{
			{Container: "migrate", Condition: Success},
			{Container: "proxy", Condition: Healthy},
			{Container: "log-router"},
		}},
		{Name: "log-router", Image: "fluent-bit:3", NonEssential: true},
		{Name: "migrate", Image: "app:1", Command: []string{"migrate"}, NonEssential: true},
		{Name: "proxy", Image: "envoy:1", HealthCheck: healthy},
	})
	app := out[0]
	want := []struct{ name, cond string }{{"migrate", "SUCCESS"}, {"proxy", "HEALTHY"}, {"log-router", "START"}}
	for i, w := range want {
		if got := testutil.Get(app, "dependsOn", i, "containerName"); got != w.name {
			t.Errorf("dependsOn[%d].containerName = %v, want %s (order as given)", i, got, w.name)
		}
		if got := testutil.Get(app, "dependsOn", i, "condition"); got != w.cond {
			t.Errorf("dependsOn[%d].condition = %v, want %s", i, got, w.cond)
		}
	}
	for _, c := range out[1:] {
		if _, ok := c["dependsOn"]; ok {
			t.Errorf("container %v without DependsOn has a dependsOn key; ECS drops it and the plan would show a change", c["name"])
		}
	}
}

// TestDependsOnAcceptsAChain: a waits for b, b for c: no cycle.
func TestDependsOnAcceptsAChain(t *testing.T) {
	c := verify.New("t")
	checkDefinitions(c, "C", []Definition{
		{Name: "a", Image: "x", DependsOn: []Dependency{{Container: "b"}, {Container: "c", Condition: Healthy}}},
		{Name: "b", Image: "x", DependsOn: []Dependency{{Container: "c", Condition: Healthy}}},
		{Name: "c", Image: "x", HealthCheck: healthy},
	})
	if err := c.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestDependsOnRefuses(t *testing.T) {
	cases := map[string]struct {
		defs  []Definition
		field string
		value string
		rule  string
	}{
		"unknown name": {[]Definition{
			{Name: "app", Image: "x", DependsOn: []Dependency{{Container: "db"}}},
		}, "C[0].DependsOn[0].Container", `"db"`, "names no container of this task (containers: app)"},
		"empty name": {[]Definition{
			{Name: "app", Image: "x", DependsOn: []Dependency{{Condition: Start}}},
		}, "C[0].DependsOn[0].Container", `""`, "is required"},
		"itself": {[]Definition{
			{Name: "app", Image: "x", DependsOn: []Dependency{{Container: "app"}}},
		}, "C[0].DependsOn[0].Container", `"app"`, "cannot wait for itself"},
		"twice": {[]Definition{
			{Name: "app", Image: "x", DependsOn: []Dependency{{Container: "b"}, {Container: "b", Condition: Healthy}}},
			{Name: "b", Image: "x", HealthCheck: healthy},
		}, "C[0].DependsOn[1].Container", `"b"`, "listed twice"},
		"unknown condition": {[]Definition{
			{Name: "app", Image: "x", DependsOn: []Dependency{{Container: "b", Condition: "healthy"}}},
			{Name: "b", Image: "x", HealthCheck: healthy},
		}, "C[0].DependsOn[0].Condition", `"healthy"`, "must be one of START"},
		"healthy without health check": {[]Definition{
			{Name: "app", Image: "x", DependsOn: []Dependency{{Container: "proxy", Condition: Healthy}}},
			{Name: "proxy", Image: "x"},
		}, "C[0].DependsOn[0].Condition", `"HEALTHY"`, `container "proxy" has no HealthCheck`},
		"complete on essential": {[]Definition{
			{Name: "app", Image: "x", DependsOn: []Dependency{{Container: "migrate", Condition: Complete}}},
			{Name: "migrate", Image: "x"},
		}, "C[0].DependsOn[0].Condition", `"COMPLETE"`, `container "migrate" is essential`},
		"success on essential": {[]Definition{
			{Name: "app", Image: "x", NonEssential: true},
			{Name: "worker", Image: "x", DependsOn: []Dependency{{Container: "migrate", Condition: Success}}},
			{Name: "migrate", Image: "x"},
		}, "C[1].DependsOn[0].Condition", `"SUCCESS"`, "make it NonEssential"},
		"two-cycle": {[]Definition{
			{Name: "a", Image: "x", DependsOn: []Dependency{{Container: "b"}}},
			{Name: "b", Image: "x", DependsOn: []Dependency{{Container: "a"}}},
		}, "C[0].DependsOn", `"a -> b -> a"`, "is a cycle"},
		"three-cycle entered late": {[]Definition{
			{Name: "z", Image: "x", DependsOn: []Dependency{{Container: "b"}}},
			{Name: "a", Image: "x", DependsOn: []Dependency{{Container: "c"}}},
			{Name: "b", Image: "x", DependsOn: []Dependency{{Container: "a"}}},
			{Name: "c", Image: "x", DependsOn: []Dependency{{Container: "b"}}},
		}, "C[1].DependsOn", `"a -> c -> b -> a"`, "is a cycle"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := verify.New("t")
			checkDefinitions(c, "C", tc.defs)
			problemtest.One(t, c.Err(), tc.field, tc.value, tc.rule)
		})
	}
}

// TestDependsOnCycleReportedOnce: a cycle is one problem, not one per member,
// whichever container the search starts from.
func TestDependsOnCycleReportedOnce(t *testing.T) {
	c := verify.New("t")
	checkDefinitions(c, "C", []Definition{
		{Name: "a", Image: "x", DependsOn: []Dependency{{Container: "b"}, {Container: "c"}}},
		{Name: "b", Image: "x", DependsOn: []Dependency{{Container: "c"}}},
		{Name: "c", Image: "x", DependsOn: []Dependency{{Container: "a"}}},
	})
	err, _ := c.Err().(*propcheck.Error)
	if err == nil {
		t.Fatal("cycle accepted")
	}
	got := fmt.Sprint(err)
	if !strings.Contains(got, `"a -> b -> c -> a"`) || len(err.Problems) != 1 {
		t.Errorf("want the cycle a -> b -> c -> a once, got %v", err)
	}
}

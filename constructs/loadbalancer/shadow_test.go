package loadbalancer_test

import (
	"testing"

	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/internal/problemtest"
)

type ruleConds struct {
	hosts, paths []string
	priority     int
}

// GIVEN a rule on the listener WHEN a rule is added that it certainly
// shadows, or that certainly shadows it THEN AddTarget refuses the new rule
// on its Priority, naming the other rule and its priority; rules that
// overlap only partly, or only possibly, are accepted.
func TestAddTargetRefusesShadowedRules(t *testing.T) {
	hosts := func(h ...string) []string { return h }
	paths := hosts
	refused := map[string]struct {
		first, second ruleConds
		rule          string
	}{
		"same host": {ruleConds{hosts("api.example.com"), nil, 10}, ruleConds{hosts("api.example.com"), nil, 20},
			`can never match: rule "first" (AddTarget("First"), priority 10) is evaluated first`},
		"same host, other case": {ruleConds{hosts("API.example.com"), nil, 10}, ruleConds{hosts("api.example.com"), nil, 20}, "can never match"},
		"wildcard host first":   {ruleConds{hosts("*.example.com"), nil, 10}, ruleConds{hosts("api.example.com"), paths("/v1/*"), 20}, "can never match"},
		"all paths first":       {ruleConds{nil, paths("/*"), 10}, ruleConds{hosts("api.example.com"), paths("/api/*"), 20}, "can never match"},
		"prefix first":          {ruleConds{nil, paths("/api/*"), 10}, ruleConds{nil, paths("/api/v1/*", "/api/health"), 20}, "can never match"},
		"host only first":       {ruleConds{hosts("api.example.com"), nil, 10}, ruleConds{hosts("api.example.com"), paths("/admin/*"), 20}, "can never match"},
		"new rule shadows": {ruleConds{hosts("api.example.com"), paths("/v1/*"), 20}, ruleConds{hosts("*.example.com"), nil, 10},
			`would shadow rule "first" (AddTarget("First"), priority 20)`},
	}
	for name, tc := range refused {
		t.Run(name, func(t *testing.T) {
			_, alb := newALB(t, "")
			if _, err := alb.AddTarget("First", loadbalancer.RuleProps{Name: "first", HostHeaders: tc.first.hosts, PathPatterns: tc.first.paths, Priority: tc.first.priority}); err != nil {
				t.Fatal(err)
			}
			_, err := alb.AddTarget("Second", loadbalancer.RuleProps{Name: "second", HostHeaders: tc.second.hosts, PathPatterns: tc.second.paths, Priority: tc.second.priority})
			problemtest.One(t, err, "Priority", "", tc.rule)
		})
	}
	accepted := map[string]struct{ first, second ruleConds }{
		"other host":                {ruleConds{hosts("api.example.com"), nil, 10}, ruleConds{hosts("www.example.com"), nil, 20}},
		"narrower first":            {ruleConds{hosts("api.example.com"), nil, 10}, ruleConds{hosts("*.example.com"), nil, 20}},
		"one host of two covered":   {ruleConds{hosts("api.example.com"), nil, 10}, ruleConds{hosts("api.example.com", "www.example.com"), nil, 20}},
		"host first, any host next": {ruleConds{hosts("api.example.com"), paths("/*"), 10}, ruleConds{nil, paths("/api/*"), 20}},
		"path case differs":         {ruleConds{nil, paths("/API/*"), 10}, ruleConds{nil, paths("/api/*"), 20}},
		"prefix not certain":        {ruleConds{nil, paths("/api/*"), 10}, ruleConds{nil, paths("/api*"), 20}},
		"question mark not claimed": {ruleConds{hosts("a?i.example.com"), nil, 10}, ruleConds{hosts("api.example.com"), nil, 20}},
	}
	for name, tc := range accepted {
		t.Run(name, func(t *testing.T) {
			_, alb := newALB(t, "")
			if _, err := alb.AddTarget("First", loadbalancer.RuleProps{Name: "first", HostHeaders: tc.first.hosts, PathPatterns: tc.first.paths, Priority: tc.first.priority}); err != nil {
				t.Fatal(err)
			}
			if _, err := alb.AddTarget("Second", loadbalancer.RuleProps{Name: "second", HostHeaders: tc.second.hosts, PathPatterns: tc.second.paths, Priority: tc.second.priority}); err != nil {
				t.Errorf("refused: %v", err)
			}
		})
	}
}

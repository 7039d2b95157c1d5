package loadbalancer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

// GIVEN one ALB WHEN api.example.com and www.example.com are added by host
// THEN each rule has one host-header condition and no path condition, and a
// rule with both has one of each (a request must match both).
func TestAddTargetRoutesByHost(t *testing.T) {
	stack, alb := newALB(t, "")
	if _, err := alb.AddTarget("Api", loadbalancer.RuleProps{Name: "api", HostHeaders: []string{"api.example.com"}, Priority: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := alb.AddTarget("Www", loadbalancer.RuleProps{Name: "www", HostHeaders: []string{"www.example.com", "example.com"}, Priority: 20}); err != nil {
		t.Fatal(err)
	}
	if _, err := alb.AddTarget("Admin", loadbalancer.RuleProps{Name: "admin", HostHeaders: []string{"*.example.com"}, PathPatterns: []string{"/admin/*"}, Priority: 30}); err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)
	byPriority := map[float64]map[string]any{}
	for _, r := range doc.Resources("aws_lb_listener_rule") {
		byPriority[r["priority"].(float64)] = r
	}
	conds := func(p float64) []any { c, _ := byPriority[p]["condition"].([]any); return c }
	if c := conds(10); len(c) != 1 || testutil.Get(c[0], "host_header", "values", 0) != "api.example.com" || testutil.Get(c[0], "path_pattern") != nil {
		t.Errorf("api rule conditions = %v, want only host_header api.example.com", c)
	}
	if c := conds(20); len(c) != 1 || fmt.Sprint(testutil.Get(c[0], "host_header", "values")) != "[www.example.com example.com]" {
		t.Errorf("www rule conditions = %v, want host_header [www.example.com example.com]", c)
	}
	c := conds(30)
	if len(c) != 2 || testutil.Get(c[0], "host_header", "values", 0) != "*.example.com" || testutil.Get(c[1], "path_pattern", "values", 0) != "/admin/*" {
		t.Errorf("admin rule conditions = %v, want host_header *.example.com and path_pattern /admin/*", c)
	}
}

func TestAddTargetRefusesHosts(t *testing.T) {
	cases := map[string]struct {
		props loadbalancer.RuleProps
		field string
		value string
		rule  string
	}{
		"neither hosts nor paths": {loadbalancer.RuleProps{Name: "a"},
			"PathPatterns", "[]", "PathPatterns such as \"/api/*\", HostHeaders such as \"api.example.com\", or both"},
		"scheme": {loadbalancer.RuleProps{Name: "a", HostHeaders: []string{"https://api.example.com"}},
			"HostHeaders[0]", `"https://api.example.com"`, "no scheme, port or path"},
		"port": {loadbalancer.RuleProps{Name: "a", HostHeaders: []string{"api.example.com:8443"}},
			"HostHeaders[0]", `"api.example.com:8443"`, "no scheme, port or path"},
		"no dot": {loadbalancer.RuleProps{Name: "a", HostHeaders: []string{"localhost"}},
			"HostHeaders[0]", `"localhost"`, `at least one "."`},
		"digits after last dot": {loadbalancer.RuleProps{Name: "a", HostHeaders: []string{"10.0.0.1"}},
			"HostHeaders[0]", `"10.0.0.1"`, `only letters after the last "."`},
		"underscore": {loadbalancer.RuleProps{Name: "a", HostHeaders: []string{"my_api.example.com"}},
			"HostHeaders[0]", `"my_api.example.com"`, "letters, digits"},
		"empty": {loadbalancer.RuleProps{Name: "a", HostHeaders: []string{""}},
			"HostHeaders[0]", `""`, "must be 1-128 characters"},
		"too long": {loadbalancer.RuleProps{Name: "a", HostHeaders: []string{strings.Repeat("a", 125) + ".com"}},
			"HostHeaders[0]", "aaaa", "must be 1-128 characters"},
		"repeated without case": {loadbalancer.RuleProps{Name: "a", HostHeaders: []string{"api.example.com", "API.example.com"}},
			"HostHeaders[1]", `"API.example.com"`, "repeats HostHeaders[0]"},
		"six values in all": {loadbalancer.RuleProps{Name: "a", HostHeaders: []string{"a.example.com", "b.example.com", "c.example.com"}, PathPatterns: []string{"/a", "/b", "/c"}},
			"HostHeaders", `"a.example.com"`, "hold 6 values together (3 host names, 3 path patterns): AWS allows at most 5 condition values per rule"},
		"template": {loadbalancer.RuleProps{Name: "a", HostHeaders: []string{"${var.host}.example.com"}},
			"HostHeaders[0]", `"${var.host}.example.com"`, "letters, digits"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, alb := newALB(t, "")
			tc.props.Priority = 1
			_, err := alb.AddTarget("X", tc.props)
			problemtest.One(t, err, tc.field, tc.value, tc.rule)
		})
	}
}

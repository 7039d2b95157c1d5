package loadbalancer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistenerrule"

	"github.com/fargatekit/fargatekit/internal/tfx"
)

const (
	// MaxConditionValues is how many values the conditions of one listener
	// rule may hold together (host names plus path patterns); AWS's quota
	// "Condition values per rule" is 5 and cannot be raised.
	MaxConditionValues = 5
	// MaxHostHeaderLength is the longest host name a host-header condition
	// takes.
	MaxHostHeaderLength = 128
)

// hostRE is what a host-header condition value may be: letters, digits,
// hyphens and dots, with * (any number of characters) and ? (exactly one) as
// wildcards, at least one dot, and only letters after the last dot (the top
// level domain).
var hostRE = regexp.MustCompile(`^[A-Za-z0-9*?.-]*\.[A-Za-z]+$`)

// checkConditions records a problem for every host name or path pattern of
// props that AWS would refuse, and when the rule has neither or more than
// MaxConditionValues values in all.
func checkConditions(c *verify.Checker, props RuleProps) {
	hosts, paths := len(props.HostHeaders), len(props.PathPatterns)
	switch {
	case hosts == 0 && paths == 0:
		c.Add("PathPatterns", props.PathPatterns, `a rule needs PathPatterns such as "/api/*", HostHeaders such as "api.example.com", or both`)
	case hosts+paths > MaxConditionValues && hosts == 0:
		c.Add("PathPatterns", props.PathPatterns, "needs 1 to %d path patterns such as \"/api/*\"", MaxPathPatterns)
	case hosts+paths > MaxConditionValues:
		c.Add("HostHeaders", props.HostHeaders, "and PathPatterns hold %d values together (%d host names, %d path patterns): AWS allows at most %d condition values per rule; split the rule", hosts+paths, hosts, paths, MaxConditionValues)
	}
	for i, pat := range props.PathPatterns {
		if !verify.IsToken(pat) && !patternRE.MatchString(pat) {
			c.Add(fmt.Sprintf("PathPatterns[%d]", i), pat, "must be 1-128 URL path characters; * and ? are wildcards")
		}
	}
	seen := map[string]int{}
	for i, h := range props.HostHeaders {
		f := fmt.Sprintf("HostHeaders[%d]", i)
		if verify.IsToken(h) {
			continue
		}
		switch {
		case h == "" || len(h) > MaxHostHeaderLength:
			c.Add(f, h, "must be 1-%d characters", MaxHostHeaderLength)
			continue
		case !hostRE.MatchString(h):
			c.Add(f, h, `must be a host name of letters, digits, "-" and ".", with * and ? as wildcards, at least one "." and only letters after the last "." (e.g. "api.example.com", "*.example.com"); no scheme, port or path`)
			continue
		}
		// Host names compare case-insensitively.
		key := strings.ToLower(h)
		if j, dup := seen[key]; dup {
			c.Add(f, h, "repeats HostHeaders[%d] (host names are compared without case)", j)
		}
		seen[key] = i
	}
}

// ruleConditions is the listener rule's conditions: a host-header condition
// when HostHeaders are given, a path-pattern condition when PathPatterns are;
// a request must match both.
func ruleConditions(props RuleProps) *[]*lblistenerrule.LbListenerRuleCondition {
	var out []*lblistenerrule.LbListenerRuleCondition
	if len(props.HostHeaders) > 0 {
		out = append(out, &lblistenerrule.LbListenerRuleCondition{
			HostHeader: &lblistenerrule.LbListenerRuleConditionHostHeader{Values: tfx.Strs(slices.Clone(props.HostHeaders))},
		})
	}
	if len(props.PathPatterns) > 0 {
		out = append(out, &lblistenerrule.LbListenerRuleCondition{
			PathPattern: &lblistenerrule.LbListenerRuleConditionPathPattern{Values: tfx.Strs(slices.Clone(props.PathPatterns))},
		})
	}
	return &out
}

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

// ruleConditions of a rule already on the listener, for the shadowing check.
type placedRule struct {
	id, name string
	priority int
	hosts    []string
	paths    []string
}

// checkShadowing records a problem when the rule props (to be added as id)
// and a rule already on the listener are such that one can never match: the
// rule evaluated first (the lower priority number) matches every request the
// other matches. It refuses only what is certain (see covers); a rule whose
// conditions hold a token is not compared.
func checkShadowing(c *verify.Checker, props RuleProps, rules []placedRule) {
	next := placedRule{name: props.Name, priority: props.Priority, hosts: props.HostHeaders, paths: props.PathPatterns}
	for _, r := range rules {
		switch {
		case r.priority < props.Priority && covers(r, next):
			c.Add("Priority", props.Priority, "can never match: rule %q (AddTarget(%q), priority %d) is evaluated first and matches every request this rule matches (%s); give this rule a priority below %d, or conditions that rule does not cover", r.name, r.id, r.priority, describe(r), r.priority)
			return
		case r.priority > props.Priority && covers(next, r):
			c.Add("Priority", props.Priority, "would shadow rule %q (AddTarget(%q), priority %d): this rule is evaluated first and matches every request that rule matches (%s), so it would never match again; give this rule a priority above %d, or narrower conditions", r.name, r.id, r.priority, describe(r), r.priority)
			return
		}
	}
}

func describe(r placedRule) string {
	var parts []string
	if len(r.hosts) > 0 {
		parts = append(parts, fmt.Sprintf("HostHeaders %q", r.hosts))
	}
	if len(r.paths) > 0 {
		parts = append(parts, fmt.Sprintf("PathPatterns %q", r.paths))
	}
	return strings.Join(parts, ", ")
}

// covers reports whether every request that inner matches is certainly
// matched by outer: for host headers and for path patterns alike, outer has
// no such condition (it matches any), or inner has one whose every value is
// covered by a value of outer's (see valueCovers). A request must match all
// of a rule's conditions, and any one value of a condition.
func covers(outer, inner placedRule) bool {
	return conditionCovers(outer.hosts, inner.hosts, true) && conditionCovers(outer.paths, inner.paths, false)
}

func conditionCovers(outer, inner []string, fold bool) bool {
	if len(outer) == 0 {
		return true
	}
	if len(inner) == 0 {
		return false
	}
	for _, in := range inner {
		if !slices.ContainsFunc(outer, func(out string) bool { return valueCovers(out, in, fold) }) {
			return false
		}
	}
	return true
}

// valueCovers reports whether the pattern outer certainly matches every value
// the pattern inner matches ("*" is any run of characters, "?" one; host
// names compare without case, paths with it). Certain means: equal; outer is
// "*" (or the path "/*"); outer is "<prefix>*" and every value of inner
// starts with prefix (inner's characters before its first wildcard do); or
// outer is "*<suffix>" and every value of inner ends with suffix. Anything
// else, tokens included, is not claimed.
func valueCovers(outer, inner string, fold bool) bool {
	if verify.IsToken(outer) || verify.IsToken(inner) {
		return false
	}
	if fold {
		outer, inner = strings.ToLower(outer), strings.ToLower(inner)
	}
	const wild = "*?"
	switch {
	case outer == inner, outer == "*", !fold && outer == "/*":
		return true
	case strings.Count(outer, "*") == 1 && !strings.Contains(outer, "?") && strings.HasSuffix(outer, "*"):
		prefix := strings.TrimSuffix(outer, "*")
		lit := inner
		if i := strings.IndexAny(inner, wild); i >= 0 {
			lit = inner[:i]
		}
		return strings.HasPrefix(lit, prefix)
	case strings.Count(outer, "*") == 1 && !strings.Contains(outer, "?") && strings.HasPrefix(outer, "*"):
		suffix := strings.TrimPrefix(outer, "*")
		lit := inner
		if i := strings.LastIndexAny(inner, wild); i >= 0 {
			lit = inner[i+1:]
		}
		return strings.HasSuffix(lit, suffix)
	}
	return false
}

// Package verify collects the problems found in a construct's props so that
// a constructor can report every one of them at once, before it creates any
// resource, as a *propcheck.Error. It is the library's machinery, not API.
//
// It also knows the difference between a literal string and a CDKTF token
// (a value that Terraform resolves at apply time, such as vpc.Id()). Tokens are
// never validated, and literal strings that would be read by Terraform as
// template syntax are escaped by [Literal].
package verify

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fargatekit/fargatekit/constructs/propcheck"
)

// Problem and Error are the public types.
type (
	Problem = propcheck.Problem
	Error   = propcheck.Error
)

// Checker accumulates problems. The zero value is not usable; call [New].
type Checker struct {
	op, path string
	problems []Problem
}

// New returns a Checker for the named constructor (the Error's Op), e.g.
// "service.New". Fields are recorded relative to the props value the user
// passed: "CPU", "Containers[0].Image".
func New(op string) *Checker { return &Checker{op: op} }

// At sets the construct path the Error reports (its Path): the id where
// there is no scope yet, see [Located] for a constructor.
func (c *Checker) At(path string) *Checker {
	c.path = path
	return c
}

// Add records a problem. Rule may use fmt verbs with args.
func (c *Checker) Add(field string, value any, rule string, args ...any) {
	if len(args) > 0 {
		rule = fmt.Sprintf(rule, args...)
	}
	c.problems = append(c.problems, Problem{Field: field, Value: value, Rule: rule})
}

// Merge adds the problems of err, if it is an *Error, with their fields as
// they are (err checked the same props value); any other non-nil error is
// recorded under field.
func (c *Checker) Merge(field string, err error) {
	if err == nil {
		return
	}
	var pe *Error
	if errors.As(err, &pe) {
		c.problems = append(c.problems, pe.Problems...)
		return
	}
	c.Add(field, nil, "%v", err)
}

// MergeUnder adds the problems of err, which checked the props value at
// prefix of the caller's props, with each field moved under prefix:
// MergeUnder("ServiceProps", err) turns "CPU" into "ServiceProps.CPU" and
// "Containers[0].Image" into "ServiceProps.Containers[0].Image". Problems
// with a constructor's arguments ("id", "scope") are not props and keep
// their field. Any other non-nil error is recorded under prefix.
func (c *Checker) MergeUnder(prefix string, err error) {
	if err == nil {
		return
	}
	var pe *Error
	if !errors.As(err, &pe) {
		c.Add(prefix, nil, "%v", err)
		return
	}
	for _, p := range pe.Problems {
		p.Field = Join(prefix, p.Field)
		c.problems = append(c.problems, p)
	}
}

// Join is the path of field (relative to a props value) under prefix (the
// path of that value): Join("ServiceProps", "CPU") is "ServiceProps.CPU",
// Join("Routes[0]", "[1]") "Routes[0][1]". The arguments of a constructor,
// "id" and "scope", are not props and stay as they are.
func Join(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case field == "id" || field == "scope":
		return field
	case strings.HasPrefix(field, "["):
		return prefix + field
	}
	return prefix + "." + field
}

// Adopt returns err, from a constructor that c's constructor called for its
// user, as c's own error: c's Op and Path, and the problems' fields under
// prefix (see [Checker.MergeUnder]), together with any problem c holds. An
// error that is not an *Error is returned as it is.
func (c *Checker) Adopt(prefix string, err error) error {
	var pe *Error
	if !errors.As(err, &pe) {
		return err
	}
	c.MergeUnder(prefix, pe)
	return c.Err()
}

// Located returns err with its Path set to path, when it is an *Error that
// has none: how a constructor adds the construct path to the problems its
// check found.
func Located(err error, path string) error {
	var pe *Error
	if !errors.As(err, &pe) || pe.Path != "" {
		return err
	}
	out := *pe
	out.Path = path
	return &out
}

// OK reports whether no problem has been recorded.
func (c *Checker) OK() bool { return len(c.problems) == 0 }

// Err returns an *Error listing the problems, or nil when there are none.
func (c *Checker) Err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &Error{Op: c.op, Path: c.path, Problems: slices.Clone(c.problems)}
}

// TokenMarker begins every CDKTF string token.
const TokenMarker = "${TfToken["

// IsToken reports whether s holds a CDKTF token (an unresolved reference such
// as the id of a resource created elsewhere in the app). Tokens are resolved by
// Terraform and cannot be checked at synth time.
//
// Only a well-formed token counts: "${TfToken[" + key + "]}" where the key is
// what the kernel issues, a display hint of cdktf's key characters followed
// by "." and a counter ("TOKEN.12", "aws_vpc.Network_Vpc_1234.id.57"). A
// string that merely contains the marker is not a token; it is checked like
// any other literal, and [Checker.NoFakeToken] refuses it. Whether a
// well-formed key was really issued by this app's kernel can only be asked
// of the kernel: constructors do that when they are called (see the
// registry package).
func IsToken(s string) bool { return strings.Contains(s, TokenMarker) && tokenRE.MatchString(s) }

// tokenRE matches one string token as cdktf encodes it (VALID_KEY_CHARS and
// TokenMap.registerStringKey in cdktf 0.20's lib/tokens/private).
var tokenRE = regexp.MustCompile(`\$\{TfToken\[[a-zA-Z0-9:._-]*\.[0-9]+\]\}`)

// Tokens returns the well-formed tokens inside s.
func Tokens(s string) []string { return tokenRE.FindAllString(s, -1) }

// NoFakeToken records a problem when s contains the token marker "${TfToken["
// outside a well-formed token: a hand-made imitation that the kernel would
// refuse at synth ("Unrecognized Token Key") or Terraform would read as
// template syntax.
func (c *Checker) NoFakeToken(field, s string) bool {
	if !strings.Contains(s, TokenMarker) {
		return true
	}
	if strings.Contains(tokenRE.ReplaceAllString(s, ""), TokenMarker) {
		c.Add(field, s, `imitates a CDKTF token: "${TfToken[…]}" comes only from resource attributes such as vpc.Id(); pass the attribute itself, or the literal value`)
		return false
	}
	return true
}

// Literal returns s escaped so that Terraform reads it as literal text: "${"
// becomes "$${" and "%{" becomes "%%{". CDKTF tokens inside s are kept, so
// that the references they stand for still resolve.
func Literal(s string) string {
	if !strings.Contains(s, "${") && !strings.Contains(s, "%{") {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range tokenRE.FindAllStringIndex(s, -1) {
		b.WriteString(escapeTemplate(s[last:m[0]]))
		b.WriteString(s[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(escapeTemplate(s[last:]))
	return b.String()
}

func escapeTemplate(s string) string {
	s = strings.ReplaceAll(s, "${", "$${")
	return strings.ReplaceAll(s, "%{", "%%{")
}

// Pattern records a problem unless s (a literal) matches re. Tokens pass.
func (c *Checker) Pattern(field, s string, re *regexp.Regexp, rule string) bool {
	if IsToken(s) || re.MatchString(s) {
		return true
	}
	c.Add(field, s, "%s", rule)
	return false
}

// Required records a problem when s is empty.
func (c *Checker) Required(field, s, rule string) bool {
	if s != "" {
		return true
	}
	c.Add(field, s, "is required: %s", rule)
	return false
}

// Range records a problem unless min <= v <= max.
func (c *Checker) Range(field string, v, min, max int) bool {
	if v >= min && v <= max {
		return true
	}
	c.Add(field, v, "must be between %d and %d", min, max)
	return false
}

// FloatRange records a problem unless min < v <= max (the exclusive lower
// bound suits percentages and targets, where 0 is meaningless).
func (c *Checker) FloatRange(field string, v, min, max float64) bool {
	if v > min && v <= max {
		return true
	}
	c.Add(field, v, "must be greater than %g and at most %g", min, max)
	return false
}

// Seconds records a problem unless d is a whole number of seconds between
// min and max seconds.
func (c *Checker) Seconds(field string, d time.Duration, min, max int) bool {
	if d%time.Second != 0 || d < time.Duration(min)*time.Second || d > time.Duration(max)*time.Second {
		c.Add(field, d.String(), "must be a whole number of seconds between %ds and %ds", min, max)
		return false
	}
	return true
}

// retentionDays are the retention periods CloudWatch Logs accepts, except 0
// (never expire), which this library refuses: logs are kept for a finite time.
var retentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// RetentionDays returns the retention periods CloudWatch Logs accepts, except never expire. It is a copy: changing it changes no check.
func RetentionDays() []int { return slices.Clone(retentionDays) }

// OneOf records a problem unless v is one of allowed.
func OneOf[T comparable](c *Checker, field string, v T, allowed []T) bool {
	if slices.Contains(allowed, v) {
		return true
	}
	c.Add(field, v, "must be one of %v", allowed)
	return false
}

// Port records a problem unless p is a TCP/UDP port (1-65535).
func (c *Checker) Port(field string, p int) bool {
	if p >= 1 && p <= 65535 {
		return true
	}
	c.Add(field, p, "must be a port number between 1 and 65535")
	return false
}

// CIDR parses s as an IPv4 CIDR block in canonical form and records a problem
// if it is not one. The prefix is returned with ok=true on success; a token
// returns ok=false without a problem.
func (c *Checker) CIDR(field, s string) (p netip.Prefix, ok bool) {
	if IsToken(s) {
		return p, false
	}
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil || !p.Addr().Is4():
		c.Add(field, s, "must be an IPv4 CIDR block such as 10.0.0.0/16")
		return p, false
	case p.Masked() != p:
		c.Add(field, s, "host bits are set: the block starts at %s", p.Masked())
		return p, false
	}
	return p, true
}

// CIDRs checks every block of list like [Checker.CIDR], then records a
// problem for each block that repeats or overlaps an earlier one: a repeated
// block becomes a duplicate security group rule, which AWS refuses at apply
// time, and an overlapping one is a mistake about what the list allows.
// field names the list, e.g. "IngressCIDRs".
func (c *Checker) CIDRs(field string, list []string) {
	var prefixes []netip.Prefix
	var index []int
	for i, s := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		p, ok := c.CIDR(f, s)
		if !ok {
			continue
		}
		for k, q := range prefixes {
			if p.Overlaps(q) {
				if p == q {
					c.Add(f, s, "repeats %s[%d]: list each block once", field, index[k])
				} else {
					c.Add(f, s, "overlaps %s[%d] (%s): list each range once", field, index[k], q)
				}
				break
			}
		}
		prefixes = append(prefixes, p)
		index = append(index, i)
	}
}

// NoTemplate records a problem when a literal s contains Terraform template
// syntax ("${" or "%{") or a control character such as a newline: these are
// never valid in AWS names, ids or tags and could change what Terraform deploys.
func (c *Checker) NoTemplate(field, s string) bool {
	if IsToken(s) {
		s = tokenRE.ReplaceAllString(s, "")
	}
	if strings.Contains(s, "${") || strings.Contains(s, "%{") {
		c.Add(field, s, `must not contain Terraform template syntax ("${" or "%{")`)
		return false
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		c.Add(field, s, "must not contain control characters such as newlines or tabs")
		return false
	}
	return true
}

var (
	vpcIDRE    = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)
	subnetIDRE = regexp.MustCompile(`^subnet-[0-9a-f]{8}([0-9a-f]{9})?$`)
)

// VPCID records a problem unless id is a VPC id (or a token); empty is
// reported as required.
func (c *Checker) VPCID(field, id string) bool {
	if id == "" {
		c.Add(field, id, "is required")
		return false
	}
	return c.Pattern(field, id, vpcIDRE, "must be a VPC id such as vpc-0a1b2c3d4e5f67890")
}

// SubnetIDs records a problem for each entry that is not a subnet id (tokens
// pass) or repeats an earlier one, and, when fewer than min are given, one
// for the list that says why more are needed.
func (c *Checker) SubnetIDs(field string, ids []string, min int, why string) {
	if len(ids) < min {
		c.Add(field, ids, "%s", why)
	}
	seen := map[string]bool{}
	for i, id := range ids {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !c.Pattern(f, id, subnetIDRE, "must be a subnet id such as subnet-0a1b2c3d4e5f67890") {
			continue
		}
		if seen[id] && !IsToken(id) {
			c.Add(f, id, "is listed twice")
		}
		seen[id] = true
	}
}

var (
	tagKeyRE   = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$`)
	tagValueRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$`)
)

// Tags records a problem for every tag key or value that AWS would refuse:
// keys of 1-128 and values of 0-256 letters, digits, spaces and _ . : / = + - @,
// and no key starting with "aws:".
func (c *Checker) Tags(field string, tags map[string]string) {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := tags[k]
		f := fmt.Sprintf("%s[%q]", field, k)
		switch {
		case !tagKeyRE.MatchString(k):
			c.Add(f, k, "tag keys must be 1-128 letters, digits, spaces or _ . : / = + - @")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			c.Add(f, k, `tag keys must not start with "aws:" (reserved by AWS)`)
		}
		if !IsToken(v) && !tagValueRE.MatchString(v) {
			c.Add(f, v, "tag values must be 0-256 letters, digits, spaces or _ . : / = + - @")
		}
	}
}

// Problems returns the problems recorded so far; callers may adjust them.
func (c *Checker) Problems() []Problem { return c.problems }

// Drop removes the problems for which drop returns true: for a caller that
// knows two problems are one mistake, reported on the field the user wrote.
func (c *Checker) Drop(drop func(Problem) bool) {
	c.problems = slices.DeleteFunc(c.problems, drop)
}

// MaxTags is how many tags one AWS resource may carry ("Maximum number of
// tags per resource: 50", AWS General Reference, Tagging AWS resources).
const MaxTags = 50

// TagCount records a problem when tags, together with extra keys that the
// construct adds itself (such as "Name"), exceed MaxTags. Constructors also
// count the provider's default tags (see the registry package).
func (c *Checker) TagCount(field string, tags map[string]string, extra ...string) bool {
	n := len(tags)
	for _, k := range extra {
		if _, dup := tags[k]; !dup {
			n++
		}
	}
	if n > MaxTags {
		c.Add(field, fmt.Sprintf("%d tags", n), "a resource may carry at most %d tags (AWS General Reference, Tagging AWS resources), counting the %d the construct adds (%s)", MaxTags, len(extra), strings.Join(extra, ", "))
		return false
	}
	return true
}

// Op is the constructor name the Checker reports for.
func (c *Checker) Op() string { return c.op }

// SGPrefixRule is the rule for names a security group name is derived from.
const SGPrefixRule = `must not begin with "sg-": the security group named after it would too, which AWS refuses (Amazon EC2 API, CreateSecurityGroup GroupName)`

// ReservedPrefix records a problem when s begins with prefix (in any case),
// a prefix AWS reserves; rule says which and where that is documented.
func (c *Checker) ReservedPrefix(field, s, prefix, rule string) bool {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		c.Add(field, s, "%s", rule)
		return false
	}
	return true
}

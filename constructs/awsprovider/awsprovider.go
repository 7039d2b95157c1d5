// Package awsprovider configures the Terraform AWS provider for a stack: the
// region, default tags, and a version constraint that admits the whole 5.x
// line from 5.84 on (the prebuilt bindings would otherwise pin 5.84.0 exactly).
// New also records the region for the stack: the constructs in it take it
// when their props leave theirs empty (service.Props.Region).
package awsprovider

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/stackwide"
	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/txn"
)

// DefaultVersionConstraint admits the provider version the bindings were
// generated from (5.84) and every later 5.x release.
const DefaultVersionConstraint = ">= 5.84.0, < 6.0.0"

// BindingsVersion is the provider version the Go bindings were generated from;
// a constraint must admit some 5.x release at or after it.
const BindingsVersion = "5.84.0"

// Props configures the provider.
type Props struct {
	// Region is the AWS region, e.g. "us-east-1". Required. It is also the
	// region of every construct in the stack whose props leave theirs
	// empty (service.Props.Region): recorded once per stack.
	Region string
	// VersionConstraint replaces DefaultVersionConstraint when set.
	VersionConstraint string
	// DefaultTags are put on every taggable resource by the provider.
	DefaultTags map[string]string
	// AllowedAccountIDs, when set, makes Terraform refuse to run against any
	// other account: a guard against deploying production to the wrong place.
	AllowedAccountIDs []string
}

var (
	accountRE    = regexp.MustCompile(`^[0-9]{12}$`)
	constraintRE = regexp.MustCompile(`^\s*(=|!=|>=|<=|>|<|~>)?\s*v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?\s*$`)
)

// Validate checks props without creating anything and returns every problem.
func Validate(props Props) error {
	c := verify.New("awsprovider.New")
	c.Region("Region", props.Region)
	if props.VersionConstraint != "" {
		if ok, why := admits5x(props.VersionConstraint); !ok {
			c.Add("VersionConstraint", props.VersionConstraint, "%s", why)
		}
	}
	c.Tags("DefaultTags", props.DefaultTags)
	c.TagCount("DefaultTags", props.DefaultTags)
	c.FakeTokens("", props)
	for i, a := range props.AllowedAccountIDs {
		c.Pattern(fmt.Sprintf("AllowedAccountIDs[%d]", i), a, accountRE, "must be a 12-digit AWS account id")
	}
	return c.Err()
}

type version [3]int

func (v version) cmp(w version) int {
	for i := range v {
		if v[i] != w[i] {
			if v[i] < w[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// admits5x reports whether the constraint parses and admits at least one
// release of 5.x at or after BindingsVersion.
func admits5x(constraint string) (bool, string) {
	type term struct {
		op    string
		v     version
		parts int
	}
	var terms []term
	for _, part := range strings.Split(constraint, ",") {
		m := constraintRE.FindStringSubmatch(part)
		if m == nil {
			return false, `must be a Terraform version constraint such as ">= 5.84.0, < 6.0.0"`
		}
		t := term{op: m[1], parts: 1}
		if t.op == "" {
			t.op = "="
		}
		t.v[0], _ = strconv.Atoi(m[2])
		for i, s := range []string{m[3], m[4]} {
			if s != "" {
				t.v[i+1], _ = strconv.Atoi(s[1:])
				t.parts++
			}
		}
		terms = append(terms, t)
	}
	ok := func(v version) bool {
		for _, t := range terms {
			c := v.cmp(t.v)
			var pass bool
			switch t.op {
			case "=":
				pass = c == 0
			case "!=":
				pass = c != 0
			case ">":
				pass = c > 0
			case ">=":
				pass = c >= 0
			case "<":
				pass = c < 0
			case "<=":
				pass = c <= 0
			case "~>":
				upper := t.v
				if t.parts <= 2 {
					upper = version{t.v[0] + 1, 0, 0}
				} else {
					upper = version{t.v[0], t.v[1] + 1, 0}
				}
				pass = c >= 0 && v.cmp(upper) < 0
			}
			if !pass {
				return false
			}
		}
		return true
	}
	for minor := 84; minor < 1000; minor++ {
		for _, patch := range []int{0, 1, 2, 3} {
			if ok(version{5, minor, patch}) {
				return true, ""
			}
		}
	}
	return false, "admits no AWS provider 5.x release from " + BindingsVersion + " on, which the bindings need"
}

// New validates props, adds the AWS provider to scope's stack and sets the
// stack's required_providers constraint. On invalid props it returns a
// *propcheck.Error and creates nothing.
func New(scope constructs.Construct, id string, props Props) (_ provider.AwsProvider, err error) {
	if err := Validate(props); err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	var undo txn.Undo
	defer undo.OnError(&err)
	if err := registry.Enter(registry.Entry{Op: "awsprovider.New", Scope: scope, ID: id, Props: props}); err != nil {
		return nil, err
	}
	undo.Child(scope, id)
	// Constructors in this stack count these against the 50 tags a
	// resource may carry.
	previous, err := registry.SetDefaultTags(scope, props.DefaultTags)
	if err != nil {
		return nil, err
	}
	undo.Do(func() { _, _ = registry.SetDefaultTags(scope, previous) })
	// Every construct of the stack takes this region unless its props
	// give one (service.Props.Region).
	if err := stackwide.SetRegion(scope, props.Region); err != nil {
		return nil, err
	}
	cfg := &provider.AwsProviderConfig{Region: &props.Region}
	if len(props.DefaultTags) > 0 {
		cfg.DefaultTags = &[]*provider.AwsProviderDefaultTags{{Tags: tfx.Tags(props.DefaultTags)}}
	}
	if len(props.AllowedAccountIDs) > 0 {
		cfg.AllowedAccountIds = tfx.Strs(props.AllowedAccountIDs)
	}
	p := provider.NewAwsProvider(scope, &id, cfg)
	constraint := props.VersionConstraint
	if constraint == "" {
		constraint = DefaultVersionConstraint
	}
	cdktf.TerraformStack_Of(scope).AddOverride(tfx.Str("terraform.required_providers.aws.version"), constraint)
	if err := txn.Fault("awsprovider.New"); err != nil {
		return nil, err
	}
	return p, nil
}

// Package iampolicy builds IAM policy documents from Go values with
// encoding/json and checks user-supplied statements for least privilege: no
// wildcard actions, and a "*" resource only for actions that AWS does not let
// you scope to a resource.
package iampolicy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/internal/tfx"
)

// Version is the policy language version every document uses.
const Version = "2012-10-17"

// Effects.
const (
	Allow = "Allow"
	Deny  = "Deny"
)

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a [Document]. Empty fields are left out of
// the JSON.
type Statement struct {
	Sid       string     `json:"Sid,omitempty"`
	Effect    string     `json:"Effect"`
	Principal *Principal `json:"Principal,omitempty"`
	Action    []string   `json:"Action"`
	Resource  []string   `json:"Resource,omitempty"`
	// Condition maps an operator (StringEquals, ArnLike, …) to keys and values.
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// Principal names who a trust policy lets assume a role.
type Principal struct {
	Service []string `json:"Service,omitempty"`
	AWS     []string `json:"AWS,omitempty"`
}

// JSON renders the document. Every string is escaped with verify.Literal,
// so an IAM policy variable such as "${aws:username}" reaches AWS as written
// instead of being read by Terraform as an interpolation; CDKTF tokens inside
// strings still resolve.
func (d Document) JSON() string {
	if d.Version == "" {
		d.Version = Version
	}
	d.Statement = slices.Clone(d.Statement)
	for i := range d.Statement {
		s := &d.Statement[i]
		s.Action = literals(s.Action)
		s.Resource = literals(s.Resource)
		if s.Condition != nil {
			cond := map[string]map[string]string{}
			for op, kv := range s.Condition {
				cond[op] = map[string]string{}
				for k, v := range kv {
					cond[op][verify.Literal(k)] = verify.Literal(v)
				}
			}
			s.Condition = cond
		}
	}
	return tfx.JSON(d)
}

func literals(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = verify.Literal(s)
	}
	return out
}

// ServiceTrust is a trust policy letting an AWS service principal assume a
// role, with the confused-deputy conditions AWS recommends: the request must
// come from sourceAccount, on behalf of a resource matching sourceArnLike.
func ServiceTrust(service, sourceAccount, sourceArnLike string) Document {
	return Document{Version: Version, Statement: []Statement{{
		Effect:    Allow,
		Principal: &Principal{Service: []string{service}},
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string]string{
			"StringEquals": {"aws:SourceAccount": sourceAccount},
			"ArnLike":      {"aws:SourceArn": sourceArnLike},
		},
	}}}
}

// unscopedActions are the actions that AWS does not allow to be limited to a
// resource: the only ones a statement may pair with Resource "*".
var unscopedActions = []string{
	"cloudwatch:PutMetricData",
	"ecr:GetAuthorizationToken",
	"ssmmessages:CreateControlChannel",
	"ssmmessages:CreateDataChannel",
	"ssmmessages:OpenControlChannel",
	"ssmmessages:OpenDataChannel",
	"sts:GetCallerIdentity",
	"xray:GetSamplingRules",
	"xray:GetSamplingTargets",
	"xray:PutTelemetryRecords",
	"xray:PutTraceSegments",
}

// UnscopedActions returns the actions that AWS does not allow to be limited to a resource, the only ones that may use Resource "*". It is a copy: changing it changes no check.
func UnscopedActions() []string { return slices.Clone(unscopedActions) }

var (
	actionRE   = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9]+$`)
	resourceRE = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:([0-9]{12}|aws)?:[^\s]+$`)
	sidRE      = regexp.MustCompile(`^[A-Za-z0-9]*$`)
)

// checkStatements records a problem for every statement that is not least-privilege or
// not well formed. field names the slice, e.g. "Service.TaskPolicy".
func checkStatements(c *verify.Checker, field string, statements []Statement) {
	for i, s := range statements {
		f := fmt.Sprintf("%s[%d]", field, i)
		if s.Effect != "" && s.Effect != Allow && s.Effect != Deny {
			c.Add(f+".Effect", s.Effect, `must be "Allow" or "Deny" (empty means Allow)`)
		}
		if !sidRE.MatchString(s.Sid) {
			c.Add(f+".Sid", s.Sid, "must be letters and digits only")
		}
		if s.Principal != nil {
			c.Add(f+".Principal", fmt.Sprint(*s.Principal), "is only for trust policies; a role's permissions have no principal")
		}
		if len(s.Action) == 0 {
			c.Add(f+".Action", s.Action, "needs at least one action such as s3:GetObject")
		}
		unscoped := len(s.Action) > 0
		for j, a := range s.Action {
			af := fmt.Sprintf("%s.Action[%d]", f, j)
			switch {
			case strings.ContainsAny(a, "*?"):
				// IAM matches "*" and "?" anywhere in an action
				// ("s3:Get*", "s3:GetObjec?"): each is a wildcard.
				c.Add(af, a, `wildcard actions are not allowed ("*" or "?" anywhere in the action): name each action the application needs`)
			case !actionRE.MatchString(a):
				c.Add(af, a, `must be "service:Action", e.g. "s3:GetObject"`)
			}
			if !slices.Contains(unscopedActions, a) {
				unscoped = false
			}
		}
		if len(s.Resource) == 0 {
			c.Add(f+".Resource", s.Resource, "needs at least one resource ARN")
		}
		for j, r := range s.Resource {
			rf := fmt.Sprintf("%s.Resource[%d]", f, j)
			switch {
			case r == "*":
				if s.Effect != Deny && !unscoped {
					c.Add(rf, r, `"*" is allowed only for actions AWS cannot scope to a resource (%s); use the resource's ARN`, strings.Join(unscopedActions, ", "))
				}
			case verify.IsToken(r):
			case !resourceRE.MatchString(r):
				c.Add(rf, r, "must be an ARN such as arn:aws:s3:::my-bucket/*")
			}
		}
		for op, kv := range s.Condition {
			for k := range kv {
				if !regexp.MustCompile(`^[A-Za-z]+$`).MatchString(op) || !regexp.MustCompile(`^[A-Za-z0-9:/_.-]+$`).MatchString(k) {
					c.Add(f+".Condition", fmt.Sprintf("%s %s", op, k), "operators must be words like StringEquals and keys like aws:SourceVpc")
				}
			}
		}
	}
}

// Validate checks policy statements as service.New checks Props.TaskPolicy
// (least privilege: no wildcard actions, "*" resources only for the actions
// AWS cannot scope, well-formed ARNs and conditions), and returns a
// *propcheck.Error whose fields are relative to the slice
// ("[0].Action[0]"), or nil.
func Validate(statements []Statement) error {
	c := verify.New("iampolicy.Validate")
	checkStatements(c, "", statements)
	return c.Err()
}

// MaxRolePolicySize is how many characters, whitespace not counted, the
// inline policies of one IAM role may hold together ("Role policy size",
// IAM and AWS STS quotas, IAM User Guide).
const MaxRolePolicySize = 10240

// checkSize records a problem when doc, rendered, exceeds MaxRolePolicySize.
func checkSize(c *verify.Checker, field string, doc Document) {
	n := 0
	for _, r := range doc.JSON() {
		if r != ' ' && r != '\n' && r != '\t' && r != '\r' {
			n++
		}
	}
	if n > MaxRolePolicySize {
		c.Add(field, fmt.Sprintf("%d characters of policy", n), "the inline policies of an IAM role may hold at most %d characters, whitespace not counted (IAM and AWS STS quotas, Role policy size): combine statements or name fewer resources", MaxRolePolicySize)
	}
}

// ValidateSize checks that doc fits in an inline role policy
// (MaxRolePolicySize characters of JSON).
func ValidateSize(doc Document) error {
	c := verify.New("iampolicy.ValidateSize")
	checkSize(c, "", doc)
	return c.Err()
}

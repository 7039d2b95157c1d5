package iampolicy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

func TestJSONIsValidAndEscapesPolicyVariables(t *testing.T) {
	doc := Document{Statement: []Statement{{
		Effect:   Allow,
		Action:   []string{"s3:GetObject"},
		Resource: []string{"arn:aws:s3:::home/${aws:username}/*"},
	}}}
	raw := doc.JSON()
	var v map[string]any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, raw)
	}
	if v["Version"] != Version {
		t.Errorf("Version = %v", v["Version"])
	}
	if !strings.Contains(raw, "home/$${aws:username}/*") {
		t.Errorf("the IAM variable would be interpolated by Terraform:\n%s", raw)
	}
}

func TestServiceTrustHasConfusedDeputyConditions(t *testing.T) {
	raw := ServiceTrust("ecs-tasks.amazonaws.com", "123456789012", "arn:aws:ecs:us-east-1:123456789012:*").JSON()
	for _, want := range []string{`"aws:SourceAccount":"123456789012"`, `"ArnLike":{"aws:SourceArn":"arn:aws:ecs:us-east-1:123456789012:*"}`, `"Service":["ecs-tasks.amazonaws.com"]`} {
		if !strings.Contains(raw, want) {
			t.Errorf("trust policy lacks %s:\n%s", want, raw)
		}
	}
}

func TestCheckEnforcesLeastPrivilege(t *testing.T) {
	cases := map[string]struct {
		st    Statement
		field string
	}{
		"star action":         {Statement{Action: []string{"*"}, Resource: []string{"arn:aws:s3:::b"}}, "P[0].Action[0]"},
		"prefix star":         {Statement{Action: []string{"s3:Get*"}, Resource: []string{"arn:aws:s3:::b/*"}}, "P[0].Action[0]"},
		"question mark":       {Statement{Action: []string{"s3:GetObjec?"}, Resource: []string{"arn:aws:s3:::b/*"}}, "P[0].Action[0]"},
		"service star":        {Statement{Action: []string{"dynamodb:*"}, Resource: []string{"arn:aws:dynamodb:us-east-1:123456789012:table/t"}}, "P[0].Action[0]"},
		"star resource":       {Statement{Action: []string{"s3:GetObject"}, Resource: []string{"*"}}, "P[0].Resource[0]"},
		"no resource":         {Statement{Action: []string{"s3:GetObject"}}, "P[0].Resource"},
		"not an arn":          {Statement{Action: []string{"s3:GetObject"}, Resource: []string{"my-bucket"}}, "P[0].Resource[0]"},
		"bad effect":          {Statement{Effect: "Permit", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*"}}, "P[0].Effect"},
		"principal in policy": {Statement{Principal: &Principal{AWS: []string{"*"}}, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*"}}, "P[0].Principal"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := verify.New("t")
			checkStatements(c, "P", []Statement{tc.st})
			err, _ := c.Err().(*propcheck.Error)
			if err == nil {
				t.Fatalf("accepted %+v", tc.st)
			}
			if !strings.Contains(strings.Join(err.Fields(), " "), tc.field) {
				t.Errorf("fields %v do not include %s", err.Fields(), tc.field)
			}
		})
	}
	c := verify.New("t")
	checkStatements(c, "P", []Statement{
		{Action: []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, Resource: []string{"*"}},
		{Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::bucket/*"}},
	})
	if err := c.Err(); err != nil {
		t.Errorf("refused a least-privilege policy: %v", err)
	}
}

package registry

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

// GIVEN ids that can never work THEN CheckID refuses them without the kernel.
func TestCheckIDRefusesUnusableIDs(t *testing.T) {
	for _, tc := range []struct{ id, field string }{{"", "id"}, {"a/b", "id"}} {
		c := verify.New("x.New")
		app := testutil.TestApp()
		if CheckID(c, app, tc.id) || c.OK() || c.Problems()[0].Field != tc.field {
			t.Errorf("CheckID(%q) accepted or named the wrong field: %v", tc.id, c.Err())
		}
	}
	c := verify.New("x.New")
	if CheckID(c, nil, "A") || c.Problems()[0].Field != "scope" {
		t.Errorf("a nil scope was accepted: %v", c.Err())
	}
}

// GIVEN a name claimed in one stack WHEN another stack claims it THEN both
// succeed; WHEN the same stack claims it again THEN the second is refused and
// a refused Enter claims nothing.
func TestNamesArePerStackAndAllOrNothing(t *testing.T) {
	app := testutil.TestApp()
	one := cdktf.NewTerraformStack(app, jsii.String("one"))
	two := cdktf.NewTerraformStack(app, jsii.String("two"))
	role := Name{Kind: IAMRole, Value: "web-task", Field: "P.Name"}
	logs := Name{Kind: LogGroup, Value: "/ecs/web", Field: "P.Name"}
	if err := Enter(Entry{Construct: "x", Scope: one, ID: "A", Names: []Name{role}}); err != nil {
		t.Fatal(err)
	}
	if err := Enter(Entry{Construct: "x", Scope: two, ID: "A", Names: []Name{role}}); err != nil {
		t.Fatalf("another stack's name clashed: %v", err)
	}
	if err := Enter(Entry{Construct: "x", Scope: one, ID: "B", Names: []Name{logs, role}}); err == nil {
		t.Fatal("a second role name in one stack was accepted")
	}
	// B was refused, so its log group name is still free.
	if err := Enter(Entry{Construct: "x", Scope: one, ID: "C", Names: []Name{logs}}); err != nil {
		t.Fatalf("a refused Enter kept its names: %v", err)
	}
}

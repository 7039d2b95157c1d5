package registry

import (
	"errors"
	"strings"
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
	role := Name{Kind: IAMRole, Value: "web-task", Field: "Name", Given: "web"}
	logs := Name{Kind: LogGroup, Value: "/ecs/web", Field: "Name", Given: "web"}
	if err := Enter(Entry{Op: "x", Scope: one, ID: "A", Names: []Name{role}}); err != nil {
		t.Fatal(err)
	}
	if err := Enter(Entry{Op: "x", Scope: two, ID: "A", Names: []Name{role}}); err != nil {
		t.Fatalf("another stack's name clashed: %v", err)
	}
	if err := Enter(Entry{Op: "x", Scope: one, ID: "B", Names: []Name{logs, role}}); err == nil {
		t.Fatal("a second role name in one stack was accepted")
	}
	// B was refused, so its log group name is still free.
	if err := Enter(Entry{Op: "x", Scope: one, ID: "C", Names: []Name{logs}}); err != nil {
		t.Fatalf("a refused Enter kept its names: %v", err)
	}
}

// GIVEN a construct whose names, all derived from one field, are taken
// WHEN another construct claims the same names THEN that is one problem, on
// the field, echoing the user's value and listing what the first one holds,
// in an error whose Path is the second construct's.
func TestDerivedNamesThatClashAreOneProblemOnTheField(t *testing.T) {
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("web"))
	names := []Name{
		{Kind: LogGroup, Value: "/ecs/web", Field: "Name", Given: "web"},
		{Kind: IAMRole, Value: "web-execution", Field: "Name", Given: "web"},
		{Kind: IAMRole, Value: "web-task", Field: "Name", Given: "web"},
		{Kind: TaskFamily, Value: "web", Field: "Name", Given: "web"},
		{Kind: Service, Namespace: "cluster shared", Value: "web", Field: "Name", Given: "web"},
		{Kind: ConnectDiscovery, Namespace: "namespace internal", Value: "api", Field: "ServiceConnect.Serve[0].DiscoveryName"},
	}
	if err := Enter(Entry{Op: "service.New", Scope: stack, ID: "Web", Names: names}); err != nil {
		t.Fatal(err)
	}
	err := Enter(Entry{Op: "service.New", Scope: stack, ID: "Web2", Names: names})
	var pe *verify.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *propcheck.Error, got %v", err)
	}
	if pe.Op != "service.New" || pe.Path != "web/Web2" {
		t.Errorf("Op, Path = %q, %q; want service.New, web/Web2", pe.Op, pe.Path)
	}
	if got := strings.Join(pe.Fields(), " "); got != "Name ServiceConnect.Serve[0].DiscoveryName" {
		t.Fatalf("fields = %s, want one problem per field:\n%v", got, err)
	}
	p := pe.Problems[0]
	if p.Value != "web" {
		t.Errorf("the value is not the user's: %v", p)
	}
	for _, want := range []string{"web/Web", `CloudWatch Logs log group name "/ecs/web"`, `IAM role names "web-execution" and "web-task"`, `ECS task definition family "web"`, `ECS service name "web" in cluster shared`} {
		if !strings.Contains(p.Rule, want) {
			t.Errorf("the rule lacks %s:\n%v", want, p)
		}
	}
}

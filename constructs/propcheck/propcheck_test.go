package propcheck_test

import (
	"testing"

	"github.com/fargatekit/fargatekit/constructs/propcheck"
)

// GIVEN an Error with and without a path, with one and with several problems
// WHEN it is printed THEN the first line is "Op(Path): ..." ("Op: ..." without
// a path), one problem inline and several as a count and bullets.
func TestErrorFirstLineNamesOpAndPath(t *testing.T) {
	cpu := propcheck.Problem{Field: "ServiceProps.CPU", Value: 300, Rule: "must be a Fargate size"}
	cidr := propcheck.Problem{Field: "NetworkProps.CIDR", Value: "10.0.0.0/33", Rule: "must be a CIDR block"}
	cases := []struct {
		err  propcheck.Error
		want string
	}{
		{propcheck.Error{Op: "albservice.New", Path: "Admin", Problems: []propcheck.Problem{cpu}},
			"albservice.New(Admin): invalid props: ServiceProps.CPU = 300: must be a Fargate size"},
		{propcheck.Error{Op: "albservice.New", Path: "web/Admin", Problems: []propcheck.Problem{cpu, cidr}},
			"albservice.New(web/Admin): 2 invalid props:\n  - ServiceProps.CPU = 300: must be a Fargate size\n  - NetworkProps.CIDR = \"10.0.0.0/33\": must be a CIDR block"},
		{propcheck.Error{Op: "service.New", Problems: []propcheck.Problem{{Field: "CPU", Value: 300, Rule: "must be a Fargate size"}}},
			"service.New: invalid props: CPU = 300: must be a Fargate size"},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
	e := propcheck.Error{Problems: []propcheck.Problem{cpu, cidr}}
	if got := e.Fields(); len(got) != 2 || got[0] != "ServiceProps.CPU" || got[1] != "NetworkProps.CIDR" {
		t.Errorf("Fields() = %v", got)
	}
}

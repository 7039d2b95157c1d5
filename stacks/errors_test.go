package stacks

// The error of stacks.New and Validate names the stack (Path) and each
// problem by its Go path in the Config the user wrote: ServiceProps.CPU,
// Routes[0].ServiceProps.CPU, Workers[0].Calls[0], NetworkProps.CIDR. A name
// the stack already holds is one problem on the field that gives it.

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/internal/fuzzprops"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

func asError(t *testing.T, err error) *propcheck.Error {
	t.Helper()
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *propcheck.Error, got %T: %v", err, err)
	}
	return pe
}

// GIVEN a config with mistakes in the pattern's, a route's and a worker's
// props WHEN it is validated THEN the error is stacks.New's, at the stack's
// name, and each field is the Go path in Config.
func TestErrorFieldsAreConfigPaths(t *testing.T) {
	cfg := Platform()
	cfg.NetworkProps.CIDR = "banana"
	cfg.ServiceProps.CPU = 300
	cfg.Routes[0].ServiceProps.CPU = 300
	cfg.Routes[0].Rule.Priority = 0
	cfg.Workers[0].ServiceProps.Memory = 3
	cfg.Workers[0].Calls = []string{"billing"}
	pe := asError(t, Validate(cfg))
	if pe.Op != "stacks.New" || pe.Path != "platform" {
		t.Errorf("Op, Path = %q, %q; want stacks.New, platform", pe.Op, pe.Path)
	}
	want := []string{"NetworkProps.CIDR", "ServiceProps.CPU", "Routes[0].Rule.Priority", "Routes[0].ServiceProps.CPU", "Workers[0].ServiceProps.Memory", "Workers[0].Calls[0]"}
	got := pe.Fields()
	for _, f := range want {
		if !slices.Contains(got, f) {
			t.Errorf("no problem on %s; fields %v", f, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("fields %v, want one each of %v:\n%v", got, want, pe)
	}
	if first, _, _ := strings.Cut(pe.Error(), "\n"); first != "stacks.New(platform): 6 invalid props:" {
		t.Errorf("first line %q", first)
	}
}

// GIVEN a region AWS does not have WHEN the config is validated THEN that is
// one problem, on Region: the services' Region is Config.Region, not a
// second mistake.
func TestABadRegionIsOneProblem(t *testing.T) {
	cfg := Platform()
	cfg.Region = "mars-north-1"
	pe := asError(t, Validate(cfg))
	if got := pe.Fields(); !slices.Equal(got, []string{"Region"}) {
		t.Errorf("fields %v, want [Region]:\n%v", got, pe)
	}
}

// GIVEN a worker whose service name is the pattern's WHEN the stack is built
// THEN stacks.New refuses with one problem on Workers[0].ServiceProps.Name,
// echoing the name and naming the service that holds it with its derived
// names: not five problems on the worker service's own fields.
func TestATakenServiceNameIsOneProblemOnTheConfigField(t *testing.T) {
	cfg := Platform()
	cfg.Workers[0].ServiceProps.Name = "web"
	cfg.Workers[0].Calls = nil
	err := fuzzprops.Call(t, func() error { _, err := New(testutil.TestApp(), cfg); return err })
	pe := asError(t, err)
	if pe.Op != "stacks.New" || pe.Path != "platform" {
		t.Errorf("Op, Path = %q, %q; want stacks.New, platform", pe.Op, pe.Path)
	}
	if got := pe.Fields(); !slices.Equal(got, []string{"Workers[0].ServiceProps.Name"}) {
		t.Fatalf("fields %v, want one problem on Workers[0].ServiceProps.Name:\n%v", got, err)
	}
	p := pe.Problems[0]
	for _, want := range []string{`= "web"`, "platform/Service", `"/ecs/web"`, "IAM role names"} {
		if !strings.Contains(p.String(), want) {
			t.Errorf("the problem lacks %s:\n%v", want, p)
		}
	}
}

package main

import (
	"strings"
	"testing"
)

const (
	mod     = "github.com/fargatekit/fargatekit"
	svcPkg  = mod + "/constructs/service"
	svcRel  = "constructs/service"
	regPkg  = mod + "/constructs/registry"
	regRel  = "constructs/registry"
	stacks_ = mod + "/stacks"
)

// Lines as apidiff (the pinned version) prints them for one package: the
// package's own objects unqualified, a promoted method with the embedded
// type's package, other packages by full path.
func TestParseReport(t *testing.T) {
	out := `- Props.Cpu: removed
- (*Service).Deploy: changed from func() to func() error
- Service.URL: removed
- Autoscaling: old is comparable, new is not
- New: changed from func(constructs.Construct, string, Props) *Service to func(constructs.Construct, string, Props) (*Service, error)
- github.com/fargatekit/fargatekit/constructs/container.(*Definition).Check, method set of *Service: removed
- (*Props).Validate, method set of *Service: removed
- ./sub.Thing: removed
- Iface.m: added unexported method
- (*Set[T]).Add: removed
- sync.(*Mutex).Lock, method set of *Service: removed
- github.com/x/y/v2/z.T.F: removed
`
	cs, err := parseReport(out, svcPkg, svcRel)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ name, namePkg, msg string }{
		{"service.Props.Cpu", svcPkg, "removed"},
		{"service.Service.Deploy", svcPkg, "changed from func() to func() error"},
		{"service.Service.URL", svcPkg, "removed"},
		{"service.Autoscaling", svcPkg, "old is comparable, new is not"},
		{"service.New", svcPkg, "changed from func(constructs.Construct, string, Props) *Service to func(constructs.Construct, string, Props) (*Service, error)"},
		{"service.Service.Check", svcPkg, "removed"},
		{"service.Service.Validate", svcPkg, "removed"},
		{"sub.Thing", svcPkg + "/sub", "removed"},
		{"service.Iface.m", svcPkg, "added unexported method"},
		{"service.Set.Add", svcPkg, "removed"},
		{"service.Service.Lock", svcPkg, "removed"},
		{"z.T.F", "github.com/x/y/v2/z", "removed"},
	}
	if len(cs) != len(want) {
		t.Fatalf("got %d changes, want %d: %+v", len(cs), len(want), cs)
	}
	for i, w := range want {
		c := cs[i]
		if c.Name != w.name || c.NamePkg != w.namePkg || c.Message != w.msg || c.Pkg != svcPkg || c.Rel != svcRel {
			t.Errorf("line %d: got %+v, want name %q in %s, message %q", i, c, w.name, w.namePkg, w.msg)
		}
	}
	if cs, err := parseReport("", svcPkg, svcRel); err != nil || len(cs) != 0 {
		t.Errorf("empty report: %v, %v", cs, err)
	}
}

// Anything but "- OBJECT: MESSAGE" is an error, never "no changes".
func TestParseReportRefuses(t *testing.T) {
	for _, out := range []string{
		"Incompatible changes:\n- Props.Cpu: removed\n",
		"! second, different message for obj Props, isNew false, part \"Cpu\"\n",
		"- Props.Cpu removed\n",
		"- : removed\n",
		"-Props.Cpu: removed\n",
		"- ./: removed\n",
		"- (*Service).Deploy, method set of *: removed\n",
		"- Props.Cpu!: removed\n",
	} {
		if cs, err := parseReport(out, svcPkg, svcRel); err == nil {
			t.Errorf("%q: accepted as %+v", out, cs)
		}
	}
}

func objChange(t *testing.T, line string) change {
	t.Helper()
	cs, err := parseReport("- "+line+"\n", svcPkg, svcRel)
	if err != nil || len(cs) != 1 {
		t.Fatalf("%q: %v %v", line, cs, err)
	}
	return cs[0]
}

func pkgRemoved(pkg, rel string) change {
	return change{Pkg: pkg, Rel: rel, Line: "package " + pkg + ": removed", Message: "removed"}
}

func TestCovered(t *testing.T) {
	cpu := objChange(t, "Props.Cpu: removed")
	deploy := objChange(t, "(*Service).Deploy: removed")
	newFn := objChange(t, "New: changed from func() to func() error")
	registry := pkgRemoved(regPkg, regRel)
	root := pkgRemoved(mod, "")

	cases := []struct {
		c     change
		entry string
		ok    bool
	}{
		// The name as a whole, with or without backticks or more path.
		{cpu, "`service.Props.Cpu` is now `service.Props.CPU`. Migration: gofmt -r 'p.Cpu -> p.CPU'", true},
		{cpu, "service.Props.Cpu renamed to CPU", true},
		{cpu, "Renamed service.Props.Cpu.", true},
		{cpu, "(service.Props.Cpu) renamed", true},
		{cpu, "`constructs/service.Props.Cpu` renamed", true},
		{cpu, "github.com/fargatekit/fargatekit/constructs/service.Props.Cpu renamed", true},
		{cpu, "renamed: service.Props.Cpu — use CPU", true},
		{cpu, "service.Props.Cpu, service.Props.Memory: renamed", true},
		// Not the name, or not as a whole.
		{cpu, "service.Props.CPU is new", false},
		{cpu, "service.Props.CpuUnits renamed", false},
		{cpu, "service.Props.Cpu_ renamed", false},
		{cpu, "service.Props.Cpu.Units renamed", false},
		{cpu, "myservice.Props.Cpu renamed", false},
		{cpu, "x.service.Props.Cpu renamed", false},
		{cpu, "internal/service.Props.Cpu renamed", false},
		{cpu, "constructs/servicex/service.Props.Cpu renamed", false},
		{cpu, "Props.Cpu renamed", false},
		{cpu, "the service's Props.Cpu field", false},
		{cpu, "service.Props.cpu renamed", false},
		// Methods: with or without the pointer receiver.
		{deploy, "`service.Service.Deploy` removed", true},
		{deploy, "`service.(*Service).Deploy` removed", true},
		{deploy, "`(*service.Service).Deploy` removed", false},
		{deploy, "service.Service removed", false},
		{newFn, "`service.New` returns an error too", true},
		{newFn, "`service.New(scope, id, props)` returns an error too", true},
		{newFn, "`service.NewService` returns an error", false},
		{newFn, "`service.New.X`", false},
		// Packages: by module-relative or full path, as a whole.
		{registry, "`constructs/registry` moved to internal/registry", true},
		{registry, "github.com/fargatekit/fargatekit/constructs/registry moved", true},
		{registry, "./constructs/registry moved", true},
		{registry, "constructs/registry.", true},
		{registry, "`constructs/registry.Enter` removed", false},
		{registry, "constructs/registryx moved", false},
		{registry, "constructs/registry/v2 moved", false},
		{registry, "internal/constructs/registry moved", false},
		{registry, "registry moved", false},
		{registry, "`registry.Enter` removed", false},
		{root, "github.com/fargatekit/fargatekit removed", true},
		{root, "github.com/fargatekit/fargatekit/stacks removed", false},
	}
	for _, tc := range cases {
		_, got := covered(tc.c, []entry{{Line: 1, Text: "unrelated"}, {Line: 7, Text: tc.entry}})
		if got != tc.ok {
			t.Errorf("%s by %q: covered %v, want %v", tc.c.Line, tc.entry, got, tc.ok)
		}
	}
	if line, ok := covered(cpu, []entry{{Line: 3, Text: "a"}, {Line: 9, Text: "service.Props.Cpu"}}); !ok || line != 9 {
		t.Errorf("covering entry on line %d, want 9", line)
	}
	if _, ok := covered(cpu, nil); ok {
		t.Error("covered by no entry")
	}
}

// The stub the gate prints must itself cover the change.
func TestStubCovers(t *testing.T) {
	for _, c := range []change{
		objChange(t, "Props.Cpu: removed"),
		objChange(t, "(*Service).Deploy: changed from func() to func() error"),
		objChange(t, "(*Props).Validate, method set of *Service: removed"),
		pkgRemoved(regPkg, regRel),
		{Pkg: regPkg, Rel: regRel, Line: "package " + regPkg + ": removed (now a command, package main)", Message: "removed (now a command, package main)"},
	} {
		s := stub(c)
		if !strings.HasPrefix(s, "- ") || !strings.Contains(s, "Migration: TODO") {
			t.Errorf("stub %q", s)
		}
		if _, ok := covered(c, []entry{{Text: strings.TrimPrefix(s, "- ")}}); !ok {
			t.Errorf("stub %q does not cover %s", s, c.Line)
		}
	}
	if got, want := stub(objChange(t, "Props.Cpu: removed")), "- `service.Props.Cpu`: removed. Migration: TODO"; got != want {
		t.Errorf("stub %q, want %q", got, want)
	}
	if got, want := stub(pkgRemoved(regPkg, regRel)), "- `constructs/registry`: package removed. Migration: TODO"; got != want {
		t.Errorf("stub %q, want %q", got, want)
	}
}

func TestCountModuleReport(t *testing.T) {
	out := `- ./constructs/service.Props.Cpu: removed
- ./constructs/service.(*Service).Deploy: removed
- ./bench.Run: removed
- Main: removed
- package github.com/fargatekit/fargatekit/constructs/registry: removed
- package github.com/fargatekit/fargatekit/cmd/tool: removed
- ./constructs/container.(*Definition).Check, method set of *Pattern: removed
- sync.(*Mutex).Lock, method set of *Stack: removed
`
	isCommand := map[string]bool{"": true, "/bench": true, "/cmd/tool": true}
	n, err := countModuleReport(out, mod, isCommand)
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("counted %d, want 5 (service twice, registry, the two promoted methods)", n)
	}
	if _, err := countModuleReport("Incompatible changes:\n", mod, isCommand); err == nil {
		t.Error("a header line was accepted")
	}
}

func TestIsInternal(t *testing.T) {
	for pkg, want := range map[string]bool{
		mod + "/internal/apigate":         true,
		mod + "/internal":                 true,
		mod + "/constructs/internal":      true,
		mod + "/constructs/internal/x":    true,
		mod + "/constructs/service":       false,
		mod + "/internals":                false,
		mod + "/constructs/internalthing": false,
		stacks_:                           false,
	} {
		if got := isInternal(pkg, mod); got != want {
			t.Errorf("isInternal(%s) = %v, want %v", pkg, got, want)
		}
	}
}

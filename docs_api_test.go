package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// apiIndex is what the public packages export, read from their source:
// each package's top-level names, and each type's fields and methods with
// the type name of each field where it is one of the package's own types.
type apiIndex map[string]*pkgAPI // by the package's last path element

type pkgAPI struct {
	dir     string
	names   map[string]bool
	members map[string]map[string]string // type → member → member's local type name ("" if none)
}

func readAPI(t *testing.T) apiIndex {
	t.Helper()
	idx := apiIndex{}
	var dirs []string
	for _, pattern := range []string{"constructs/*", "report", "report/*", "stacks", "jsiitune"} {
		m, _ := filepath.Glob(pattern)
		dirs = append(dirs, m...)
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
		if err != nil {
			t.Fatal(err)
		}
		for name, pkg := range pkgs {
			if name == "main" {
				continue
			}
			api := &pkgAPI{dir: dir, names: map[string]bool{}, members: map[string]map[string]string{}}
			member := func(typ, m, mt string) {
				if api.members[typ] == nil {
					api.members[typ] = map[string]string{}
				}
				api.members[typ][m] = mt
			}
			for _, f := range pkg.Files {
				for _, d := range f.Decls {
					switch d := d.(type) {
					case *ast.FuncDecl:
						if d.Recv == nil {
							api.names[d.Name.Name] = true
							continue
						}
						recv := d.Recv.List[0].Type
						if s, ok := recv.(*ast.StarExpr); ok {
							recv = s.X
						}
						if id, ok := recv.(*ast.Ident); ok {
							member(id.Name, d.Name.Name, "")
						}
					case *ast.GenDecl:
						for _, s := range d.Specs {
							switch s := s.(type) {
							case *ast.TypeSpec:
								api.names[s.Name.Name] = true
								if st, ok := s.Type.(*ast.StructType); ok {
									for _, fl := range st.Fields.List {
										ft := localType(fl.Type)
										for _, n := range fl.Names {
											member(s.Name.Name, n.Name, ft)
										}
										if len(fl.Names) == 0 && ft != "" {
											member(s.Name.Name, ft, ft)
										}
									}
								}
							case *ast.ValueSpec:
								for _, n := range s.Names {
									api.names[n.Name] = true
								}
							}
						}
					}
				}
			}
			idx[name] = api
		}
	}
	return idx
}

// localType is the name of a field's type when it is declared in the same
// package (Props, *Domain, []Route), else "".
func localType(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.StarExpr:
		return localType(x.X)
	case *ast.ArrayType:
		return localType(x.Elt)
	}
	return ""
}

// qualifiedRE finds pkg.Name(.Member)* references in prose and code.
var qualifiedRE = regexp.MustCompile(`\b([a-z][a-z0-9]*)\.([A-Z][A-Za-z0-9_]*)((?:\.[A-Z][A-Za-z0-9_]*)*)`)

// TestDocsNameOnlyWhatTheAPIHas reads README.md and docs/*.md and checks
// that every qualified name of a public package they mention
// (service.Props.CPU, albservice.New, network.Network.VPC) exists in the
// code: after a rename, a doc that still says the old name fails here.
// CHANGELOG.md names old identifiers on purpose, and docs/compatibility.md
// made-up ones to explain its rule: neither is read.
func TestDocsNameOnlyWhatTheAPIHas(t *testing.T) {
	idx := readAPI(t)
	files, _ := filepath.Glob("docs/*.md")
	files = append(files, "README.md")
	var stale []string
	checked := 0
	for _, f := range files {
		if f == filepath.Join("docs", "compatibility.md") {
			continue // explains the changelog's rule with made-up names, as CHANGELOG.md names old ones
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range qualifiedRE.FindAllStringSubmatch(line, -1) {
				api, ok := idx[m[1]]
				if !ok {
					continue // not one of ours (cdktf.App, jsii.String, os.Exit)
				}
				checked++
				if why := api.resolve(m[2], m[3]); why != "" {
					stale = append(stale, f+":"+strconv.Itoa(i+1)+": "+m[0]+": "+why)
				}
			}
		}
	}
	sort.Strings(stale)
	for _, s := range stale {
		t.Error(s)
	}
	if checked < 50 {
		t.Fatalf("only %d qualified names found in the docs: the scan is broken", checked)
	}
}

func (api *pkgAPI) resolve(name, rest string) string {
	if !api.names[name] {
		// An error's Op names a method by its package: loadbalancer.AddTarget.
		for _, members := range api.members {
			if _, ok := members[name]; ok && rest == "" {
				return ""
			}
		}
		return "no exported " + name + " in " + api.dir
	}
	typ := name
	for _, m := range strings.Split(strings.TrimPrefix(rest, "."), ".") {
		if m == "" {
			break
		}
		members, ok := api.members[typ]
		if !ok {
			return "" // a function, constant or a type of another package: not followed
		}
		next, ok := members[m]
		if !ok {
			return typ + " has no field or method " + m
		}
		typ = next
	}
	return ""
}

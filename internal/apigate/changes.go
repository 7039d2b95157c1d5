package main

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// change is one incompatible change of the public API.
type change struct {
	// Pkg is the import path of the package apidiff compared (or that was
	// removed); Rel is the same path relative to the module ("" for its root).
	Pkg, Rel string
	// Line is apidiff's line without "- ": "Props.Cpu: removed",
	// or "package github.com/...: removed" for a whole package.
	Line string
	// Name is what a Breaking entry must name to cover the change:
	// "service.Props.Cpu", "service.Service.Deploy"; for a whole package,
	// its module-relative path ("constructs/registry").
	Name string
	// NamePkg is the import path of the package Name's first element stands
	// for; empty for a whole-package change.
	NamePkg string
	// Message is what happened: "removed", "changed from ... to ...".
	Message string
}

func (c change) isPackage() bool { return c.NamePkg == "" }

// parseReport reads the output of `apidiff -incompatible OLD NEW` for one
// package (import path pkg; rel is pkg relative to the module). Every line
// must read "- OBJECT: MESSAGE"; anything else is an error, so a format the
// gate does not know cannot pass as "no changes".
func parseReport(out, pkg, rel string) ([]change, error) {
	var cs []change
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		body, ok := strings.CutPrefix(line, "- ")
		if !ok {
			return nil, fmt.Errorf("apidiff output for %s: unexpected line %q", pkg, line)
		}
		obj, msg, ok := strings.Cut(body, ": ")
		if !ok || obj == "" || msg == "" {
			return nil, fmt.Errorf("apidiff output for %s: no \"OBJECT: MESSAGE\" in %q", pkg, line)
		}
		namePkg, name, err := qualify(obj, pkg)
		if err != nil {
			return nil, fmt.Errorf("apidiff output for %s: %v in %q", pkg, err, line)
		}
		cs = append(cs, change{Pkg: pkg, Rel: rel, Line: body, Name: name, NamePkg: namePkg, Message: msg})
	}
	return cs, nil
}

var (
	typeArgs    = regexp.MustCompile(`\[[^\]]*\]`)
	ptrReceiver = regexp.MustCompile(`\(\*([\pL_][\pL\pN_]*)\)`)
	identPath   = regexp.MustCompile(`^[\pL_][\pL\pN_]*(\.[\pL_][\pL\pN_]*)*$`)
)

// qualify turns apidiff's name of an object, as printed when comparing the
// package pkg, into the name a Breaking entry must mention, and the import
// path of the package that name is qualified with:
//
//	Props.Cpu                          -> service.Props.Cpu
//	(*Service).Deploy                  -> service.Service.Deploy
//	(*Props).Check, method set of *Service -> service.Service.Check
//	./sub.Thing                        -> sub.Thing (package pkg/sub)
//	github.com/x/y.T.M                 -> y.T.M (package github.com/x/y)
//
// Pointer receivers and type parameters are dropped: `service.Service.Deploy`
// is the name of the method whatever its receiver.
func qualify(obj, pkg string) (namePkg, name string, err error) {
	// A method that reaches pkg's type U through an embedded field: the
	// break is in U's method set, so it is named U.M in pkg.
	if before, set, ok := strings.Cut(obj, ", method set of "); ok {
		i := strings.LastIndex(before, ".")
		if i < 0 {
			return "", "", fmt.Errorf("no method name")
		}
		u := strings.TrimPrefix(typeArgs.ReplaceAllString(set, ""), "*")
		name := u + "." + before[i+1:]
		if !identPath.MatchString(name) {
			return "", "", fmt.Errorf("cannot read method set name %q", name)
		}
		return pkg, last(pkg) + "." + name, nil
	}

	namePkg = pkg
	rest := obj
	switch r, _ := utf8.DecodeRuneInString(obj); {
	case strings.HasPrefix(obj, "./"):
		// In a package below pkg.
		p, o, ok := splitPkg(obj[2:])
		if !ok {
			return "", "", fmt.Errorf("cannot split package from object")
		}
		namePkg, rest = pkg+"/"+p, o
	case r == '(' || unicode.IsUpper(r):
		// pkg's own object: exported names start upper case, methods with "(".
	default:
		// Another package's object, by its full import path.
		p, o, ok := splitPkg(obj)
		if !ok {
			return "", "", fmt.Errorf("cannot split package from object")
		}
		namePkg, rest = p, o
	}
	rest = ptrReceiver.ReplaceAllString(typeArgs.ReplaceAllString(rest, ""), "$1")
	if !identPath.MatchString(rest) {
		return "", "", fmt.Errorf("cannot read object name %q", rest)
	}
	return namePkg, last(namePkg) + "." + rest, nil
}

// splitPkg splits "a/b/c.Obj.Field" into "a/b/c" and "Obj.Field": the
// package ends at the first dot after the last slash (object names hold no
// slash).
func splitPkg(s string) (pkg, obj string, ok bool) {
	i := strings.LastIndex(s, "/") + 1
	j := strings.Index(s[i:], ".")
	if j <= 0 {
		return "", "", false
	}
	return s[:i+j], s[i+j+1:], s[i+j+1:] != ""
}

// last is the last element of an import path: the package's usual name.
func last(path string) string { return path[strings.LastIndex(path, "/")+1:] }

// normalizeEntry rewrites "(*T)" as "T" in an entry, so that both
// `service.(*Service).Deploy` and `service.Service.Deploy` name the method.
func normalizeEntry(text string) string {
	return ptrReceiver.ReplaceAllString(text, "$1")
}

// covered reports whether one of the entries covers c; the rule is written
// at the top of CHANGELOG.md:
//
//   - a change of an object is covered by an entry that mentions its
//     qualified name (c.Name, e.g. service.Props.Cpu) as a whole: not as part
//     of a longer identifier (service.Props.CpuUnits) or a longer selector
//     (service.Props.Cpu.X); more of the import path may come before it
//     (constructs/service.Props.Cpu), and then it must be that package's;
//   - a removed package is covered by an entry that mentions its
//     module-relative path (constructs/registry) or its import path as a
//     whole, not followed by ".Member" or a longer path.
func covered(c change, entries []entry) (int, bool) {
	for _, e := range entries {
		text := normalizeEntry(e.Text)
		if c.isPackage() && mentionsPackage(text, c.Pkg, c.Rel) ||
			!c.isPackage() && mentionsName(text, c.NamePkg, c.Name) {
			return e.Line, true
		}
	}
	return 0, false
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

func isPathRune(r rune) bool {
	return isIdentRune(r) || r == '.' || r == '-' || r == '/' || r == '~'
}

// endsMention reports whether text[k:] may follow a complete mention: the
// end, or a rune that continues neither an identifier nor a path, or a dot
// that is not followed by a further selector.
func endsMention(text string, k int, pathToo bool) bool {
	if k >= len(text) {
		return true
	}
	r, size := utf8.DecodeRuneInString(text[k:])
	switch {
	case isIdentRune(r):
		return false
	case pathToo && (r == '/' || r == '-'):
		return false
	case r == '.':
		next, _ := utf8.DecodeRuneInString(text[k+size:])
		return !(isIdentRune(next) || next == '(' || next == '*')
	}
	return true
}

// mentionsName: see covered.
func mentionsName(text, namePkg, name string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		i = start + 1
		if !endsMention(text, end, false) {
			continue
		}
		if start == 0 {
			return true
		}
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		switch {
		case before == '/':
			// More of the path: it must end namePkg's import path.
			p := start
			for p > 0 {
				r, size := utf8.DecodeLastRuneInString(text[:p])
				if !isPathRune(r) {
					break
				}
				p -= size
			}
			mentioned := strings.TrimPrefix(text[p:start], "./") + last(namePkg)
			if namePkg == mentioned || strings.HasSuffix(namePkg, "/"+mentioned) {
				return true
			}
		case isIdentRune(before) || before == '.':
		default:
			return true
		}
	}
}

// mentionsPackage: see covered.
func mentionsPackage(text, pkg, rel string) bool {
	needle := rel
	if needle == "" {
		needle = pkg
	}
	for i := 0; ; {
		j := strings.Index(text[i:], needle)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(needle)
		i = start + 1
		if !endsMention(text, end, true) {
			continue
		}
		p := start
		for p > 0 {
			r, size := utf8.DecodeLastRuneInString(text[:p])
			if !isPathRune(r) {
				break
			}
			p -= size
		}
		mentioned := strings.TrimPrefix(text[p:end], "./")
		if mentioned == pkg || mentioned == rel || strings.HasSuffix(pkg, "/"+mentioned) && len(mentioned) >= len(needle) {
			return true
		}
	}
}

// stub is a Breaking line that would cover c, for the author to complete.
func stub(c change) string {
	if c.isPackage() {
		what := strings.TrimPrefix(c.Line, "package "+c.Pkg+": ")
		return fmt.Sprintf("- `%s`: package %s. Migration: TODO", c.Rel, what)
	}
	return fmt.Sprintf("- `%s`: %s. Migration: TODO", c.Name, c.Message)
}

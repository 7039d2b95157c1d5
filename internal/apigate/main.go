// Command apigate is the API compatibility gate: every incompatible change of
// the public API since the last release must be listed in CHANGELOG.md under
// "## [Unreleased]" / "### Breaking".
//
//	go run ./internal/apigate [-changelog FILE]
//
// It reads the newest released version's commit from CHANGELOG.md (the
// "Commit:" line of the first "## [x.y.z]" section), checks that commit out
// in a temporary `git worktree add --detach`, and compares the module's API
// there with the working tree using apidiff (golang.org/x/exp/cmd/apidiff,
// pinned; found on PATH or in go install's directory, installed when
// missing):
//
//  1. at the release commit, `apidiff -m -w OLD MODULE` writes the export
//     data of every package of the module; in the working tree the same
//     writes NEW. Each must hold exactly the packages `go list ./...` sees
//     on its side, so a package that failed to load cannot go missing.
//  2. every public package of the release (not below an internal/ element,
//     apidiff's own rule, and not a command: package main cannot be
//     imported) is compared on its own: `apidiff -incompatible OLD.x NEW.x`.
//     Per package rather than one module report, because in the module
//     report a method promoted through an embedded field is printed with
//     the embedded type's package, and the package whose API broke is lost.
//     A package gone from the working tree (or turned into a command) is
//     itself an incompatible change.
//  3. as a cross-check, `apidiff -m -incompatible OLD MODULE` in the working
//     tree must report as many changes in those packages as step 2 found.
//
// Each change must be covered by a Breaking entry; the matching rule is
// written at the top of CHANGELOG.md (see covered in changes.go).
//
// Exit status: 0 when every change is covered (one summary line), 1 when
// some are not (each printed with the package, apidiff's message and a stub
// line for CHANGELOG.md), 2 on any error: an unreadable CHANGELOG.md, a
// release commit missing from the clone, apidiff missing or failing, a
// package that does not load. The temporary worktree is removed in every
// case.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	changelogFile := flag.String("changelog", "", "the changelog to read (default: CHANGELOG.md beside go.mod)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./internal/apigate [-changelog FILE]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, ".", *changelogFile, true, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// result is what the gate found.
type result struct {
	Version, Commit string
	Changelog       string // the changelog's name as printed
	Changes         []change
	Uncovered       []change
}

// run is the whole gate from dir (any directory of the module); install
// lets it install a missing apidiff. It returns the exit status.
func run(ctx context.Context, dir, changelogFile string, install bool, stdout, stderr io.Writer) int {
	res, err := gate(ctx, dir, changelogFile, install, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "apigate: error: %v\n", err)
		return 2
	}
	short := res.Commit[:7]
	if len(res.Uncovered) == 0 {
		fmt.Fprintf(stdout, "apigate: %d incompatible changes since v%s (commit %s), all in %s Unreleased / Breaking\n",
			len(res.Changes), res.Version, short, res.Changelog)
		return 0
	}
	fmt.Fprintf(stdout, "apigate: %d of %d incompatible changes since v%s (commit %s) are not in %s Unreleased / Breaking:\n\n",
		len(res.Uncovered), len(res.Changes), res.Version, short, res.Changelog)
	for _, c := range res.Uncovered {
		rel := c.Rel
		if rel == "" {
			rel = c.Pkg
		}
		fmt.Fprintf(stdout, "  %s: %s\n      %s\n", rel, c.Line, stub(c))
	}
	fmt.Fprintf(stdout, "\nAdd a line under \"## [Unreleased]\" / \"### Breaking\" in %s for each: it must name the change as the stub does "+
		"(package name + identifier, a removed package by its path) and say how to migrate; the rule is at the top of %s.\n",
		res.Changelog, res.Changelog)
	return 1
}

func gate(ctx context.Context, dir, changelogFile string, install bool, stderr io.Writer) (*result, error) {
	gomod, err := goEnv(ctx, dir, "GOMOD")
	if err != nil {
		return nil, err
	}
	if gomod == "" || gomod == os.DevNull {
		return nil, fmt.Errorf("%s is not in a Go module", dir)
	}
	modDir := filepath.Dir(gomod)
	module, err := modulePath(ctx, modDir)
	if err != nil {
		return nil, err
	}

	shown := changelogFile
	if changelogFile == "" {
		changelogFile = filepath.Join(modDir, "CHANGELOG.md")
		shown = "CHANGELOG.md"
	}
	text, err := os.ReadFile(changelogFile)
	if err != nil {
		return nil, err
	}
	cl, err := parseChangelog(string(text))
	if err != nil {
		return nil, err
	}
	released := cl.Releases[0]
	res := &result{Version: released.Version, Commit: released.Commit, Changelog: shown}

	top, err := command(ctx, modDir, nil, "git", "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	top = strings.TrimSpace(top)
	sub, err := filepath.Rel(top, modDir)
	if err != nil {
		return nil, err
	}
	if _, err := command(ctx, top, nil, "git", "cat-file", "-e", released.Commit+"^{commit}"); err != nil {
		hint := ""
		if s, _ := command(ctx, top, nil, "git", "rev-parse", "--is-shallow-repository"); strings.TrimSpace(s) == "true" {
			hint = " (this clone is shallow: git fetch --unshallow)"
		}
		return nil, fmt.Errorf("commit %s of v%s (%s line %d) is not in this clone%s", released.Commit, released.Version, shown, released.Line, hint)
	}

	apidiff, ok := findApidiff(ctx, modDir)
	if !ok {
		if !install {
			return nil, fmt.Errorf("apidiff not found on PATH or in go install's directory")
		}
		if apidiff, err = installApidiff(ctx, modDir); err != nil {
			return nil, fmt.Errorf("installing apidiff: %v", err)
		}
	}
	if v := apidiffBuildVersion(ctx, modDir, apidiff); v != apidiffVersion {
		fmt.Fprintf(stderr, "apigate: warning: %s is built from %s %q, the gate reads the output of %s (go install %s@%s)\n",
			apidiff, apidiffModule, v, apidiffVersion, apidiffPkg, apidiffVersion)
	}

	tmp, err := os.MkdirTemp("", "apigate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	oldTree := filepath.Join(tmp, "old")
	if _, err := command(ctx, top, nil, "git", "worktree", "add", "--detach", oldTree, released.Commit); err != nil {
		return nil, err
	}
	defer func() {
		// Not ctx: an interrupted gate must still remove its worktree.
		cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := command(cctx, top, nil, "git", "worktree", "remove", "--force", oldTree); err != nil {
			fmt.Fprintf(stderr, "apigate: warning: %v\n", err)
			os.RemoveAll(oldTree)
			command(cctx, top, nil, "git", "worktree", "prune")
		}
	}()
	oldDir := filepath.Join(oldTree, sub)

	oldModule, err := modulePath(ctx, oldDir)
	if err != nil {
		return nil, fmt.Errorf("at v%s: %v", released.Version, err)
	}
	oldPkgs, oldExp, err := exportModule(ctx, apidiff, oldDir, oldModule, filepath.Join(tmp, "old.export"), "v"+released.Version, stderr)
	if err != nil {
		return nil, err
	}
	newPkgs, newExp, err := exportModule(ctx, apidiff, modDir, module, filepath.Join(tmp, "new.export"), "working tree", stderr)
	if err != nil {
		return nil, err
	}

	newByRel := map[string]pkgInfo{}
	for _, p := range newPkgs {
		newByRel[strings.TrimPrefix(p.Path, module)] = p
	}
	isCommand := map[string]bool{} // by module-relative path, with a leading "/" unless root
	var fromApidiff int
	for i, op := range oldPkgs {
		relPath := strings.TrimPrefix(op.Path, oldModule)
		np, inNew := newByRel[relPath]
		if op.Name == "main" || inNew && np.Name == "main" {
			isCommand[relPath] = true
		}
		if isInternal(op.Path, oldModule) || op.Name == "main" {
			continue
		}
		newPath := module + relPath
		rel := strings.TrimPrefix(relPath, "/")
		pkgChange := func(what string) change {
			return change{Pkg: newPath, Rel: rel, Line: "package " + newPath + ": " + what, Message: what}
		}
		switch {
		case !inNew:
			res.Changes = append(res.Changes, pkgChange("removed"))
			fromApidiff++ // apidiff's module report has it too
			continue
		case np.Name == "main":
			res.Changes = append(res.Changes, pkgChange("removed (now a command, package main)"))
			continue
		case np.Name != op.Name:
			res.Changes = append(res.Changes, pkgChange(fmt.Sprintf("package name changed from %s to %s", op.Name, np.Name)))
		}
		oldFile := filepath.Join(tmp, fmt.Sprintf("old-%d.x", i))
		newFile := filepath.Join(tmp, fmt.Sprintf("new-%d.x", i))
		if err := writePackageExport(oldFile, op.Path, oldExp.Packages[op.Path]); err != nil {
			return nil, err
		}
		if err := writePackageExport(newFile, np.Path, newExp.Packages[np.Path]); err != nil {
			return nil, err
		}
		out, err := command(ctx, tmp, nil, apidiff, "-incompatible", oldFile, newFile)
		if err != nil {
			return nil, fmt.Errorf("apidiff on %s: %v", op.Path, err)
		}
		cs, err := parseReport(out, newPath, rel)
		if err != nil {
			return nil, err
		}
		fromApidiff += len(cs)
		res.Changes = append(res.Changes, cs...)
	}

	// Cross-check with the module report of the working tree.
	out, err := command(ctx, modDir, []string{"GOWORK=off"}, apidiff, "-m", "-incompatible", filepath.Join(tmp, "old.export"), module)
	if err != nil {
		return nil, fmt.Errorf("apidiff module report: %v", err)
	}
	n, err := countModuleReport(out, module, isCommand)
	if err != nil {
		return nil, err
	}
	if n != fromApidiff {
		return nil, fmt.Errorf("apidiff's module report has %d incompatible changes in public packages, the per-package reports %d:\n%s", n, fromApidiff, out)
	}

	slices.SortStableFunc(res.Changes, func(a, b change) int { return strings.Compare(a.Rel, b.Rel) })
	for _, c := range res.Changes {
		if _, ok := covered(c, cl.Breaking); !ok {
			res.Uncovered = append(res.Uncovered, c)
		}
	}
	return res, nil
}

// exportModule writes the export data of the module in dir with
// `apidiff -m -w` and checks it holds every package go list sees.
func exportModule(ctx context.Context, apidiff, dir, module, file, side string, stderr io.Writer) ([]pkgInfo, *moduleExport, error) {
	pkgs, err := listPackages(ctx, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", side, err)
	}
	cmdStderr, err := commandStderr(ctx, dir, []string{"GOWORK=off"}, apidiff, "-m", "-w", file, module)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", side, err)
	}
	for _, l := range strings.Split(strings.TrimSpace(cmdStderr), "\n") {
		if l != "" {
			fmt.Fprintf(stderr, "apigate: apidiff (%s): %s\n", side, l)
		}
	}
	exp, err := readModuleExport(file)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", side, err)
	}
	if err := checkExport(exp, module, pkgs, side); err != nil {
		return nil, nil, err
	}
	return pkgs, exp, nil
}

// countModuleReport counts the lines of `apidiff -m -incompatible` that are
// not in a command's package (isCommand, by module-relative path). Every
// line must read "- OBJECT: MESSAGE".
func countModuleReport(out, module string, isCommand map[string]bool) (int, error) {
	n := 0
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		body, ok := strings.CutPrefix(line, "- ")
		obj, _, ok2 := strings.Cut(body, ": ")
		if !ok || !ok2 {
			return 0, fmt.Errorf("apidiff module report: unexpected line %q", line)
		}
		var relPath string // "/a/b", or "" for the module root
		switch {
		case strings.HasPrefix(obj, "package "):
			relPath = strings.TrimPrefix(strings.TrimPrefix(obj, "package "), module)
		case strings.HasPrefix(obj, "./") && !strings.Contains(obj, ", method set of "):
			p, _, ok := splitPkg(obj[2:])
			if !ok {
				return 0, fmt.Errorf("apidiff module report: cannot read %q", line)
			}
			relPath = "/" + p
		case strings.HasPrefix(obj, "./"):
			relPath = "?" // printed with the embedded type's package: count it
		default:
			relPath = "" // the module root's own object
			if r := obj[0]; r != '(' && !(r >= 'A' && r <= 'Z') {
				relPath = "?"
			}
		}
		if !isCommand[relPath] {
			n++
		}
	}
	return n, nil
}

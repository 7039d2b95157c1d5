package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// apidiffModule and apidiffVersion pin the apidiff whose output format
// parseReport reads (checked against its source: messages "- OBJECT: MESSAGE",
// objects of the compared package unqualified).
const (
	apidiffModule  = "golang.org/x/exp"
	apidiffVersion = "v0.0.0-20261113113407-e3970619a1a4"
	apidiffPkg     = apidiffModule + "/cmd/apidiff"
)

// command runs name with args in dir and returns its stdout; a non-zero
// exit is an error that carries stderr.
func command(ctx context.Context, dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = strings.TrimSpace(stdout.String())
		}
		return stdout.String(), fmt.Errorf("%s %s (in %s): %v\n%s", name, strings.Join(args, " "), dir, err, msg)
	}
	return stdout.String(), nil
}

// goEnv is one `go env` value.
func goEnv(ctx context.Context, dir, key string) (string, error) {
	out, err := command(ctx, dir, nil, "go", "env", key)
	return strings.TrimSpace(out), err
}

// binDir is where `go install` puts commands: GOBIN, else GOPATH's first
// entry + /bin.
func binDir(ctx context.Context, dir string) (string, error) {
	gobin, err := goEnv(ctx, dir, "GOBIN")
	if err != nil || gobin != "" {
		return gobin, err
	}
	gopath, err := goEnv(ctx, dir, "GOPATH")
	if err != nil {
		return "", err
	}
	first, _, _ := strings.Cut(gopath, string(os.PathListSeparator))
	if first == "" {
		return "", errors.New("go env GOPATH is empty")
	}
	return filepath.Join(first, "bin"), nil
}

// findApidiff looks for apidiff on PATH, then in go install's directory.
func findApidiff(ctx context.Context, dir string) (string, bool) {
	if p, err := exec.LookPath("apidiff"); err == nil {
		return p, true
	}
	bin, err := binDir(ctx, dir)
	if err != nil {
		return "", false
	}
	p := filepath.Join(bin, "apidiff")
	if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
		return p, true
	}
	return "", false
}

// installApidiff installs the pinned apidiff with the ordinary go install
// (through the Go module proxy), with GOFLAGS cleared so the project's own
// flags do not apply to it.
func installApidiff(ctx context.Context, dir string) (string, error) {
	if _, err := command(ctx, dir, []string{"GOFLAGS="}, "go", "install", apidiffPkg+"@"+apidiffVersion); err != nil {
		return "", err
	}
	bin, err := binDir(ctx, dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(bin, "apidiff"), nil
}

// apidiffBuildVersion is the golang.org/x/exp version bin was built from,
// or "" when go version -m cannot tell.
func apidiffBuildVersion(ctx context.Context, dir, bin string) string {
	out, err := command(ctx, dir, nil, "go", "version", "-m", bin)
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) >= 3 && (f[0] == "mod" || f[0] == "dep") && f[1] == apidiffModule {
			return f[2]
		}
	}
	return ""
}

// pkgInfo is one package of the module as `go list` sees it.
type pkgInfo struct {
	Path, Name string
}

// listPackages lists the module's packages (GOWORK off: the module alone).
func listPackages(ctx context.Context, dir string) ([]pkgInfo, error) {
	out, err := command(ctx, dir, []string{"GOWORK=off"}, "go", "list", "-f", "{{.ImportPath}} {{.Name}}", "./...")
	if err != nil {
		return nil, err
	}
	var ps []pkgInfo
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		path, name, ok := strings.Cut(l, " ")
		if !ok || name == "" {
			return nil, fmt.Errorf("go list in %s: cannot read %q", dir, l)
		}
		ps = append(ps, pkgInfo{path, name})
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("go list in %s: no packages", dir)
	}
	return ps, nil
}

// modulePath is the module path of the go.mod in dir.
func modulePath(ctx context.Context, dir string) (string, error) {
	out, err := command(ctx, dir, []string{"GOWORK=off"}, "go", "list", "-m")
	return strings.TrimSpace(out), err
}

// isInternal is apidiff's own rule (cmd/apidiff isInternalPackage): a path
// element "internal" below the module root makes a package not API.
func isInternal(pkg, module string) bool {
	p := strings.TrimPrefix(pkg, module)
	return strings.HasSuffix(p, "/internal") || strings.Contains(p, "/internal/") ||
		p == "internal" || strings.HasPrefix(p, "internal/")
}

// moduleExport is a file written by `apidiff -m -w`: a zip with an entry
// "module" (the module path) and one entry "<import path>.x" per package
// (its export data).
type moduleExport struct {
	Module   string
	Packages map[string][]byte
}

func readModuleExport(file string) (*moduleExport, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	m := &moduleExport{Packages: map[string][]byte{}}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", file, f.Name, err)
		}
		if f.Name == "module" {
			m.Module = string(data)
			continue
		}
		pkg, ok := strings.CutSuffix(f.Name, ".x")
		if !ok || len(data) == 0 {
			return nil, fmt.Errorf("%s: unexpected entry %q (%d bytes)", file, f.Name, len(data))
		}
		m.Packages[pkg] = data
	}
	if m.Module == "" {
		return nil, fmt.Errorf("%s: no module entry", file)
	}
	return m, nil
}

// checkExport proves the export holds exactly the packages go list sees, so
// a package apidiff failed to load cannot go missing from the comparison.
func checkExport(m *moduleExport, module string, pkgs []pkgInfo, side string) error {
	if m.Module != module {
		return fmt.Errorf("%s export is of module %q, go.mod says %q", side, m.Module, module)
	}
	var listed, exported []string
	for _, p := range pkgs {
		listed = append(listed, p.Path)
	}
	for p := range m.Packages {
		exported = append(exported, p)
	}
	slices.Sort(listed)
	slices.Sort(exported)
	if !slices.Equal(listed, exported) {
		return fmt.Errorf("%s export holds packages %v, go list sees %v", side, exported, listed)
	}
	return nil
}

// writePackageExport writes one package of a module export in the format
// `apidiff -w FILE IMPORT_PATH` writes: the import path, a newline, the
// export data.
func writePackageExport(file, pkg string, data []byte) error {
	return os.WriteFile(file, append([]byte(pkg+"\n"), data...), 0o644)
}

// commandStderr runs name like command and returns its stderr.
func commandStderr(ctx context.Context, dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s (in %s): %v\n%s", name, strings.Join(args, " "), dir, err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}

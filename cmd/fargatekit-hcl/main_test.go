package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

// Every test package accepts -update (go test ./... -update).
var _ = testutil.Update

func stackDir(t *testing.T, doc string) string {
	t.Helper()
	dir := t.TempDir()
	if doc == "" {
		b, err := os.ReadFile("../../internal/tfhcl/testdata/small.tf.json")
		if err != nil {
			t.Fatal(err)
		}
		doc = string(b)
	}
	if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runCmd(args ...string) (int, string) {
	var out bytes.Buffer
	code := run(args, &out, &out)
	return code, out.String()
}

func list(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWritesTheFilesAndRebasesTheLocalState(t *testing.T) {
	in := stackDir(t, "")
	out := filepath.Join(t.TempDir(), "hcl")
	code, msg := runCmd(in, out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, msg)
	}
	if got := strings.Join(list(t, out), " "); got != "main.tf moved.tf outputs.tf providers.tf variables.tf versions.tf" {
		t.Errorf("files: %s", got)
	}
	versions, _ := os.ReadFile(filepath.Join(out, "versions.tf"))
	// The state file beside cdk.tf.json, seen from the output directory.
	want, _ := filepath.Rel(out, filepath.Join(in, "terraform.production.tfstate"))
	if !strings.Contains(string(versions), `path = "`+want+`"`) {
		t.Errorf("backend path not rebased to %s:\n%s", want, versions)
	}
	if !strings.Contains(msg, "4 resources renamed") || !strings.Contains(msg, "note: the local backend") {
		t.Errorf("output: %s", msg)
	}
}

func TestRefusesANonEmptyOutDirUnlessForced(t *testing.T) {
	in := stackDir(t, "")
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "main.tf"), []byte("# mine\n"), 0o644)
	os.WriteFile(filepath.Join(out, "terraform.tfstate"), []byte("{}"), 0o644)
	code, msg := runCmd(in, out)
	if code != 1 || !strings.Contains(msg, "not empty") || !strings.Contains(msg, "-force") {
		t.Fatalf("exit %d: %s", code, msg)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "main.tf")); string(b) != "# mine\n" {
		t.Error("main.tf was overwritten without -force")
	}
	code, msg = runCmd("-force", in, out)
	if code != 0 {
		t.Fatalf("-force: exit %d: %s", code, msg)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "main.tf")); !strings.Contains(string(b), `resource "aws_vpc" "network_vpc"`) {
		t.Error("-force did not replace main.tf")
	}
	if b, _ := os.ReadFile(filepath.Join(out, "terraform.tfstate")); string(b) != "{}" {
		t.Error("-force touched a file it does not write")
	}
}

func TestRefusalLeavesOutDirUntouched(t *testing.T) {
	for name, tc := range map[string]struct {
		doc, want string
	}{
		"unsupported":  {`{"check": {}}`, "check: unknown top-level block"},
		"override":     {`{"resource": {"aws_vpc": {"V": {"cidr_block": "x", "bogus": 1}}}}`, "resource.aws_vpc.V.bogus"},
		"malformed":    {`{"resource": `, "not valid JSON"},
		"not a schema": {`{"resource": {"null_resource": {"N": {}}}}`, `no schema for provider "null"`},
	} {
		t.Run(name, func(t *testing.T) {
			in := stackDir(t, tc.doc)
			parent := t.TempDir()
			out := filepath.Join(parent, "hcl")
			code, msg := runCmd(in, out)
			if code != 1 || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "cdk.tf.json") {
				t.Errorf("exit %d, want an error naming cdk.tf.json and %q: %s", code, tc.want, msg)
			}
			if got := list(t, parent); len(got) != 0 {
				t.Errorf("left %v behind", got)
			}
		})
	}
}

func TestMissingStackDirAndUnwritableOutDir(t *testing.T) {
	code, msg := runCmd(filepath.Join(t.TempDir(), "nope"), t.TempDir())
	if code != 1 || !strings.Contains(msg, "nope") {
		t.Errorf("missing stack dir: exit %d: %s", code, msg)
	}
	// A directory that cannot be made: its parent is a file.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	code, msg = runCmd(stackDir(t, ""), filepath.Join(file, "hcl"))
	if code != 1 || !strings.Contains(msg, filepath.Join(file, "hcl")) {
		t.Errorf("unwritable: exit %d: %s", code, msg)
	}
}

func TestKeepAddressesFlag(t *testing.T) {
	out := filepath.Join(t.TempDir(), "hcl")
	if code, msg := runCmd("-keep-addresses", stackDir(t, ""), out); code != 0 {
		t.Fatalf("exit %d: %s", code, msg)
	}
	main, _ := os.ReadFile(filepath.Join(out, "main.tf"))
	if !strings.Contains(string(main), `resource "aws_vpc" "Network_Vpc_A1B2C3D4"`) {
		t.Errorf("addresses not kept:\n%s", main)
	}
	if _, err := os.Stat(filepath.Join(out, "moved.tf")); err == nil {
		t.Error("moved.tf written with -keep-addresses")
	}
}

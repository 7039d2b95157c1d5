// Package tftest prepares Terraform for tests: it finds the terraform binary,
// writes a CLI configuration that installs the AWS provider from a local
// filesystem mirror when one exists (so `terraform init` works offline), and
// decides whether a missing prerequisite skips the test or fails it (it fails
// when CI=true).
package tftest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// MirrorEnv names a filesystem mirror root (the directory that contains
// registry.terraform.io/); it overrides the search.
const MirrorEnv = "FARGATEKIT_TF_MIRROR"

// mirrorCandidates are searched, in order, for registry.terraform.io/hashicorp/aws.
var mirrorCandidates = []string{
	"/opt/tf-plugins",
	"/usr/local/share/terraform/plugins",
	"/usr/share/terraform/plugins",
	"~/.terraform.d/plugins",
	"~/.local/share/terraform/plugins",
}

// InCI reports whether tests run under CI, where missing tools fail tests.
func InCI() bool { return os.Getenv("CI") == "true" }

// Require fails the test in CI and skips it elsewhere.
func Require(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s (CI=true: a missing prerequisite fails instead of skipping)", msg)
	}
	t.Skip(msg)
}

// Mirror returns the filesystem mirror root holding the AWS provider, or "".
func Mirror() string {
	if m := os.Getenv(MirrorEnv); m != "" {
		return m
	}
	home, _ := os.UserHomeDir()
	for _, c := range mirrorCandidates {
		c = strings.Replace(c, "~", home, 1)
		if fi, err := os.Stat(filepath.Join(c, "registry.terraform.io", "hashicorp", "aws")); err == nil && fi.IsDir() {
			return c
		}
	}
	return ""
}

// Binary returns the path of terraform, failing or skipping the test without it.
func Binary(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("terraform")
	if err != nil {
		Require(t, "terraform is not on PATH")
	}
	return p
}

// CLIConfig writes a Terraform CLI configuration into dir and returns its path.
// With a mirror, providers come only from it; without, from the registry.
func CLIConfig(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "terraform.rc")
	var body string
	if m := Mirror(); m != "" {
		body = fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", m)
	} else if InCI() {
		t.Fatalf("no Terraform provider mirror found (looked at $%s and %v); CI needs one to run terraform offline", MirrorEnv, mirrorCandidates)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Env returns the environment for terraform runs: the caller's, with its own
// CLI config, no checkpoint calls and a shared plugin cache under cacheDir.
func Env(t testing.TB, cliConfig string, extra map[string]string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	env["TF_CLI_CONFIG_FILE"] = cliConfig
	env["CHECKPOINT_DISABLE"] = "1"
	// terraform-exec sets these itself and refuses to run when they are set.
	for k := range env {
		switch {
		case strings.HasPrefix(k, "TF_CLI_ARGS"), strings.HasPrefix(k, "TF_LOG"),
			k == "TF_INPUT", k == "TF_IN_AUTOMATION", k == "TF_REATTACH_PROVIDERS",
			k == "TF_APPEND_USER_AGENT", k == "TF_WORKSPACE", k == "TF_DISABLE_PLUGIN_TLS",
			k == "TF_SKIP_PROVIDER_VERIFY":
			delete(env, k)
		}
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// New returns a terraform-exec handle working in dir with a CLI config of its
// own. Output goes to the test log only on failure (via t.Log at the caller).
func New(t testing.TB, dir string, extra map[string]string) *tfexec.Terraform {
	t.Helper()
	bin := Binary(t)
	tf, err := tfexec.NewTerraform(dir, bin)
	if err != nil {
		t.Fatal(err)
	}
	cfg := CLIConfig(t, t.TempDir())
	// tfexec refuses to pass TF_CLI_CONFIG_FILE-like variables it manages;
	// SetEnv takes the whole environment.
	if err := tf.SetEnv(Env(t, cfg, extra)); err != nil {
		t.Fatal(err)
	}
	return tf
}

// Validate runs terraform init (without a backend) and validate in dir.
func Validate(t testing.TB, dir string) {
	t.Helper()
	tf := New(t, dir, nil)
	ctx := context.Background()
	if err := tf.Init(ctx, tfexec.Backend(false)); err != nil {
		t.Fatalf("terraform init in %s: %v", dir, err)
	}
	out, err := tf.Validate(ctx)
	if err != nil {
		t.Fatalf("terraform validate in %s: %v", dir, err)
	}
	if !out.Valid || out.ErrorCount > 0 || out.WarningCount > 0 {
		var msgs []string
		for _, d := range out.Diagnostics {
			msgs = append(msgs, fmt.Sprintf("%s: %s: %s", d.Severity, d.Summary, d.Detail))
		}
		t.Fatalf("terraform validate in %s: valid=%v errors=%d warnings=%d\n%s", dir, out.Valid, out.ErrorCount, out.WarningCount, strings.Join(msgs, "\n"))
	}
}

// Cmd returns a terraform command in dir with the same environment as [New],
// for runs that must be signalled or watched line by line.
func Cmd(t testing.TB, dir string, extra map[string]string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(Binary(t), args...)
	cmd.Dir = dir
	for k, v := range Env(t, CLIConfig(t, t.TempDir()), extra) {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

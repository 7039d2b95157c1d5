// Command fargatekit synthesizes the repository's stacks (stacks.Defaults) to
// Terraform JSON in cdktf.out, or in $CDKTF_OUTDIR when the cdktf CLI sets it.
//
// Beside each stack's cdk.tf.json it writes the stack's architecture picture
// and monthly cost estimate (package report: architecture.mmd,
// architecture.svg, cost.json, cost.md), built from that cdk.tf.json.
//
// Every config is validated before the jsii kernel starts; on any error the
// program prints every problem, exits 1 and leaves an existing cdktf.out as it
// was. Output is written to a temporary directory beside cdktf.out and swapped
// in only when synthesis succeeded, so a failed run never leaves a
// half-written cdktf.out.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/jsiitune"
	"github.com/fargatekit/fargatekit/report"
	"github.com/fargatekit/fargatekit/report/cost"
	"github.com/fargatekit/fargatekit/stacks"
)

func main() {
	// Before the first jsii call: the kernel loads only the provider modules
	// it uses (bench/README.md has the numbers).
	jsiitune.Apply()
	outdir := os.Getenv("CDKTF_OUTDIR")
	if outdir == "" {
		outdir = "cdktf.out"
	}
	// The kernel would otherwise prefer CDKTF_OUTDIR over the temporary
	// directory this program synthesizes into.
	os.Unsetenv("CDKTF_OUTDIR")
	code := run(stacks.Defaults(), outdir, os.Stderr)
	jsii.Close()
	os.Exit(code)
}

// run validates cfgs, synthesizes them into outdir and returns the exit code.
func run(cfgs []stacks.Config, outdir string, stderr io.Writer) int {
	failed := false
	names := map[string]bool{}
	for _, cfg := range cfgs {
		if err := stacks.Validate(cfg); err != nil {
			fmt.Fprintln(stderr, err)
			failed = true
		}
		if names[cfg.StackName] {
			fmt.Fprintf(stderr, "stack name %q is used twice: each stack needs its own directory and state\n", cfg.StackName)
			failed = true
		}
		names[cfg.StackName] = true
		// The cost estimate needs the region's price table: say so before
		// synthesizing rather than after.
		if _, err := cost.PricesFor(cfg.Region); err != nil && cfg.Region != "" {
			fmt.Fprintf(stderr, "stack %s: Region %q: %v\n", cfg.StackName, cfg.Region, err)
			failed = true
		}
	}
	if failed {
		fmt.Fprintf(stderr, "nothing was synthesized; %s is unchanged\n", outdir)
		return 1
	}
	if err := synth(cfgs, outdir); err != nil {
		fmt.Fprintln(stderr, err)
		fmt.Fprintf(stderr, "nothing was synthesized; %s is unchanged\n", outdir)
		return 1
	}
	return 0
}

func synth(cfgs []stacks.Config, outdir string) (err error) {
	abs, err := filepath.Abs(outdir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// MkdirTemp makes the directory private; cdktf.out is an ordinary one.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synthesis failed: %v", r)
		}
	}()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: &tmp})
	for _, cfg := range cfgs {
		if _, err := stacks.New(app, cfg); err != nil {
			return err
		}
	}
	app.Synth()
	// The reports go into the temporary directory too, so a failure leaves
	// the previous cdktf.out as it was.
	if _, err := report.WriteAll(tmp, report.Options{}); err != nil {
		return err
	}
	return swap(tmp, abs)
}

// swap replaces outdir with tmp. Each stack's Terraform working files
// (.terraform and the lock file, written by terraform init) are carried over
// so that a re-synth does not force a new init.
func swap(tmp, outdir string) error {
	stacksDir := filepath.Join(outdir, "stacks")
	entries, _ := os.ReadDir(stacksDir)
	for _, e := range entries {
		newStack := filepath.Join(tmp, "stacks", e.Name())
		if _, err := os.Stat(newStack); err != nil {
			continue
		}
		for _, keep := range []string{".terraform", ".terraform.lock.hcl"} {
			old := filepath.Join(stacksDir, e.Name(), keep)
			if _, err := os.Stat(old); err == nil {
				if err := os.Rename(old, filepath.Join(newStack, keep)); err != nil {
					return err
				}
			}
		}
	}
	old := outdir + ".old"
	if err := os.RemoveAll(old); err != nil {
		return err
	}
	if err := os.Rename(outdir, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, outdir); err != nil {
		// Put the previous output back.
		_ = os.Rename(old, outdir)
		return err
	}
	return os.RemoveAll(old)
}

// Command fargatekit-hcl hands a stack synthesized by CDKTF over to plain
// Terraform: it reads STACK_DIR/cdk.tf.json and writes .tf files to OUT_DIR
// that read as if written by hand (package internal/tfhcl does the work).
//
//	go run ./cmd/fargatekit-hcl [-keep-addresses] [-force] [-schema FILE] STACK_DIR OUT_DIR
//
// Resources get readable names from their construct path, and moved blocks
// carry the state from the old addresses; -keep-addresses keeps CDKTF's names.
// Nothing is written unless the whole stack converts: the files are written
// to a temporary directory beside OUT_DIR and moved into place at the end.
// OUT_DIR must be empty or absent, unless -force: then the converted files
// replace those of the same name, and other files (state, .terraform) stay.
// docs/leaving-cdktf.md has the whole procedure.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fargatekit/fargatekit/internal/tfhcl"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fargatekit-hcl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keep := fs.Bool("keep-addresses", false, "keep CDKTF's resource names (no moved blocks)")
	force := fs.Bool("force", false, "write into a non-empty OUT_DIR, replacing the files of the same name")
	schema := fs.String("schema", "", "`FILE` from `terraform providers schema -json`, for providers other than hashicorp/aws "+tfhcl.EmbeddedAWSVersion)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: fargatekit-hcl [-keep-addresses] [-force] [-schema FILE] STACK_DIR OUT_DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	opts := options{keep: *keep, force: *force, schema: *schema}
	if err := convert(fs.Arg(0), fs.Arg(1), opts, stdout); err != nil {
		fmt.Fprintln(stderr, "fargatekit-hcl:", err)
		return 1
	}
	return 0
}

type options struct {
	keep, force bool
	schema      string
}

func convert(stackDir, outDir string, o options, stdout io.Writer) error {
	in := stackDir
	if fi, err := os.Stat(stackDir); err != nil {
		return fmt.Errorf("stack directory: %w", err)
	} else if fi.IsDir() {
		in = filepath.Join(stackDir, "cdk.tf.json")
	} else {
		stackDir = filepath.Dir(stackDir)
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	if err := checkOutDir(outDir, o.force); err != nil {
		return err
	}
	opts := tfhcl.Options{KeepAddresses: o.keep, LocalStatePath: rebase(stackDir, outDir)}
	if o.schema != "" {
		f, err := os.Open(o.schema)
		if err != nil {
			return fmt.Errorf("-schema: %w", err)
		}
		opts.Schemas, err = tfhcl.ReadProvidersSchema(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("-schema %s: %w", o.schema, err)
		}
	}
	res, err := tfhcl.Convert(in, data, opts)
	if err != nil {
		return err
	}
	if err := write(outDir, res.Files, o.force); err != nil {
		return err
	}
	names := make([]string, 0, len(res.Files))
	for n := range res.Files {
		names = append(names, n)
	}
	slices.Sort(names)
	moved := 0
	for _, r := range res.Renames {
		if !r.Data {
			moved++
		}
	}
	fmt.Fprintf(stdout, "wrote %s to %s (%d resources renamed, each with a moved block)\n", strings.Join(names, ", "), outDir, moved)
	for _, n := range res.Notes {
		fmt.Fprintln(stdout, "note:", n)
	}
	return nil
}

// rebase returns a function that rewrites a relative local state path, which
// Terraform reads relative to the stack directory, so that it names the same
// file from the output directory.
func rebase(stackDir, outDir string) func(string) string {
	return func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		abs, err1 := filepath.Abs(filepath.Join(stackDir, p))
		out, err2 := filepath.Abs(outDir)
		if err1 != nil || err2 != nil {
			return p
		}
		rel, err := filepath.Rel(out, abs)
		if err != nil {
			return abs
		}
		return filepath.ToSlash(rel)
	}
}

// checkOutDir refuses a non-empty OUT_DIR without force, and, with force,
// one holding other Terraform files, which would join the configuration.
func checkOutDir(outDir string, force bool) error {
	entries, err := os.ReadDir(outDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if !force {
		return fmt.Errorf("output directory %s is not empty (%d entries); pass -force to replace the converted files in it", outDir, len(entries))
	}
	return nil
}

// write writes files into a temporary directory beside outDir, then moves
// them into place, so that a failure leaves outDir as it was.
func write(outDir string, files map[string][]byte, force bool) error {
	parent := filepath.Dir(filepath.Clean(outDir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("output directory %s: %w", outDir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(outDir)+".tmp-")
	if err != nil {
		return fmt.Errorf("output directory %s: cannot write beside it: %w", outDir, err)
	}
	defer os.RemoveAll(tmp)
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return fmt.Errorf("output directory %s: %w", outDir, err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(outDir)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0) {
		// rename(2) replaces an empty directory.
		if err := os.Rename(tmp, outDir); err != nil {
			return fmt.Errorf("output directory %s: %w", outDir, err)
		}
		return nil
	}
	if err != nil || !force {
		return fmt.Errorf("output directory %s changed while converting", outDir)
	}
	for name := range files {
		if err := os.Rename(filepath.Join(tmp, name), filepath.Join(outDir, name)); err != nil {
			return fmt.Errorf("output directory %s: %w", outDir, err)
		}
	}
	return nil
}

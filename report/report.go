// Package report writes, beside a synthesized stack's cdk.tf.json, what a
// reviewer wants to see: the architecture picture (architecture.mmd,
// architecture.svg) and the monthly cost estimate (cost.json, cost.md).
//
// Both are built from the cdk.tf.json itself, the document Terraform
// applies, so they cannot drift from what deploys. Apps that build their
// own stacks call [WriteAll] on their cdktf output directory after
// app.Synth(), or [WriteStack] on one stack's directory:
//
//	app.Synth()
//	if err := report.WriteAll("cdktf.out", report.Options{}); err != nil { ... }
package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/fargatekit/fargatekit/report/architecture"
	"github.com/fargatekit/fargatekit/report/cost"
	"github.com/fargatekit/fargatekit/report/tfmodel"
)

// The files [WriteStack] writes into a stack's directory.
const (
	MermaidFile = "architecture.mmd"
	SVGFile     = "architecture.svg"
	CostJSON    = "cost.json"
	CostMD      = "cost.md"
)

// Options tune the report. The zero value uses [cost.DefaultAssumptions].
type Options struct {
	// Assumptions replaces the default usage assumptions of the estimate.
	Assumptions *cost.Assumptions
}

func (o Options) assumptions() cost.Assumptions {
	if o.Assumptions != nil {
		return *o.Assumptions
	}
	return cost.DefaultAssumptions()
}

// Report is one stack's picture and estimate.
type Report struct {
	Stack    *tfmodel.Stack
	Diagram  *architecture.Diagram
	Estimate *cost.Estimate
}

// Build reads the stack document doc (a cdk.tf.json) of the stack name.
func Build(name string, doc []byte, opts Options) (*Report, error) {
	s, err := tfmodel.Parse(name, doc)
	if err != nil {
		return nil, err
	}
	e, err := cost.ForStack(s, opts.assumptions())
	if err != nil {
		return nil, err
	}
	return &Report{Stack: s, Diagram: architecture.Build(s), Estimate: e}, nil
}

// Files returns the four files by name.
func (r *Report) Files() (map[string][]byte, error) {
	j, err := r.Estimate.JSON()
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		MermaidFile: r.Diagram.Mermaid(),
		SVGFile:     r.Diagram.SVG(),
		CostJSON:    j,
		CostMD:      r.Estimate.Markdown(),
	}, nil
}

// WriteStack writes the four files into dir, a synthesized stack's
// directory (the one holding cdk.tf.json), and returns the report.
func WriteStack(dir string, opts Options) (*Report, error) {
	doc, err := os.ReadFile(filepath.Join(dir, "cdk.tf.json"))
	if err != nil {
		return nil, err
	}
	r, err := Build(filepath.Base(dir), doc, opts)
	if err != nil {
		return nil, err
	}
	files, err := r.Files()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), files[n], 0o644); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// WriteAll writes the report of every stack under outdir/stacks (a cdktf
// output directory) and returns them in stack-name order. It stops at the
// first stack it cannot report on, naming it.
func WriteAll(outdir string, opts Options) ([]*Report, error) {
	entries, err := os.ReadDir(filepath.Join(outdir, "stacks"))
	if err != nil {
		return nil, err
	}
	var out []*Report
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(outdir, "stacks", e.Name())
		if _, err := os.Stat(filepath.Join(dir, "cdk.tf.json")); errors.Is(err, os.ErrNotExist) {
			continue
		}
		r, err := WriteStack(dir, opts)
		if err != nil {
			return nil, fmt.Errorf("report for stack %s: %w", e.Name(), err)
		}
		out = append(out, r)
	}
	return out, nil
}

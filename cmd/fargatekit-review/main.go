// Command fargatekit-review compares two synthesized outputs and prints, as
// Markdown for a pull request comment, the monthly cost before and after and
// the resources added, changed in place, replaced and destroyed.
//
//	go run ./cmd/fargatekit-review [-plan STACK=PLAN.json]... OLD_DIR NEW_DIR
//
// OLD_DIR and NEW_DIR are cdktf output directories (holding stacks/) or
// single stack directories (holding cdk.tf.json), for example the main
// branch's cdktf.out and the pull request's.
//
// Without -plan, whether a change replaces a resource is read from the AWS
// provider's ForceNew arguments (report/review.ForceNew()). With
// -plan STACK=FILE, where FILE is `terraform show -json` of a plan of the new
// stack against its live state, that stack's resources come from the plan.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fargatekit/fargatekit/report"
	"github.com/fargatekit/fargatekit/report/review"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type plans map[string]string

func (p plans) String() string { return "" }

func (p plans) Set(v string) error {
	stack, file, ok := strings.Cut(v, "=")
	if !ok || stack == "" || file == "" {
		return fmt.Errorf("want STACK=FILE (a `terraform show -json` plan of that stack), got %q", v)
	}
	p[stack] = file
	return nil
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fargatekit-review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ps := plans{}
	fs.Var(ps, "plan", "STACK=FILE: take STACK's resources from `terraform show -json` of its plan (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: fargatekit-review [-plan STACK=PLAN.json]... OLD_DIR NEW_DIR (cdktf output directories or stack directories)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	r, err := review.Compare(fs.Arg(0), fs.Arg(1), report.Options{})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	for stack, file := range ps {
		b, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		if err := r.UsePlan(stack, b); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	stdout.Write(r.Markdown())
	return 0
}

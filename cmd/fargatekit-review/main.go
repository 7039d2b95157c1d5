// Command fargatekit-review compares two synthesized outputs and prints, as
// Markdown for a pull request comment, the monthly cost before and after and
// the resources added, changed in place, replaced and destroyed.
//
//	go run ./cmd/fargatekit-review OLD_DIR NEW_DIR
//
// OLD_DIR and NEW_DIR are cdktf output directories (holding stacks/) or
// single stack directories (holding cdk.tf.json), for example the main
// branch's cdktf.out and the pull request's.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/fargatekit/fargatekit/report"
	"github.com/fargatekit/fargatekit/report/review"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: fargatekit-review OLD_DIR NEW_DIR (cdktf output directories or stack directories)")
		return 2
	}
	r, err := review.Compare(args[0], args[1], report.Options{})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	stdout.Write(r.Markdown())
	return 0
}

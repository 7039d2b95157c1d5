// Command variants synthesizes the configuration that security/ci.sh scans
// beside the default stacks: the hardened variant of stacks.Variants, the
// production stack with every security option on (HTTPS, a KMS key for the
// logs, an ECR image, secrets), so that the scan shows which accepted
// findings of the defaults the options remove.
//
//	go run ./security/variants OUTDIR
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/stacks"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: variants OUTDIR")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1]))
}

func run(outdir string) (code int) {
	defer jsii.Close()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintln(os.Stderr, "synthesis failed:", r)
			code = 1
		}
	}()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: &outdir})
	cfg, _ := stacks.VariantConfig("hardened")
	if _, err := stacks.New(app, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	app.Synth()
	return 0
}

// Command variants synthesizes the configurations that security/ci.sh scans
// beside the default stacks: the production stack with every security option
// on (HTTPS, a KMS key for the logs, an ECR image, secrets), so that the scan
// shows which accepted findings of the defaults the options remove.
//
//	go run ./security/variants OUTDIR
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/stacks"
)

// Hardened is Production with HTTPS, a customer managed log key, an ECR
// image and secrets: the same options as the hardened variant of
// stacks/security_test.go.
func Hardened() stacks.Config {
	c := stacks.Production()
	c.StackName = "hardened"
	c.LoadBalancer.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/0b0d2d58-3f3e-4c47-9d2d-0e0ad0f5f0d1"
	c.Service.LogKMSKeyARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	c.Network.FlowLogKMSKeyARN = c.Service.LogKMSKeyARN
	c.Service.Containers[0].Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2"
	c.Service.Containers[0].Secrets = map[string]string{
		"DB_PASSWORD": "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf:password::",
	}
	c.Service.TaskPolicy = []iampolicy.Statement{
		{Sid: "ReadAssets", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::acme-assets/*"}},
	}
	return c
}

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
	for _, cfg := range []stacks.Config{Hardened()} {
		if _, err := stacks.New(app, cfg); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	app.Synth()
	return 0
}

// Command quickstart is the README's example: a load-balanced Fargate
// service in one call, inside a CDKTF stack of your own, beside your other
// resources. `go run .` (or `cdktf synth`) writes cdktf.out.
package main

import (
	"log"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ssmparameter"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/albservice"
	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/container"
	"github.com/fargatekit/fargatekit/constructs/service"
	"github.com/fargatekit/fargatekit/jsiitune"
)

func main() {
	jsiitune.Apply() // first: the jsii kernel then starts in a third of the time
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		log.Fatal(err)
	}

	// The VPC, the cluster, the ALB and the service, wired together, each
	// named after the pattern's id: "web".
	web, err := albservice.New(stack, "Web", albservice.Props{
		ServiceProps: service.Props{
			Containers: []container.Definition{{
				Name:         "web",
				Image:        "nginx:1.27",
				PortMappings: []container.PortMapping{{ContainerPort: 80}},
				ScratchPaths: []string{"/var/cache/nginx", "/var/run", "/tmp"},
			}},
		},
	})
	if err != nil {
		log.Fatal(err) // a *propcheck.Error naming every invalid field
	}

	// Any other resource of the stack can use what the pattern created.
	ssmparameter.NewSsmParameter(stack, jsii.String("WebUrl"), &ssmparameter.SsmParameterConfig{
		Name:  jsii.String("/web/url"),
		Type:  jsii.String("String"),
		Value: jsii.String(web.URL()),
	})
	app.Synth()
}

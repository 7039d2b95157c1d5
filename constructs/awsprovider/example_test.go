package awsprovider_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
)

// The provider with default tags, pinned to one account.
func ExampleNew() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("p"))
	_, err := awsprovider.New(stack, "aws", awsprovider.Props{
		Region:            "eu-west-1",
		DefaultTags:       map[string]string{"Team": "payments"},
		AllowedAccountIDs: []string{"123456789012"},
	})
	fmt.Println(err, awsprovider.DefaultVersionConstraint)
	// Output: <nil> >= 5.84.0, < 6.0.0
}

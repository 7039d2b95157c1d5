package loadbalancer_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

// An HTTPS load balancer: port 80 redirects to 443. Names longer than AWS's
// 32-character limit are shortened with a stable hash.
func ExampleNew() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("alb"))
	alb, err := loadbalancer.New(stack, "LoadBalancer", loadbalancer.Props{
		Name:           "customer-notifications-api-public",
		VPCID:          "vpc-0a1b2c3d4e5f67890",
		SubnetIDs:      []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
		CertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/0b0d2d58-3f3e-4c47-9d2d-0e0ad0f5f0d1",
		Target:         loadbalancer.TargetProps{Port: 8080, HealthCheckPath: "/healthz"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(alb.Name, len(alb.Name) <= loadbalancer.MaxNameLength, alb.HTTPSListener != nil)
	// Output: customer-notifications-ap-fd0f08 true true
}

// Two services share one load balancer by host name: api.example.com goes to
// the API's target group, www.example.com and example.com to the site's.
// Requests for any other host still reach the default target group.
func ExampleLoadBalancer_AddTarget_hostHeaders() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("alb"))
	alb, err := loadbalancer.New(stack, "LoadBalancer", loadbalancer.Props{
		Name:      "shop",
		VPCID:     "vpc-0a1b2c3d4e5f67890",
		SubnetIDs: []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
	})
	if err != nil {
		panic(err)
	}
	api, err := alb.AddTarget("Api", loadbalancer.RuleProps{Name: "api", HostHeaders: []string{"api.example.com"}, Priority: 10})
	if err != nil {
		panic(err)
	}
	www, err := alb.AddTarget("Www", loadbalancer.RuleProps{Name: "www", HostHeaders: []string{"www.example.com", "example.com"}, Priority: 20})
	if err != nil {
		panic(err)
	}
	fmt.Println(api.TargetGroupName, www.TargetGroupName)

	// A URL is not a host name.
	_, err = alb.AddTarget("Bad", loadbalancer.RuleProps{Name: "bad", HostHeaders: []string{"https://api.example.com/"}, Priority: 30})
	fmt.Println(err)
	// Output:
	// api-80 www-80
	// loadbalancer.AddTarget(alb/LoadBalancer/Bad): invalid props: HostHeaders[0] = "https://api.example.com/": must be a host name of letters, digits, "-" and ".", with * and ? as wildcards, at least one "." and only letters after the last "." (e.g. "api.example.com", "*.example.com"); no scheme, port or path
}

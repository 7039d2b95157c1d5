package domain_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/domain"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
)

// app.example.com and www.example.com on one certificate, validated by DNS in
// the example.com zone; the load balancer gets HTTPS with it (HTTP
// redirects), and both names point at the load balancer.
func ExampleNew() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web"))
	d, err := domain.New(stack, "Domain", domain.Props{
		Name:                    "app.example.com",
		SubjectAlternativeNames: []string{"www.example.com"},
		ZoneID:                  "Z0123456789ABCDEFGHIJ",
		ZoneName:                "example.com",
	})
	if err != nil {
		panic(err)
	}
	alb, err := loadbalancer.New(stack, "LoadBalancer", loadbalancer.Props{
		Name:           "web",
		VPCID:          "vpc-0a1b2c3d4e5f67890",
		SubnetIDs:      []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
		CertificateARN: d.CertificateARN,
	})
	if err != nil {
		panic(err)
	}
	if err := d.AliasTo(alb); err != nil {
		panic(err)
	}
	fmt.Println(d.Names, len(d.AliasRecords), alb.HTTPSListener != nil)

	// A name outside the zone could never be validated there.
	fmt.Println(domain.Validate(domain.Props{Name: "app.example.org", ZoneID: "Z0123456789ABCDEFGHIJ", ZoneName: "example.com"}))
	// Output:
	// [app.example.com www.example.com] 2 true
	// domain.New: invalid props: Name = "app.example.org": is not in the zone "example.com": its validation record could not be answered there
}

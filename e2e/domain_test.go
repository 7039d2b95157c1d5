package e2e

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53zone"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"

	"github.com/fargatekit/fargatekit/constructs/domain"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/internal/tftest"
)

// TestDomainAndHostRoutingDeploy proves domain.New, Domain.AliasTo and
// host-header rules on the emulator: a hosted zone, a certificate for two
// names validated by DNS in it, an ALB with HTTPS on that certificate (HTTP
// redirecting), a rule routing api.example.com and one routing
// www.example.com + /admin/*, and alias records for both names. Apply, a plan
// with no change, destroy, nothing left.
func TestDomainAndHostRoutingDeploy(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("deploys to the emulator")
	}
	t.Parallel()
	tftest.Binary(t)

	s := newSmallStack(t, "domain")
	stack := s.stack
	v := vpc.NewVpc(stack, jsii.String("Vpc"), &vpc.VpcConfig{CidrBlock: jsii.String("10.30.0.0/16")})
	internetgateway.NewInternetGateway(stack, jsii.String("Igw"), &internetgateway.InternetGatewayConfig{VpcId: v.Id()})
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		sn := subnet.NewSubnet(stack, jsii.String("Subnet"+az), &subnet.SubnetConfig{
			VpcId: v.Id(), CidrBlock: jsii.String([]string{"10.30.1.0/24", "10.30.2.0/24"}[i]), AvailabilityZone: jsii.String(az),
		})
		subnets = append(subnets, *sn.Id())
	}
	zone := route53zone.NewRoute53Zone(stack, jsii.String("Zone"), &route53zone.Route53ZoneConfig{Name: jsii.String("example.com"), ForceDestroy: true})

	d, err := domain.New(stack, "Domain", domain.Props{
		Name:                    "api.example.com",
		SubjectAlternativeNames: []string{"www.example.com"},
		ZoneID:                  *zone.ZoneId(),
		ZoneName:                "example.com",
	})
	if err != nil {
		t.Fatal(err)
	}
	alb, err := loadbalancer.New(stack, "LoadBalancer", loadbalancer.Props{
		Name: "shop", VPCID: *v.Id(), SubnetIDs: subnets,
		CertificateARN:            d.CertificateARN,
		DisableDeletionProtection: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alb.AddTarget("Api", loadbalancer.RuleProps{Name: "api", HostHeaders: []string{"api.example.com"}, Priority: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := alb.AddTarget("Admin", loadbalancer.RuleProps{Name: "admin", HostHeaders: []string{"www.example.com"}, PathPatterns: []string{"/admin/*"}, Priority: 20}); err != nil {
		t.Fatal(err)
	}
	if err := d.AliasTo(alb); err != nil {
		t.Fatal(err)
	}
	s.deploy(t, func(inv map[string][]string) {
		if len(inv["acm_certificates"]) != 1 || len(inv["route53_records"]) < 3 {
			t.Errorf("after apply the emulator holds certificates %v and records %v: want one certificate, its validation record(s) and two aliases", inv["acm_certificates"], inv["route53_records"])
		}
	})
}

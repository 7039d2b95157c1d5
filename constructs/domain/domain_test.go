package domain_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/constructs/domain"
	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/internal/problemtest"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

func props() domain.Props {
	return domain.Props{
		Name:                    "app.example.com",
		SubjectAlternativeNames: []string{"www.example.com"},
		ZoneID:                  "Z0123456789ABCDEFGHIJ",
		ZoneName:                "example.com",
	}
}

// GIVEN a domain with an extra name WHEN it is created and aliased to an ALB
// THEN the certificate is validated by DNS through one record per validation
// option in the zone, the HTTPS listener uses the validated ARN (so it waits
// for the certificate), HTTP redirects, and each name gets an A alias to the
// ALB that evaluates target health.
func TestDomainCertificateListenerAndAliases(t *testing.T) {
	stack := cdktf.NewTerraformStack(testutil.TestApp(), jsii.String("dom"))
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	d, err := domain.New(stack, "Domain", props())
	if err != nil {
		t.Fatal(err)
	}
	alb, err := loadbalancer.New(stack, "LoadBalancer", loadbalancer.Props{
		Name: "app", VPCID: "vpc-0a1b2c3d4e5f67890",
		SubnetIDs:      []string{"subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"},
		CertificateARN: d.CertificateARN,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.AliasTo(alb); err != nil {
		t.Fatal(err)
	}
	_, doc := testutil.Synth(t, stack)

	certName, cert := doc.One(t, "aws_acm_certificate")
	if cert["domain_name"] != "app.example.com" || cert["validation_method"] != "DNS" || testutil.Get(cert, "subject_alternative_names", 0) != "www.example.com" {
		t.Errorf("certificate: %v", cert)
	}
	// Security Hub ACM.2: RSA keys of at least 2048 bits. Unset means ACM's
	// default, RSA_2048.
	if ka, set := cert["key_algorithm"]; set && ka != "RSA_2048" && ka != "RSA_3072" && ka != "RSA_4096" && ka != "EC_prime256v1" && ka != "EC_secp384r1" {
		t.Errorf("certificate key_algorithm %v is weaker than RSA 2048 (Security Hub ACM.2)", ka)
	}
	if cert["lifecycle"] == nil || testutil.Get(cert, "lifecycle", "create_before_destroy") != true {
		t.Errorf("certificate lifecycle %v: a replacement must exist before the listener lets go of the old one", cert["lifecycle"])
	}
	records := doc.Resources("aws_route53_record")
	var validation map[string]any
	aliases := map[string]map[string]any{}
	for _, r := range records {
		if r["for_each"] != nil {
			validation = r
		} else {
			aliases[r["name"].(string)] = r
		}
	}
	// The for_each keys must be known at plan time: the names, not the
	// certificate's domain_validation_options (unknown until it exists).
	if validation == nil || validation["for_each"] != `${toset(["app.example.com", "www.example.com"])}` {
		t.Fatalf("no validation record keyed by the literal names: %v", records)
	}
	if n, _ := validation["name"].(string); !strings.Contains(n, "aws_acm_certificate."+certName+".domain_validation_options") || !strings.Contains(n, "each.value") {
		t.Errorf("validation record name %v does not pick this name's entry of the certificate's domain_validation_options", validation["name"])
	}
	if validation["zone_id"] != "Z0123456789ABCDEFGHIJ" || validation["allow_overwrite"] != true {
		t.Errorf("validation record: zone %v allow_overwrite %v", validation["zone_id"], validation["allow_overwrite"])
	}
	_, v := doc.One(t, "aws_acm_certificate_validation")
	if fqdns, _ := v["validation_record_fqdns"].(string); !strings.Contains(fqdns, "aws_route53_record.") || !strings.Contains(fqdns, ".fqdn") {
		t.Errorf("validation waits on %v, want the validation records' fqdns", v["validation_record_fqdns"])
	}
	for _, l := range doc.Resources("aws_lb_listener") {
		if l["port"] == 443.0 {
			if arn, _ := l["certificate_arn"].(string); !strings.Contains(arn, "aws_acm_certificate_validation.") {
				t.Errorf("HTTPS listener uses %v, want the validation's certificate_arn", l["certificate_arn"])
			}
		}
		if l["port"] == 80.0 && testutil.Get(l, "default_action", 0, "type") != "redirect" {
			t.Errorf("HTTP listener does not redirect: %v", l["default_action"])
		}
	}
	for _, name := range []string{"app.example.com", "www.example.com"} {
		a := aliases[name]
		if a == nil {
			t.Errorf("no alias record for %s among %v", name, testutil.SortedKeys(aliases))
			continue
		}
		if a["type"] != "A" || testutil.Get(a, "alias", "evaluate_target_health") != true ||
			!strings.Contains(testutil.Get(a, "alias", "name").(string), "aws_lb.") || !strings.Contains(testutil.Get(a, "alias", "zone_id").(string), ".zone_id") {
			t.Errorf("alias %s: %v", name, a)
		}
	}
	if len(d.AliasRecords) != 2 {
		t.Errorf("AliasRecords = %v", testutil.SortedKeys(d.AliasRecords))
	}
	if err := d.AliasTo(alb); err == nil {
		t.Error("a second AliasTo was accepted")
	}
}

func TestDomainRefuses(t *testing.T) {
	cases := map[string]struct {
		mutate func(*domain.Props)
		field  string
		value  string
		rule   string
	}{
		"no name":          {func(p *domain.Props) { p.Name = "" }, "Name", `""`, "is required"},
		"upper case":       {func(p *domain.Props) { p.Name = "App.example.com" }, "Name", `"App.example.com"`, "lowercase domain name"},
		"trailing dot":     {func(p *domain.Props) { p.Name = "app.example.com." }, "Name", `"app.example.com."`, "no trailing dot"},
		"url":              {func(p *domain.Props) { p.Name = "https://app.example.com" }, "Name", `"https://app.example.com"`, "lowercase domain name"},
		"name over 64":     {func(p *domain.Props) { p.Name = strings.Repeat("a", 60) + ".example.com" }, "Name", "aaaa", "at most 64 characters (it has 72)"},
		"outside the zone": {func(p *domain.Props) { p.Name = "app.example.org" }, "Name", `"app.example.org"`, `is not in the zone "example.com"`},
		"suffix trick":     {func(p *domain.Props) { p.Name = "app.notexample.com" }, "Name", `"app.notexample.com"`, `is not in the zone "example.com"`},
		"san repeats":      {func(p *domain.Props) { p.SubjectAlternativeNames = []string{"app.example.com"} }, "SubjectAlternativeNames[0]", `"app.example.com"`, "repeats Name"},
		"san wildcard mid": {func(p *domain.Props) { p.SubjectAlternativeNames = []string{"a.*.example.com"} }, "SubjectAlternativeNames[0]", `"a.*.example.com"`, "lowercase domain name"},
		"too many names": {func(p *domain.Props) {
			p.SubjectAlternativeNames = nil
			for i := 0; i < 100; i++ {
				p.SubjectAlternativeNames = append(p.SubjectAlternativeNames, fmt.Sprintf("n%d.example.com", i))
			}
		}, "SubjectAlternativeNames", `"101 names"`, "at most 100 names"},
		"zone id with prefix": {func(p *domain.Props) { p.ZoneID = "/hostedzone/Z0123456789ABCDEFGHIJ" }, "ZoneID", `"/hostedzone/Z0123456789ABCDEFGHIJ"`, `without "/hostedzone/"`},
		"no zone id":          {func(p *domain.Props) { p.ZoneID = "" }, "ZoneID", `""`, "is required"},
		"no zone name":        {func(p *domain.Props) { p.ZoneName = "" }, "ZoneName", `""`, "is required"},
		"token name":          {func(p *domain.Props) { p.Name = "${TfToken[TOKEN.1]}" }, "Name", "TfToken", "must be a literal domain name"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := props()
			tc.mutate(&p)
			problemtest.One(t, domain.Validate(p), tc.field, tc.value, tc.rule)
		})
	}
}

// A zone name with the trailing dot Route 53 prints is accepted.
func TestDomainZoneNameWithTrailingDot(t *testing.T) {
	p := props()
	p.ZoneName = "example.com."
	if err := domain.Validate(p); err != nil {
		t.Fatal(err)
	}
}

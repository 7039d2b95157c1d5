// Package domain gives a load balancer a name: an ACM certificate for the
// domain (and any extra names) validated by DNS in a Route 53 hosted zone,
// and alias records that point the names at the load balancer.
//
// The order of use is: [New] (certificate and its validation), then
// loadbalancer.New with CertificateARN set to [Domain.CertificateARN] (an
// HTTPS listener on 443, and HTTP on 80 redirecting to it), then
// [Domain.AliasTo] the load balancer. Because CertificateARN comes from the
// validation resource, Terraform creates the HTTPS listener only once the
// certificate is issued.
//
// A certificate you already have keeps working without this package: pass its
// ARN to loadbalancer.Props.CertificateARN.
package domain

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"
	"github.com/fargatekit/fargatekit/internal/wired"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificate"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificatevalidation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/loadbalancer"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/txn"
)

// Limits of ACM and Route 53.
const (
	// MaxNames is the most names (Name plus SubjectAlternativeNames) one ACM
	// certificate can hold once the quota is raised; the default quota is 10.
	MaxNames = 100
	// MaxFirstNameLength is the longest Name ACM accepts: it becomes the
	// certificate's common name, limited to 64 octets.
	MaxFirstNameLength = 64
	// MaxNameLength is the longest domain name.
	MaxNameLength = 253
	// ValidationRecordTTL is the TTL of the DNS validation records, seconds.
	ValidationRecordTTL = 60
)

// Props configures a [Domain]. Name, ZoneID and ZoneName are required.
type Props struct {
	// Name is the domain the certificate is for, e.g. "app.example.com" or
	// "*.example.com": lowercase letters, digits, hyphens and dots, at most
	// MaxFirstNameLength characters.
	Name string
	// SubjectAlternativeNames are further names on the same certificate,
	// e.g. "www.example.com" (at most MaxNames names in all; ACM's default
	// quota is 10).
	SubjectAlternativeNames []string
	// ZoneID is the Route 53 public hosted zone the validation and alias
	// records go into, e.g. "Z0123456789ABCDEFGHIJ" (or a token, such as
	// route53zone.Id()).
	ZoneID string
	// ZoneName is that zone's domain, e.g. "example.com". Every name must be
	// in it: a validation record outside the zone is never answered and
	// Terraform would wait for the certificate until it times out.
	ZoneName string
	// Tags are added to the certificate.
	Tags map[string]string
}

// Domain is what [New] and [Domain.AliasTo] created.
type Domain struct {
	// Certificate is the ACM certificate (validation method DNS).
	Certificate acmcertificate.AcmCertificate
	// ValidationRecords is the CNAME record resource, one instance per name
	// (for_each keyed by the name; each takes its record from the
	// certificate's domain_validation_options).
	ValidationRecords route53record.Route53Record
	// Validation waits until ACM has issued the certificate.
	Validation acmcertificatevalidation.AcmCertificateValidation
	// CertificateARN is the validated certificate's ARN (a token): pass it to
	// loadbalancer.Props.CertificateARN.
	CertificateARN string
	// AliasRecords are the A records [Domain.AliasTo] created, by name.
	AliasRecords map[string]route53record.Route53Record
	// Names is Name followed by SubjectAlternativeNames.
	Names []string

	scope  constructs.Construct
	zoneID string
}

var (
	// A domain name of labels of 1-63 lowercase letters, digits and hyphens
	// (not at either end), optionally starting with the wildcard label "*".
	nameRE   = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)
	zoneIDRE = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
)

// Validate checks props without creating anything and returns every problem.
// albservice.Props.Domain, whose zone the pattern looks up by ZoneName, is
// checked by albservice.Validate.
func Validate(props Props) error { return check(props, wired.Parts{}).Err() }

// init lends check to the albservice pattern, which validates a domain
// before the zone it looks up exists.
func init() {
	wired.Register(func(p Props, w wired.Parts) error { return check(p, w).Err() })
}

func check(p Props, w wired.Parts) *verify.Checker {
	c := verify.New("domain.New")
	zone := strings.TrimSuffix(p.ZoneName, ".")
	switch {
	case p.ZoneName == "":
		c.Add("ZoneName", p.ZoneName, `is required: the hosted zone's domain, e.g. "example.com"`)
	case !verify.IsToken(zone) && !nameRE.MatchString(zone):
		c.Add("ZoneName", p.ZoneName, `must be a domain name such as "example.com"`)
	}
	switch {
	case w.Zone: // provided by the caller
	case p.ZoneID == "":
		c.Add("ZoneID", p.ZoneID, `is required: the Route 53 hosted zone id, e.g. "Z0123456789ABCDEFGHIJ"`)
	default:
		c.Pattern("ZoneID", p.ZoneID, zoneIDRE, `must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ" (without "/hostedzone/")`)
	}
	checkName := func(field, name string, maxLen int) {
		switch {
		case verify.IsToken(name):
			c.Add(field, name, "must be a literal domain name, not a reference: the validation records are keyed by name, and Terraform must know the keys when it plans")
		case name == "":
			c.Add(field, name, `is required: a domain name such as "app.example.com"`)
		case len(name) > maxLen:
			c.Add(field, name, "must be at most %d characters (it has %d)", maxLen, len(name))
		case !nameRE.MatchString(name):
			c.Add(field, name, `must be a lowercase domain name such as "app.example.com" or "*.example.com": labels of letters, digits and hyphens, no trailing dot`)
		case zone != "" && !verify.IsToken(zone) && name != zone && !strings.HasSuffix(name, "."+zone):
			c.Add(field, name, "is not in the zone %q: its validation record could not be answered there", zone)
		}
	}
	checkName("Name", p.Name, MaxFirstNameLength)
	if n := 1 + len(p.SubjectAlternativeNames); n > MaxNames {
		c.Add("SubjectAlternativeNames", fmt.Sprintf("%d names", n), "a certificate holds at most %d names in all (ACM's default quota is 10)", MaxNames)
	}
	seen := map[string]string{p.Name: "Name"}
	for i, san := range p.SubjectAlternativeNames {
		f := fmt.Sprintf("SubjectAlternativeNames[%d]", i)
		checkName(f, san, MaxNameLength)
		if other, dup := seen[san]; dup && san != "" {
			c.Add(f, san, "repeats %s", other)
		}
		seen[san] = f
	}
	c.Tags("Tags", p.Tags)
	return c
}

// New validates props and creates, under scope/id, the certificate, one DNS
// validation record per name (for_each keyed by the name), and the
// validation wait. On invalid props it returns a *propcheck.Error and creates nothing.
func New(scope constructs.Construct, id string, props Props) (_ *Domain, err error) {
	if err := check(props, wired.Parts{}).Err(); err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	var undo txn.Undo
	defer undo.OnError(&err)
	// The id, tokens and tag count, checked in the kernel before anything
	// is created.
	if err := registry.Enter(registry.Entry{Op: "domain.New", Scope: scope, ID: id, Props: props,
		TagsField: "Tags", Tags: props.Tags, ExtraTags: []string{"Name"}}); err != nil {
		return nil, err
	}
	undo.Child(scope, id)
	s := constructs.NewConstruct(scope, &id)
	d := &Domain{scope: s, zoneID: props.ZoneID, AliasRecords: map[string]route53record.Route53Record{}}
	d.Names = append([]string{props.Name}, props.SubjectAlternativeNames...)

	cfg := &acmcertificate.AcmCertificateConfig{
		DomainName:       tfx.Str(props.Name),
		ValidationMethod: tfx.Str("DNS"),
		Tags:             tfx.Tags(props.Tags, map[string]string{"Name": props.Name}),
		// A replacement certificate must exist before the listener lets go
		// of the old one.
		Lifecycle: &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: tfx.Bool(true)},
	}
	if len(props.SubjectAlternativeNames) > 0 {
		cfg.SubjectAlternativeNames = tfx.Strs(props.SubjectAlternativeNames)
	}
	d.Certificate = acmcertificate.NewAcmCertificate(s, tfx.Str("Certificate"), cfg)

	// One validation record per name, keyed by the name itself: the keys of
	// a for_each must be known when Terraform plans, and the certificate's
	// domain_validation_options are not known until it exists. Each record
	// picks its name's entry from them. "x.example.com" and
	// "*.x.example.com" ask for the same record; allow_overwrite lets the
	// second write it too instead of failing.
	certFQN := *d.Certificate.Fqn()
	option := func(attr string) *string {
		return tfx.Str(fmt.Sprintf("${one([for o in %s.domain_validation_options : o.%s if o.domain_name == each.value])}", certFQN, attr))
	}
	d.ValidationRecords = route53record.NewRoute53Record(s, tfx.Str("ValidationRecord"), &route53record.Route53RecordConfig{
		ForEach:        cdktf.TerraformIterator_FromList(tfx.Strs(d.Names)),
		ZoneId:         tfx.Str(props.ZoneID),
		Name:           option("resource_record_name"),
		Type:           option("resource_record_type"),
		Records:        &[]*string{option("resource_record_value")},
		Ttl:            tfx.Num(ValidationRecordTTL),
		AllowOverwrite: true,
	})
	records := cdktf.TerraformIterator_FromResources(d.ValidationRecords)
	d.Validation = acmcertificatevalidation.NewAcmCertificateValidation(s, tfx.Str("Validation"), &acmcertificatevalidation.AcmCertificateValidationConfig{
		CertificateArn:        d.Certificate.Arn(),
		ValidationRecordFqdns: cdktf.Token_AsList(records.PluckProperty(tfx.Str("fqdn")), nil),
	})
	d.CertificateARN = *d.Validation.CertificateArn()
	if err := txn.Fault("domain.New"); err != nil {
		return nil, err
	}
	return d, nil
}

// AliasTo creates, for every name of the certificate, an A alias record in
// the zone that points at alb (the load balancer created by
// loadbalancer.New; the record id is "Alias-<name>"). Call it once per
// Domain.
func (d *Domain) AliasTo(alb *loadbalancer.LoadBalancer) error {
	c := verify.New("domain.AliasTo")
	switch {
	case d == nil || d.scope == nil:
		c.Add("Domain", nil, "must come from domain.New")
	case alb == nil || alb.ALB == nil:
		c.Add("LoadBalancer", nil, "must be a load balancer created by loadbalancer.New (an existing one has no zone id to alias to: add the records where it is managed)")
	case len(d.AliasRecords) > 0:
		c.Add("Domain", d.Names[0], "already has alias records: AliasTo is called once per Domain")
	}
	if err := c.Err(); err != nil {
		return err
	}
	dnsName, zoneID := alb.DNSName, *alb.ALB.ZoneId()
	for _, name := range d.Names {
		d.AliasRecords[name] = route53record.NewRoute53Record(d.scope, tfx.Str("Alias-"+name), &route53record.Route53RecordConfig{
			ZoneId: tfx.Str(d.zoneID),
			Name:   tfx.Str(name),
			Type:   tfx.Str("A"),
			Alias: &route53record.Route53RecordAlias{
				Name:                 tfx.Str(dnsName),
				ZoneId:               tfx.Str(zoneID),
				EvaluateTargetHealth: true,
			},
		})
	}
	return nil
}

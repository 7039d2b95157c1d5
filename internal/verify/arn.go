package verify

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var releaseIDRE = regexp.MustCompile(`^[A-Za-z0-9._:/@+=-]{1,255}$`)

// ARN is an Amazon Resource Name split into its parts:
// arn:Partition:Service:Region:Account:Resource. Resource keeps any further
// colons (a secret's "secret:name", a log group's ":log-stream:*").
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// String joins the parts again.
func (a ARN) String() string {
	return strings.Join([]string{"arn", a.Partition, a.Service, a.Region, a.Account, a.Resource}, ":")
}

// ParseARN splits s into its parts; ok is false when s does not begin with
// "arn:" or has fewer than six colon-separated parts. The parts are not
// checked: [Checker.ARN] does that.
func ParseARN(s string) (a ARN, ok bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ARN{}, false
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, true
}

// ARNKind describes the ARNs of one kind of resource, for [Checker.ARN].
type ARNKind struct {
	// Name is what the messages call it: "SNS topic".
	Name string
	// Service is the ARN's service part: "sns".
	Service string
	// Global is true for services whose ARNs have no region (IAM);
	// otherwise the region is required.
	Global bool
	// Resource is what the resource part must match, and ResourceRule says
	// it in words ("key/<key id>").
	Resource     *regexp.Regexp
	ResourceRule string
	// Example is a whole valid ARN.
	Example string
}

// The kinds of ARN the constructs take.
var (
	SNSTopic = ARNKind{Name: "SNS topic", Service: "sns",
		Resource: regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}(\.fifo)?$`), ResourceRule: "a topic name of 1-256 letters, digits, hyphens or underscores (with .fifo for a FIFO topic)",
		Example: "arn:aws:sns:us-east-1:123456789012:alarms"}
	KMSKey = ARNKind{Name: "KMS key", Service: "kms",
		Resource: regexp.MustCompile(`^key/[A-Za-z0-9-]{1,128}$`), ResourceRule: "key/<key id> (an alias ARN is refused: services that encrypt at rest want the key's own ARN)",
		Example: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
	ACMCertificate = ARNKind{Name: "ACM certificate", Service: "acm",
		Resource: regexp.MustCompile(`^certificate/[A-Za-z0-9-]{1,128}$`), ResourceRule: "certificate/<certificate id>",
		Example: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"}
	IAMServerCertificate = ARNKind{Name: "IAM server certificate", Service: "iam", Global: true,
		Resource: regexp.MustCompile(`^server-certificate/[A-Za-z0-9+=,.@_/-]{1,512}$`), ResourceRule: "server-certificate/<path and name>",
		Example: "arn:aws:iam::123456789012:server-certificate/web"}
	IAMRole = ARNKind{Name: "IAM role", Service: "iam", Global: true,
		Resource: regexp.MustCompile(`^role/[A-Za-z0-9+=,.@_/-]{1,512}$`), ResourceRule: "role/<path and name> of letters, digits and + = , . @ _ - /",
		Example: "arn:aws:iam::123456789012:role/web-task"}
	ECRRepository = ARNKind{Name: "ECR repository", Service: "ecr",
		Resource: regexp.MustCompile(`^repository/[a-z0-9][a-z0-9._/-]{0,255}$`), ResourceRule: "repository/<name> of lowercase letters, digits and . _ - /",
		Example: "arn:aws:ecr:us-east-1:123456789012:repository/web"}
	CloudMapNamespace = ARNKind{Name: "Cloud Map namespace", Service: "servicediscovery",
		Resource: regexp.MustCompile(`^namespace/ns-[a-z0-9]{1,64}$`), ResourceRule: "namespace/ns-<id>",
		Example: "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abcdefgh12345678"}
	TargetGroup = ARNKind{Name: "target group", Service: "elasticloadbalancing",
		Resource: regexp.MustCompile(`^targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`), ResourceRule: "targetgroup/<name>/<16 hex digits>",
		Example: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"}
	// SecretsManagerSecret is the secret itself: "secret:<name>-<6
	// characters>" (the suffix Secrets Manager adds); a valueFrom's JSON key
	// and version come after it and are not part of this ARN.
	SecretsManagerSecret = ARNKind{Name: "Secrets Manager secret", Service: "secretsmanager",
		Resource: regexp.MustCompile(`^secret:[A-Za-z0-9/_+=.@-]{1,512}$`), ResourceRule: "secret:<name> of letters, digits and / _ + = . @ - (no JSON key or version: give those to the constructor)",
		Example: "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf"}
	SSMParameter = ARNKind{Name: "SSM parameter", Service: "ssm",
		Resource: regexp.MustCompile(`^parameter/[A-Za-z0-9_.\-/]+$`), ResourceRule: "parameter/<name> of letters, digits and _ . - /",
		Example: "arn:aws:ssm:us-east-1:123456789012:parameter/web/api-token"}
)

var accountRE = regexp.MustCompile(`^[0-9]{12}$`)

// ARN records a problem unless s is an ARN of one of kinds (chosen by its
// service part), checking each part in turn and saying which is wrong: the
// partition (an AWS partition), the service, the region (required, an AWS
// region code, see [Checker.Region], in the ARN's partition; empty for
// global services such as IAM), the account (12 digits) and the resource.
// The ARN reaches Terraform as it is, so template syntax and control
// characters are refused first. Tokens pass.
//
// An ARN with tokens in it (the account of a data source, a name from
// another resource) has its literal parts checked: a part that holds a
// token is Terraform's to resolve.
func (c *Checker) ARN(field, s string, kinds ...ARNKind) bool {
	if !c.NoTemplate(field, s) {
		return false
	}
	why := arnProblem(s, kinds)
	if why == "" {
		return true
	}
	c.Add(field, s, "%s", why)
	return false
}

// tokenPart stands for a token while an ARN is split (a token's key may
// hold colons).
const tokenPart = "{token}"

// article is "a" or "an" for name, read aloud ("an SNS topic", "a KMS
// key" is "a kay…", so acronyms go by the sound of their first letter).
func article(name string) string {
	first, _, _ := strings.Cut(name, " ")
	vowels := "AEIOUaeiou"
	if first == strings.ToUpper(first) {
		vowels = "AEFHILMNORSX"
	}
	if strings.ContainsAny(name[:1], vowels) {
		return "an"
	}
	return "a"
}

func arnProblem(s string, kinds []ARNKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = article(k.Name) + " " + k.Name
	}
	want := strings.Join(names, " or ")
	prefix := "must be the ARN of " + want + ": "
	if why := arnPartProblem(s, kinds); why != "" {
		return prefix + why
	}
	return ""
}

func arnPartProblem(s string, kinds []ARNKind) string {
	tokens := IsToken(s)
	a, ok := ParseARN(tokenRE.ReplaceAllString(s, tokenPart))
	literal := func(part string) bool { return !strings.Contains(part, tokenPart) }
	switch {
	case !ok && tokens:
		return "" // a token for the whole ARN, or for several of its parts
	case !ok:
		return fmt.Sprintf("ARNs are arn:<partition>:%s:<region>:<account>:<resource>, such as %s", kinds[0].Service, kinds[0].Example)
	case !literal(a.Partition) || !literal(a.Service):
		return ""
	}
	i := slices.IndexFunc(kinds, func(k ARNKind) bool { return k.Service == a.Service })
	if !slices.Contains(partitions, a.Partition) {
		return fmt.Sprintf("the partition %q is not an AWS partition (%s): such as %s", a.Partition, strings.Join(partitions, ", "), kinds[max(i, 0)].Example)
	}
	if i < 0 {
		services := make([]string, len(kinds))
		for j, k := range kinds {
			services[j] = k.Service
		}
		return fmt.Sprintf("the service %q is not %s, such as %s", a.Service, strings.Join(services, " or "), kinds[0].Example)
	}
	k := kinds[i]
	switch {
	case !literal(a.Region):
	case k.Global && a.Region != "":
		return fmt.Sprintf("the region %q must be empty: %s ARNs have none (%s)", a.Region, k.Name, k.Example)
	case !k.Global && a.Region == "":
		return fmt.Sprintf("the region is missing: %s %s ARN names its region, such as %s", article(k.Name), k.Name, k.Example)
	case !k.Global:
		if why := regionProblem(a.Region); why != "" {
			return "the region " + why
		}
		if p := RegionPartition(a.Region); p != a.Partition {
			return fmt.Sprintf("the partition %q does not hold the region %q, which is in partition %q", a.Partition, a.Region, p)
		}
	}
	if literal(a.Account) && !accountRE.MatchString(a.Account) {
		return fmt.Sprintf("the account %q must be a 12-digit AWS account id, such as %s", a.Account, k.Example)
	}
	if literal(a.Resource) && !k.Resource.MatchString(a.Resource) {
		return fmt.Sprintf("the resource %q must be %s, such as %s", a.Resource, k.ResourceRule, k.Example)
	}
	return ""
}

// KMSKeyARN records a problem unless s is the ARN of a KMS key (an alias or a
// bare key id is refused: services that take a key for encryption at rest
// want the key's ARN). Tokens pass.
func (c *Checker) KMSKeyARN(field, s string) bool { return c.ARN(field, s, KMSKey) }

// SNSTopicARN records a problem unless s is the ARN of an SNS topic. Tokens
// pass.
func (c *Checker) SNSTopicARN(field, s string) bool { return c.ARN(field, s, SNSTopic) }

// ReleaseID records a problem unless s is a release identifier a deployment
// can be keyed on: a git SHA, an image digest ("sha256:…"), a version or a
// build number; 1-255 letters, digits and . _ : / @ + = -. Template syntax
// and blanks are named as such, since they are the likely mistakes (an
// unexpanded "${GITHUB_SHA}", an empty CI variable). Tokens pass.
func (c *Checker) ReleaseID(field, s string) bool {
	if IsToken(s) {
		return true
	}
	if strings.TrimSpace(s) == "" {
		c.Add(field, s, "is blank: give a git SHA, an image digest or a version (an empty CI variable?)")
		return false
	}
	if !c.NoTemplate(field, s) {
		return false
	}
	return c.Pattern(field, s, releaseIDRE, "must be 1-255 letters, digits or . _ : / @ + = - (a git SHA, an image digest or a version)")
}

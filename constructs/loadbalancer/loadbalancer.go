// Package loadbalancer creates an Application Load Balancer for Fargate
// services: the ALB with its own security group, an HTTP listener that forwards
// (or redirects to HTTPS when a certificate is given), an HTTPS listener with a
// current TLS policy, and an ip-type target group with a health check.
package loadbalancer

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fargatekit/fargatekit/internal/verify"
	"github.com/fargatekit/fargatekit/internal/wired"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistenerrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/internal/naming"
	"github.com/fargatekit/fargatekit/internal/registry"
	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/txn"
)

// Defaults applied to zero-valued props.
const (
	DefaultSSLPolicy           = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	DefaultIdleTimeout         = 60 * time.Second
	DefaultTargetPort          = 80
	DefaultHealthCheckPath     = "/"
	DefaultHealthCheckMatcher  = "200-399"
	DefaultHealthCheckInterval = 30 * time.Second
	DefaultHealthCheckTimeout  = 5 * time.Second
	DefaultHealthyThreshold    = 3
	DefaultUnhealthyThreshold  = 3
	DefaultDeregistrationDelay = 30 * time.Second
	// MaxNameLength is AWS's limit for load balancer and target group names.
	MaxNameLength = 32
	// MaxTargetGroupNamePrefix is the provider's limit for name_prefix.
	MaxTargetGroupNamePrefix = 6
	// MaxRulePriority is the highest listener rule priority AWS accepts.
	MaxRulePriority = 50000
	// MaxPathPatterns is how many path patterns one rule condition may hold.
	MaxPathPatterns = 5
	// MaxHealthCheckPathLength is the longest HealthCheckPath, its query
	// included, that AWS accepts (Elastic Load Balancing API,
	// CreateTargetGroup HealthCheckPath: 1-1024 characters).
	MaxHealthCheckPathLength = 1024
)

// defaultIngressCIDRs admit the whole internet: the ALB is the public entry.
var defaultIngressCIDRs = []string{"0.0.0.0/0"}

// DefaultIngressCIDRs returns the blocks that may reach the listeners when Props.IngressCIDRs is empty: the whole internet. It is a copy: changing it changes no check.
func DefaultIngressCIDRs() []string { return slices.Clone(defaultIngressCIDRs) }

// Props configures a [LoadBalancer]. The zero value, with Name, VPCID and two
// SubnetIDs, is an internet-facing ALB on port 80 with deletion protection on.
type Props struct {
	// Name is the base of the ALB and target group names; names longer than
	// 32 characters are shortened with a hash suffix. Required.
	Name string
	// VPCID and SubnetIDs (public subnets in at least two zones) place the
	// ALB. Required.
	VPCID     string
	SubnetIDs []string
	// Internal makes the ALB reachable only from inside the VPC.
	Internal bool
	// IngressCIDRs may reach the listeners. If empty, DefaultIngressCIDRs.
	IngressCIDRs []string
	// CertificateARN, when set, adds an HTTPS listener on 443 and turns the
	// HTTP listener into a permanent redirect to HTTPS.
	CertificateARN string
	// SSLPolicy of the HTTPS listener: one of SSLPolicies. If empty,
	// DefaultSSLPolicy.
	SSLPolicy string
	// AllowLegacyTLS admits an SSLPolicy that accepts TLS 1.0 or 1.1
	// (SSLPolicies' MinTLS below 1.2), for clients that cannot do better.
	// Security Hub ELB.17 and most compliance standards want TLS 1.2 at least.
	AllowLegacyTLS bool
	// DisableDeletionProtection lets Terraform delete the ALB. Leave it false
	// in production; set it for throwaway environments.
	DisableDeletionProtection bool
	// IdleTimeout of connections, 1 s to 4000 s. If zero, DefaultIdleTimeout.
	IdleTimeout time.Duration
	// Target configures the default target group.
	Target TargetProps
	// Tags are added to every resource created.
	Tags map[string]string
}

// TargetProps configures an ip-type target group and its health check.
type TargetProps struct {
	// Port the targets listen on. If zero, DefaultTargetPort.
	Port int
	// HealthCheckPath, HealthCheckMatcher (HTTP codes, e.g. "200" or
	// "200-399"), interval, timeout and thresholds of the health check; each
	// defaults to the Default constant of the same name when zero. The path
	// may carry a query ("/health?full=1"), at most
	// MaxHealthCheckPathLength characters in all.
	HealthCheckPath     string
	HealthCheckMatcher  string
	HealthCheckInterval time.Duration
	HealthCheckTimeout  time.Duration
	HealthyThreshold    int
	UnhealthyThreshold  int
	// DeregistrationDelay is how long draining targets keep connections,
	// 0 s to 3600 s. If zero, DefaultDeregistrationDelay.
	DeregistrationDelay time.Duration
}

// LoadBalancer is what [New] created. Users may adjust any resource.
type LoadBalancer struct {
	ALB           lb.Lb
	SecurityGroup securitygroup.SecurityGroup
	// IngressRules admit each of IngressCIDRs on each listener port: port 80
	// first, then 443 with a certificate, in the order of IngressCIDRs.
	IngressRules []vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule
	TargetGroup  lbtargetgroup.LbTargetGroup
	HTTPListener lblistener.LbListener
	// HTTPSListener is nil without a certificate.
	HTTPSListener lblistener.LbListener

	// Read once at creation: the ids and names other constructs wire to.
	Name string
	// TargetGroupName is the target group's readable name, in its Name tag.
	// Its AWS name is the first characters of it plus a unique suffix.
	TargetGroupName string
	SecurityGroupID string
	TargetGroupARN  string
	DNSName         string
	// ARNSuffix and TargetGroupARNSuffix form the resource label of the
	// ALBRequestCountPerTarget scaling metric.
	ARNSuffix            string
	TargetGroupARNSuffix string
	// TargetPort is the port of the default target group.
	TargetPort int
	// Listeners are what a service must wait for before it registers targets.
	Listeners []cdktf.ITerraformDependable
	// ListenerRule routes to TargetGroup on a LoadBalancer returned by
	// [LoadBalancer.AddTarget]; nil for the default target group.
	ListenerRule lblistenerrule.LbListenerRule

	// shared is what AddTarget needs, common to l and every value it returns.
	shared *shared
}

type shared struct {
	scope       constructs.Construct
	vpcID       string
	tags        map[string]string
	albName     string
	listener    lblistener.LbListener // that rules go on: HTTPS if there is one
	listenerARN string                // read on the first AddTarget
	ids         map[string]bool
	priorities  map[int]string // rule priority -> AddTarget id
	rules       []placedRule   // the rules AddTarget added, in order
}

// URL is the address clients use: https:// when there is a certificate.
func (l *LoadBalancer) URL() string {
	if l.HTTPSListener != nil {
		return "https://" + l.DNSName
	}
	return "http://" + l.DNSName
}

var (
	nameRE    = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
	matcherRE = regexp.MustCompile(`^[1-5][0-9]{2}([,-][1-5][0-9]{2})*$`)

	// healthPathRE is an absolute URI path and an optional query, of the
	// characters RFC 3986 allows there (pchar, "/" and, in the query, "?"):
	// no spaces, quotes, braces or fragment.
	healthPathRE = regexp.MustCompile(`^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*(\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$`)
)

type resolved struct {
	Props
	albName, tgName string
}

// Validate checks props without creating anything and returns every problem.
// To check a load balancer that albservice wires (its network or
// certificate created alongside), validate the pattern's props with
// albservice.Validate.
func Validate(props Props) error {
	_, err := check(props, wired.Parts{})
	return err
}

// init lends check to the albservice pattern, which validates a load
// balancer before its network and certificate exist.
func init() {
	wired.Register(func(p Props, w wired.Parts) error {
		_, err := check(p, w)
		return err
	})
}

func check(props Props, w wired.Parts) (resolved, error) {
	c := verify.New("loadbalancer.New")
	r := resolved{Props: props}
	if props.Name == "" || len(props.Name) > 255 || !nameRE.MatchString(props.Name) {
		c.Add("Name", props.Name, "must be letters, digits and hyphens, not starting or ending with a hyphen (longer than 32 is shortened)")
	}
	r.albName = naming.Fit(props.Name, MaxNameLength)
	reservedPrefixes(c, "Name", props.Name)
	c.TagCount("Tags", props.Tags, "Name")
	c.FakeTokens("", props)
	if !w.Network {
		c.VPCID("VPCID", props.VPCID)
		c.SubnetIDs("SubnetIDs", props.SubnetIDs, 2, "an ALB needs at least 2 subnets in distinct availability zones")
	}
	if len(r.IngressCIDRs) == 0 {
		r.IngressCIDRs = defaultIngressCIDRs
	}
	c.CIDRs("IngressCIDRs", r.IngressCIDRs)
	if props.CertificateARN != "" {
		// The ARN reaches Terraform as it is: verify.ARN refuses "${…}"
		// in it before anything else.
		c.ARN("CertificateARN", props.CertificateARN, verify.ACMCertificate, verify.IAMServerCertificate)
	}
	switch {
	case r.SSLPolicy == "" && props.AllowLegacyTLS:
		c.Add("AllowLegacyTLS", true, "is only used with an SSLPolicy that allows TLS 1.0 or 1.1")
	case r.SSLPolicy == "":
		r.SSLPolicy = DefaultSSLPolicy
	default:
		if props.CertificateARN == "" && !w.Certificate {
			c.Add("SSLPolicy", props.SSLPolicy, "is only used with CertificateARN")
		}
		checkSSLPolicy(c, props)
	}
	if r.IdleTimeout == 0 {
		r.IdleTimeout = DefaultIdleTimeout
	}
	c.Seconds("IdleTimeout", r.IdleTimeout, 1, 4000)
	c.Tags("Tags", props.Tags)

	checkTarget(c, "Target", &r.Target)
	// The target group name carries the port so that a port change can
	// create the new group before the old one is destroyed.
	r.tgName = naming.Fit(fmt.Sprintf("%s-%d", props.Name, r.Target.Port), MaxNameLength)
	return r, c.Err()
}

// checkTarget fills in t's defaults and records its problems under field.
func checkTarget(c *verify.Checker, field string, t *TargetProps) {
	if t.Port == 0 {
		t.Port = DefaultTargetPort
	}
	c.Port(field+".Port", t.Port)
	if t.HealthCheckPath == "" {
		t.HealthCheckPath = DefaultHealthCheckPath
	}
	switch {
	case len(t.HealthCheckPath) > MaxHealthCheckPathLength:
		c.Add(field+".HealthCheckPath", t.HealthCheckPath, "must be at most %d characters (Elastic Load Balancing API, HealthCheckPath)", MaxHealthCheckPathLength)
	case strings.Contains(t.HealthCheckPath, "${") || strings.Contains(t.HealthCheckPath, "%{"):
		c.Add(field+".HealthCheckPath", t.HealthCheckPath, `must not contain Terraform template syntax ("${" or "%{")`)
	case !healthPathRE.MatchString(t.HealthCheckPath):
		c.Add(field+".HealthCheckPath", t.HealthCheckPath, `must start with "/" and use only URI path characters, with an optional query ("/health?full=1"): no spaces, quotes, braces, control characters or "#" fragment`)
	}
	if t.HealthCheckMatcher == "" {
		t.HealthCheckMatcher = DefaultHealthCheckMatcher
	}
	if !matcherRE.MatchString(t.HealthCheckMatcher) {
		c.Add(field+".HealthCheckMatcher", t.HealthCheckMatcher, `must be HTTP codes such as "200", "200,302" or "200-399"`)
	} else if why := matcherCodes(t.HealthCheckMatcher); why != "" {
		c.Add(field+".HealthCheckMatcher", t.HealthCheckMatcher, "%s", why)
	}
	if t.HealthCheckInterval == 0 {
		t.HealthCheckInterval = DefaultHealthCheckInterval
	}
	if t.HealthCheckTimeout == 0 {
		t.HealthCheckTimeout = DefaultHealthCheckTimeout
	}
	okI := c.Seconds(field+".HealthCheckInterval", t.HealthCheckInterval, 5, 300)
	okT := c.Seconds(field+".HealthCheckTimeout", t.HealthCheckTimeout, 2, 120)
	if okI && okT && t.HealthCheckTimeout >= t.HealthCheckInterval {
		c.Add(field+".HealthCheckTimeout", t.HealthCheckTimeout.String(), "must be shorter than HealthCheckInterval (%s)", t.HealthCheckInterval)
	}
	if t.HealthyThreshold == 0 {
		t.HealthyThreshold = DefaultHealthyThreshold
	}
	if t.UnhealthyThreshold == 0 {
		t.UnhealthyThreshold = DefaultUnhealthyThreshold
	}
	c.Range(field+".HealthyThreshold", t.HealthyThreshold, 2, 10)
	c.Range(field+".UnhealthyThreshold", t.UnhealthyThreshold, 2, 10)
	if t.DeregistrationDelay == 0 {
		t.DeregistrationDelay = DefaultDeregistrationDelay
	}
	c.Seconds(field+".DeregistrationDelay", t.DeregistrationDelay, 0, 3600)
}

// New validates props and creates the load balancer under scope/id. On invalid
// props it returns a *propcheck.Error and creates nothing.
func New(scope constructs.Construct, id string, props Props) (_ *LoadBalancer, err error) {
	r, err := check(props, wired.Parts{})
	if err != nil {
		return nil, verify.Located(err, registry.PathOf(scope, id))
	}
	var undo txn.Undo
	defer undo.OnError(&err)
	s, err := undo.Enter(scope, id, entry(props, r))
	if err != nil {
		return nil, err
	}
	out := &LoadBalancer{Name: r.albName, TargetGroupName: r.tgName, TargetPort: r.Target.Port,
		shared: &shared{scope: s, vpcID: r.VPCID, tags: r.Tags, albName: r.albName, ids: map[string]bool{}, priorities: map[int]string{}}}
	tags := tfx.Tags(r.Tags, map[string]string{"Name": r.albName})

	out.SecurityGroup = securitygroup.NewSecurityGroup(s, tfx.Str("SecurityGroup"), &securitygroup.SecurityGroupConfig{
		NamePrefix:  tfx.Str(naming.Fit(r.Name, 200) + "-alb-"),
		Description: tfx.Str("Load balancer " + r.albName + ": listener ports from the allowed CIDRs"),
		VpcId:       &r.VPCID,
		Tags:        tags,
		Lifecycle:   &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: tfx.Bool(true)},
	})
	out.SecurityGroupID = *out.SecurityGroup.Id()
	ports := []int{80}
	if r.CertificateARN != "" {
		ports = append(ports, 443)
	}
	for _, port := range ports {
		for i, cidr := range r.IngressCIDRs {
			out.IngressRules = append(out.IngressRules, vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(s, tfx.Str(fmt.Sprintf("Ingress%d-%d", port, i)), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
				SecurityGroupId: &out.SecurityGroupID,
				Description:     tfx.Str(fmt.Sprintf("Listener port %d from %s", port, cidr)),
				IpProtocol:      tfx.Str("tcp"),
				FromPort:        tfx.Num(port),
				ToPort:          tfx.Num(port),
				CidrIpv4:        &r.IngressCIDRs[i],
			}))
		}
	}

	out.ALB = lb.NewLb(s, tfx.Str("LoadBalancer"), &lb.LbConfig{
		Name:                     &r.albName,
		LoadBalancerType:         tfx.Str("application"),
		Internal:                 r.Internal,
		SecurityGroups:           tfx.Strs([]string{out.SecurityGroupID}),
		Subnets:                  tfx.Strs(r.SubnetIDs),
		DropInvalidHeaderFields:  true,
		EnableDeletionProtection: !r.DisableDeletionProtection,
		IdleTimeout:              tfx.Num(int(r.IdleTimeout / time.Second)),
		Tags:                     tags,
	})
	lbARN := *out.ALB.Arn()
	out.DNSName = *out.ALB.DnsName()
	out.ARNSuffix = *out.ALB.ArnSuffix()

	out.TargetGroup = newTargetGroup(s, "TargetGroup", r.tgName, r.VPCID, r.Tags, r.Target)
	out.TargetGroupARN = *out.TargetGroup.Arn()
	out.TargetGroupARNSuffix = *out.TargetGroup.ArnSuffix()
	forward := &[]*lblistener.LbListenerDefaultAction{{Type: tfx.Str("forward"), TargetGroupArn: &out.TargetGroupARN}}

	httpAction := forward
	if r.CertificateARN != "" {
		httpAction = &[]*lblistener.LbListenerDefaultAction{{
			Type: tfx.Str("redirect"),
			Redirect: &lblistener.LbListenerDefaultActionRedirect{
				Protocol:   tfx.Str("HTTPS"),
				Port:       tfx.Str("443"),
				StatusCode: tfx.Str("HTTP_301"),
			},
		}}
	}
	out.HTTPListener = lblistener.NewLbListener(s, tfx.Str("HttpListener"), &lblistener.LbListenerConfig{
		LoadBalancerArn: &lbARN,
		Port:            tfx.Num(80),
		Protocol:        tfx.Str("HTTP"),
		DefaultAction:   httpAction,
		Tags:            tags,
	})
	out.Listeners = append(out.Listeners, out.HTTPListener)
	out.shared.listener = out.HTTPListener
	if r.CertificateARN != "" {
		out.HTTPSListener = lblistener.NewLbListener(s, tfx.Str("HttpsListener"), &lblistener.LbListenerConfig{
			LoadBalancerArn: &lbARN,
			Port:            tfx.Num(443),
			Protocol:        tfx.Str("HTTPS"),
			SslPolicy:       &r.SSLPolicy,
			CertificateArn:  &r.CertificateARN,
			DefaultAction:   forward,
			Tags:            tags,
		})
		out.Listeners = append(out.Listeners, out.HTTPSListener)
		out.shared.listener = out.HTTPSListener
	}
	if err := txn.Fault("loadbalancer.New"); err != nil {
		return nil, err
	}
	return out, nil
}

// entry is what New claims in its stack (without scope and id).
func entry(props Props, r resolved) registry.Entry {
	return registry.Entry{
		Op: "loadbalancer.New", Props: props,
		Names:     []registry.Name{{Kind: registry.LoadBalancer, Value: r.albName, Field: "Name"}},
		TagsField: "Tags", Tags: props.Tags, ExtraTags: []string{"Name"},
	}
}

// A pattern plans its load balancer before its network exists: VPCID and
// SubnetIDs may be empty.
func init() {
	registry.RegisterPlanner("loadbalancer.New", func(props any) (registry.Entry, bool) {
		p, ok := props.(Props)
		if !ok {
			return registry.Entry{}, false
		}
		r, err := check(p, wired.Parts{Network: true, Certificate: true})
		if err != nil {
			return registry.Entry{}, false
		}
		return entry(p, r), true
	})
}

// newTargetGroup creates an ip-type target group with t's health check.
func newTargetGroup(s constructs.Construct, id, name, vpcID string, tags map[string]string, t TargetProps) lbtargetgroup.LbTargetGroup {
	// AWS names the group NamePrefix plus a unique suffix. A fixed name would
	// clash with itself whenever Terraform replaces the group (create before
	// destroy), e.g. after an interrupted apply left it tainted.
	return lbtargetgroup.NewLbTargetGroup(s, &id, &lbtargetgroup.LbTargetGroupConfig{
		NamePrefix:          tfx.Str(naming.Prefix(name, MaxTargetGroupNamePrefix)),
		Port:                tfx.Num(t.Port),
		Protocol:            tfx.Str("HTTP"),
		TargetType:          tfx.Str("ip"),
		VpcId:               &vpcID,
		DeregistrationDelay: tfx.Str(strconv.Itoa(int(t.DeregistrationDelay / time.Second))),
		HealthCheck: &lbtargetgroup.LbTargetGroupHealthCheck{
			Enabled:            true,
			Path:               &t.HealthCheckPath,
			Matcher:            &t.HealthCheckMatcher,
			Protocol:           tfx.Str("HTTP"),
			Port:               tfx.Str("traffic-port"),
			Interval:           tfx.Num(int(t.HealthCheckInterval / time.Second)),
			Timeout:            tfx.Num(int(t.HealthCheckTimeout / time.Second)),
			HealthyThreshold:   tfx.Num(t.HealthyThreshold),
			UnhealthyThreshold: tfx.Num(t.UnhealthyThreshold),
		},
		Tags:      tfx.Tags(tags, map[string]string{"Name": name}),
		Lifecycle: &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: tfx.Bool(true)},
	})
}

// RuleProps configures a target group that [LoadBalancer.AddTarget] reaches
// through a listener rule that matches the path, the host name, or both.
type RuleProps struct {
	// Name is the base of the target group name, like Props.Name: the group
	// is "<Name>-<port>", shortened to 32 characters with a hash suffix if
	// longer. Required.
	Name string
	// PathPatterns route matching requests to the group, e.g. "/api/*"
	// (case-sensitive; * and ? are wildcards), patterns of at most 128
	// characters. Required unless HostHeaders are given.
	PathPatterns []string
	// HostHeaders route requests for these host names to the group, e.g.
	// "api.example.com" or "*.example.com" (case-insensitive; * and ? are
	// wildcards), so that several services share one load balancer by name.
	// With PathPatterns too, a request must match both. Host names and path
	// patterns hold at most MaxConditionValues values together. See hosts.go.
	HostHeaders []string
	// Priority orders the rules of the listener, 1 to MaxRulePriority, lowest
	// first; it must be unique on the load balancer. Required.
	Priority int
	// Target configures the new group and its health check, with the same
	// defaults as Props.Target.
	Target TargetProps
}

// checkRule records the problems of props that need no load balancer and
// returns its target with defaults filled in, and whether Priority is in range.
func checkRule(c *verify.Checker, props RuleProps) (TargetProps, bool) {
	if props.Name == "" || len(props.Name) > 255 || !nameRE.MatchString(props.Name) {
		c.Add("Name", props.Name, "must be letters, digits and hyphens, not starting or ending with a hyphen (longer than 32 is shortened)")
	}
	c.FakeTokens("", props)
	checkConditions(c, props)
	priorityOK := c.Range("Priority", props.Priority, 1, MaxRulePriority)
	t := props.Target
	checkTarget(c, "Target", &t)
	return t, priorityOK
}

var patternRE = regexp.MustCompile(`^[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{1,128}$`)

// ValidateRule checks the props of a rule that need no load balancer (the
// name, the conditions, the priority's range, the target), for a caller that
// validates before the load balancer exists; [LoadBalancer.AddTarget] checks
// them all again, and the priority against the rules already there.
func ValidateRule(props RuleProps) error {
	c := verify.New("loadbalancer.AddTarget")
	checkRule(c, props)
	return c.Err()
}

// ValidateTarget checks what [LoadBalancer.AddTarget] would check (props, the
// id, the priority against the rules already on l) without creating anything.
func (l *LoadBalancer) ValidateTarget(id string, props RuleProps) error {
	_, err := l.checkRule(id, props)
	return verify.Located(err, id)
}

// checkRule returns props.Target with its defaults, or every problem.
func (l *LoadBalancer) checkRule(id string, props RuleProps) (TargetProps, error) {
	c := verify.New("loadbalancer.AddTarget")
	if l == nil || l.shared == nil {
		c.Add("LoadBalancer", nil, "must come from loadbalancer.New")
		return TargetProps{}, c.Err()
	}
	sh := l.shared
	if id == "" || strings.ContainsAny(id, "/") {
		c.Add("id", id, `must be a non-empty construct id without "/"`)
	} else if sh.ids[id] {
		c.Add("id", id, "is already used by another AddTarget on this load balancer")
	}
	t, priorityOK := checkRule(c, props)
	if other, taken := sh.priorities[props.Priority]; priorityOK && taken {
		c.Add("Priority", props.Priority, "is already used by AddTarget(%q): each rule needs its own priority", other)
	} else if priorityOK && c.OK() {
		checkShadowing(c, props, sh.rules)
	}
	return t, c.Err()
}

// AddTarget creates a target group under l's scope as "<id>TargetGroup" and a
// listener rule "<id>Rule" that forwards requests matching
// props.PathPatterns and props.HostHeaders to it, on the HTTPS listener when there is one (HTTP
// then only redirects) and on the HTTP listener otherwise; requests that no
// rule matches still go to l's default target group. It returns a
// LoadBalancer that shares l's ALB, security group and listeners, but whose
// TargetGroup (and its name, ARN and ARN suffix, TargetPort, ListenerRule and
// Listeners) is the new one: pass it as service.Props.LoadBalancer to put a
// second service behind the same load balancer.
//
// On invalid props, an id used before, or a priority taken by another rule,
// it returns a *propcheck.Error and creates nothing.
func (l *LoadBalancer) AddTarget(id string, props RuleProps) (_ *LoadBalancer, err error) {
	t, err := l.checkRule(id, props)
	if err != nil {
		path := id
		if l != nil && l.shared != nil {
			path = registry.PathOf(l.shared.scope, id)
		}
		return nil, verify.Located(err, path)
	}
	sh := l.shared
	var undo txn.Undo
	defer undo.OnError(&err)
	// The ids this call creates, checked in the kernel: a construct made
	// there by hand would otherwise be a jsii panic. The id and the
	// priority are held by the id until txn.RemoveTarget takes them back.
	if err := registry.Enter(registry.Entry{
		Op: "loadbalancer.AddTarget", Scope: sh.scope, ID: id, Children: []string{id + "TargetGroup", id + "Rule"},
		Props:     props,
		TagsField: "Tags", Tags: sh.tags, ExtraTags: []string{"Name"},
		Holds: []registry.Held{{
			What: fmt.Sprintf("AddTarget(%s) priority %d on load balancer %s", id, props.Priority, sh.albName),
			Release: func() {
				delete(sh.ids, id)
				delete(sh.priorities, props.Priority)
				sh.rules = slices.DeleteFunc(sh.rules, func(r placedRule) bool { return r.id == id })
			},
		}},
	}); err != nil {
		return nil, err
	}
	sh.ids[id] = true
	sh.priorities[props.Priority] = id
	sh.rules = append(sh.rules, placedRule{id: id, name: props.Name, priority: props.Priority,
		hosts: slices.Clone(props.HostHeaders), paths: slices.Clone(props.PathPatterns)})
	undo.Do(func() { txn.RemoveTarget(sh.scope, id) })
	if sh.listenerARN == "" {
		sh.listenerARN = *sh.listener.Arn()
	}

	tgName := naming.Fit(fmt.Sprintf("%s-%d", props.Name, t.Port), MaxNameLength)
	out := *l
	out.TargetGroup = newTargetGroup(sh.scope, id+"TargetGroup", tgName, sh.vpcID, sh.tags, t)
	out.TargetGroupName = tgName
	out.TargetGroupARN = *out.TargetGroup.Arn()
	out.TargetGroupARNSuffix = *out.TargetGroup.ArnSuffix()
	out.TargetPort = t.Port
	out.ListenerRule = lblistenerrule.NewLbListenerRule(sh.scope, tfx.Str(id+"Rule"), &lblistenerrule.LbListenerRuleConfig{
		ListenerArn: &sh.listenerARN,
		Priority:    tfx.Num(props.Priority),
		Action: &[]*lblistenerrule.LbListenerRuleAction{{
			Type:           tfx.Str("forward"),
			TargetGroupArn: &out.TargetGroupARN,
		}},
		Condition: ruleConditions(props),
		Tags:      tfx.Tags(sh.tags, map[string]string{"Name": tgName}),
	})
	// Targets register once a rule uses the group.
	out.Listeners = append(slices.Clone(l.Listeners), out.ListenerRule)
	if err := txn.Fault("loadbalancer.AddTarget"); err != nil {
		return nil, err
	}
	return &out, nil
}

// SSLPolicy describes one security policy an ALB HTTPS listener accepts.
type SSLPolicy struct {
	Name string
	// MinTLS is the oldest TLS version the policy accepts: "1.0" to "1.3".
	MinTLS string
}

// sslPolicies are the security policies AWS lists for Application Load
// Balancer HTTPS listeners ("Security policies for your Application Load
// Balancer", Elastic Load Balancing User Guide,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html,
// read 2026-11). Those with MinTLS below "1.2" need AllowLegacyTLS.
var sslPolicies = []SSLPolicy{
	{"ELBSecurityPolicy-TLS13-1-2-2021-06", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-3-2021-06", "1.3"},
	{"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "1.3"},
	{"ELBSecurityPolicy-TLS-1-2-2017-01", "1.2"},
	{"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "1.2"},
	{"ELBSecurityPolicy-FS-1-2-2019-08", "1.2"},
	{"ELBSecurityPolicy-FS-1-2-Res-2019-08", "1.2"},
	{"ELBSecurityPolicy-FS-1-2-Res-2020-10", "1.2"},
	{"ELBSecurityPolicy-TLS13-1-1-2021-06", "1.1"},
	{"ELBSecurityPolicy-TLS13-1-0-2021-06", "1.0"},
	{"ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "1.1"},
	{"ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", "1.0"},
	{"ELBSecurityPolicy-FS-1-1-2019-08", "1.1"},
	{"ELBSecurityPolicy-FS-2018-06", "1.0"},
	{"ELBSecurityPolicy-TLS-1-1-2017-01", "1.1"},
	{"ELBSecurityPolicy-2016-08", "1.0"},
	{"ELBSecurityPolicy-2015-05", "1.0"},
}

// SSLPolicies returns the security policies AWS lists for Application Load Balancers, the values Props.SSLPolicy takes. It is a copy: changing it changes no check.
func SSLPolicies() []SSLPolicy { return slices.Clone(sslPolicies) }

func checkSSLPolicy(c *verify.Checker, props Props) {
	i := slices.IndexFunc(sslPolicies, func(p SSLPolicy) bool { return p.Name == props.SSLPolicy })
	switch {
	case i < 0:
		c.Add("SSLPolicy", props.SSLPolicy, "is not a security policy AWS lists for Application Load Balancers (loadbalancer.SSLPolicies, from the ELB User Guide); the default is %q", DefaultSSLPolicy)
	case sslPolicies[i].MinTLS < "1.2" && !props.AllowLegacyTLS:
		c.Add("SSLPolicy", props.SSLPolicy, "accepts TLS %s, which is deprecated (RFC 8996): choose a TLS 1.2+ policy such as %q, or set AllowLegacyTLS for clients that need it", sslPolicies[i].MinTLS, DefaultSSLPolicy)
	case sslPolicies[i].MinTLS >= "1.2" && props.AllowLegacyTLS:
		c.Add("AllowLegacyTLS", true, "is only used with an SSLPolicy that allows TLS 1.0 or 1.1; %q does not", props.SSLPolicy)
	}
}

// reservedPrefixes refuses names whose derived AWS names AWS reserves: load
// balancer names must not begin with "internal-" (CreateLoadBalancer, Name),
// and the security group named after it must not begin with "sg-"
// (CreateSecurityGroup, GroupName).
func reservedPrefixes(c *verify.Checker, field, name string) {
	if c.ReservedPrefix(field, name, "internal-", `must not begin with "internal-": AWS reserves it for internal load balancers' DNS names and refuses it in a load balancer name (Elastic Load Balancing API, CreateLoadBalancer Name)`) {
		c.ReservedPrefix(field, name, "sg-", verify.SGPrefixRule)
	}
}

// matcherCodes checks the codes of a well-formed matcher: an ALB health check
// accepts HTTP codes 200 to 499 (Elastic Load Balancing API, Matcher), and a
// range must run upwards.
func matcherCodes(m string) string {
	for _, part := range strings.Split(m, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, _ := strconv.Atoi(lo)
		b := a
		if isRange {
			b, _ = strconv.Atoi(hi)
		}
		if a < 200 || b > 499 {
			return "an Application Load Balancer health check accepts HTTP codes from 200 to 499 (Elastic Load Balancing API, Matcher.HttpCode)"
		}
		if b < a {
			return fmt.Sprintf("the range %s runs downwards: write the lower code first", part)
		}
	}
	return ""
}

package stacks

// Security Hub controls, checked on the synthesized Terraform JSON of every
// default stack and of one hardened variant (for the options the defaults
// leave off: a certificate, a KMS key, an ECR image, secrets). One test per
// control, named after it, so that a failure says which control broke; every
// message names the stack, the resource address and the JSON path, and says
// what is wrong. A default that fails a control is a bug in the library.
//
// Each control is a function from a document to its problems, so that
// TestControlsCatchViolations can prove that every control fails on a stack
// that breaks it: a check that cannot fail protects nothing.
//
// Helpers here carry a sec prefix: other test files share the package.

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/iampolicy"
	"github.com/fargatekit/fargatekit/constructs/propcheck"
	"github.com/fargatekit/fargatekit/internal/testutil"
)

const (
	secCertARN = ExampleCertificateARN
	secKMSARN  = ExampleKMSKeyARN
)

// secHardenedConfig is the hardened variant (Variants): Production with the
// security options a team turns on: HTTPS (ELB.1), a KMS key for the log
// groups, an ECR image (so that the unscoped ecr:GetAuthorizationToken
// statement appears), secrets from Secrets Manager and SSM (ECS.8), and a task
// policy with a scoped and an unscoped statement.
func secHardenedConfig() Config {
	c, _ := VariantConfig("hardened")
	return c
}

// secHardened returns the synthesized hardened variant.
func secHardened(t *testing.T) testutil.Doc { return variants(t).Doc["hardened"] }

// secConfig returns the config of a stack the controls run on.
func secConfig(stack string) Config {
	for _, c := range secStacks() {
		if c.StackName == stack {
			return c
		}
	}
	return Config{StackName: stack}
}

// secStacks are the stacks the controls run on: every default stack and
// every variant.
func secStacks() []Config {
	out := Defaults()
	for _, v := range Variants() {
		out = append(out, v.Config)
	}
	return out
}

// secNotHeld states, per control, the stacks on which it does NOT hold, and
// why. It is the table of docs/security.md ("Controls per stack"). On every
// stack not listed a control must hold; on a listed stack it must fail, so
// that a control that starts to hold (or a stack that starts to break one)
// cannot go unnoticed: update this table and the document together.
var secNotHeld = map[string]map[string]string{
	"ELB.1": {
		"production":  "no certificate: port 80 forwards plain HTTP (set LoadBalancerProps.CertificateARN)",
		"development": "no certificate: port 80 forwards plain HTTP",
		"endpoints":   "no certificate: port 80 forwards plain HTTP",
	},
	"ELB.6": {
		"development": "DisableDeletionProtection: the stack is torn down at will",
	},
	"EC2.6": {
		"development": "NetworkProps.DisableFlowLogs: no CloudWatch ingestion cost for a throwaway stack",
	},
}

// secProblems collects what a control found.
type secProblems struct {
	stack string
	list  []string
}

func (p *secProblems) add(format string, args ...any) {
	p.list = append(p.list, "["+p.stack+"] "+fmt.Sprintf(format, args...))
}

// secControl checks one stack's document.
type secControl func(p *secProblems, doc testutil.Doc)

// secRun runs a control over every default stack and every variant, one
// subtest each, and holds the outcome to secNotHeld: the control must hold
// where the table does not list the stack, and must fail where it does.
func secRun(t *testing.T, id string, control secControl) {
	t.Helper()
	run := func(t *testing.T, stack string, doc testutil.Doc) {
		p := &secProblems{stack: stack}
		control(p, doc)
		reason, documented := secNotHeld[id][stack]
		switch {
		case !documented:
			for _, e := range p.list {
				t.Error(e)
			}
		case len(p.list) == 0:
			t.Errorf("[%s] %s now holds, but secNotHeld (and docs/security.md) say it does not (%s): update both", stack, id, reason)
		default:
			t.Logf("[%s] %s does not hold, as documented (%s): %q", stack, id, reason, p.list)
		}
	}
	forEachStack(t, run)
	v := variants(t)
	for _, vr := range Variants() {
		t.Run("variant-"+vr.Name, func(t *testing.T) { run(t, vr.Config.StackName, v.Doc[vr.Name]) })
	}
}

// TestNotHeldTableNamesRealStacks keeps secNotHeld honest: every stack it
// names is one the controls run on.
func TestNotHeldTableNamesRealStacks(t *testing.T) {
	for id, stacks := range secNotHeld {
		for stack := range stacks {
			if secConfig(stack).Region == "" {
				t.Errorf("secNotHeld[%q] names %q, which is neither a default stack nor a variant", id, stack)
			}
		}
	}
}

// secResources returns the resources of one type, and records a problem when
// there are none, so that a control never passes by checking nothing.
func secResources(p *secProblems, doc testutil.Doc, typ string) map[string]map[string]any {
	rs := doc.Resources(typ)
	if len(rs) == 0 {
		p.add("no %s in the stack: the control would check nothing", typ)
	}
	return rs
}

// secBlocks returns a nested block, which Terraform JSON may give as an object
// or as a list of objects.
func secBlocks(v any) []map[string]any {
	switch x := v.(type) {
	case map[string]any:
		return []map[string]any{x}
	case []any:
		var out []map[string]any
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

var secRefRE = regexp.MustCompile(`^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$`)

// secRef parses "${type.name.attr}" into the address "type.name".
func secRef(v any) (string, bool) {
	s, _ := v.(string)
	m := secRefRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1] + "." + m[2], true
}

// secContainers decodes a task definition's container_definitions.
func secContainers(p *secProblems, name string, td map[string]any) []map[string]any {
	raw, _ := td["container_definitions"].(string)
	var defs []map[string]any
	if err := json.Unmarshal([]byte(raw), &defs); err != nil {
		p.add("aws_ecs_task_definition.%s.container_definitions is not JSON: %v", name, err)
	} else if len(defs) == 0 {
		p.add("aws_ecs_task_definition.%s.container_definitions lists no container", name)
	}
	return defs
}

// secEachContainer calls f for every container of every task definition.
func secEachContainer(p *secProblems, doc testutil.Doc, f func(where string, c map[string]any)) {
	for _, name := range testutil.SortedKeys(secResources(p, doc, "aws_ecs_task_definition")) {
		for _, c := range secContainers(p, name, doc.Resources("aws_ecs_task_definition")[name]) {
			f(fmt.Sprintf("aws_ecs_task_definition.%s.container_definitions[name=%v]", name, c["name"]), c)
		}
	}
}

// ECS.2: services assign no public IP, and their subnets hand none out.
func secECS2(p *secProblems, doc testutil.Doc) {
	subnets := doc.Resources("aws_subnet")
	for name, svc := range secResources(p, doc, "aws_ecs_service") {
		ncs := secBlocks(svc["network_configuration"])
		if len(ncs) != 1 {
			p.add("aws_ecs_service.%s.network_configuration: want one block, found %d (awsvpc tasks need it)", name, len(ncs))
			continue
		}
		if v, ok := ncs[0]["assign_public_ip"]; ok && v != false {
			p.add("aws_ecs_service.%s.network_configuration.assign_public_ip = %v: tasks must not get a public IP; run them in private subnets and reach the internet through NAT or VPC endpoints", name, v)
		}
		ids, _ := ncs[0]["subnets"].([]any)
		for i, id := range ids {
			addr, ok := secRef(id)
			if !ok || !strings.HasPrefix(addr, "aws_subnet.") {
				continue // an existing subnet, known only by its id
			}
			sn := subnets[strings.TrimPrefix(addr, "aws_subnet.")]
			if sn["map_public_ip_on_launch"] == true {
				p.add("aws_ecs_service.%s.network_configuration.subnets[%d] is %s, whose map_public_ip_on_launch = true: tasks there would get public IPs", name, i, addr)
			}
			if tier := testutil.Get(sn, "tags", "Tier"); tier != "private" {
				p.add("aws_ecs_service.%s.network_configuration.subnets[%d] is %s with Tier tag %v: tasks belong in the private subnets", name, i, addr, tier)
			}
		}
	}
}

// TestControlECS2_NoPublicIP: ECS services do not assign public IPs.
func TestControlECS2_NoPublicIP(t *testing.T) { secRun(t, "ECS.2", secECS2) }

// ECS.3: no task shares the host's process (or IPC) namespace.
func secECS3(p *secProblems, doc testutil.Doc) {
	for name, td := range secResources(p, doc, "aws_ecs_task_definition") {
		if td["pid_mode"] == "host" {
			p.add(`aws_ecs_task_definition.%s.pid_mode = "host": containers could see and signal every process on the host; leave pid_mode unset or "task"`, name)
		}
		if td["ipc_mode"] == "host" {
			p.add(`aws_ecs_task_definition.%s.ipc_mode = "host": leave ipc_mode unset`, name)
		}
	}
}

// TestControlECS3_NoHostPIDNamespace: task definitions do not share the host's
// process namespace.
func TestControlECS3_NoHostPIDNamespace(t *testing.T) { secRun(t, "ECS.3", secECS3) }

// ECS.4: no container runs privileged or adds Linux capabilities.
func secECS4(p *secProblems, doc testutil.Doc) {
	secEachContainer(p, doc, func(where string, c map[string]any) {
		if v, ok := c["privileged"]; ok && v != false {
			p.add("%s.privileged = %v: a privileged container has root on the host; remove it", where, v)
		}
		if caps := testutil.Get(c, "linuxParameters", "capabilities", "add"); caps != nil {
			p.add("%s.linuxParameters.capabilities.add = %v: add no Linux capabilities", where, caps)
		}
	})
}

// TestControlECS4_NoPrivilegedContainers: no container is privileged.
func TestControlECS4_NoPrivilegedContainers(t *testing.T) { secRun(t, "ECS.4", secECS4) }

// ECS.5: every container's root filesystem is read-only.
func secECS5(p *secProblems, doc testutil.Doc) {
	secEachContainer(p, doc, func(where string, c map[string]any) {
		if c["readonlyRootFilesystem"] != true {
			p.add("%s.readonlyRootFilesystem = %v: want true; give the paths the image writes to as ScratchPaths", where, c["readonlyRootFilesystem"])
		}
	})
}

// TestControlECS5_ReadOnlyRootFilesystem: every container's root filesystem is
// read-only. The one exception is a container with WritableRootFilesystem set,
// which ECS Exec needs (its SSM agent writes there); the library refuses ECS
// Exec without it, so a writable root appears only where a user asked for it.
func TestControlECS5_ReadOnlyRootFilesystem(t *testing.T) {
	secRun(t, "ECS.5", secECS5)
	t.Run("ecs-exec-needs-an-explicit-writable-root", func(t *testing.T) {
		cfg := Production()
		cfg.ServiceProps.EnableExecuteCommand = true
		err := Validate(cfg)
		secWantField(t, err, "ServiceProps.Containers[0].WritableRootFilesystem")
		if !strings.Contains(err.Error(), "ECS Exec") {
			t.Errorf("the error should say that ECS Exec is the reason: %v", err)
		}
		cfg.ServiceProps.Containers[0].WritableRootFilesystem = true
		if err := Validate(cfg); err != nil {
			t.Errorf("ECS Exec with a writable root filesystem is the documented ECS.5 exception and should be accepted: %v", err)
		}
	})
}

var secCredentialName = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)`)

// ECS.8: no credential in a plain environment variable.
func secECS8(p *secProblems, doc testutil.Doc) {
	secEachContainer(p, doc, func(where string, c map[string]any) {
		env, _ := c["environment"].([]any)
		for _, e := range env {
			kv, _ := e.(map[string]any)
			n, _ := kv["name"].(string)
			v, _ := kv["value"].(string)
			if secCredentialName.MatchString(n) {
				p.add("%s.environment[%s] looks like a credential: it belongs in secrets (valueFrom)", where, n)
			}
			if strings.Contains(v, "AKIA") || strings.Contains(v, "PRIVATE KEY") {
				p.add("%s.environment[%s] holds a credential-looking value: it belongs in secrets (valueFrom)", where, n)
			}
		}
		secrets, _ := c["secrets"].([]any)
		for _, s := range secrets {
			kv, _ := s.(map[string]any)
			if vf, _ := kv["valueFrom"].(string); !strings.HasPrefix(vf, "arn:") {
				p.add("%s.secrets[%v].valueFrom = %q: want a Secrets Manager or SSM ARN", where, kv["name"], vf)
			}
		}
	})
}

// TestControlECS8_NoSecretsInEnvironment: no credential travels as a plain
// environment variable. In the synthesized JSON no variable has a
// credential-like name or value; on input, stacks.Validate refuses such a
// variable, points to Secrets and does not echo the credential.
func TestControlECS8_NoSecretsInEnvironment(t *testing.T) {
	secRun(t, "ECS.8", secECS8)
	cases := []struct{ name, envName, value string }{
		{"password-name", "DB_PASSWORD", "hunter2-hunter2"},
		{"secret-name", "CLIENT_SECRET", "s3cr3t-value"},
		{"token-name", "GITHUB_TOKEN", "abcdefabcdef"},
		{"api-key-name", "API_KEY", "0123456789abcdef"},
		{"apikey-lowercase-name", "stripe_apikey", "0123456789abcdef"},
		{"aws-access-key-value", "UPSTREAM", "AKIAIOSFODNN7EXAMPLE"},
		{"pem-value", "CERT", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow"},
		{"url-password-value", "DATABASE_URL", "postgres://app:hunter2@db.internal:5432/app"},
	}
	for _, tc := range cases {
		t.Run("validate/"+tc.name, func(t *testing.T) {
			cfg := Production()
			cfg.ServiceProps.Containers[0].Environment = map[string]string{tc.envName: tc.value}
			err := Validate(cfg)
			secWantField(t, err, fmt.Sprintf("ServiceProps.Containers[0].Environment[%q]", tc.envName))
			if !strings.Contains(err.Error(), "Secrets") {
				t.Errorf("the error should point to Secrets: %v", err)
			}
			if strings.Contains(err.Error(), tc.value) {
				t.Errorf("the error must not echo the credential %q: %v", tc.value, err)
			}
		})
	}
	t.Run("validate/secrets-accepted", func(t *testing.T) {
		if err := Validate(secHardenedConfig()); err != nil {
			t.Errorf("credentials passed through Secrets must be accepted: %v", err)
		}
	})
}

// ECS.9: every container ships its logs, to a log group of the stack.
func secECS9(p *secProblems, doc testutil.Doc) {
	groups := map[string]bool{}
	for _, lg := range doc.Resources("aws_cloudwatch_log_group") {
		if n, ok := lg["name"].(string); ok {
			groups[n] = true
		}
	}
	secEachContainer(p, doc, func(where string, c map[string]any) {
		lc, ok := c["logConfiguration"].(map[string]any)
		if !ok {
			p.add("%s.logConfiguration is missing: the container's output would be lost", where)
			return
		}
		if d, _ := lc["logDriver"].(string); d == "" {
			p.add("%s.logConfiguration.logDriver is empty", where)
		}
		if lc["logDriver"] == "awslogs" {
			g := testutil.Get(lc, "options", "awslogs-group")
			if s, _ := g.(string); !groups[s] {
				p.add("%s.logConfiguration.options.awslogs-group = %v: no aws_cloudwatch_log_group of the stack has that name, so its retention and encryption would not apply", where, g)
			}
		}
	})
}

// TestControlECS9_LogConfiguration: every container has a log configuration.
func TestControlECS9_LogConfiguration(t *testing.T) { secRun(t, "ECS.9", secECS9) }

// ECS.10: Fargate services run the latest platform version.
func secECS10(p *secProblems, doc testutil.Doc) {
	for name, svc := range secResources(p, doc, "aws_ecs_service") {
		if svc["platform_version"] != "LATEST" {
			p.add(`aws_ecs_service.%s.platform_version = %v: want "LATEST", which carries the security patches`, name, svc["platform_version"])
		}
		fargate := svc["launch_type"] == "FARGATE"
		for _, s := range secBlocks(svc["capacity_provider_strategy"]) {
			cp, _ := s["capacity_provider"].(string)
			fargate = fargate || strings.HasPrefix(cp, "FARGATE")
		}
		if !fargate {
			p.add("aws_ecs_service.%s runs neither with launch_type FARGATE nor with a FARGATE capacity provider", name)
		}
	}
}

// TestControlECS10_FargateLatestPlatform: Fargate services use platform
// version LATEST.
func TestControlECS10_FargateLatestPlatform(t *testing.T) { secRun(t, "ECS.10", secECS10) }

// ECS.12: every cluster has Container Insights on.
func secECS12(p *secProblems, doc testutil.Doc) {
	for name, cl := range secResources(p, doc, "aws_ecs_cluster") {
		var got any = "unset"
		for _, s := range secBlocks(cl["setting"]) {
			if s["name"] == "containerInsights" {
				got = s["value"]
			}
		}
		if got != "enabled" && got != "enhanced" {
			p.add(`aws_ecs_cluster.%s.setting[name=containerInsights].value = %v: want "enabled" (or "enhanced")`, name, got)
		}
	}
}

// TestControlECS12_ContainerInsights: clusters have Container Insights on.
func TestControlECS12_ContainerInsights(t *testing.T) { secRun(t, "ECS.12", secECS12) }

// ELB.1: with a certificate, HTTP only redirects to HTTPS, and HTTPS uses a
// TLS 1.2+ policy.
func secELB1(p *secProblems, doc testutil.Doc) {
	listeners := secResources(p, doc, "aws_lb_listener")
	https := map[string]bool{} // load balancer address → has an HTTPS listener
	for name, l := range listeners {
		if l["protocol"] != "HTTPS" {
			continue
		}
		lb, _ := secRef(l["load_balancer_arn"])
		https[lb] = true
		if pol, _ := l["ssl_policy"].(string); !strings.HasPrefix(pol, "ELBSecurityPolicy-TLS13-") && !strings.HasPrefix(pol, "ELBSecurityPolicy-FS-1-2") {
			p.add("aws_lb_listener.%s.ssl_policy = %q: want a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06", name, pol)
		}
		if l["certificate_arn"] == nil {
			p.add("aws_lb_listener.%s is HTTPS without certificate_arn", name)
		}
	}
	if secConfig(p.stack).LoadBalancerProps.CertificateARN != "" && len(https) == 0 {
		p.add("the config has a CertificateARN but no aws_lb_listener has protocol HTTPS")
	}
	for name, l := range listeners {
		lb, _ := secRef(l["load_balancer_arn"])
		if l["protocol"] != "HTTP" {
			continue
		}
		if !https[lb] {
			p.add("aws_lb_listener.%s forwards plain HTTP: %s has no HTTPS listener (no LoadBalancerProps.CertificateARN)", name, lb)
			continue
		}
		acts := secBlocks(l["default_action"])
		if len(acts) != 1 {
			p.add("aws_lb_listener.%s.default_action: want exactly one redirect, found %d actions", name, len(acts))
			continue
		}
		redirect := secBlocks(acts[0]["redirect"])
		if acts[0]["type"] != "redirect" || len(redirect) != 1 || redirect[0]["protocol"] != "HTTPS" {
			p.add("aws_lb_listener.%s.default_action[0] = %v: %s has a certificate, so HTTP must redirect to HTTPS (type redirect, protocol HTTPS)", name, acts[0], lb)
			continue
		}
		if sc := redirect[0]["status_code"]; sc != "HTTP_301" {
			p.add("aws_lb_listener.%s.default_action[0].redirect.status_code = %v: want HTTP_301 (permanent)", name, sc)
		}
	}
}

// TestControlELB1_HTTPRedirectsToHTTPS: the load balancer serves HTTPS with a
// TLS 1.2+ policy and its HTTP listener only redirects there. It needs a
// certificate (LoadBalancerProps.CertificateARN); the stacks without one, which
// forward plain HTTP, are listed in secNotHeld.
func TestControlELB1_HTTPRedirectsToHTTPS(t *testing.T) { secRun(t, "ELB.1", secELB1) }

// ELB.4: application load balancers drop invalid header fields.
func secELB4(p *secProblems, doc testutil.Doc) {
	for name, lb := range secResources(p, doc, "aws_lb") {
		if typ := lb["load_balancer_type"]; typ != nil && typ != "application" {
			continue
		}
		if lb["drop_invalid_header_fields"] != true {
			p.add("aws_lb.%s.drop_invalid_header_fields = %v: want true (HTTP desync and request smuggling)", name, lb["drop_invalid_header_fields"])
		}
	}
}

// TestControlELB4_DropInvalidHeaders: every ALB drops invalid HTTP headers.
func TestControlELB4_DropInvalidHeaders(t *testing.T) { secRun(t, "ELB.4", secELB4) }

// ELB.6: deletion protection is on.
func secELB6(p *secProblems, doc testutil.Doc) {
	for name, lb := range secResources(p, doc, "aws_lb") {
		if got := lb["enable_deletion_protection"]; got != true {
			p.add("aws_lb.%s.enable_deletion_protection = %v: want true (only DisableDeletionProtection turns it off)", name, got)
		}
	}
}

// TestControlELB6_DeletionProtection: the load balancer cannot be deleted by
// a stray apply, except in the stacks secNotHeld lists (Development, torn
// down at will, turns it off on purpose).
func TestControlELB6_DeletionProtection(t *testing.T) {
	if Production().LoadBalancerProps.DisableDeletionProtection {
		t.Fatal("Production().LoadBalancer.DisableDeletionProtection = true: the production ALB must keep deletion protection")
	}
	secRun(t, "ELB.6", secELB6)
}

// EC2.6: every VPC the stack creates records its flow logs.
func secEC2_6(p *secProblems, doc testutil.Doc) {
	logged := map[string]bool{}
	for _, fl := range doc.Resources("aws_flow_log") {
		if addr, ok := secRef(fl["vpc_id"]); ok {
			logged[addr] = true
		}
	}
	for name := range secResources(p, doc, "aws_vpc") {
		if !logged["aws_vpc."+name] {
			p.add("aws_vpc.%s has no aws_flow_log: its traffic is not recorded (NetworkProps.DisableFlowLogs turns them off)", name)
		}
	}
}

// TestControlEC2_6_VPCFlowLogs: every VPC records its flow logs, except in
// the stacks secNotHeld lists.
func TestControlEC2_6_VPCFlowLogs(t *testing.T) { secRun(t, "EC2.6", secEC2_6) }

// Log groups: finite retention, and the KMS key of ServiceProps.LogKMSKeyARN.
func secLogGroups(p *secProblems, doc testutil.Doc) {
	want := secConfig(p.stack).ServiceProps.LogKMSKeyARN
	for name, lg := range secResources(p, doc, "aws_cloudwatch_log_group") {
		if r, _ := lg["retention_in_days"].(float64); r <= 0 {
			p.add("aws_cloudwatch_log_group.%s.retention_in_days = %v: want a finite retention", name, lg["retention_in_days"])
		}
		if got, _ := lg["kms_key_id"].(string); got != want {
			p.add("aws_cloudwatch_log_group.%s.kms_key_id = %q: want %q (ServiceProps.LogKMSKeyARN, NetworkProps.FlowLogKMSKeyARN)", name, got, want)
		}
	}
}

// TestLogGroupEncryptionAndRetention: log groups keep logs for a finite time
// and, with ServiceProps.LogKMSKeyARN, are encrypted with that customer managed key.
func TestLogGroupEncryptionAndRetention(t *testing.T) {
	secRun(t, "logs", secLogGroups)
	t.Run("variant-hardened-is-encrypted", func(t *testing.T) {
		groups := secHardened(t).Resources("aws_cloudwatch_log_group")
		if len(groups) != 2 {
			t.Fatalf("want the service's and the flow logs' log groups, got %v", testutil.SortedKeys(groups))
		}
		for name, lg := range groups {
			if lg["kms_key_id"] != secKMSARN {
				t.Errorf("aws_cloudwatch_log_group.%s.kms_key_id = %v: want the configured key %s", name, lg["kms_key_id"], secKMSARN)
			}
		}
	})
}

// secPolicy is the part of an IAM policy document the IAM test reads.
type secPolicy struct {
	Statement []struct {
		Sid         string
		Effect      string
		Principal   any
		Action      secStrings
		NotAction   secStrings
		Resource    secStrings
		NotResource secStrings
		Condition   map[string]map[string]any
	}
}

// secStrings decodes IAM's "a string or a list of strings".
type secStrings []string

func (s *secStrings) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

// secCheckPolicy records every least-privilege problem of one document.
func secCheckPolicy(p *secProblems, where, raw string, trust bool) {
	var pd secPolicy
	if err := json.Unmarshal([]byte(raw), &pd); err != nil {
		p.add("%s is not a JSON policy document: %v", where, err)
		return
	}
	if len(pd.Statement) == 0 {
		p.add("%s has no statement", where)
	}
	for i, st := range pd.Statement {
		sw := fmt.Sprintf("%s Statement[%d] (Sid %q)", where, i, st.Sid)
		if len(st.NotAction) > 0 || len(st.NotResource) > 0 {
			p.add("%s uses NotAction/NotResource, which grants everything else: name what is allowed", sw)
		}
		for _, a := range st.Action {
			if strings.Contains(a, "*") {
				p.add("%s Action %q is a wildcard: name each action", sw, a)
			}
		}
		if trust {
			for _, key := range []string{"aws:SourceAccount", "aws:SourceArn"} {
				found := false
				for _, kv := range st.Condition {
					_, ok := kv[key]
					found = found || ok
				}
				if !found {
					p.add("%s: the trust policy has no %s condition, so %v acting for any account could assume the role (confused deputy)", sw, key, st.Principal)
				}
			}
			if st.Principal == "*" || testutil.Get(st.Principal, "AWS") == "*" {
				p.add("%s Principal %v lets anyone assume the role", sw, st.Principal)
			}
			continue
		}
		if st.Principal != nil {
			p.add("%s has a Principal in a permissions policy", sw)
		}
		if st.Effect == "Deny" {
			continue
		}
		if slices.Contains(st.Resource, "*") {
			for _, a := range st.Action {
				if !slices.Contains(iampolicy.UnscopedActions(), a) {
					p.add(`%s pairs Resource "*" with %q, which can be scoped to a resource ARN (only iampolicy.UnscopedActions() may use "*")`, sw, a)
				}
			}
		}
	}
}

// secIAM checks every policy document of the stack.
func secIAM(p *secProblems, doc testutil.Doc) {
	seen := 0
	for _, name := range testutil.SortedKeys(doc.Resources("aws_iam_role")) {
		r := doc.Resources("aws_iam_role")[name]
		raw, _ := r["assume_role_policy"].(string)
		secCheckPolicy(p, fmt.Sprintf("aws_iam_role.%s.assume_role_policy", name), raw, true)
		seen++
		for j, ip := range secBlocks(r["inline_policy"]) {
			raw, _ := ip["policy"].(string)
			secCheckPolicy(p, fmt.Sprintf("aws_iam_role.%s.inline_policy[%d].policy", name, j), raw, false)
		}
	}
	for _, typ := range []string{"aws_iam_role_policy", "aws_iam_policy"} {
		for name, r := range doc.Resources(typ) {
			raw, _ := r["policy"].(string)
			secCheckPolicy(p, fmt.Sprintf("%s.%s.policy", typ, name), raw, false)
			seen++
		}
	}
	if seen == 0 {
		p.add("no IAM policy document in the stack: the test would check nothing")
	}
	for _, typ := range []string{"aws_iam_policy_attachment", "aws_iam_role_policy_attachment"} {
		for name := range doc.Resources(typ) {
			p.add("%s.%s attaches a policy whose document is not in the stack, so its privileges cannot be checked here", typ, name)
		}
	}
}

// TestLeastPrivilegeIAM reads every policy document of every stack: no
// wildcard action anywhere, "*" as a resource only for the actions AWS cannot
// scope (iampolicy.UnscopedActions()), no NotAction or NotResource, and trust
// policies that carry the confused-deputy conditions aws:SourceAccount and
// aws:SourceArn.
func TestLeastPrivilegeIAM(t *testing.T) {
	secRun(t, "IAM", secIAM)
	t.Run("variant-hardened-has-the-unscoped-ecr-login", func(t *testing.T) {
		pol := ""
		for _, r := range secHardened(t).Resources("aws_iam_role_policy") {
			if r["name"] == "execution" {
				pol, _ = r["policy"].(string)
			}
		}
		for _, want := range []string{
			`{"Sid":"EcrLogin","Effect":"Allow","Action":["ecr:GetAuthorizationToken"],"Resource":["*"]}`,
			`:ecr:us-east-1:123456789012:repository/web"]`,
			`"Action":["secretsmanager:GetSecretValue"],"Resource":["arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf"]`,
			`"Action":["ssm:GetParameters"],"Resource":["arn:aws:ssm:us-east-1:123456789012:parameter/web/api-token"]`,
		} {
			if !strings.Contains(pol, want) {
				t.Errorf("the execution policy of the hardened variant should contain %s:\n%s", want, pol)
			}
		}
	})
	t.Run("validate-refuses-wildcards", func(t *testing.T) {
		for _, st := range []iampolicy.Statement{
			{Action: []string{"*"}, Resource: []string{"arn:aws:s3:::b"}},
			{Action: []string{"s3:*"}, Resource: []string{"arn:aws:s3:::b"}},
			{Action: []string{"s3:GetObject"}, Resource: []string{"*"}},
		} {
			cfg := Production()
			cfg.ServiceProps.TaskPolicy = []iampolicy.Statement{st}
			err := Validate(cfg)
			var pe *propcheck.Error
			if !errors.As(err, &pe) || !slices.ContainsFunc(pe.Fields(), func(f string) bool { return strings.HasPrefix(f, "ServiceProps.TaskPolicy[0].") }) {
				t.Errorf("Validate(TaskPolicy %+v) = %v: want a *propcheck.Error on ServiceProps.TaskPolicy[0]", st, err)
			}
		}
	})
}

// TestControlsCatchViolations breaks a copy of a stack that meets a control,
// once per rule of that control, and expects the control to report exactly
// that rule: a check that cannot fail protects nothing. Production is the
// base, except for ELB.1, which production does not meet (no certificate):
// its cases break the hardened variant.
func TestControlsCatchViolations(t *testing.T) {
	bases := map[string][]byte{"production": defaults(t).JSON["production"], "hardened": variants(t).JSON["hardened"]}
	first := func(doc testutil.Doc, typ string) map[string]any {
		rs := doc.Resources(typ)
		for _, name := range testutil.SortedKeys(rs) {
			return rs[name]
		}
		t.Fatalf("no %s", typ)
		return nil
	}
	byAttr := func(doc testutil.Doc, typ, attr string, value any) map[string]any {
		for _, r := range doc.Resources(typ) {
			if r[attr] == value {
				return r
			}
		}
		t.Fatalf("no %s with %s = %v", typ, attr, value)
		return nil
	}
	resources := func(d testutil.Doc) map[string]any { return d["resource"].(map[string]any) }
	setContainer := func(doc testutil.Doc, key string, v any) {
		td := first(doc, "aws_ecs_task_definition")
		var defs []map[string]any
		if err := json.Unmarshal([]byte(td["container_definitions"].(string)), &defs); err != nil {
			t.Fatal(err)
		}
		if v == nil {
			delete(defs[0], key)
		} else {
			defs[0][key] = v
		}
		b, _ := json.Marshal(defs)
		td["container_definitions"] = string(b)
	}
	setLogOption := func(doc testutil.Doc, key string, v any) {
		td := first(doc, "aws_ecs_task_definition")
		var defs []map[string]any
		if err := json.Unmarshal([]byte(td["container_definitions"].(string)), &defs); err != nil {
			t.Fatal(err)
		}
		lc := defs[0]["logConfiguration"].(map[string]any)
		if key == "logDriver" {
			lc[key] = v
		} else {
			lc["options"].(map[string]any)[key] = v
		}
		b, _ := json.Marshal(defs)
		td["container_definitions"] = string(b)
	}
	setPolicy := func(doc testutil.Doc, typ, attr, from, to string) {
		r := first(doc, typ)
		s := r[attr].(string)
		if !strings.Contains(s, from) {
			t.Fatalf("%s.%s does not contain %q: %s", typ, attr, from, s)
		}
		r[attr] = strings.Replace(s, from, to, 1)
	}
	httpListener := func(d testutil.Doc) map[string]any { return byAttr(d, "aws_lb_listener", "protocol", "HTTP") }
	httpsListener := func(d testutil.Doc) map[string]any { return byAttr(d, "aws_lb_listener", "protocol", "HTTPS") }
	cases := []struct {
		name    string
		base    string
		control secControl
		breakIt func(doc testutil.Doc)
		want    string
	}{
		{"ECS.2 public ip", "production", secECS2, func(d testutil.Doc) {
			first(d, "aws_ecs_service")["network_configuration"].(map[string]any)["assign_public_ip"] = true
		}, "assign_public_ip = true"},
		{"ECS.2 no network configuration", "production", secECS2, func(d testutil.Doc) {
			delete(first(d, "aws_ecs_service"), "network_configuration")
		}, "network_configuration: want one block, found 0"},
		{"ECS.2 public subnet", "production", secECS2, func(d testutil.Doc) {
			for _, s := range d.Resources("aws_subnet") {
				s["map_public_ip_on_launch"] = true
			}
		}, "map_public_ip_on_launch = true"},
		{"ECS.2 subnet of the public tier", "production", secECS2, func(d testutil.Doc) {
			for _, s := range d.Resources("aws_subnet") {
				s["tags"].(map[string]any)["Tier"] = "public"
			}
		}, "tasks belong in the private subnets"},
		{"ECS.3 pid", "production", secECS3, func(d testutil.Doc) { first(d, "aws_ecs_task_definition")["pid_mode"] = "host" }, `pid_mode = "host"`},
		{"ECS.3 ipc", "production", secECS3, func(d testutil.Doc) { first(d, "aws_ecs_task_definition")["ipc_mode"] = "host" }, `ipc_mode = "host"`},
		{"ECS.4 privileged", "production", secECS4, func(d testutil.Doc) { setContainer(d, "privileged", true) }, "privileged = true"},
		{"ECS.4 capabilities", "production", secECS4, func(d testutil.Doc) {
			setContainer(d, "linuxParameters", map[string]any{"capabilities": map[string]any{"add": []string{"SYS_ADMIN"}}})
		}, "capabilities.add = [SYS_ADMIN]"},
		{"ECS.5", "production", secECS5, func(d testutil.Doc) { setContainer(d, "readonlyRootFilesystem", false) }, "readonlyRootFilesystem = false"},
		{"ECS.8 credential name", "production", secECS8, func(d testutil.Doc) {
			setContainer(d, "environment", []map[string]string{{"name": "DB_PASSWORD", "value": "x"}})
		}, "environment[DB_PASSWORD] looks like a credential"},
		{"ECS.8 credential value", "production", secECS8, func(d testutil.Doc) {
			setContainer(d, "environment", []map[string]string{{"name": "UPSTREAM", "value": "AKIAIOSFODNN7EXAMPLE"}})
		}, "environment[UPSTREAM] holds a credential-looking value"},
		{"ECS.8 secret not from an ARN", "production", secECS8, func(d testutil.Doc) {
			setContainer(d, "secrets", []map[string]string{{"name": "DB", "valueFrom": "hunter2"}})
		}, `secrets[DB].valueFrom = "hunter2"`},
		{"ECS.9 no log configuration", "production", secECS9, func(d testutil.Doc) { setContainer(d, "logConfiguration", nil) }, "logConfiguration is missing"},
		{"ECS.9 no log driver", "production", secECS9, func(d testutil.Doc) { setLogOption(d, "logDriver", "") }, "logConfiguration.logDriver is empty"},
		{"ECS.9 foreign log group", "production", secECS9, func(d testutil.Doc) { setLogOption(d, "awslogs-group", "/elsewhere") }, "awslogs-group = /elsewhere"},
		{"ECS.10 platform", "production", secECS10, func(d testutil.Doc) { first(d, "aws_ecs_service")["platform_version"] = "1.3.0" }, "platform_version = 1.3.0"},
		{"ECS.10 not fargate", "production", secECS10, func(d testutil.Doc) { first(d, "aws_ecs_service")["launch_type"] = "EC2" }, "neither with launch_type FARGATE"},
		{"ECS.12", "production", secECS12, func(d testutil.Doc) {
			first(d, "aws_ecs_cluster")["setting"] = []any{map[string]any{"name": "containerInsights", "value": "disabled"}}
		}, "value = disabled"},
		{"ELB.1 weak TLS policy", "hardened", secELB1, func(d testutil.Doc) {
			httpsListener(d)["ssl_policy"] = "ELBSecurityPolicy-2016-08"
		}, `ssl_policy = "ELBSecurityPolicy-2016-08"`},
		{"ELB.1 HTTPS without certificate", "hardened", secELB1, func(d testutil.Doc) {
			delete(httpsListener(d), "certificate_arn")
		}, "is HTTPS without certificate_arn"},
		{"ELB.1 certificate but no HTTPS listener", "hardened", secELB1, func(d testutil.Doc) {
			httpsListener(d)["protocol"] = "HTTP"
		}, "the config has a CertificateARN but no aws_lb_listener has protocol HTTPS"},
		{"ELB.1 plain HTTP without HTTPS", "production", secELB1, nil, "forwards plain HTTP"},
		{"ELB.1 HTTP forwards beside HTTPS", "hardened", secELB1, func(d testutil.Doc) {
			httpListener(d)["default_action"] = []any{map[string]any{"type": "forward", "target_group_arn": "x"}}
		}, "so HTTP must redirect to HTTPS"},
		{"ELB.1 two HTTP actions", "hardened", secELB1, func(d testutil.Doc) {
			l := httpListener(d)
			acts := secBlocks(l["default_action"])
			l["default_action"] = []any{acts[0], acts[0]}
		}, "want exactly one redirect, found 2 actions"},
		{"ELB.1 temporary redirect", "hardened", secELB1, func(d testutil.Doc) {
			secBlocks(secBlocks(httpListener(d)["default_action"])[0]["redirect"])[0]["status_code"] = "HTTP_302"
		}, "redirect.status_code = HTTP_302"},
		{"ELB.4", "production", secELB4, func(d testutil.Doc) { first(d, "aws_lb")["drop_invalid_header_fields"] = false }, "drop_invalid_header_fields = false"},
		{"ELB.6", "production", secELB6, func(d testutil.Doc) { first(d, "aws_lb")["enable_deletion_protection"] = false }, "enable_deletion_protection = false"},
		{"EC2.6 no flow log", "production", secEC2_6, func(d testutil.Doc) { delete(resources(d), "aws_flow_log") }, "has no aws_flow_log"},
		{"EC2.6 flow log of another VPC", "production", secEC2_6, func(d testutil.Doc) {
			first(d, "aws_flow_log")["vpc_id"] = "vpc-0a1b2c3d4e5f67890"
		}, "has no aws_flow_log"},
		{"log retention", "production", secLogGroups, func(d testutil.Doc) { delete(first(d, "aws_cloudwatch_log_group"), "retention_in_days") }, "want a finite retention"},
		{"log key", "hardened", secLogGroups, func(d testutil.Doc) { delete(first(d, "aws_cloudwatch_log_group"), "kms_key_id") }, `kms_key_id = "": want "` + secKMSARN},
		{"IAM wildcard action", "production", secIAM, func(d testutil.Doc) {
			setPolicy(d, "aws_iam_role_policy", "policy", `"logs:PutLogEvents"`, `"logs:*"`)
		}, `Action "logs:*" is a wildcard`},
		{"IAM star resource", "production", secIAM, func(d testutil.Doc) {
			setPolicy(d, "aws_iam_role_policy", "policy", `"Resource":["${`, `"Resource":["*","${`)
		}, `with "logs:`},
		{"IAM NotAction", "production", secIAM, func(d testutil.Doc) {
			setPolicy(d, "aws_iam_role_policy", "policy", `"Action":`, `"NotAction":`)
		}, "uses NotAction/NotResource"},
		{"IAM principal in a permissions policy", "production", secIAM, func(d testutil.Doc) {
			setPolicy(d, "aws_iam_role_policy", "policy", `"Effect":"Allow",`, `"Effect":"Allow","Principal":{"AWS":"*"},`)
		}, "has a Principal in a permissions policy"},
		{"IAM empty policy", "production", secIAM, func(d testutil.Doc) {
			first(d, "aws_iam_role_policy")["policy"] = `{"Version":"2012-10-17","Statement":[]}`
		}, "has no statement"},
		{"IAM policy not JSON", "production", secIAM, func(d testutil.Doc) { first(d, "aws_iam_role_policy")["policy"] = "{" }, "is not a JSON policy document"},
		{"IAM trust without SourceArn", "production", secIAM, func(d testutil.Doc) {
			setPolicy(d, "aws_iam_role", "assume_role_policy", `"aws:SourceArn"`, `"aws:PrincipalTag/x"`)
		}, "no aws:SourceArn condition"},
		{"IAM trust without SourceAccount", "production", secIAM, func(d testutil.Doc) {
			setPolicy(d, "aws_iam_role", "assume_role_policy", `"aws:SourceAccount"`, `"aws:PrincipalTag/y"`)
		}, "no aws:SourceAccount condition"},
		{"IAM trust of anyone", "production", secIAM, func(d testutil.Doc) {
			r := first(d, "aws_iam_role")
			s := r["assume_role_policy"].(string)
			i := strings.Index(s, `"Principal":`)
			j := i + strings.Index(s[i:], "},") + 1
			r["assume_role_policy"] = s[:i] + `"Principal":"*"` + s[j:]
		}, "lets anyone assume the role"},
		{"IAM managed policy attachment", "production", secIAM, func(d testutil.Doc) {
			resources(d)["aws_iam_role_policy_attachment"] = map[string]any{"Admin": map[string]any{"role": "x", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}}
		}, "attaches a policy whose document is not in the stack"},
		{"IAM nothing to check", "production", secIAM, func(d testutil.Doc) {
			delete(resources(d), "aws_iam_role")
			delete(resources(d), "aws_iam_role_policy")
		}, "no IAM policy document in the stack"},
		{"nothing to check", "production", secECS2, func(d testutil.Doc) { delete(resources(d), "aws_ecs_service") }, "the control would check nothing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var doc testutil.Doc
			if err := json.Unmarshal(bases[tc.base], &doc); err != nil {
				t.Fatal(err)
			}
			stack := secConfigFor(tc.base)
			p := &secProblems{stack: stack}
			if tc.breakIt != nil {
				// The base meets the control: a violation is the break's alone.
				tc.control(p, doc)
				if len(p.list) != 0 {
					t.Fatalf("the unbroken %s stack already fails: %q", tc.base, p.list)
				}
				tc.breakIt(doc)
			}
			tc.control(p, doc)
			if !slices.ContainsFunc(p.list, func(s string) bool { return strings.Contains(s, tc.want) }) {
				t.Errorf("the control did not report the violation (want a message containing %q), got %q", tc.want, p.list)
			}
		})
	}
}

// secConfigFor maps a base document's name to its stack name.
func secConfigFor(base string) string {
	if c, ok := VariantConfig(base); ok {
		return c.StackName
	}
	return base
}

// secWantField asserts that err is a *propcheck.Error with a problem on field.
func secWantField(t *testing.T, err error, field string) *propcheck.Error {
	t.Helper()
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *propcheck.Error on %s, got %T: %v", field, err, err)
	}
	if !slices.Contains(pe.Fields(), field) {
		t.Fatalf("want a problem on %s, got fields %q:\n%v", field, pe.Fields(), err)
	}
	return pe
}

package architecture_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/report/architecture"
	"github.com/fargatekit/fargatekit/report/tfmodel"
)

// single are the stacks of one service; cases adds platform (three
// services, Service Connect, a domain).
var (
	single = []string{"production", "development", "endpoints-only", "https-s3-backend"}
	cases  = append(append([]string{}, single...), "platform")
)

func diagram(t *testing.T, name string) *architecture.Diagram {
	t.Helper()
	b, err := os.ReadFile("../../stacks/testdata/" + name + ".golden")
	if err != nil {
		t.Fatal(err)
	}
	s, err := tfmodel.Parse(name, b)
	if err != nil {
		t.Fatal(err)
	}
	return architecture.Build(s)
}

func TestGolden(t *testing.T) {
	for _, name := range cases {
		t.Run(name, func(t *testing.T) {
			d := diagram(t, name)
			testutil.Golden(t, name+".mmd", d.Mermaid())
			testutil.Golden(t, name+".svg", d.SVG())
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, name := range cases {
		a, b := diagram(t, name), diagram(t, name)
		if !bytes.Equal(a.SVG(), b.SVG()) || !bytes.Equal(a.Mermaid(), b.Mermaid()) {
			t.Errorf("%s: two renderings of the same stack differ", name)
		}
	}
}

// The SVG is well-formed XML, and every node of the diagram is in it once.
func TestSVGIsWellFormedAndHasEveryNode(t *testing.T) {
	for _, name := range cases {
		d := diagram(t, name)
		dec := xml.NewDecoder(bytes.NewReader(d.SVG()))
		ids := map[string]int{}
		root := ""
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: architecture.svg is not well-formed XML: %v", name, err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				if root == "" {
					root = se.Name.Space + " " + se.Name.Local
				}
				for _, a := range se.Attr {
					if a.Name.Local == "id" {
						ids[a.Value]++
					}
				}
			}
		}
		if root != "http://www.w3.org/2000/svg svg" {
			t.Errorf("%s: root element %q, want svg in the SVG namespace", name, root)
		}
		all := append([]architecture.Node{d.Internet}, d.DNS...)
		all = append(all, d.Perimeter...)
		all = append(all, d.Services...)
		all = append(all, d.Roles...)
		all = append(all, d.Logs...)
		all = append(all, d.Alarms...)
		for _, z := range d.Zones {
			all = append(all, z.Public...)
			all = append(all, z.Private...)
		}
		for _, n := range all {
			if ids[n.ID] != 1 {
				t.Errorf("%s: node %s appears %d times in the SVG, want once", name, n.ID, ids[n.ID])
			}
		}
	}
}

func TestProductionShowsANATGatewayPerZoneAndTheScalingRange(t *testing.T) {
	m := string(diagram(t, "production").Mermaid())
	for _, want := range []string{"production-nat-0", "production-nat-1", "2–10 tasks, scales on CPU 70 %", "task 0.25 vCPU, 0.5 GB, X86_64", "HTTP :80", "app: nginx:1.27 :80", "retention 30 days", "VPC flow logs"} {
		if !strings.Contains(m, want) {
			t.Errorf("production picture lacks %q", want)
		}
	}
	// Each zone's tasks leave through their own zone's NAT gateway.
	for _, edge := range []string{
		`PrivateSubnet0_A7C21DEC -->|"egress"| aws_nat_gateway_Network_NatGateway0`,
		`PrivateSubnet1_E8491189 -->|"egress"| aws_nat_gateway_Network_NatGateway1`,
	} {
		if !strings.Contains(m, edge) {
			t.Errorf("production picture lacks the edge %s", edge)
		}
	}
}

func TestDevelopmentShowsSpotAndOneSharedNAT(t *testing.T) {
	m := string(diagram(t, "development").Mermaid())
	if !strings.Contains(m, "FARGATE_SPOT") || !strings.Contains(m, "1–3 tasks") {
		t.Error("development picture does not show Spot and 1–3 tasks")
	}
	if strings.Count(m, ":::nat") != 1 || strings.Count(m, `-->|"egress"| aws_nat_gateway_Network_NatGateway0_0824BA8F`) != 2 {
		t.Error("development picture should show one NAT gateway used by both zones")
	}
}

func TestRolesShowWhatTheyMayTouch(t *testing.T) {
	m := string(diagram(t, "production").Mermaid())
	for _, want := range []string{
		`aws_iam_role_Service_ExecutionRole_BE49F39A -.->|"logs:CreateLogStream, PutLogEvents"| aws_cloudwatch_log_group_Service_LogGroup_90084B16`,
		"IAM role my-service-task</b><br/>assumed by ecs-tasks<br/>no permissions",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("production picture lacks %s", want)
		}
	}
}

func TestEndpointsOnlyShowsEndpointsAndNoNAT(t *testing.T) {
	m := string(diagram(t, "endpoints-only").Mermaid())
	if strings.Contains(m, ":::nat") {
		t.Error("endpoints-only picture shows a NAT gateway")
	}
	for _, want := range []string{"endpoint ecr.api", "endpoint ecr.dkr", "endpoint logs", "endpoint s3", "gateway (free)"} {
		if !strings.Contains(m, want) {
			t.Errorf("endpoints-only picture lacks %q", want)
		}
	}
}

func TestHTTPSRedirectIsShown(t *testing.T) {
	m := string(diagram(t, "https-s3-backend").Mermaid())
	if !strings.Contains(m, "HTTP :80 → redirect HTTPS:443") || !strings.Contains(m, "HTTPS :443 → default") {
		t.Error("https picture does not show the redirect and the HTTPS listener")
	}
}

// A second service behind a path rule (loadbalancer.AddTarget) shows as a
// rule on the listener and an arrow to its own target group.
func TestListenerRulesAreShown(t *testing.T) {
	b, err := os.ReadFile("../../stacks/testdata/production.golden")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	res := doc["resource"].(map[string]any)
	res["aws_lb_target_group"].(map[string]any)["LoadBalancer_ApiTargetGroup_1"] = map[string]any{"name": "api-8080", "port": 8080, "protocol": "HTTP"}
	res["aws_lb_listener_rule"] = map[string]any{"LoadBalancer_ApiRule_2": map[string]any{
		"listener_arn": "${aws_lb_listener.LoadBalancer_HttpListener_154E9E2C.arn}",
		"priority":     10,
		"action":       []any{map[string]any{"type": "forward", "target_group_arn": "${aws_lb_target_group.LoadBalancer_ApiTargetGroup_1.arn}"}},
		"condition":    []any{map[string]any{"path_pattern": map[string]any{"values": []any{"/api/*"}}}},
	}}
	nb, _ := json.Marshal(doc)
	s, err := tfmodel.Parse("rules", nb)
	if err != nil {
		t.Fatal(err)
	}
	m := string(architecture.Build(s).Mermaid())
	for _, want := range []string{
		"rule 10: /api/*",
		`aws_lb_LoadBalancer_10456B95 -->|":80 /api/*"| aws_lb_target_group_LoadBalancer_ApiTargetGroup_1`,
		"target group api-8080",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("picture lacks %s", want)
		}
	}
}

// Each service's six alarms show as one node, linked from the service, that
// names the topic they notify and its key, and says which alarms roll a
// deployment back.
func TestAlarmsShowAsOneNodePerServiceAndTopic(t *testing.T) {
	for _, name := range single {
		d := diagram(t, name)
		if len(d.Alarms) != 1 {
			t.Fatalf("%s: %d alarm nodes, want 1", name, len(d.Alarms))
		}
		n := d.Alarms[0]
		if !strings.HasPrefix(n.Title, "6 alarms → SNS topic ") || !strings.HasSuffix(n.Title, "-alarms (KMS)") {
			t.Errorf("%s: alarm node title %q", name, n.Title)
		}
		linked := false
		for _, e := range d.Edges {
			if e.From == d.Services[0].ID && e.To == n.ID {
				linked = true
			}
		}
		if !linked {
			t.Errorf("%s: no edge from the service to its alarms", name)
		}
	}
	m := string(diagram(t, "production").Mermaid())
	for _, want := range []string{
		"6 alarms → SNS topic production-cluster-my-service-alarms (KMS)",
		"KMS key, rotation on",
		"running-tasks: desired - running #gt; 0 (math)",
		"response-time: p99 #gt; 2",
		"target-5xx: Sum ≥ 10",
		"rollback on target-5xx, unhealthy-targets",
		`aws_ecs_service_Service_D69D759B -.->|"alarms"| alarms_aws_ecs_service_Service_D69D759B_aws_sns_topic_Service_Alarms_Topic_5B749645`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("production picture lacks %s", want)
		}
	}
	if svg := string(diagram(t, "production").SVG()); !strings.Contains(svg, "CloudWatch alarms") || !strings.Contains(svg, "6 alarms → SNS topic") {
		t.Error("production SVG lacks the alarms group and node")
	}
}

// platformDoc returns the platform stack's JSON, changed by edit.
func platformDoc(t *testing.T, edit func(res map[string]any)) *architecture.Diagram {
	t.Helper()
	b, err := os.ReadFile("../../stacks/testdata/platform.golden")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc["resource"].(map[string]any))
	nb, _ := json.Marshal(doc)
	s, err := tfmodel.Parse("platform", nb)
	if err != nil {
		t.Fatal(err)
	}
	return architecture.Build(s)
}

const (
	workerID = "aws_ecs_service_Worker_Service_9FFC549A"
	apiID    = "aws_ecs_service_Api_Service_D5B4A50A"
)

func calls(d *architecture.Diagram) []architecture.Edge {
	var out []architecture.Edge
	for _, e := range d.Edges {
		if e.Call {
			out = append(out, e)
		}
	}
	return out
}

// The worker calls the api through Service Connect: one edge, labelled with
// the alias and the api's appProtocol, and nothing else calls anything.
func TestPlatformShowsTheServiceConnectCall(t *testing.T) {
	d := diagram(t, "platform")
	c := calls(d)
	if len(c) != 1 || c[0].From != workerID || c[0].To != apiID || c[0].Label != "Service Connect http://api:80" {
		t.Fatalf("Service Connect edges %+v, want one worker → api labelled \"Service Connect http://api:80\"", c)
	}
	m := string(d.Mermaid())
	for _, want := range []string{
		workerID + ` -->|"Service Connect http://api:80"| ` + apiID,
		"Service Connect namespace platform.internal",
		"api serves http://api:80 (port http)",
		"called by worker",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("platform picture lacks %s", want)
		}
	}
}

// Without the security group rule pair the call cannot go through, and the
// picture must not claim it does; each half alone is not enough either.
func TestServiceConnectEdgeNeedsBothSecurityGroupRules(t *testing.T) {
	for _, drop := range [][]string{
		{"aws_vpc_security_group_ingress_rule", "Worker_CallIngress-api_8D8ACE9B"},
		{"aws_vpc_security_group_egress_rule", "Worker_CallEgress-api_614D2833"},
	} {
		d := platformDoc(t, func(res map[string]any) { delete(res[drop[0]].(map[string]any), drop[1]) })
		if c := calls(d); len(c) != 0 {
			t.Errorf("without %s.%s: Service Connect edges %+v, want none", drop[0], drop[1], c)
		}
		if m := string(d.Mermaid()); !strings.Contains(m, "Service Connect namespace platform.internal") || strings.Contains(m, "called by worker") {
			t.Errorf("without %s: the namespace should stay and name no caller", drop[1])
		}
	}
	// A rule on another port does not open the api's port 80.
	d := platformDoc(t, func(res map[string]any) {
		r := res["aws_vpc_security_group_ingress_rule"].(map[string]any)["Worker_CallIngress-api_8D8ACE9B"].(map[string]any)
		r["from_port"], r["to_port"] = 8080, 8080
	})
	if c := calls(d); len(c) != 0 {
		t.Errorf("ingress on 8080 only: Service Connect edges %+v, want none", c)
	}
}

// The alias label follows the api's client_alias.
func TestServiceConnectLabelFollowsTheClientAlias(t *testing.T) {
	d := platformDoc(t, func(res map[string]any) {
		sc := res["aws_ecs_service"].(map[string]any)["Api_Service_D5B4A50A"].(map[string]any)["service_connect_configuration"].(map[string]any)
		sc["service"].([]any)[0].(map[string]any)["client_alias"] = map[string]any{"dns_name": "orders", "port": 8080}
	})
	if c := calls(d); len(c) != 1 || c[0].Label != "Service Connect http://orders:8080" {
		t.Errorf("Service Connect edges %+v, want one labelled http://orders:8080", c)
	}
}

// The domain: the certificate's names on the HTTPS listener, and a Route 53
// node whose alias records point at the ALB.
func TestPlatformShowsTheDomain(t *testing.T) {
	d := diagram(t, "platform")
	m := string(d.Mermaid())
	for _, want := range []string{
		"HTTPS :443 → default<br/>certificate www.example.com, api.example.com (ACM, DNS validated)",
		"Route 53 zone example.com",
		"looked up, not created by the stack",
		"A alias www.example.com → ALB platform",
		"A alias api.example.com → ALB platform",
		"ACM validation record for www.example.com, api.example.com",
		`data_aws_route53_zone_Zone -.->|"2 alias records"| aws_lb_LoadBalancer_10456B95`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("platform picture lacks %s", want)
		}
	}
	for _, name := range single {
		if d := diagram(t, name); len(d.DNS) != 0 || len(calls(d)) != 0 {
			t.Errorf("%s has no domain or Service Connect, but the picture shows %d zones and %d calls", name, len(d.DNS), len(calls(d)))
		}
	}
}

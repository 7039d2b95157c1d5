package cost_test

import (
	"math"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/report/cost"
	"github.com/fargatekit/fargatekit/report/tfmodel"
)

// The default stacks as the repository pins them (stacks/testdata), parsed
// the way the report reads every cdk.tf.json.
func load(t *testing.T, golden, name string) *tfmodel.Stack {
	t.Helper()
	b, err := os.ReadFile("../../stacks/testdata/" + golden + ".golden")
	if err != nil {
		t.Fatal(err)
	}
	s, err := tfmodel.Parse(name, b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func estimate(t *testing.T, golden, name string) *cost.Estimate {
	t.Helper()
	e, err := cost.ForStack(load(t, golden, name), cost.DefaultAssumptions())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

type want struct {
	item           string
	floor, ceiling float64
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// check compares every line with a hand-computed amount and the totals with
// their sums.
func check(t *testing.T, e *cost.Estimate, lines []want) {
	t.Helper()
	if len(e.Lines) != len(lines) {
		var got []string
		for _, l := range e.Lines {
			got = append(got, l.Item)
		}
		t.Fatalf("estimate has %d lines, want %d:\n%s", len(e.Lines), len(lines), strings.Join(got, "\n"))
	}
	floor, ceiling := 0.0, 0.0
	for i, w := range lines {
		l := e.Lines[i]
		if l.Item != w.item || !near(l.Floor, w.floor) || !near(l.Ceiling, w.ceiling) {
			t.Errorf("line %d: got %q floor %.7f ceiling %.7f; want %q floor %.7f ceiling %.7f", i, l.Item, l.Floor, l.Ceiling, w.item, w.floor, w.ceiling)
		}
		floor += w.floor
		ceiling += w.ceiling
	}
	if !near(e.Floor, floor) || !near(e.Ceiling, ceiling) {
		t.Errorf("totals: got floor %.7f ceiling %.7f, want %.7f and %.7f", e.Floor, e.Ceiling, floor, ceiling)
	}
}

// us-east-1 prices (report/cost/prices/us-east-1.json): Fargate x86
// $0.04048 per vCPU-hour and $0.004445 per GB-hour on demand, $0.012144 and
// $0.0013335 on Spot; ALB $0.0225 an hour and $0.008 per LCU-hour; NAT
// gateway $0.045 an hour and per GB; public IPv4 $0.005 an hour; logs
// $0.50 per GB ingested and $0.03 per GB-month; metrics $0.30 a month.
// A month is 730 hours.

func TestProductionEstimate(t *testing.T) {
	// GIVEN production: 0.25 vCPU / 0.5 GB tasks, 2 to 10 on FARGATE, two
	// NAT gateways, flow logs, 30-day retention, Container Insights.
	e := estimate(t, "production", "production")
	check(t, e, []want{
		// 2 × 0.25 vCPU × 730 h = 365 vCPU-h × 0.04048 = 14.7752; 10 tasks: 1825 × 0.04048 = 73.876
		{"my-service vCPU (x86, on-demand)", 14.7752, 73.876},
		// 2 × 0.5 GB × 730 h = 730 GB-h × 0.004445 = 3.24485; 10 tasks: 3650 × 0.004445 = 16.22425
		{"my-service memory (x86, on-demand)", 3.24485, 16.22425},
		// 730 h × 0.0225 = 16.425
		{"my-service hours", 16.425, 16.425},
		// 2 tasks × 0.5 LCU × 730 h = 730 LCU-h × 0.008 = 5.84; 10 tasks: 3650 × 0.008 = 29.2
		{"my-service capacity units", 5.84, 29.2},
		// 2 NAT × 730 h = 1460 × 0.045 = 65.7
		{"2 NAT gateway(s) hours", 65.7, 65.7},
		// 2 tasks × 5 GB = 10 GB × 0.045 = 0.45; 10 tasks: 50 GB × 0.045 = 2.25
		{"NAT data processed", 0.45, 2.25},
		// (2 NAT Elastic IPs + 2 ALB addresses) × 730 h = 2920 × 0.005 = 14.6
		{"public IPv4 addresses", 14.6, 14.6},
		// flow logs: 2 tasks × 0.5 GB = 1 GB × 0.50 = 0.5; 10 tasks: 5 GB × 0.50 = 2.5
		{"/vpc/production/flow-logs ingestion", 0.5, 2.5},
		// 30 days keeps one month: 1 GB × 0.03 = 0.03; 5 GB × 0.03 = 0.15
		{"/vpc/production/flow-logs storage", 0.03, 0.15},
		// 2 tasks × 1 GB × 0.50 = 1; 10 tasks: 10 GB × 0.50 = 5
		{"/ecs/my-service ingestion", 1, 5},
		// 2 GB × 0.03 = 0.06; 10 GB × 0.03 = 0.3
		{"/ecs/my-service storage", 0.06, 0.3},
		// (12 + 1 service × 24) = 36 metrics × 0.30 = 10.8
		{"production-cluster metrics", 10.8, 10.8},
		// 2 tasks × 0.07 GB × 0.50 = 0.07; 10 tasks: 0.7 GB × 0.50 = 0.35
		{"production-cluster performance events", 0.07, 0.35},
		// 5 single-metric alarms × 1 + running tasks (desired − running) × 2 = 7 alarm metrics × 0.10 = 0.7
		{"my-service alarms (standard resolution)", 0.7, 0.7},
		// 1 customer managed key × 1.00
		{"key: Alarm notifications of ECS service my-service", 1, 1},
		// 1,000 publishes = 0.001 million × 0.50 = 0.0005
		{"production-cluster-my-service-alarms publishes", 0.0005, 0.0005},
	})
	// Floor 133.49505 + 1.7005 = 135.19555, ceiling 237.37525 + 1.7005 = 239.07575.
	if cost.Money(e.Floor) != "$135.20" || cost.Money(e.Ceiling) != "$239.08" {
		t.Errorf("production totals %s and %s, want $135.20 and $239.08", cost.Money(e.Floor), cost.Money(e.Ceiling))
	}
}

func TestDevelopmentEstimate(t *testing.T) {
	// GIVEN development: the same task size, 1 to 3 tasks on FARGATE_SPOT,
	// one NAT gateway, no flow logs, 7-day retention.
	e := estimate(t, "development", "development")
	check(t, e, []want{
		// 1 × 0.25 × 730 = 182.5 vCPU-h × 0.012144 = 2.21628; 3 tasks: 547.5 × 0.012144 = 6.64884
		{"my-service-dev vCPU (x86, Spot)", 2.21628, 6.64884},
		// 1 × 0.5 × 730 = 365 GB-h × 0.0013335 = 0.4867275; 3 tasks: 1095 × 0.0013335 = 1.4601825
		{"my-service-dev memory (x86, Spot)", 0.4867275, 1.4601825},
		{"my-service-dev hours", 16.425, 16.425},
		// 1 × 0.5 × 730 = 365 LCU-h × 0.008 = 2.92; 3 tasks: 1095 × 0.008 = 8.76
		{"my-service-dev capacity units", 2.92, 8.76},
		// 1 NAT × 730 h × 0.045 = 32.85
		{"1 NAT gateway(s) hours", 32.85, 32.85},
		// 5 GB × 0.045 = 0.225; 15 GB × 0.045 = 0.675
		{"NAT data processed", 0.225, 0.675},
		// (1 Elastic IP + 2 ALB addresses) × 730 = 2190 × 0.005 = 10.95
		{"public IPv4 addresses", 10.95, 10.95},
		// 1 GB × 0.50 = 0.5; 3 GB × 0.50 = 1.5
		{"/ecs/my-service-dev ingestion", 0.5, 1.5},
		// 7 days keeps 7/30 of a month: 1 × 7/30 × 0.03 = 0.007; 3 × 7/30 × 0.03 = 0.021
		{"/ecs/my-service-dev storage", 0.007, 0.021},
		{"development-cluster metrics", 10.8, 10.8},
		// 1 × 0.07 × 0.50 = 0.035; 3 × 0.07 × 0.50 = 0.105
		{"development-cluster performance events", 0.035, 0.105},
		// the same 6 alarms = 7 alarm metrics × 0.10 = 0.7
		{"my-service-dev alarms (standard resolution)", 0.7, 0.7},
		{"key: Alarm notifications of ECS service my-service-dev", 1, 1},
		{"development-cluster-my-service-dev-alarms publishes", 0.0005, 0.0005},
	})
	// Floor 77.4150075 + 1.7005 = 79.1155075, ceiling 90.1950225 + 1.7005 = 91.8955225.
	if cost.Money(e.Floor) != "$79.12" || cost.Money(e.Ceiling) != "$91.90" {
		t.Errorf("development totals %s and %s, want $79.12 and $91.90", cost.Money(e.Floor), cost.Money(e.Ceiling))
	}
}

// Development is cheaper than production for the reasons its table names:
// Spot and one task (Fargate), one NAT gateway (NAT and its address), and
// no flow logs.
func TestDevelopmentIsCheaperForTheNamedReasons(t *testing.T) {
	prod, dev := estimate(t, "production", "production"), estimate(t, "development", "development")
	if !(dev.Floor < prod.Floor && dev.Ceiling < prod.Ceiling) {
		t.Fatalf("development %.2f–%.2f is not below production %.2f–%.2f", dev.Floor, dev.Ceiling, prod.Floor, prod.Ceiling)
	}
	groups := func(e *cost.Estimate) map[string]cost.GroupTotal {
		m := map[string]cost.GroupTotal{}
		for _, g := range e.Groups() {
			m[g.Group] = g
		}
		return m
	}
	p, d := groups(prod), groups(dev)
	for _, g := range []string{"Fargate", "NAT gateway", "Public IPv4"} {
		if !(d[g].Floor < p[g].Floor) {
			t.Errorf("%s: development floor %.2f is not below production %.2f", g, d[g].Floor, p[g].Floor)
		}
	}
	md := string(dev.Markdown())
	for _, reason := range []string{"Spot", "1 NAT gateway(s)", "1 to 3 tasks"} {
		if !strings.Contains(md, reason) {
			t.Errorf("development cost.md does not name %q", reason)
		}
	}
}

func TestEndpointsOnlyPricesEndpointsPerZoneAndNoNAT(t *testing.T) {
	e := estimate(t, "endpoints-only", "endpoints-only")
	var found bool
	for _, l := range e.Lines {
		if l.Group == "NAT gateway" {
			t.Errorf("a stack without NAT gateways has a NAT line: %+v", l)
		}
		if l.Item == "3 interface endpoint(s), per zone" {
			found = true
			// 3 interface endpoints × 2 zones × 730 h = 4380 × 0.01 = 43.8; the S3 gateway endpoint is free.
			if !near(l.Floor, 43.8) || !strings.Contains(l.Basis, "s3") {
				t.Errorf("endpoint line %+v, want floor 43.8 and the free s3 gateway named", l)
			}
		}
	}
	if !found {
		t.Error("no interface endpoint line")
	}
}

func TestUnknownRegionIsAnError(t *testing.T) {
	s := load(t, "production", "production")
	s.Region = "ap-south-2"
	_, err := cost.ForStack(s, cost.DefaultAssumptions())
	if err == nil || !strings.Contains(err.Error(), `"ap-south-2"`) || !strings.Contains(err.Error(), "eu-west-1, us-east-1") {
		t.Fatalf("got %v, want an error naming the region and the regions that have prices", err)
	}
}

func TestEuWest1HasItsOwnPrices(t *testing.T) {
	s := load(t, "production", "production")
	s.Region = "eu-west-1"
	e, err := cost.ForStack(s, cost.DefaultAssumptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range e.Lines {
		// 2 NAT × 730 h × 0.048 = 70.08
		if l.Group == "NAT gateway" && strings.HasSuffix(l.Item, "hours") && !near(l.Floor, 70.08) {
			t.Errorf("eu-west-1 NAT hours %.4f, want 70.08", l.Floor)
		}
	}
}

func TestAssumptionsAreValidated(t *testing.T) {
	a := cost.DefaultAssumptions()
	a.LogGBPerTaskMonth = -1
	a.HoursPerMonth = 0
	_, err := cost.ForStack(load(t, "production", "production"), a)
	if err == nil || !strings.Contains(err.Error(), "Assumptions.LogGBPerTaskMonth is -1") || !strings.Contains(err.Error(), "Assumptions.HoursPerMonth is 0") {
		t.Fatalf("got %v, want both bad fields named", err)
	}
}

func TestCallerAssumptionsChangeTheEstimate(t *testing.T) {
	a := cost.DefaultAssumptions()
	a.NATGBPerTaskMonth = 100
	e, err := cost.ForStack(load(t, "production", "production"), a)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range e.Lines {
		// 2 tasks × 100 GB × 0.045 = 9; 10 tasks: 1000 GB × 0.045 = 45
		if l.Item == "NAT data processed" && (!near(l.Floor, 9) || !near(l.Ceiling, 45)) {
			t.Errorf("NAT data %.4f–%.4f, want 9–45", l.Floor, l.Ceiling)
		}
	}
}

func TestMarkdownAndJSONGolden(t *testing.T) {
	for _, name := range []string{"production", "development", "platform"} {
		e := estimate(t, name, name)
		testutil.Golden(t, name+"-cost.md", e.Markdown())
		j, err := e.JSON()
		if err != nil {
			t.Fatal(err)
		}
		testutil.Golden(t, name+"-cost.json", j)
	}
}

func TestWindowsTasksAreNotPricedAsLinux(t *testing.T) {
	s := load(t, "production", "production")
	s.TaskDefinitions[0].OS = "WINDOWS_SERVER_2022_CORE"
	_, err := cost.ForStack(s, cost.DefaultAssumptions())
	if err == nil || !strings.Contains(err.Error(), "WINDOWS_SERVER_2022_CORE") || !strings.Contains(err.Error(), "Linux rates only") {
		t.Fatalf("got %v, want an error naming the OS", err)
	}
}

// Every price in every table is named by a source, and every source says
// whether its numbers were verified against a dated copy (and gives the
// date), are unverified, or are derived from other prices. A new price field
// without a source, or a source that stops saying how sure it is, fails here.
func TestEveryPriceHasALabelledSource(t *testing.T) {
	dated := regexp.MustCompile(`20\d\d-\d\d-\d\d`)
	for _, region := range cost.Regions() {
		p, err := cost.PricesFor(region)
		if err != nil {
			t.Fatal(err)
		}
		var covered []string
		for _, s := range p.Sources {
			covered = append(covered, strings.Split(s.Covers, ", ")...)
			switch {
			case strings.HasPrefix(s.Via, "verified: "):
				if !dated.MatchString(s.Via) {
					t.Errorf("%s: source for %q is marked verified but names no date: %s", region, s.Covers, s.Via)
				}
			case strings.HasPrefix(s.Via, "unverified: "), strings.HasPrefix(s.Via, "derived, not a published rate: "):
			default:
				t.Errorf("%s: source for %q does not start with verified:, unverified: or derived, not a published rate:", region, s.Covers)
			}
			if !strings.HasPrefix(s.URL, "https://") {
				t.Errorf("%s: source for %q has no https URL: %q", region, s.Covers, s.URL)
			}
		}
		keys := []string{"fargate_spot"}
		typ := reflect.TypeOf(*p)
		for i := 0; i < typ.NumField(); i++ {
			switch tag := typ.Field(i).Tag.Get("json"); tag {
			case "region", "currency", "read", "sources":
			default:
				keys = append(keys, tag)
			}
		}
		for _, k := range keys {
			found := false
			for _, c := range covered {
				if c == k || strings.HasPrefix(c, k+".") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no source covers %q (sources cover %v)", region, k, covered)
			}
		}
	}
}

// An alarm is billed per metric it evaluates, and one with a period under a
// minute at the high-resolution price; alarms of no service get their own
// line.
func TestAlarmsArePricedPerAlarmMetric(t *testing.T) {
	doc := `{"provider":{"aws":[{"region":"us-east-1"}]},"resource":{"aws_cloudwatch_metric_alarm":{
	"Math":{"alarm_name":"errors-ratio","threshold":1,"metric_query":[
		{"id":"a","metric":{"namespace":"N","metric_name":"A","period":60,"stat":"Sum"}},
		{"id":"b","metric":{"namespace":"N","metric_name":"B","period":60,"stat":"Sum"}},
		{"id":"c","metric":{"namespace":"N","metric_name":"C","period":60,"stat":"Sum"}},
		{"id":"e","expression":"(a+b)/c","return_data":true}]},
	"Fast":{"alarm_name":"fast","namespace":"N","metric_name":"D","period":10,"extended_statistic":"p99","threshold":1}}}}`
	s, err := tfmodel.Parse("alarms", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	e, err := cost.ForStack(s, cost.DefaultAssumptions())
	if err != nil {
		t.Fatal(err)
	}
	check(t, e, []want{
		// 1 metric math alarm reading 3 metrics × 0.10 = 0.3
		{"other alarms (standard resolution)", 0.3, 0.3},
		// 1 alarm of 10-second periods × 0.30 = 0.3
		{"other alarms (high resolution)", 0.3, 0.3},
	})
}

// Platform's Service Connect and domain add no priced line (no invented
// number) but are named, each with why, under "Not included"; the priced
// lines are the three services' and the shared ALB, NAT and logs.
func TestPlatformNamesServiceConnectAndDomainWithoutPricingThem(t *testing.T) {
	e := estimate(t, "platform", "platform")
	for _, l := range e.Lines {
		for _, r := range l.Resources {
			if strings.Contains(r, "service_discovery") || strings.Contains(r, "route53") || strings.Contains(r, "acm") {
				t.Errorf("line %q prices %s, which has no verified price", l.Item, r)
			}
		}
	}
	md := string(e.Markdown())
	for _, want := range []string{
		"Service Connect namespace platform.internal (joined by api, worker): ECS charges nothing separate",
		"aws_service_discovery_http_namespace.Namespace_ADFEA57E: an AWS Cloud Map HTTP namespace",
		"not priced",
		"Route 53 hosted zone example.com: looked up (data.aws_route53_zone.Zone), not created by the stack",
		"2 alias record(s) to the load balancer",
		"ACM certificate www.example.com, api.example.com (DNS validated)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("platform cost.md lacks %q", want)
		}
	}
	for _, name := range []string{"production", "development"} {
		md := string(estimate(t, name, name).Markdown())
		if strings.Contains(md, "Service Connect") || strings.Contains(md, "Route 53") || strings.Contains(md, "ACM") {
			t.Errorf("%s cost.md mentions Service Connect, Route 53 or ACM, which it does not use", name)
		}
	}
}

// The load balancer's capacity units follow the tasks it sends requests to:
// platform's web and api (2 to 6 tasks each), not its worker (1 to 3), which
// no listener reaches.
func TestLoadBalancerCapacityCountsOnlyTheServicesBehindIt(t *testing.T) {
	e := estimate(t, "platform", "platform")
	for _, l := range e.Lines {
		if l.Item != "platform capacity units" {
			continue
		}
		// 4 tasks × 0.5 LCU × 730 h = 1460 LCU-h × 0.008 = 11.68; 12 tasks: 4380 × 0.008 = 35.04
		if !near(l.Floor, 11.68) || !near(l.Ceiling, 35.04) {
			t.Errorf("platform capacity units %.4f–%.4f, want 11.68–35.04 (the worker's tasks counted?)", l.Floor, l.Ceiling)
		}
		if strings.Contains(l.Basis, "worker") || !strings.Contains(l.Basis, "api, web") {
			t.Errorf("basis %q should name api and web, the services behind the load balancer, and not the worker", l.Basis)
		}
		return
	}
	t.Fatal("no capacity units line for the platform load balancer")
}

// Package cost estimates what a synthesized stack costs per month, line by
// line, at its minimum capacity (the floor) and at its maximum capacity (the
// ceiling).
//
// What the configuration fixes (task sizes, task counts, NAT gateways,
// endpoints, the load balancer, public addresses, log retention) is read from
// the stack's Terraform JSON through package tfmodel. What it cannot know
// (traffic, log volume, data through the NAT gateways) comes from
// [Assumptions], whose defaults [DefaultAssumptions] states and every
// estimate prints. Prices come from a per-region table ([PricesFor]).
package cost

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/fargatekit/fargatekit/report/tfmodel"
)

// Defaults of [Assumptions]. Usage scales with the number of running tasks:
// at the ceiling the service runs its maximum task count because it is
// serving that much more traffic.
const (
	DefaultHoursPerMonth                  = 730
	DefaultNATGBPerTaskMonth              = 5
	DefaultEndpointGBPerTaskMonth         = 5
	DefaultLCUPerTask                     = 0.5
	DefaultLogGBPerTaskMonth              = 1
	DefaultFlowLogGBPerTaskMonth          = 0.5
	DefaultContainerInsightsClusterMetric = 12
	DefaultContainerInsightsServiceMetric = 24
	DefaultContainerInsightsGBPerTask     = 0.07
	DefaultNeverExpireMonths              = 12
	DefaultAlarmNotificationsPerMonth     = 1000
)

// Assumptions is the usage that a stack's configuration cannot tell. Start
// from [DefaultAssumptions] and change what you know better; every field is
// used as given (zero means none).
type Assumptions struct {
	// HoursPerMonth is how long a month is: 730 (8,760 / 12).
	HoursPerMonth float64 `json:"hours_per_month"`
	// NATGBPerTaskMonth is the data each running task sends and receives
	// through a NAT gateway in a month: image pulls, log shipping, calls to
	// AWS APIs and to the internet. 5 GB.
	NATGBPerTaskMonth float64 `json:"nat_gb_per_task_month"`
	// EndpointGBPerTaskMonth is the same traffic through interface
	// endpoints when the stack has no NAT gateway. 5 GB.
	EndpointGBPerTaskMonth float64 `json:"endpoint_gb_per_task_month"`
	// LCUPerTask is the load balancer capacity units, averaged over the
	// month, that the traffic of one running task uses. 0.5 LCU.
	LCUPerTask float64 `json:"lcu_per_task"`
	// LogGBPerTaskMonth is the application log volume of one running task.
	// 1 GB.
	LogGBPerTaskMonth float64 `json:"log_gb_per_task_month"`
	// FlowLogGBPerTaskMonth is the VPC flow log volume per running task
	// (flow logs record connections, which grow with traffic). 0.5 GB.
	FlowLogGBPerTaskMonth float64 `json:"flow_log_gb_per_task_month"`
	// ContainerInsightsClusterMetrics and ContainerInsightsServiceMetrics
	// are the custom metrics Container Insights publishes per cluster and
	// per service (cluster, service and task-family dimensions; see
	// docs/cost-and-architecture.md). 12 and 24.
	ContainerInsightsClusterMetrics float64 `json:"container_insights_cluster_metrics"`
	ContainerInsightsServiceMetrics float64 `json:"container_insights_service_metrics"`
	// ContainerInsightsGBPerTaskMonth is the performance log events one task
	// sends to Container Insights (about one 1.5 KB event a minute). 0.07 GB.
	ContainerInsightsGBPerTaskMonth float64 `json:"container_insights_gb_per_task_month"`
	// NeverExpireMonths is how many months of logs a log group without
	// retention is assumed to hold. 12.
	NeverExpireMonths float64 `json:"never_expire_months"`
	// AlarmNotificationsPerMonth is how many messages the alarms publish
	// to each SNS topic in a month (one per state change, to ALARM and
	// back to OK). 1,000.
	AlarmNotificationsPerMonth float64 `json:"alarm_notifications_per_month"`
}

// DefaultAssumptions returns the assumptions every estimate uses unless the
// caller passes others.
func DefaultAssumptions() Assumptions {
	return Assumptions{
		HoursPerMonth:                   DefaultHoursPerMonth,
		NATGBPerTaskMonth:               DefaultNATGBPerTaskMonth,
		EndpointGBPerTaskMonth:          DefaultEndpointGBPerTaskMonth,
		LCUPerTask:                      DefaultLCUPerTask,
		LogGBPerTaskMonth:               DefaultLogGBPerTaskMonth,
		FlowLogGBPerTaskMonth:           DefaultFlowLogGBPerTaskMonth,
		ContainerInsightsClusterMetrics: DefaultContainerInsightsClusterMetric,
		ContainerInsightsServiceMetrics: DefaultContainerInsightsServiceMetric,
		ContainerInsightsGBPerTaskMonth: DefaultContainerInsightsGBPerTask,
		NeverExpireMonths:               DefaultNeverExpireMonths,
		AlarmNotificationsPerMonth:      DefaultAlarmNotificationsPerMonth,
	}
}

// Validate reports assumptions that cannot be used: negative values, or a
// month without hours.
func (a Assumptions) Validate() error {
	var bad []string
	check := func(field string, v float64) {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			bad = append(bad, fmt.Sprintf("Assumptions.%s is %v: must be a finite number >= 0", field, v))
		}
	}
	check("NATGBPerTaskMonth", a.NATGBPerTaskMonth)
	check("EndpointGBPerTaskMonth", a.EndpointGBPerTaskMonth)
	check("LCUPerTask", a.LCUPerTask)
	check("LogGBPerTaskMonth", a.LogGBPerTaskMonth)
	check("FlowLogGBPerTaskMonth", a.FlowLogGBPerTaskMonth)
	check("ContainerInsightsClusterMetrics", a.ContainerInsightsClusterMetrics)
	check("ContainerInsightsServiceMetrics", a.ContainerInsightsServiceMetrics)
	check("ContainerInsightsGBPerTaskMonth", a.ContainerInsightsGBPerTaskMonth)
	check("NeverExpireMonths", a.NeverExpireMonths)
	check("AlarmNotificationsPerMonth", a.AlarmNotificationsPerMonth)
	if !(a.HoursPerMonth > 0 && a.HoursPerMonth <= 744) {
		bad = append(bad, fmt.Sprintf("Assumptions.HoursPerMonth is %v: must be more than 0 and at most 744 (31 days)", a.HoursPerMonth))
	}
	if len(bad) > 0 {
		return fmt.Errorf("cost: %s", strings.Join(bad, "; "))
	}
	return nil
}

// Estimate is a stack's monthly cost, line by line.
type Estimate struct {
	Stack    string `json:"stack"`
	Region   string `json:"region"`
	Currency string `json:"currency"`
	// Floor is the monthly total at every service's minimum task count,
	// Ceiling at its maximum.
	Floor   float64 `json:"floor_monthly"`
	Ceiling float64 `json:"ceiling_monthly"`
	Lines   []Line  `json:"lines"`
	// NotIncluded names charges the estimate leaves out, and why.
	NotIncluded []string `json:"not_included"`
	// Unpriced accounts for every resource of the stack that no line
	// prices: free, or not priced, each group with the reason.
	Unpriced    []Unpriced  `json:"unpriced_resources"`
	Assumptions Assumptions `json:"assumptions"`
	PricesRead  string      `json:"prices_read"`
	Sources     []Source    `json:"price_sources"`
}

// Unpriced is a group of the stack's resources that no [Line] lists.
type Unpriced struct {
	// Resources are Terraform addresses, sorted.
	Resources []string `json:"resources"`
	// Free is true when AWS charges nothing for them; false when they may
	// cost something the estimate leaves out (Why says what).
	Free bool   `json:"free"`
	Why  string `json:"why"`
}

// Line is one charge.
type Line struct {
	// Group is what the line belongs to: "Fargate", "NAT gateway", ...
	Group string `json:"group"`
	// Item names the charge and what it applies to.
	Item string `json:"item"`
	// Resources are the Terraform addresses the charge comes from.
	Resources []string `json:"resources"`
	Unit      string   `json:"unit"`
	UnitPrice float64  `json:"unit_price"`
	// FloorQuantity and CeilingQuantity are units per month.
	FloorQuantity   float64 `json:"floor_quantity"`
	CeilingQuantity float64 `json:"ceiling_quantity"`
	Floor           float64 `json:"floor_monthly"`
	Ceiling         float64 `json:"ceiling_monthly"`
	// Basis says how the quantity follows from the stack and the
	// assumptions.
	Basis string `json:"basis"`
}

// ForStack estimates s with the price table of its region.
func ForStack(s *tfmodel.Stack, a Assumptions) (*Estimate, error) {
	p, err := PricesFor(s.Region)
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", s.Name, err)
	}
	return Compute(s, p, a)
}

// Compute estimates s with the prices p.
func Compute(s *tfmodel.Stack, p *Prices, a Assumptions) (*Estimate, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	e := &Estimate{Stack: s.Name, Region: p.Region, Currency: p.Currency, Assumptions: a, PricesRead: p.Read, Sources: p.Sources}
	b := builder{s: s, p: p, a: a, e: e}
	steps := []func() error{b.fargate, b.loadBalancers, b.nat, b.endpoints, b.publicIPv4, b.logs, b.containerInsights, b.alarms, b.kms, b.sns, b.serviceConnect, b.domain}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("stack %s: %w", s.Name, err)
		}
	}
	for i := range e.Lines {
		l := &e.Lines[i]
		l.Floor = l.FloorQuantity * l.UnitPrice
		l.Ceiling = l.CeilingQuantity * l.UnitPrice
		e.Floor += l.Floor
		e.Ceiling += l.Ceiling
	}
	e.Unpriced = unpriced(s, e.Lines)
	e.NotIncluded = append(e.NotIncluded,
		"data transfer out to the internet and between zones (depends on the responses' size and where clients are)",
		"ECR image storage and the state backend's S3 bucket (outside the stack)",
		"Fargate ephemeral storage above the free 20 GiB per task",
		"Savings Plans and the free tier")
	return e, nil
}

type builder struct {
	s *tfmodel.Stack
	p *Prices
	a Assumptions
	e *Estimate
	// floorTasks and ceilingTasks are the stack's running tasks at the
	// floor and at the ceiling; usage that grows with traffic scales with
	// them.
	floorTasks, ceilingTasks float64
	taskAddrs                []string
}

func (b *builder) add(l Line) { b.e.Lines = append(b.e.Lines, l) }

func (b *builder) fargate() error {
	h := b.a.HoursPerMonth
	for _, sv := range b.s.Services {
		td, ok := b.s.TaskDefinition(sv.TaskDefinition)
		if !ok {
			return fmt.Errorf("service %s: its task definition %s is not in the stack, so its size is unknown", sv.Address, sv.TaskDefinition)
		}
		if td.OS != "LINUX" {
			return fmt.Errorf("service %s: task definition %s runs on %s; the price tables have Linux rates only", sv.Address, td.Address, td.OS)
		}
		lo, hi, scaled := b.s.Scaling(sv)
		b.floorTasks += float64(lo)
		b.ceilingTasks += float64(hi)
		b.taskAddrs = append(b.taskAddrs, sv.Address)
		vcpu := float64(td.CPU) / 1024
		gb := float64(td.Memory) / 1024
		count := fmt.Sprintf("%d tasks (desired count)", lo)
		if scaled {
			count = fmt.Sprintf("%d to %d tasks (autoscaling range)", lo, hi)
		}
		strategy := b.s.EffectiveStrategy(sv)
		loSplit, hiSplit := split(lo, strategy), split(hi, strategy)
		for _, prov := range providers(strategy) {
			rate, err := b.p.fargate(td.Arch, prov)
			if err != nil {
				return fmt.Errorf("service %s: %w", sv.Address, err)
			}
			kind := map[string]string{"FARGATE": "on-demand", "FARGATE_SPOT": "Spot"}[prov]
			if kind == "" {
				kind = prov
			}
			share := ""
			if len(strategy) > 1 {
				share = fmt.Sprintf(", the %s share of the capacity provider strategy", prov)
			}
			arch := map[string]string{"X86_64": "x86", "ARM64": "ARM64"}[td.Arch]
			res := []string{sv.Address, td.Address}
			b.add(Line{Group: "Fargate", Item: fmt.Sprintf("%s vCPU (%s, %s)", sv.Name, arch, kind), Resources: res,
				Unit: "vCPU-hour", UnitPrice: rate.VCPUHour,
				FloorQuantity: loSplit[prov] * vcpu * h, CeilingQuantity: hiSplit[prov] * vcpu * h,
				Basis: fmt.Sprintf("%s × %g vCPU (cpu %d) × %g h%s", count, vcpu, td.CPU, h, share)})
			b.add(Line{Group: "Fargate", Item: fmt.Sprintf("%s memory (%s, %s)", sv.Name, arch, kind), Resources: res,
				Unit: "GB-hour", UnitPrice: rate.GBHour,
				FloorQuantity: loSplit[prov] * gb * h, CeilingQuantity: hiSplit[prov] * gb * h,
				Basis: fmt.Sprintf("%s × %g GB (memory %d MiB) × %g h%s", count, gb, td.Memory, h, share)})
		}
		if td.EphemeralGiB > 20 {
			b.e.NotIncluded = append(b.e.NotIncluded, fmt.Sprintf("%s: %d GiB ephemeral storage, %d GiB above the free 20 GiB (no price in the table)", td.Address, td.EphemeralGiB, td.EphemeralGiB-20))
		}
	}
	return nil
}

// split divides n tasks between a strategy's capacity providers the way ECS
// places them: the base first, the rest in proportion to the weights.
func split(n int, strategy []tfmodel.StrategyItem) map[string]float64 {
	out := map[string]float64{}
	rest := float64(n)
	total := 0
	for _, it := range strategy {
		if it.Base > 0 && rest > 0 {
			take := math.Min(float64(it.Base), rest)
			out[it.Provider] += take
			rest -= take
		}
		total += it.Weight
	}
	for _, it := range strategy {
		if total > 0 {
			out[it.Provider] += rest * float64(it.Weight) / float64(total)
		}
	}
	if total == 0 && rest > 0 && len(strategy) > 0 {
		out[strategy[0].Provider] += rest
	}
	return out
}

func providers(strategy []tfmodel.StrategyItem) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range strategy {
		if !seen[it.Provider] && (it.Weight > 0 || it.Base > 0) {
			seen[it.Provider] = true
			out = append(out, it.Provider)
		}
	}
	sort.Strings(out)
	return out
}

func (b *builder) loadBalancers() error {
	h := b.a.HoursPerMonth
	for _, lb := range b.s.LoadBalancers {
		if lb.Type != "application" {
			b.e.NotIncluded = append(b.e.NotIncluded, fmt.Sprintf("%s: a %s load balancer (only Application Load Balancers are priced)", lb.Address, lb.Type))
			continue
		}
		b.add(Line{Group: "Load balancer", Item: lb.Name + " hours", Resources: []string{lb.Address},
			Unit: "ALB-hour", UnitPrice: b.p.ALB.Hour, FloorQuantity: h, CeilingQuantity: h,
			Basis: fmt.Sprintf("1 load balancer × %g h", h)})
		// Capacity units follow the traffic of the tasks this load balancer
		// sends requests to: the services registered in a target group that
		// one of its listeners or listener rules forwards to. A worker (no
		// target group) or a service behind another load balancer adds none.
		var lo, hi float64
		var names []string
		for _, sv := range b.s.ServicesBehind(lb) {
			l, u, _ := b.s.Scaling(sv)
			lo += float64(l)
			hi += float64(u)
			names = append(names, sv.Name)
		}
		who := "(no service of the stack is behind it)"
		if len(names) > 0 {
			who = "of " + strings.Join(names, ", ") + " (the services behind it)"
		}
		b.add(Line{Group: "Load balancer", Item: lb.Name + " capacity units", Resources: []string{lb.Address},
			Unit: "LCU-hour", UnitPrice: b.p.ALB.LCUHour,
			FloorQuantity: lo * b.a.LCUPerTask * h, CeilingQuantity: hi * b.a.LCUPerTask * h,
			Basis: fmt.Sprintf("%g to %g running tasks %s × %g LCU per task (assumption) × %g h", lo, hi, who, b.a.LCUPerTask, h)})
	}
	// A service registered in a target group that is not in the stack is
	// behind a load balancer managed elsewhere.
	for _, sv := range b.s.Services {
		for _, tg := range sv.TargetGroups {
			if _, ok := b.s.TargetGroup(tg); !ok {
				b.e.NotIncluded = append(b.e.NotIncluded, fmt.Sprintf("%s: its tasks are registered in target group %s, of a load balancer outside the stack; that load balancer's hours and the capacity units this service's traffic uses are charged where it is managed, not priced here", sv.Address, tg))
			}
		}
	}
	return nil
}

func (b *builder) nat() error {
	if vpc, ok := b.s.ExistingVPC(); ok {
		var tasks []string
		lo, hi := 0.0, 0.0
		for _, sv := range b.s.Services {
			if !b.s.InStackSubnets(sv) {
				l, u, _ := b.s.Scaling(sv)
				lo += float64(l)
				hi += float64(u)
				tasks = append(tasks, sv.Name)
			}
		}
		if len(tasks) > 0 {
			b.e.NotIncluded = append(b.e.NotIncluded, fmt.Sprintf("egress of the existing VPC %s, which the tasks of %s leave through: the stack does not create that VPC's NAT gateways or endpoints, so which of them it has is unknown here. With NAT gateways: $%g an hour each and $%g per GB processed (%g to %g running tasks × %g GB per task a month, assumption); they are charged to the VPC's account whether or not this stack exists", vpc, strings.Join(tasks, ", "), b.p.NATGateway.Hour, b.p.NATGateway.GBProcessed, lo, hi, b.a.NATGBPerTaskMonth))
		}
	}
	if len(b.s.NATGateways) == 0 {
		return nil
	}
	h := b.a.HoursPerMonth
	var addrs []string
	for _, n := range b.s.NATGateways {
		addrs = append(addrs, n.Address)
	}
	n := float64(len(addrs))
	b.add(Line{Group: "NAT gateway", Item: fmt.Sprintf("%d NAT gateway(s) hours", len(addrs)), Resources: addrs,
		Unit: "NAT-hour", UnitPrice: b.p.NATGateway.Hour, FloorQuantity: n * h, CeilingQuantity: n * h,
		Basis: fmt.Sprintf("%g NAT gateway(s) × %g h", n, h)})
	b.perTaskGB("NAT gateway", "NAT data processed", addrs, b.p.NATGateway.GBProcessed, b.a.NATGBPerTaskMonth)
	return nil
}

// perTaskGB adds a line for data that grows with the stack's running tasks.
func (b *builder) perTaskGB(group, item string, addrs []string, price, gbPerTask float64) {
	b.add(Line{Group: group, Item: item, Resources: addrs, Unit: "GB", UnitPrice: price,
		FloorQuantity: b.floorTasks * gbPerTask, CeilingQuantity: b.ceilingTasks * gbPerTask,
		Basis: fmt.Sprintf("%g to %g running tasks × %g GB per task (assumption)", b.floorTasks, b.ceilingTasks, gbPerTask)})
}

func (b *builder) endpoints() error {
	h := b.a.HoursPerMonth
	var addrs []string
	zoneHours := 0.0
	var gateway []string
	for _, ep := range b.s.Endpoints {
		if ep.Type != "Interface" {
			gateway = append(gateway, ep.Service)
			continue
		}
		addrs = append(addrs, ep.Address)
		zones := len(ep.Subnets)
		if zones == 0 {
			zones = 1
		}
		zoneHours += float64(zones) * h
	}
	if len(addrs) == 0 {
		return nil
	}
	b.add(Line{Group: "VPC endpoints", Item: fmt.Sprintf("%d interface endpoint(s), per zone", len(addrs)), Resources: addrs,
		Unit: "endpoint-zone-hour", UnitPrice: b.p.InterfaceEndpoint.HourPerAZ, FloorQuantity: zoneHours, CeilingQuantity: zoneHours,
		Basis: fmt.Sprintf("endpoint × zone pairs (%g) × %g h; gateway endpoints (%s) are free", zoneHours/h, h, strings.Join(gateway, ", "))})
	if len(b.s.NATGateways) == 0 {
		b.perTaskGB("VPC endpoints", "endpoint data processed", addrs, b.p.InterfaceEndpoint.GBProcessed, b.a.EndpointGBPerTaskMonth)
	}
	return nil
}

func (b *builder) publicIPv4() error {
	h := b.a.HoursPerMonth
	var addrs []string
	fixed := 0.0
	var parts []string
	if n := len(b.s.EIPs); n > 0 {
		for _, e := range b.s.EIPs {
			addrs = append(addrs, e.Address)
		}
		fixed += float64(n)
		parts = append(parts, fmt.Sprintf("%d Elastic IP(s) of the NAT gateways", n))
	}
	for _, lb := range b.s.LoadBalancers {
		if lb.Internal {
			continue
		}
		addrs = append(addrs, lb.Address)
		fixed += float64(len(lb.Subnets))
		parts = append(parts, fmt.Sprintf("%d of %s (one per zone)", len(lb.Subnets), lb.Name))
	}
	lo, hi := fixed, fixed
	for _, sv := range b.s.Services {
		if sv.AssignPublicIP {
			l, u, _ := b.s.Scaling(sv)
			lo += float64(l)
			hi += float64(u)
			addrs = append(addrs, sv.Address)
			parts = append(parts, fmt.Sprintf("one per task of %s", sv.Name))
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	b.add(Line{Group: "Public IPv4", Item: "public IPv4 addresses", Resources: addrs,
		Unit: "address-hour", UnitPrice: b.p.PublicIPv4.Hour, FloorQuantity: lo * h, CeilingQuantity: hi * h,
		Basis: fmt.Sprintf("%s: %g to %g addresses × %g h", strings.Join(parts, ", "), lo, hi, h)})
	return nil
}

func (b *builder) logs() error {
	// Log groups that a service's containers write to.
	serviceOf := map[string][2]float64{} // log group name -> floor, ceiling tasks
	for _, sv := range b.s.Services {
		td, _ := b.s.TaskDefinition(sv.TaskDefinition)
		lo, hi, _ := b.s.Scaling(sv)
		seen := map[string]bool{}
		for _, c := range td.Containers {
			if c.LogGroup != "" && !seen[c.LogGroup] {
				seen[c.LogGroup] = true
				v := serviceOf[c.LogGroup]
				serviceOf[c.LogGroup] = [2]float64{v[0] + float64(lo), v[1] + float64(hi)}
			}
		}
	}
	flow := map[string]bool{}
	for _, f := range b.s.FlowLogs {
		flow[f.LogGroup] = true
	}
	for _, lg := range b.s.LogGroups {
		var lo, hi, price float64
		var basis string
		switch {
		case flow[lg.Address]:
			lo, hi = b.floorTasks*b.a.FlowLogGBPerTaskMonth, b.ceilingTasks*b.a.FlowLogGBPerTaskMonth
			price = b.p.Logs.VendedIngestGB
			basis = fmt.Sprintf("VPC flow logs: %g to %g running tasks × %g GB per task (assumption), vended-log price", b.floorTasks, b.ceilingTasks, b.a.FlowLogGBPerTaskMonth)
		case serviceOf[lg.Name] != [2]float64{}:
			t := serviceOf[lg.Name]
			lo, hi = t[0]*b.a.LogGBPerTaskMonth, t[1]*b.a.LogGBPerTaskMonth
			price = b.p.Logs.IngestGB
			basis = fmt.Sprintf("%g to %g tasks × %g GB per task (assumption)", t[0], t[1], b.a.LogGBPerTaskMonth)
		default:
			b.e.NotIncluded = append(b.e.NotIncluded, fmt.Sprintf("%s (%s): nothing in the stack is known to write to it", lg.Address, lg.Name))
			continue
		}
		b.add(Line{Group: "CloudWatch Logs", Item: lg.Name + " ingestion", Resources: []string{lg.Address},
			Unit: "GB", UnitPrice: price, FloorQuantity: lo, CeilingQuantity: hi, Basis: basis})
		months := float64(lg.RetentionDays) / 30
		keep := fmt.Sprintf("retention %d days = %.4g months of ingestion stored", lg.RetentionDays, months)
		if lg.RetentionDays == 0 {
			months = b.a.NeverExpireMonths
			keep = fmt.Sprintf("never expires: %g months of ingestion stored (assumption)", months)
		}
		b.add(Line{Group: "CloudWatch Logs", Item: lg.Name + " storage", Resources: []string{lg.Address},
			Unit: "GB-month", UnitPrice: b.p.Logs.StorageGBMonth, FloorQuantity: lo * months, CeilingQuantity: hi * months,
			Basis: keep + " (uncompressed size; CloudWatch bills compressed, so this is an upper bound)"})
	}
	return nil
}

func (b *builder) containerInsights() error {
	for _, c := range b.s.Clusters {
		if !c.ContainerInsights {
			continue
		}
		services := 0.0
		lo, hi := 0.0, 0.0
		for _, sv := range b.s.Services {
			if sv.Cluster == c.Address {
				services++
				l, u, _ := b.s.Scaling(sv)
				lo += float64(l)
				hi += float64(u)
			}
		}
		metrics := b.a.ContainerInsightsClusterMetrics + services*b.a.ContainerInsightsServiceMetrics
		b.add(Line{Group: "Container Insights", Item: c.Name + " metrics", Resources: []string{c.Address},
			Unit: "metric-month", UnitPrice: b.p.Metrics.MetricMonth, FloorQuantity: metrics, CeilingQuantity: metrics,
			Basis: fmt.Sprintf("%g per cluster + %g services × %g per service (assumption)", b.a.ContainerInsightsClusterMetrics, services, b.a.ContainerInsightsServiceMetrics)})
		b.add(Line{Group: "Container Insights", Item: c.Name + " performance events", Resources: []string{c.Address},
			Unit: "GB", UnitPrice: b.p.Logs.IngestGB, FloorQuantity: lo * b.a.ContainerInsightsGBPerTaskMonth, CeilingQuantity: hi * b.a.ContainerInsightsGBPerTaskMonth,
			Basis: fmt.Sprintf("%g to %g tasks × %g GB per task (assumption), log ingestion price", lo, hi, b.a.ContainerInsightsGBPerTaskMonth)})
	}
	return nil
}

// alarms prices each service's alarms, then any alarm that watches no
// service, per alarm metric: a metric math alarm is billed for each metric
// its expression reads. An extended statistic (p99) costs the same as a
// statistic; a period under a minute is a high-resolution alarm.
func (b *builder) alarms() error {
	done := map[string]bool{}
	group := func(owner string, alarms []tfmodel.Alarm) {
		var std, high []tfmodel.Alarm
		for _, a := range alarms {
			if done[a.Address] {
				continue
			}
			done[a.Address] = true
			if a.HighResolution() {
				high = append(high, a)
			} else {
				std = append(std, a)
			}
		}
		for _, set := range []struct {
			alarms []tfmodel.Alarm
			kind   string
			price  float64
		}{{std, "standard resolution", b.p.Alarms.StandardMetricMonth}, {high, "high resolution", b.p.Alarms.HighResolutionMetricMonth}} {
			if len(set.alarms) == 0 {
				continue
			}
			var addrs, parts []string
			metrics := 0
			single, math, mathMetrics := 0, 0, 0
			for _, a := range set.alarms {
				addrs = append(addrs, a.Address)
				metrics += a.MetricCount()
				if a.Expression != "" {
					math++
					mathMetrics += a.MetricCount()
				} else {
					single++
				}
			}
			if single > 0 {
				parts = append(parts, fmt.Sprintf("%d single-metric alarm(s) × 1", single))
			}
			if math > 0 {
				parts = append(parts, fmt.Sprintf("%d metric math alarm(s) reading %d metrics", math, mathMetrics))
			}
			n := float64(metrics)
			b.add(Line{Group: "CloudWatch alarms", Item: fmt.Sprintf("%s alarms (%s)", owner, set.kind), Resources: addrs,
				Unit: "alarm metric-month", UnitPrice: set.price, FloorQuantity: n, CeilingQuantity: n,
				Basis: fmt.Sprintf("%s = %d alarm metrics (a metric math alarm is billed per metric it reads; an extended statistic such as p99 costs the same)", strings.Join(parts, " + "), metrics)})
		}
	}
	for _, sv := range b.s.Services {
		group(sv.Name, b.s.AlarmsOf(sv))
	}
	group("other", b.s.Alarms)
	return nil
}

// kms prices each customer managed key for its first year; automatic
// rotation adds to it later (see the line's basis).
func (b *builder) kms() error {
	for _, k := range b.s.KMSKeys {
		name := k.Description
		if name == "" {
			name = k.Address
		}
		basis := "1 customer managed key"
		if k.Rotation {
			basis += "; rotation is on: each yearly rotation adds one key-month a month from the second year (AWS KMS pricing)"
		}
		basis += "; API requests (alarm publishes encrypted with it) are a few thousand a month, within the 20,000 free and $0.03 per 10,000 beyond: not priced (assumption)"
		b.add(Line{Group: "KMS", Item: "key: " + name, Resources: []string{k.Address},
			Unit: "key-month", UnitPrice: b.p.KMS.KeyMonth, FloorQuantity: 1, CeilingQuantity: 1, Basis: basis})
	}
	return nil
}

// sns prices the alarms' publishes to each topic. Deliveries to
// subscribers are not priced: the stack creates no subscription.
func (b *builder) sns() error {
	for _, t := range b.s.Topics {
		m := b.a.AlarmNotificationsPerMonth / 1e6
		b.add(Line{Group: "SNS", Item: t.Name + " publishes", Resources: []string{t.Address},
			Unit: "million publishes", UnitPrice: b.p.SNS.MillionPublishes, FloorQuantity: m, CeilingQuantity: m,
			Basis: fmt.Sprintf("%g alarm notifications a month (assumption); the first million publishes of an account each month are free, so this is $0 in most accounts", b.a.AlarmNotificationsPerMonth)})
	}
	var given []string
	for _, a := range b.s.Alarms {
		for _, act := range a.Actions {
			if _, ok := b.s.Topic(act); !ok && strings.HasPrefix(act, "arn:") && strings.Contains(act, ":sns:") && !slices.Contains(given, act) {
				given = append(given, act)
			}
		}
	}
	for _, t := range given {
		b.e.NotIncluded = append(b.e.NotIncluded, fmt.Sprintf("the alarms' publishes to SNS topic %s, which the stack does not create: charged to the topic's account ($%g per million publishes, the first million a month free) with its deliveries", t, b.p.SNS.MillionPublishes))
	}
	if len(b.s.Topics) > 0 {
		b.e.NotIncluded = append(b.e.NotIncluded, "SNS deliveries to the alarm topics' subscribers (the stack creates none; email is $2 per 100,000, HTTP $0.60 per million)")
	}
	return nil
}

// serviceConnect says what Service Connect adds, without a price: ECS has no
// separate charge for it, its proxy shares the CPU and memory of each task
// that joins (already in the Fargate lines), and the namespace is an AWS
// Cloud Map HTTP namespace whose rates are not in the price table.
func (b *builder) serviceConnect() error {
	for _, ns := range b.s.Namespaces {
		var members []string
		for _, sv := range b.s.Services {
			if sv.ServiceConnect != nil && sv.ServiceConnect.Namespace == ns.Address {
				members = append(members, sv.Name)
			}
		}
		who := "no service joins it"
		if len(members) > 0 {
			who = "joined by " + strings.Join(members, ", ")
		}
		b.e.NotIncluded = append(b.e.NotIncluded,
			fmt.Sprintf("Service Connect namespace %s (%s): ECS charges nothing separate for Service Connect; its proxy runs inside each task that joins and shares the task's CPU and memory, which the Fargate lines above already price at the task definition's size (AWS recommends reserving CPU and memory for the proxy; how much was not verified here, so no size is added)", ns.Name, who),
			fmt.Sprintf("%s: an AWS Cloud Map HTTP namespace, with an instance registered per task of a service that serves in it: not priced (no Cloud Map rate is in the price table, and its pricing page was not read for this estimate)", ns.Address))
	}
	return nil
}

// domain says what the stack's domain adds, without a price: the hosted
// zone is the user's (looked up, not created), alias queries to a load
// balancer and public ACM certificates carry no charge.
func (b *builder) domain() error {
	for _, z := range b.s.HostedZones {
		b.e.NotIncluded = append(b.e.NotIncluded, fmt.Sprintf("Route 53 hosted zone %s: looked up (%s), not created by the stack; its monthly charge is the zone owner's whether or not this stack exists", z.Name, z.Address))
	}
	aliases, other := 0, 0
	for _, r := range b.s.DNSRecords {
		if r.Alias != "" {
			aliases++
		} else {
			other++
		}
	}
	if aliases > 0 {
		b.e.NotIncluded = append(b.e.NotIncluded, fmt.Sprintf("Route 53 queries: %d alias record(s) to the load balancer, which Route 53 answers without a query charge (AWS's documented rule for alias records to ELB load balancers; not re-read from the Route 53 pricing page for this estimate)", aliases))
	}
	if other > 0 {
		b.e.NotIncluded = append(b.e.NotIncluded, fmt.Sprintf("Route 53 queries to the stack's %d other record resource(s) (ACM DNS validation records, one per certificate name when written with for_each; read at issue and renewal): not priced", other))
	}
	for _, c := range b.s.Certificates {
		b.e.NotIncluded = append(b.e.NotIncluded, fmt.Sprintf("ACM certificate %s (%s validated): public ACM certificates used with a load balancer have no charge (stated in public summaries of ACM pricing; the ACM pricing page was not read for this estimate)", strings.Join(c.Names(), ", "), c.Validation))
	}
	return nil
}

// Package architecture draws a synthesized stack: the internet, the load
// balancer with its listeners, rules and target groups, the services' tasks
// in their private subnets per zone, the NAT gateways or VPC endpoints they
// leave through, the internet gateway, the IAM roles and what each may touch,
// the log groups, and each service's task size and scaling range.
//
// [Build] turns a [tfmodel.Stack] into a [Diagram]; [Diagram.Mermaid] and
// [Diagram.SVG] render it. Both are deterministic: the same stack gives the
// same bytes.
package architecture

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/fargatekit/fargatekit/report/tfmodel"
)

// Kind says what a node is; renderers shape and colour nodes by it.
type Kind string

// Node kinds.
const (
	KindInternet Kind = "internet"
	KindGateway  Kind = "gateway"
	KindLB       Kind = "loadbalancer"
	KindTarget   Kind = "targetgroup"
	KindNAT      Kind = "nat"
	KindTasks    Kind = "tasks"
	KindService  Kind = "service"
	KindEndpoint Kind = "endpoint"
	KindRole     Kind = "role"
	KindLogGroup Kind = "loggroup"
	KindFlowLog  Kind = "flowlog"
	KindAlarms   Kind = "alarms"
	// KindNamespace is a Service Connect (Cloud Map) namespace; KindDNS a
	// Route 53 hosted zone with the stack's records in it.
	KindNamespace Kind = "namespace"
	KindDNS       Kind = "dns"
)

// Node is one box. Title is its first line; Lines follow.
type Node struct {
	ID    string
	Kind  Kind
	Title string
	Lines []string
	// Resources are the Terraform addresses the node depicts: its own and
	// those it shows as lines (a load balancer's listeners and rules, a
	// service's task definition and scaling, a role's policies).
	Resources []string
	// Notifies is, for an alarms node, what its alarms notify: the SNS
	// topic's address when the stack creates it, else the action as
	// written (a topic ARN). Empty when they notify nothing.
	Notifies []string
}

// Edge is an arrow. Dashed arrows are permissions and ownership, solid ones
// carry traffic.
type Edge struct {
	From, To string
	Label    string
	Dashed   bool
	// Owns marks a service-to-its-tasks edge. The SVG leaves these out (the
	// task boxes carry the service's name, and the lines would cross the
	// public subnets); Mermaid keeps them to lay the service out beside its
	// tasks.
	Owns bool
	// Call marks a Service Connect call from one service to another; the
	// SVG bends it beside the services' column instead of through the
	// services between them.
	Call bool
}

// Zone is one availability zone of the VPC: its public and private subnets
// and what runs in them.
type Zone struct {
	Name string
	// Resources are the subnets the zone's boxes depict.
	Resources   []string
	PublicCIDR  []string
	PrivateCIDR []string
	Public      []Node // NAT gateways
	Private     []Node // tasks of each service
}

// Diagram is what both renderers draw. The layout, left to right: the
// internet; the VPC's perimeter (internet gateway, load balancers, target
// groups, flow logs); the zones; the services and endpoints; IAM roles; log
// groups.
type Diagram struct {
	Title string
	VPC   string
	// VPCResources are what the VPC box depicts: the aws_vpc, or nothing
	// when the VPC is an existing one (named by its id in VPC).
	VPCResources []string
	Internet     Node
	// DNS has a node per Route 53 hosted zone the stack writes records in
	// (outside the VPC, beside the internet).
	DNS       []Node
	Perimeter []Node
	Zones     []Zone
	Services  []Node
	Roles     []Node
	Logs      []Node
	// Alarms has one node per service and SNS topic: how many alarms
	// notify the topic, what each watches, and the topic's encryption.
	Alarms []Node
	Edges  []Edge
	// NotDrawn lists the stack's resources that no node, zone or the VPC
	// box depicts, each group with the reason.
	NotDrawn []Omission
}

// Omission is a group of resources the picture does not draw, and why.
type Omission struct {
	Resources []string
	Why       string
}

var idRE = regexp.MustCompile(`[^A-Za-z0-9]+`)

// id derives a node id from a Terraform address: stable across runs, and
// valid in Mermaid and XML.
func id(parts ...string) string {
	return strings.Trim(idRE.ReplaceAllString(strings.Join(parts, "_"), "_"), "_")
}

// Build makes the diagram of s.
func Build(s *tfmodel.Stack) *Diagram {
	d := &Diagram{Title: s.Name}
	if s.Region != "" {
		d.Title += " (" + s.Region + ")"
	}
	if len(s.VPCs) > 0 {
		d.VPC = "VPC " + s.VPCs[0].CIDR
		for _, v := range s.VPCs {
			d.VPCResources = append(d.VPCResources, v.Address)
		}
	} else if vpc, ok := s.ExistingVPC(); ok {
		d.VPC = "VPC " + vpc + " (existing; CIDR and zones unknown: not in the stack)"
	}
	d.Internet = Node{ID: "internet", Kind: KindInternet, Title: "Internet"}
	b := &build{s: s, d: d, logByName: map[string]string{}}
	b.perimeter()
	b.zones()
	b.services()
	b.serviceConnect()
	b.domain()
	b.iam()
	b.alarms()
	b.notDrawn()
	return d
}

type build struct {
	s         *tfmodel.Stack
	d         *Diagram
	logByName map[string]string // log group name -> node id
	tasks     map[string][]string
}

func (b *build) add(e Edge) { b.d.Edges = append(b.d.Edges, e) }

func (b *build) perimeter() {
	s, d := b.s, b.d
	for _, igw := range s.InternetGateway {
		d.Perimeter = append(d.Perimeter, Node{ID: id(igw), Kind: KindGateway, Title: "Internet gateway", Resources: []string{igw}})
	}
	for _, lb := range s.LoadBalancers {
		n := Node{ID: id(lb.Address), Kind: KindLB, Title: fmt.Sprintf("%s %s", strings.ToUpper(map[string]string{"application": "alb", "network": "nlb"}[lb.Type]), lb.Name), Resources: []string{lb.Address}}
		if n.Title == " "+lb.Name {
			n.Title = "load balancer " + lb.Name
		}
		scheme := "internet-facing"
		if lb.Internal {
			scheme = "internal"
		}
		n.Lines = append(n.Lines, fmt.Sprintf("%s, %d zones", scheme, len(lb.Subnets)))
		var ports []string
		for _, l := range s.Listeners {
			if l.LoadBalancer != lb.Address {
				continue
			}
			ports = append(ports, fmt.Sprintf("%s :%d", l.Protocol, l.Port))
			n.Resources = append(n.Resources, l.Address)
			switch {
			case l.Redirect != "":
				n.Lines = append(n.Lines, fmt.Sprintf("%s :%d → redirect %s", l.Protocol, l.Port, l.Redirect))
			case l.TargetGroup != "":
				n.Lines = append(n.Lines, fmt.Sprintf("%s :%d → default", l.Protocol, l.Port))
				b.add(Edge{From: n.ID, To: id(l.TargetGroup), Label: fmt.Sprintf(":%d default", l.Port)})
			default:
				n.Lines = append(n.Lines, fmt.Sprintf("%s :%d → %s", l.Protocol, l.Port, l.Action))
			}
			if c, ok := s.Certificate(l.Certificate); ok {
				n.Lines = append(n.Lines, "  certificate "+strings.Join(c.Names(), ", ")+" ("+certKind(c)+")")
				n.Resources = appendUnique(n.Resources, c.Address)
				if c.Validated != "" {
					n.Resources = appendUnique(n.Resources, c.Validated)
				}
			}
			for _, r := range s.ListenerRules {
				if r.Listener != l.Address {
					continue
				}
				cond := strings.Join(append(append([]string{}, r.Hosts...), r.Paths...), " ")
				n.Lines = append(n.Lines, fmt.Sprintf("  rule %d: %s", r.Priority, cond))
				n.Resources = append(n.Resources, r.Address)
				if r.TargetGroup != "" {
					b.add(Edge{From: n.ID, To: id(r.TargetGroup), Label: fmt.Sprintf(":%d %s", l.Port, cond)})
				}
			}
		}
		d.Perimeter = append(d.Perimeter, n)
		from := d.Internet.ID
		if !lb.Internal {
			if len(s.InternetGateway) > 0 {
				from = id(s.InternetGateway[0])
			}
			b.add(Edge{From: from, To: n.ID, Label: strings.Join(ports, ", ")})
		}
	}
	if len(s.InternetGateway) > 0 {
		b.d.Edges = append([]Edge{{From: d.Internet.ID, To: id(s.InternetGateway[0])}}, b.d.Edges...)
	}
	for _, tg := range s.TargetGroups {
		n := Node{ID: id(tg.Address), Kind: KindTarget, Title: "target group " + tg.Name, Lines: []string{fmt.Sprintf("%s :%d", tg.Protocol, tg.Port)}, Resources: []string{tg.Address}}
		if tg.HealthPath != "" {
			n.Lines = append(n.Lines, "health check "+tg.HealthPath)
		}
		d.Perimeter = append(d.Perimeter, n)
	}
	for _, fl := range s.FlowLogs {
		d.Perimeter = append(d.Perimeter, Node{ID: id(fl.Address), Kind: KindFlowLog, Title: "VPC flow logs", Resources: []string{fl.Address}})
	}
}

func (b *build) zones() {
	s, d := b.s, b.d
	b.tasks = map[string][]string{}
	for _, z := range s.Zones() {
		zone := Zone{Name: z}
		for _, sn := range s.Subnets {
			if sn.Zone != z {
				continue
			}
			zone.Resources = append(zone.Resources, sn.Address)
			private := sn.Tier == "private" || (sn.Tier == "" && !sn.Public && !hasNAT(s, sn.Address))
			if private {
				zone.PrivateCIDR = append(zone.PrivateCIDR, sn.CIDR)
			} else {
				zone.PublicCIDR = append(zone.PublicCIDR, sn.CIDR)
			}
			for _, nat := range s.NATGateways {
				if nat.Subnet == sn.Address {
					name := nat.Name
					if name == "" {
						name = nat.Address
					}
					res := []string{nat.Address}
					if _, ok := s.Resources[nat.Allocation]; ok {
						res = append(res, nat.Allocation)
					}
					zone.Public = append(zone.Public, Node{ID: id(nat.Address), Kind: KindNAT, Title: "NAT gateway", Lines: []string{name, "Elastic IP"}, Resources: res})
				}
			}
			for _, sv := range s.Services {
				if !contains(sv.Subnets, sn.Address) {
					continue
				}
				tid := id(sv.Address, sn.Address)
				zone.Private = append(zone.Private, Node{ID: tid, Kind: KindTasks, Title: sv.Name + " tasks", Lines: []string{sn.CIDR}, Resources: []string{sv.Address}})
				b.tasks[sv.Address] = append(b.tasks[sv.Address], tid)
				for _, tg := range sv.TargetGroups {
					b.add(Edge{From: id(tg), To: tid, Label: portOf(s, tg)})
				}
				if r, ok := s.DefaultRoute(sn.Address); ok {
					switch {
					case r.NATGateway != "":
						b.add(Edge{From: tid, To: id(r.NATGateway), Label: "egress"})
					case r.Gateway != "":
						b.add(Edge{From: tid, To: id(r.Gateway), Label: "egress"})
					}
				}
				for _, ep := range s.Endpoints {
					if ep.Type == "Interface" && contains(ep.Subnets, sn.Address) || ep.Type != "Interface" {
						b.add(Edge{From: tid, To: id(ep.Address), Label: ""})
					}
				}
			}
		}
		d.Zones = append(d.Zones, zone)
	}
	b.existingSubnets()
	for _, nat := range s.NATGateways {
		if len(s.InternetGateway) > 0 {
			b.add(Edge{From: id(nat.Address), To: id(s.InternetGateway[0]), Label: "to internet"})
		}
	}
	for _, ep := range s.Endpoints {
		n := Node{ID: id(ep.Address), Kind: KindEndpoint, Title: "endpoint " + ep.Service, Resources: []string{ep.Address}}
		if ep.Type == "Interface" {
			n.Lines = []string{fmt.Sprintf("interface, %d zones", len(ep.Subnets))}
		} else {
			n.Lines = []string{"gateway (free)"}
		}
		d.Services = append(d.Services, n)
	}
}

// existingSubnets draws the tasks of services whose subnets the stack does
// not create (an existing VPC's subnet ids): one band, its zones unknown, a
// tasks node per service naming its subnets, the target group edges that
// route to them, and their egress marked unknown (the VPC's NAT gateways or
// endpoints are not in the stack).
func (b *build) existingSubnets() {
	s, d := b.s, b.d
	zone := Zone{Name: "existing subnets (zones unknown)"}
	egress := ""
	for _, sv := range s.Services {
		if len(sv.Subnets) == 0 || s.InStackSubnets(sv) {
			continue
		}
		tid := id(sv.Address, "existing")
		zone.PrivateCIDR = appendUnique(zone.PrivateCIDR, sv.Subnets...)
		zone.Private = append(zone.Private, Node{ID: tid, Kind: KindTasks, Title: sv.Name + " tasks", Lines: append([]string{}, sv.Subnets...), Resources: []string{sv.Address}})
		b.tasks[sv.Address] = append(b.tasks[sv.Address], tid)
		for _, tg := range sv.TargetGroups {
			b.add(Edge{From: id(tg), To: tid, Label: portOf(s, tg)})
		}
		if egress == "" {
			egress = "existing_vpc_egress"
			zone.Public = append(zone.Public, Node{ID: egress, Kind: KindNAT, Title: "egress unknown", Lines: []string{"the existing VPC's NAT gateways", "or endpoints: not in the stack"}})
		}
		b.add(Edge{From: tid, To: egress, Label: "egress"})
	}
	if len(zone.Private) == 0 {
		return
	}
	for _, lb := range s.LoadBalancers {
		for _, sn := range lb.Subnets {
			if _, ok := s.Subnet(sn); !ok {
				zone.PublicCIDR = appendUnique(zone.PublicCIDR, sn)
			}
		}
	}
	d.Zones = append(d.Zones, zone)
}

func hasNAT(s *tfmodel.Stack, subnet string) bool {
	for _, n := range s.NATGateways {
		if n.Subnet == subnet {
			return true
		}
	}
	return false
}

func portOf(s *tfmodel.Stack, tg string) string {
	for _, t := range s.TargetGroups {
		if t.Address == tg {
			return fmt.Sprintf(":%d", t.Port)
		}
	}
	return ""
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (b *build) services() {
	s, d := b.s, b.d
	var nodes []Node
	for _, sv := range s.Services {
		n := Node{ID: id(sv.Address), Kind: KindService, Title: "ECS service " + sv.Name, Resources: []string{sv.Address}}
		if c, ok := s.Cluster(sv.Cluster); ok {
			n.Resources = append(n.Resources, c.Address)
			for addr, raw := range s.Resources {
				if strings.HasPrefix(addr, "aws_ecs_cluster_capacity_providers.") && strings.Contains(string(raw), "${"+c.Address+".") {
					n.Resources = append(n.Resources, addr)
				}
			}
			ci := ""
			if c.ContainerInsights {
				ci = ", Container Insights"
			}
			n.Lines = append(n.Lines, "cluster "+c.Name+ci)
		}
		td, _ := s.TaskDefinition(sv.TaskDefinition)
		if td.Address != "" {
			n.Resources = append(n.Resources, td.Address)
		}
		n.Lines = append(n.Lines, fmt.Sprintf("task %g vCPU, %g GB, %s", float64(td.CPU)/1024, float64(td.Memory)/1024, td.Arch))
		lo, hi, scaled := s.Scaling(sv)
		count := fmt.Sprintf("%d tasks", lo)
		if scaled {
			count = fmt.Sprintf("%d–%d tasks", lo, hi)
			var why []string
			for _, t := range s.ScalableTargets {
				if t.Service != sv.Address {
					continue
				}
				n.Resources = append(n.Resources, t.Address)
				for _, p := range s.ScalingPolicies {
					if p.Target == t.Address {
						why = append(why, metricName(p.Metric, p.Value))
						n.Resources = append(n.Resources, p.Address)
					}
				}
			}
			if len(why) > 0 {
				count += ", scales on " + strings.Join(why, ", ")
			}
		}
		n.Lines = append(n.Lines, count)
		var strat []string
		for _, it := range s.EffectiveStrategy(sv) {
			st := it.Provider
			if it.Base > 0 {
				st += fmt.Sprintf(" base %d", it.Base)
			}
			if len(s.EffectiveStrategy(sv)) > 1 {
				st += fmt.Sprintf(" weight %d", it.Weight)
			}
			strat = append(strat, st)
		}
		n.Lines = append(n.Lines, strings.Join(strat, ", "))
		if sv.AssignPublicIP {
			n.Lines = append(n.Lines, "public IP per task")
		}
		if sv.PipelineDeploys {
			// Terraform ignores the revision the service runs: the images
			// below are the first revision's, a pipeline deploys the rest.
			n.Lines = append(n.Lines, "images deployed by a pipeline; first revision:")
		}
		for _, c := range td.Containers {
			line := fmt.Sprintf("%s: %s", c.Name, c.Image)
			for _, p := range c.Ports {
				line += fmt.Sprintf(" :%d", p)
			}
			n.Lines = append(n.Lines, line)
		}
		nodes = append(nodes, n)
		for _, t := range b.tasks[sv.Address] {
			b.add(Edge{From: n.ID, To: t, Label: "runs", Dashed: true, Owns: true})
		}
	}
	d.Services = append(nodes, d.Services...)
}

func metricName(m string, v float64) string {
	switch m {
	case "ECSServiceAverageCPUUtilization":
		return fmt.Sprintf("CPU %g %%", v)
	case "ECSServiceAverageMemoryUtilization":
		return fmt.Sprintf("memory %g %%", v)
	case "ALBRequestCountPerTarget":
		return fmt.Sprintf("%g requests/target", v)
	}
	return fmt.Sprintf("%s %g", m, v)
}

func (b *build) iam() {
	s, d := b.s, b.d
	for _, lg := range s.LogGroups {
		ret := "never expires"
		if lg.RetentionDays > 0 {
			ret = fmt.Sprintf("%d days", lg.RetentionDays)
		}
		n := Node{ID: id(lg.Address), Kind: KindLogGroup, Title: lg.Name, Lines: []string{"retention " + ret}, Resources: []string{lg.Address}}
		d.Logs = append(d.Logs, n)
		b.logByName[lg.Name] = n.ID
	}
	for _, sv := range s.Services {
		td, _ := s.TaskDefinition(sv.TaskDefinition)
		if td.ExecutionRole != "" {
			b.add(Edge{From: id(sv.Address), To: id(td.ExecutionRole), Label: "execution role", Dashed: true})
		}
		if td.TaskRole != "" {
			b.add(Edge{From: id(sv.Address), To: id(td.TaskRole), Label: "task role", Dashed: true})
		}
		seen := map[string]bool{}
		for _, c := range td.Containers {
			if to, ok := b.logByName[c.LogGroup]; ok && !seen[to] {
				seen[to] = true
				b.add(Edge{From: id(sv.Address), To: to, Label: "awslogs", Dashed: true})
			}
		}
	}
	for _, fl := range s.FlowLogs {
		b.add(Edge{From: id(fl.Address), To: id(fl.LogGroup), Label: "delivers", Dashed: true})
	}
	for _, r := range s.Roles {
		n := Node{ID: id(r.Address), Kind: KindRole, Title: "IAM role " + r.Name, Resources: []string{r.Address}}
		var by []string
		for _, p := range r.AssumedBy {
			by = append(by, strings.TrimSuffix(p, ".amazonaws.com"))
		}
		if len(by) > 0 {
			n.Lines = append(n.Lines, "assumed by "+strings.Join(by, ", "))
		}
		// What it may touch: one edge per resource of this stack, one line
		// per resource elsewhere.
		perTarget := map[string][]string{}
		var order []string
		for _, p := range s.RolePolicies {
			if p.Role != r.Address {
				continue
			}
			n.Resources = append(n.Resources, p.Address)
			for _, st := range p.Statements {
				for _, res := range st.Resources {
					key := res
					if _, ok := s.Resources[res]; !ok {
						key = "ext:" + res
					}
					if _, ok := perTarget[key]; !ok {
						order = append(order, key)
					}
					perTarget[key] = appendUnique(perTarget[key], prefixEffect(st.Effect, st.Actions)...)
				}
			}
		}
		for _, key := range order {
			acts := perTarget[key]
			if strings.HasPrefix(key, "ext:") {
				n.Lines = append(n.Lines, fmt.Sprintf("%s on %s", shortActions(acts), shortARN(strings.TrimPrefix(key, "ext:"))))
				continue
			}
			b.add(Edge{From: n.ID, To: id(key), Label: shortActions(acts), Dashed: true})
		}
		if len(order) == 0 {
			n.Lines = append(n.Lines, "no permissions")
		}
		d.Roles = append(d.Roles, n)
	}
}

func prefixEffect(effect string, actions []string) []string {
	if effect == "Deny" {
		out := make([]string, len(actions))
		for i, a := range actions {
			out[i] = "deny " + a
		}
		return out
	}
	return actions
}

func appendUnique(list []string, vs ...string) []string {
	for _, v := range vs {
		if !contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// shortActions writes "logs:CreateLogStream, logs:PutLogEvents" as
// "logs:CreateLogStream, PutLogEvents".
func shortActions(acts []string) string {
	sorted := append([]string{}, acts...)
	sort.Strings(sorted)
	var out []string
	prev := ""
	for _, a := range sorted {
		svc, name, ok := strings.Cut(a, ":")
		if ok && svc == prev {
			out = append(out, name)
			continue
		}
		prev = svc
		out = append(out, a)
	}
	return strings.Join(out, ", ")
}

var tokenRE = regexp.MustCompile(`\$\{[^}]*\}`)

// shortARN replaces the partition, account and other tokens with "*".
func shortARN(arn string) string {
	return tokenRE.ReplaceAllString(arn, "*")
}

// alarms draws each service's alarms compactly: one node per topic they
// notify ("6 alarms → SNS topic NAME (KMS)"), a line per alarm, linked from
// the service. Alarms of no service get a node per topic without a link.
func (b *build) alarms() {
	s, d := b.s, b.d
	done := map[string]bool{}
	emit := func(from, prefix string, rollback map[string]bool, alarms []tfmodel.Alarm) {
		// Alarms are grouped by what they notify, as written in their
		// actions.
		byDest := map[string][]tfmodel.Alarm{}
		var dests []string
		for _, a := range alarms {
			if done[a.Address] {
				continue
			}
			done[a.Address] = true
			key := strings.Join(a.Actions, "\x00")
			if _, ok := byDest[key]; !ok {
				dests = append(dests, key)
			}
			byDest[key] = append(byDest[key], a)
		}
		for _, key := range dests {
			as := byDest[key]
			notifies := as[0].Actions
			topicKey := ""
			if len(notifies) > 0 {
				topicKey = notifies[0]
				if i := strings.LastIndex(topicKey, ":"); strings.HasPrefix(topicKey, "arn:") && i >= 0 {
					topicKey = topicKey[i+1:]
				}
			}
			n := Node{ID: id("alarms", from, topicKey), Kind: KindAlarms, Notifies: append([]string(nil), notifies...)}
			if from == "" {
				n.ID = id("alarms", topicKey)
			}
			if len(notifies) > 1 {
				n.ID = id(n.ID, fmt.Sprint(len(notifies)))
			}
			for _, a := range as {
				n.Resources = append(n.Resources, a.Address)
			}
			word := "alarms"
			if len(as) == 1 {
				word = "alarm"
			}
			n.Title = fmt.Sprintf("%d %s", len(as), word)
			if len(notifies) == 0 {
				n.Title += " (no action: notify nothing)"
			}
			for i, act := range notifies {
				sep := " → "
				if i > 0 {
					sep = ", "
				}
				if t, ok := s.Topic(act); ok {
					n.Title += sep + "SNS topic " + t.Name
					n.Resources = append(n.Resources, t.Address)
					if t.KMSKey != "" {
						n.Title += " (KMS)"
						if k, ok := s.KMSKey(t.KMSKey); ok {
							n.Resources = appendUnique(n.Resources, k.Address)
							if k.Rotation {
								n.Lines = append(n.Lines, "KMS key, rotation on")
							} else {
								n.Lines = append(n.Lines, "KMS key, rotation off")
							}
						} else {
							n.Lines = append(n.Lines, "KMS key "+t.KMSKey)
						}
					}
					continue
				}
				n.Title += sep + destination(act)
				n.Lines = append(n.Lines, "to "+act)
			}
			var rb []string
			for _, a := range as {
				short := strings.TrimPrefix(a.Name, prefix)
				n.Lines = append(n.Lines, short+": "+alarmRule(a))
				if rollback[a.Name] {
					rb = append(rb, short)
				}
			}
			if len(rb) > 0 {
				n.Lines = append(n.Lines, "rollback on "+strings.Join(rb, ", "))
			}
			d.Alarms = append(d.Alarms, n)
			if from != "" {
				b.add(Edge{From: from, To: n.ID, Label: "alarms", Dashed: true})
			}
		}
	}
	for _, sv := range s.Services {
		prefix := sv.Name + "-"
		if c, ok := s.Cluster(sv.Cluster); ok {
			prefix = c.Name + "-" + prefix
		}
		rollback := map[string]bool{}
		if sv.Rollback {
			for _, n := range sv.DeploymentAlarms {
				rollback[n] = true
			}
		}
		emit(id(sv.Address), prefix, rollback, s.AlarmsOf(sv))
	}
	emit("", "", nil, s.Alarms)
}

// destination names an alarm action the stack does not create: an SNS
// topic by the name its ARN ends in, marked as given; anything else as
// written.
func destination(act string) string {
	parts := strings.Split(act, ":")
	if len(parts) == 6 && parts[0] == "arn" && parts[2] == "sns" {
		return "SNS topic " + parts[5] + " (given, not created by the stack)"
	}
	return act
}

// alarmRule says briefly what an alarm watches (its name says which
// metric): "Average > 90" or, for metric math, "desired - running > 0
// (math)".
func alarmRule(a tfmodel.Alarm) string {
	op := map[string]string{
		"GreaterThanThreshold":          ">",
		"GreaterThanOrEqualToThreshold": "≥",
		"LessThanThreshold":             "<",
		"LessThanOrEqualToThreshold":    "≤",
	}[a.Comparison]
	if op == "" {
		op = a.Comparison
	}
	if a.Expression != "" {
		return fmt.Sprintf("%s %s %g (math)", a.Expression, op, a.Threshold)
	}
	return fmt.Sprintf("%s %s %g", a.Statistic, op, a.Threshold)
}

// certKind says how an ACM certificate is issued: "ACM, DNS validated".
func certKind(c tfmodel.Certificate) string {
	switch c.Validation {
	case "DNS":
		return "ACM, DNS validated"
	case "EMAIL":
		return "ACM, email validated"
	case "":
		return "ACM, imported"
	}
	return "ACM, " + c.Validation
}

// serviceConnect draws each Service Connect namespace as a node that says
// who serves what and who calls, and an edge from each calling service to
// each service it calls, labelled with the alias it calls. An edge is drawn
// only where the security group rules open the path: an ingress rule on the
// called service's group from the caller's group, and an egress rule on the
// caller's group to the called service's group (or to 0.0.0.0/0), both on
// the port the called service's proxy listens on. Joining the same
// namespace alone draws no edge.
func (b *build) serviceConnect() {
	s, d := b.s, b.d
	var nodes []Node
	for _, ns := range s.Namespaces {
		n := Node{ID: id(ns.Address), Kind: KindNamespace, Title: "Service Connect namespace " + ns.Name, Lines: []string{"AWS Cloud Map HTTP namespace"}, Resources: []string{ns.Address}}
		for _, callee := range s.Services {
			sc := callee.ServiceConnect
			if sc == nil || sc.Namespace != ns.Address {
				continue
			}
			var clients []string
			for _, e := range sc.Serves {
				port, proto := namedPort(s, callee, e.PortName)
				listen := port
				if e.IngressPort > 0 {
					listen = e.IngressPort
				}
				for _, alias := range aliases(e, port) {
					url := fmt.Sprintf("%s%s:%d", scheme(proto), alias.DNSName, alias.Port)
					n.Lines = append(n.Lines, fmt.Sprintf("%s serves %s (port %s)", callee.Name, url, e.PortName))
					for _, caller := range s.Services {
						if caller.Address == callee.Address || caller.ServiceConnect == nil || caller.ServiceConnect.Namespace != ns.Address {
							continue
						}
						if listen > 0 && opens(s, caller, callee, listen) {
							b.add(Edge{From: id(caller.Address), To: id(callee.Address), Label: "Service Connect " + url, Call: true})
							clients = appendUnique(clients, caller.Name)
						}
					}
				}
			}
			if len(clients) > 0 {
				n.Lines = append(n.Lines, fmt.Sprintf("  called by %s", strings.Join(clients, ", ")))
			}
		}
		var members []string
		for _, sv := range s.Services {
			if sv.ServiceConnect != nil && sv.ServiceConnect.Namespace == ns.Address && len(sv.ServiceConnect.Serves) == 0 {
				members = append(members, sv.Name)
			}
		}
		if len(members) > 0 {
			n.Lines = append(n.Lines, "clients only: "+strings.Join(members, ", "))
		}
		nodes = append(nodes, n)
	}
	// The namespaces go below the services and above the endpoints.
	i := len(s.Services)
	d.Services = append(d.Services[:i:i], append(nodes, d.Services[i:]...)...)
}

// namedPort returns the container port of the port mapping name in sv's
// task definition, and its appProtocol.
func namedPort(s *tfmodel.Stack, sv tfmodel.Service, name string) (int, string) {
	td, _ := s.TaskDefinition(sv.TaskDefinition)
	for _, c := range td.Containers {
		if p, ok := c.PortNames[name]; ok {
			return p, c.AppProtocols[name]
		}
	}
	return 0, ""
}

// aliases returns the client aliases of e, or the one ECS uses when none is
// set: the discovery name (else the port name) on the container port.
func aliases(e tfmodel.ServiceConnectService, port int) []tfmodel.ClientAlias {
	var out []tfmodel.ClientAlias
	for _, a := range e.Aliases {
		if a.DNSName == "" {
			a.DNSName = e.DiscoveryName
		}
		if a.DNSName == "" {
			a.DNSName = e.PortName
		}
		out = append(out, a)
	}
	if len(out) == 0 && port > 0 {
		name := e.DiscoveryName
		if name == "" {
			name = e.PortName
		}
		out = append(out, tfmodel.ClientAlias{DNSName: name, Port: port})
	}
	return out
}

func scheme(appProtocol string) string {
	if appProtocol == "" {
		return ""
	}
	return appProtocol + "://"
}

// opens reports whether the security group rules let caller's tasks reach
// callee's on port: ingress on callee's group from caller's, and egress on
// caller's group to callee's or to anywhere.
func opens(s *tfmodel.Stack, caller, callee tfmodel.Service, port int) bool {
	in, out := false, false
	for _, r := range s.SecurityGroupRules {
		if !r.Allows(port) {
			continue
		}
		if r.Ingress && contains(callee.SecurityGroups, r.Group) && contains(caller.SecurityGroups, r.Peer) {
			in = true
		}
		if !r.Ingress && contains(caller.SecurityGroups, r.Group) && (contains(callee.SecurityGroups, r.Peer) || r.CIDR == "0.0.0.0/0") {
			out = true
		}
	}
	return in && out
}

// domain draws each Route 53 hosted zone the stack writes records in: its
// alias records (with an edge to the load balancer they point at) and the
// ACM validation records. A zone the stack looks up is marked as not
// created by it.
func (b *build) domain() {
	s, d := b.s, b.d
	var zones []string
	byZone := map[string][]tfmodel.DNSRecord{}
	for _, r := range s.DNSRecords {
		if _, ok := byZone[r.Zone]; !ok {
			zones = append(zones, r.Zone)
		}
		byZone[r.Zone] = append(byZone[r.Zone], r)
	}
	for _, z := range zones {
		n := Node{ID: id(z), Kind: KindDNS, Title: "Route 53 zone"}
		looked := false
		for _, hz := range s.HostedZones {
			if hz.Address == z {
				n.Title += " " + hz.Name
				looked = true
			}
		}
		if looked {
			n.Lines = append(n.Lines, "looked up, not created by the stack")
		}
		perLB := map[string][]string{}
		var lbs []string
		validation := 0
		for _, r := range byZone[z] {
			n.Resources = append(n.Resources, r.Address)
			switch {
			case r.Alias != "":
				if _, ok := perLB[r.Alias]; !ok {
					lbs = append(lbs, r.Alias)
				}
				perLB[r.Alias] = append(perLB[r.Alias], r.Name)
				n.Lines = append(n.Lines, fmt.Sprintf("%s alias %s → %s", r.Type, r.Name, lbName(s, r.Alias)))
			case r.ForEach || strings.Contains(r.Name, "domain_validation_options"):
				validation++
			default:
				n.Lines = append(n.Lines, fmt.Sprintf("%s %s", r.Type, r.Name))
			}
		}
		if validation > 0 {
			for _, c := range s.Certificates {
				if c.Validation == "DNS" {
					n.Lines = append(n.Lines, "ACM validation record for "+strings.Join(c.Names(), ", "))
				}
			}
		}
		d.DNS = append(d.DNS, n)
		for _, lb := range lbs {
			b.add(Edge{From: n.ID, To: id(lb), Label: fmt.Sprintf("%d alias records", len(perLB[lb])), Dashed: true})
		}
	}
}

func lbName(s *tfmodel.Stack, addr string) string {
	for _, lb := range s.LoadBalancers {
		if lb.Address == addr {
			return strings.ToUpper(map[string]string{"application": "alb", "network": "nlb"}[lb.Type]) + " " + lb.Name
		}
	}
	return addr
}

// Why the picture leaves a resource type out. Every resource of the stack
// is drawn (a node, a zone's subnet box, the VPC box, or a line of one of
// them) or listed in [Diagram.NotDrawn] with one of these reasons.
var notDrawnWhy = map[string]string{
	"aws_route_table":                     "routing is drawn as the tasks' egress arrows (to a NAT gateway, an internet gateway or endpoints), not as boxes",
	"aws_route":                           "routing is drawn as the tasks' egress arrows (to a NAT gateway, an internet gateway or endpoints), not as boxes",
	"aws_route_table_association":         "routing is drawn as the tasks' egress arrows (to a NAT gateway, an internet gateway or endpoints), not as boxes",
	"aws_security_group":                  "security groups are drawn as the paths they open (internet → load balancer → target group → tasks, Service Connect calls), not as boxes",
	"aws_vpc_security_group_ingress_rule": "security groups are drawn as the paths they open (internet → load balancer → target group → tasks, Service Connect calls), not as boxes",
	"aws_vpc_security_group_egress_rule":  "security groups are drawn as the paths they open (internet → load balancer → target group → tasks, Service Connect calls), not as boxes",
	"aws_appautoscaling_scheduled_action": "scheduled scaling changes the range over the day; the service shows its autoscaling range, not the schedule",
	"aws_eip":                             "an Elastic IP that no NAT gateway of the picture uses",
	"aws_ssm_parameter":                   "an SSM parameter holds a value for other programs to read (the examples publish the service's URL), not a part of the request path",
}

// notDrawn lists every resource of the stack that nothing in the picture
// depicts, grouped by reason; a type without a reason is listed as such.
func (b *build) notDrawn() {
	s, d := b.s, b.d
	drawn := map[string]bool{}
	for _, r := range d.VPCResources {
		drawn[r] = true
	}
	for _, n := range d.Nodes() {
		for _, r := range n.Resources {
			drawn[r] = true
		}
	}
	for _, z := range d.Zones {
		for _, r := range z.Resources {
			drawn[r] = true
		}
	}
	byWhy := map[string][]string{}
	var order []string
	for _, addr := range slices.Sorted(maps.Keys(s.Resources)) {
		if drawn[addr] {
			continue
		}
		typ, _, _ := strings.Cut(addr, ".")
		why, ok := notDrawnWhy[typ]
		if !ok {
			why = "the picture does not know the resource type " + typ
		}
		if _, ok := byWhy[why]; !ok {
			order = append(order, why)
		}
		byWhy[why] = append(byWhy[why], addr)
	}
	for _, why := range order {
		d.NotDrawn = append(d.NotDrawn, Omission{Resources: byWhy[why], Why: why})
	}
}

// Nodes returns every node of the diagram.
func (d *Diagram) Nodes() []Node {
	all := append([]Node{d.Internet}, d.DNS...)
	all = append(all, d.Perimeter...)
	for _, z := range d.Zones {
		all = append(all, z.Public...)
		all = append(all, z.Private...)
	}
	all = append(all, d.Services...)
	all = append(all, d.Roles...)
	all = append(all, d.Logs...)
	return append(all, d.Alarms...)
}

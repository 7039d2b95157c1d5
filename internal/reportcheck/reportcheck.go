// Package reportcheck holds the property of the report (architecture
// picture and cost estimate) over one synthesized stack, so that the report
// package's property test and the root tests of the examples (separate
// modules whose cdk.tf.json only the root tests synthesize) assert the same
// thing. It is for tests only.
package reportcheck

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/report"
	"github.com/fargatekit/fargatekit/report/architecture"
	"github.com/fargatekit/fargatekit/report/cost"
	"github.com/fargatekit/fargatekit/report/tfmodel"
)

// Modes are the configuration modes [Reached] reports; a caller that runs
// [Check] over a set of stacks can require each to be reached, since the
// property is only as strong as the modes it ran over.
var Modes = []string{"a pipeline-owned image", "a worker", "alarms to a given topic", "a host rule", "an existing VPC", "VPC endpoints", "Service Connect"}

// Check builds the report of the synthesized stack raw (a cdk.tf.json) of
// the stack name and checks its property: every resource of the JSON is
// drawn or listed as not drawn with a reason, and priced or listed as free
// or not priced with a reason (never for want of knowing its type); the
// drawn routes are exactly the listeners' default actions and rules, each
// reaching the services registered in its target group; the drawn alarm
// destinations are exactly the alarms' actions; the load balancer's
// capacity units count exactly the tasks it reaches; and a stack in the
// existing VPC existingVPCID (empty: the stack creates its VPC) has its VPC
// box name it and its estimate say its egress is not included. It returns
// the report (nil after a fatal error).
func Check(t testing.TB, name string, raw []byte, existingVPCID string) *report.Report {
	t.Helper()
	r, err := report.Build(name, raw, report.Options{})
	if err != nil {
		t.Fatal(err)
		return nil
	}
	checkDrawn(t, r.Stack, r.Diagram)
	checkPriced(t, r.Stack, r.Estimate)
	checkRoutes(t, r.Stack, r.Diagram)
	checkAlarmDestinations(t, r.Stack, r.Diagram)
	checkCapacityUnits(t, r.Stack, r.Estimate)
	checkModes(t, existingVPCID, r.Stack, r.Diagram, r.Estimate)
	return r
}

// Reached are the [Modes] the stack of r has; alarms to a given topic are
// those whose action is the ARN givenTopic.
func Reached(r *report.Report, givenTopic string) []string {
	reached := map[string]bool{}
	for _, sv := range r.Stack.Services {
		if sv.PipelineDeploys {
			reached["a pipeline-owned image"] = true
		}
		if len(sv.TargetGroups) == 0 {
			reached["a worker"] = true
		}
	}
	for _, a := range r.Stack.Alarms {
		if givenTopic != "" && slices.Contains(a.Actions, givenTopic) {
			reached["alarms to a given topic"] = true
		}
	}
	for _, lr := range r.Stack.ListenerRules {
		if len(lr.Hosts) > 0 {
			reached["a host rule"] = true
		}
	}
	if _, ok := r.Stack.ExistingVPC(); ok {
		reached["an existing VPC"] = true
	}
	if len(r.Stack.Endpoints) > 0 {
		reached["VPC endpoints"] = true
	}
	if len(r.Stack.Namespaces) > 0 {
		reached["Service Connect"] = true
	}
	var out []string
	for _, m := range Modes {
		if reached[m] {
			out = append(out, m)
		}
	}
	return out
}

func nodes(d *architecture.Diagram) []architecture.Node { return d.Nodes() }

func checkDrawn(t testing.TB, s *tfmodel.Stack, d *architecture.Diagram) {
	t.Helper()
	seen := map[string]string{}
	for _, r := range d.VPCResources {
		seen[r] = "the VPC box"
	}
	for _, z := range d.Zones {
		for _, r := range z.Resources {
			seen[r] = "zone " + z.Name
		}
	}
	for _, n := range nodes(d) {
		for _, r := range n.Resources {
			seen[r] = "node " + n.ID
		}
	}
	for _, o := range d.NotDrawn {
		if strings.Contains(o.Why, "does not know") {
			t.Errorf("not drawn for want of knowing the type: %v", o.Resources)
		}
		for _, r := range o.Resources {
			if where, ok := seen[r]; ok {
				t.Errorf("%s is drawn (%s) and listed as not drawn", r, where)
			}
			seen[r] = "not drawn"
		}
	}
	for addr := range s.Resources {
		if _, ok := seen[addr]; !ok {
			t.Errorf("%s is neither drawn nor listed as not drawn", addr)
		}
	}
}

func checkPriced(t testing.TB, s *tfmodel.Stack, e *cost.Estimate) {
	t.Helper()
	seen := map[string]bool{}
	for _, l := range e.Lines {
		for _, r := range l.Resources {
			seen[r] = true
		}
	}
	for _, u := range e.Unpriced {
		if u.Why == "" || strings.Contains(u.Why, "does not know") {
			t.Errorf("unpriced without a reason the estimate knows: %v (%q)", u.Resources, u.Why)
		}
		for _, r := range u.Resources {
			if seen[r] {
				t.Errorf("%s has a line and is listed as unpriced", r)
			}
			seen[r] = true
		}
	}
	for addr := range s.Resources {
		if !seen[addr] {
			t.Errorf("%s is neither priced nor listed as free or not priced", addr)
		}
	}
}

// A route is "from → to: label".
func checkRoutes(t testing.TB, s *tfmodel.Stack, d *architecture.Diagram) {
	t.Helper()
	// What the JSON says, read from the listeners and rules themselves.
	var want []string
	for _, l := range s.Listeners {
		lb := idOf(d, l.LoadBalancer)
		if l.TargetGroup != "" {
			want = append(want, fmt.Sprintf("%s → %s: :%d default", lb, idOf(d, l.TargetGroup), l.Port))
		}
		for _, r := range s.ListenerRules {
			if r.Listener == l.Address && r.TargetGroup != "" {
				cond := strings.Join(append(append([]string{}, r.Hosts...), r.Paths...), " ")
				want = append(want, fmt.Sprintf("%s → %s: :%d %s", lb, idOf(d, r.TargetGroup), l.Port, cond))
			}
		}
	}
	for _, sv := range s.Services {
		for _, tg := range sv.TargetGroups {
			want = append(want, fmt.Sprintf("%s → service %s", idOf(d, tg), sv.Address))
		}
	}
	// What the picture draws: load balancer → target group, and target
	// group → the tasks of a service.
	kind := map[string]architecture.Node{}
	for _, n := range nodes(d) {
		kind[n.ID] = n
	}
	var got []string
	for _, e := range d.Edges {
		from, to := kind[e.From], kind[e.To]
		switch {
		case from.Kind == architecture.KindLB && to.Kind == architecture.KindTarget:
			got = append(got, fmt.Sprintf("%s → %s: %s", e.From, e.To, e.Label))
		case from.Kind == architecture.KindTarget && to.Kind == architecture.KindTasks && len(to.Resources) > 0:
			r := fmt.Sprintf("%s → service %s", e.From, to.Resources[0])
			if !slices.Contains(got, r) {
				got = append(got, r)
			}
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if !slices.Equal(want, got) {
		t.Errorf("drawn routes differ from the listeners, rules and target group registrations:\n got %q\nwant %q", got, want)
	}
}

// idOf is the first node that depicts addr (for a service: one of its tasks
// nodes).
func idOf(d *architecture.Diagram, addr string) string {
	for _, n := range nodes(d) {
		if len(n.Resources) > 0 && n.Resources[0] == addr {
			return n.ID
		}
	}
	return "(no node for " + addr + ")"
}

func checkAlarmDestinations(t testing.TB, s *tfmodel.Stack, d *architecture.Diagram) {
	t.Helper()
	drawn := map[string]int{}
	for _, n := range d.Alarms {
		for _, addr := range n.Resources {
			var a tfmodel.Alarm
			for _, x := range s.Alarms {
				if x.Address == addr {
					a = x
				}
			}
			if a.Address == "" {
				continue
			}
			drawn[addr]++
			if !slices.Equal(sorted(a.Actions), sorted(n.Notifies)) {
				t.Errorf("%s notifies %q, its node %s says %q", addr, a.Actions, n.ID, n.Notifies)
			}
		}
		if len(n.Notifies) == 0 && !strings.Contains(n.Title, "no action") {
			t.Errorf("alarms node %s notifies nothing but its title %q does not say so", n.ID, n.Title)
		}
		for _, act := range n.Notifies {
			name := act[strings.LastIndex(act, ":")+1:]
			if tp, ok := s.Topic(act); ok {
				name = tp.Name
			}
			if !strings.Contains(n.Title, "SNS topic "+name) {
				t.Errorf("alarms node %s (%q) does not name its destination %s", n.ID, n.Title, act)
			}
		}
	}
	for _, a := range s.Alarms {
		if drawn[a.Address] != 1 {
			t.Errorf("alarm %s is in %d alarms nodes, want 1", a.Address, drawn[a.Address])
		}
	}
}

func sorted(v []string) []string {
	out := append([]string{}, v...)
	sort.Strings(out)
	return out
}

// The capacity units of each load balancer are those of the tasks of the
// services registered in a target group its listeners forward to.
func checkCapacityUnits(t testing.TB, s *tfmodel.Stack, e *cost.Estimate) {
	t.Helper()
	a := cost.DefaultAssumptions()
	for _, lb := range s.LoadBalancers {
		reached := map[string]bool{}
		for _, l := range s.Listeners {
			if l.LoadBalancer != lb.Address {
				continue
			}
			reached[l.TargetGroup] = true
			for _, r := range s.ListenerRules {
				if r.Listener == l.Address {
					reached[r.TargetGroup] = true
				}
			}
		}
		lo := 0.0
		for _, sv := range s.Services {
			for _, tg := range sv.TargetGroups {
				if tg != "" && reached[tg] {
					n, _, _ := s.Scaling(sv)
					lo += float64(n)
					break
				}
			}
		}
		want := lo * a.LCUPerTask * a.HoursPerMonth
		found := false
		for _, l := range e.Lines {
			if l.Item == lb.Name+" capacity units" {
				found = true
				if math.Abs(l.FloorQuantity-want) > 1e-9 {
					t.Errorf("%s: %g LCU-hours at the floor, want %g (the tasks of the services behind it only)", l.Item, l.FloorQuantity, want)
				}
			}
		}
		if !found {
			t.Errorf("no capacity units line for %s", lb.Address)
		}
	}
}

// checkModes: an existing VPC is named by its id, its egress is not
// included in the estimate for a stated reason, and pipeline-owned images
// are labelled.
func checkModes(t testing.TB, existingVPCID string, s *tfmodel.Stack, d *architecture.Diagram, e *cost.Estimate) {
	t.Helper()
	if id := existingVPCID; id != "" {
		if !strings.Contains(d.VPC, id) || !strings.Contains(d.VPC, "unknown") {
			t.Errorf("the VPC box %q does not name the existing VPC %s and mark what is unknown", d.VPC, id)
		}
		if !strings.Contains(strings.Join(e.NotIncluded, "\n"), "egress of the existing VPC "+id) {
			t.Errorf("the estimate does not say that the egress (NAT gateways) of the existing VPC %s is not included", id)
		}
	}
	for _, sv := range s.Services {
		for _, n := range d.Services {
			if n.Kind == architecture.KindService && n.Resources[0] == sv.Address && sv.PipelineDeploys != strings.Contains(strings.Join(n.Lines, "\n"), "deployed by a pipeline") {
				t.Errorf("service %s: pipeline deploys %v, its node says %q", sv.Name, sv.PipelineDeploys, n.Lines)
			}
		}
	}
}

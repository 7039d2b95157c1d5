// Package review compares two synthesized outputs (for example the main
// branch's cdktf.out and a pull request's) and writes what a reviewer of the
// pull request wants to see: the monthly cost before and after, and the
// resources that are added, changed in place, replaced and destroyed.
//
// Replacement is decided from the attributes that the AWS provider marks
// ForceNew for the resource types fargatekit creates ([ForceNew]). A plan
// (`terraform plan -json`) would be exact but needs the live state and
// credentials, which a pull request check of two synth outputs does not
// have; the table needs neither and says for each replacement which
// attribute forces it. Types outside the table are reported as changed with
// "replacement unknown".
package review

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/fargatekit/fargatekit/report"
	"github.com/fargatekit/fargatekit/report/cost"
)

// With a plan of the new output against the live state (`terraform show
// -json`), [Review.UsePlan] takes the resources from the plan instead.
//
// forceNew lists, per resource type, the arguments whose change makes the
// AWS provider (5.x) destroy and recreate the resource. "*" means every
// argument except those in [updatable]: a task definition or a flow log
// cannot be changed in place at all.
var forceNew = map[string][]string{
	"aws_vpc":                             {"cidr_block", "instance_tenancy"},
	"aws_subnet":                          {"vpc_id", "cidr_block", "availability_zone", "availability_zone_id"},
	"aws_eip":                             {"domain", "address", "network_border_group", "public_ipv4_pool"},
	"aws_nat_gateway":                     {"allocation_id", "subnet_id", "connectivity_type", "private_ip"},
	"aws_route":                           {"route_table_id", "destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"},
	"aws_route_table":                     {"vpc_id"},
	"aws_route_table_association":         {"subnet_id", "gateway_id"},
	"aws_security_group":                  {"name", "name_prefix", "description", "vpc_id"},
	"aws_vpc_security_group_ingress_rule": {"security_group_id"},
	"aws_vpc_security_group_egress_rule":  {"security_group_id"},
	"aws_vpc_endpoint":                    {"vpc_id", "service_name", "vpc_endpoint_type"},
	"aws_lb":                              {"name", "name_prefix", "internal", "load_balancer_type"},
	"aws_lb_listener":                     {"load_balancer_arn"},
	"aws_lb_listener_rule":                {"listener_arn"},
	"aws_lb_target_group":                 {"name", "name_prefix", "port", "protocol", "protocol_version", "target_type", "vpc_id"},
	"aws_ecs_cluster":                     {"name"},
	"aws_ecs_cluster_capacity_providers":  {"cluster_name"},
	"aws_ecs_service":                     {"name", "cluster", "launch_type", "scheduling_strategy", "service_registries"},
	"aws_ecs_task_definition":             {"*"},
	"aws_cloudwatch_log_group":            {"name", "name_prefix", "log_group_class"},
	"aws_iam_role":                        {"name", "name_prefix", "path"},
	"aws_iam_role_policy":                 {"name", "name_prefix", "role"},
	"aws_appautoscaling_target":           {"resource_id", "scalable_dimension", "service_namespace"},
	"aws_appautoscaling_policy":           {"name", "resource_id", "scalable_dimension", "service_namespace"},
	"aws_flow_log":                        {"*"},
	"aws_internet_gateway":                {},
}

// ForceNew returns, per resource type, the arguments whose change makes the
// AWS provider replace the resource (the table the review reads). It is a
// copy: changing it changes no review.
func ForceNew() map[string][]string {
	out := make(map[string][]string, len(forceNew))
	for k, v := range forceNew {
		out[k] = slices.Clone(v)
	}
	return out
}

// updatable are arguments that never force a replacement, also for "*"
// types; lifecycle and depends_on are Terraform's, not the provider's.
var updatable = map[string]bool{"tags": true, "tags_all": true, "skip_destroy": true, "track_latest": true, "lifecycle": true, "depends_on": true}

// Action is what happens to a resource.
type Action string

// Actions, in the order a reviewer reads them.
const (
	Replace Action = "replace"
	Destroy Action = "destroy"
	Add     Action = "add"
	Change  Action = "change in place"
)

// Resource is one resource that differs.
type Resource struct {
	Address string
	Action  Action
	// Changed lists the arguments that differ; Forcing those of them that
	// force the replacement.
	Changed []string
	Forcing []string
	// Unknown is set when the type is not in [ForceNew].
	Unknown bool
}

// Stack is one stack's difference.
type Stack struct {
	Name      string
	Status    string // "added", "removed" or "" (present in both)
	Resources []Resource
	Old, New  *cost.Estimate
	// Mermaid is the new picture (empty for a removed stack).
	Mermaid []byte
	// FromPlan is set when Resources come from a Terraform plan
	// ([Review.UsePlan]) rather than from the ForceNew table.
	FromPlan bool
}

// Review is the comparison of two outputs.
type Review struct {
	OldDir, NewDir string
	Stacks         []Stack
}

// stackDirs returns the stack directories of dir: dir/stacks/* for a cdktf
// output directory, or dir itself when it holds a cdk.tf.json.
func stackDirs(dir string) (map[string]string, error) {
	out := map[string]string{}
	if _, err := os.Stat(filepath.Join(dir, "cdk.tf.json")); err == nil {
		out[filepath.Base(dir)] = dir
		return out, nil
	}
	entries, err := os.ReadDir(filepath.Join(dir, "stacks"))
	if err != nil {
		return nil, fmt.Errorf("%s is neither a cdktf output directory (with stacks/) nor a stack directory (with cdk.tf.json): %w", dir, err)
	}
	for _, e := range entries {
		p := filepath.Join(dir, "stacks", e.Name())
		if _, err := os.Stat(filepath.Join(p, "cdk.tf.json")); err == nil {
			out[e.Name()] = p
		}
	}
	return out, nil
}

// Compare reads both outputs and compares every stack by name.
func Compare(oldDir, newDir string, opts report.Options) (*Review, error) {
	olds, err := stackDirs(oldDir)
	if err != nil {
		return nil, err
	}
	news, err := stackDirs(newDir)
	if err != nil {
		return nil, err
	}
	// A single stack directory on each side is compared whatever its name.
	if len(olds) == 1 && len(news) == 1 {
		for on, od := range olds {
			for nn := range news {
				if on != nn {
					delete(olds, on)
					olds[nn] = od
				}
			}
		}
	}
	r := &Review{OldDir: oldDir, NewDir: newDir}
	for _, name := range unionKeys(olds, news) {
		st := Stack{Name: name}
		oldDoc, before, err := load(olds[name], name, opts)
		if err != nil {
			return nil, fmt.Errorf("old %w", err)
		}
		newDoc, after, err := load(news[name], name, opts)
		if err != nil {
			return nil, fmt.Errorf("new %w", err)
		}
		switch {
		case before == nil:
			st.Status = "added"
		case after == nil:
			st.Status = "removed"
		}
		if before != nil {
			st.Old = before.Estimate
		}
		if after != nil {
			st.New = after.Estimate
			st.Mermaid = after.Diagram.Mermaid()
		}
		if st.Resources, err = diff(oldDoc, newDoc); err != nil {
			return nil, fmt.Errorf("stack %s: %w", name, err)
		}
		r.Stacks = append(r.Stacks, st)
	}
	return r, nil
}

// load reads and reports on the stack in dir; an empty dir (the stack is
// not on this side) gives nothing.
func load(dir, name string, opts report.Options) ([]byte, *report.Report, error) {
	if dir == "" {
		return nil, nil, nil
	}
	doc, err := os.ReadFile(filepath.Join(dir, "cdk.tf.json"))
	if err != nil {
		return nil, nil, err
	}
	rep, err := report.Build(name, doc, opts)
	if err != nil {
		return nil, nil, err
	}
	return doc, rep, nil
}

// resources returns every resource's arguments by address, without cdktf's
// "//" metadata.
func resources(doc []byte) (map[string]map[string]any, error) {
	out := map[string]map[string]any{}
	if doc == nil {
		return out, nil
	}
	var d struct {
		Resource map[string]map[string]map[string]any `json:"resource"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	for typ, byName := range d.Resource {
		for name, args := range byName {
			delete(args, "//")
			out[typ+"."+name] = args
		}
	}
	return out, nil
}

func diff(oldDoc, newDoc []byte) ([]Resource, error) {
	olds, err := resources(oldDoc)
	if err != nil {
		return nil, err
	}
	news, err := resources(newDoc)
	if err != nil {
		return nil, err
	}
	var out []Resource
	for addr, n := range news {
		o, ok := olds[addr]
		if !ok {
			out = append(out, Resource{Address: addr, Action: Add})
			continue
		}
		changed := differing(o, n)
		if len(changed) == 0 {
			continue
		}
		res := Resource{Address: addr, Action: Change, Changed: changed}
		typ, _, _ := strings.Cut(addr, ".")
		replacing, known := forceNew[typ]
		res.Unknown = !known
		for _, c := range changed {
			if updatable[c] {
				continue
			}
			if contains(replacing, "*") || contains(replacing, c) {
				res.Forcing = append(res.Forcing, c)
			}
		}
		if len(res.Forcing) > 0 {
			res.Action = Replace
		}
		out = append(out, res)
	}
	for addr := range olds {
		if _, ok := news[addr]; !ok {
			out = append(out, Resource{Address: addr, Action: Destroy})
		}
	}
	sortResources(out)
	return out, nil
}

// differing returns the keys whose values differ between two objects,
// sorted.
func differing(o, n map[string]any) []string {
	var changed []string
	for _, k := range unionKeys(o, n) {
		if !reflect.DeepEqual(o[k], n[k]) {
			changed = append(changed, k)
		}
	}
	return changed
}

// unionKeys returns the keys of a and b, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	set := map[string]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sortResources orders replacements and destructions first: what a
// reviewer must look at.
func sortResources(out []Resource) {
	rank := map[Action]int{Replace: 0, Destroy: 1, Add: 2, Change: 3}
	sort.Slice(out, func(i, j int) bool {
		if rank[out[i].Action] != rank[out[j].Action] {
			return rank[out[i].Action] < rank[out[j].Action]
		}
		return out[i].Address < out[j].Address
	})
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Markdown renders the review as a pull request comment.
func (r *Review) Markdown() []byte {
	var b bytes.Buffer
	b.WriteString("## fargatekit review\n\n")
	fmt.Fprintf(&b, "Compared `%s` (before) with `%s` (after).\n\n", r.OldDir, r.NewDir)
	b.WriteString("### Monthly cost\n\n| Stack | Floor before | Floor after | Δ floor | Ceiling before | Ceiling after | Δ ceiling |\n|---|--:|--:|--:|--:|--:|--:|\n")
	var tfb, tfa, tcb, tca float64
	for _, s := range r.Stacks {
		fb, fa, cb, ca := totals(s)
		tfb, tfa, tcb, tca = tfb+fb, tfa+fa, tcb+cb, tca+ca
		name := s.Name
		if s.Status != "" {
			name += " (" + s.Status + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", name, cost.Money(fb), cost.Money(fa), delta(fa-fb), cost.Money(cb), cost.Money(ca), delta(ca-cb))
	}
	if len(r.Stacks) > 1 {
		fmt.Fprintf(&b, "| **all stacks** | %s | %s | **%s** | %s | %s | **%s** |\n", cost.Money(tfb), cost.Money(tfa), delta(tfa-tfb), cost.Money(tcb), cost.Money(tca), delta(tca-tcb))
	}
	for _, s := range r.Stacks {
		lines := lineDeltas(s)
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n<details><summary>%s: cost lines that changed</summary>\n\n| Line | Floor before → after | Ceiling before → after |\n|---|--:|--:|\n", s.Name)
		for _, l := range lines {
			b.WriteString(l)
		}
		b.WriteString("\n</details>\n")
	}
	b.WriteString("\n### Resources\n")
	for _, s := range r.Stacks {
		counts := map[Action]int{}
		for _, res := range s.Resources {
			counts[res.Action]++
		}
		source := ""
		if s.FromPlan {
			source = " (from the Terraform plan)"
		}
		fmt.Fprintf(&b, "\n**%s**%s: %d to add, %d to change in place, %d to replace, %d to destroy\n", s.Name, source, counts[Add], counts[Change], counts[Replace], counts[Destroy])
		if len(s.Resources) == 0 {
			continue
		}
		b.WriteString("\n| Action | Address | Arguments |\n|---|---|---|\n")
		for _, res := range s.Resources {
			action := string(res.Action)
			switch res.Action {
			case Replace, Destroy:
				action = "**" + action + "**"
			}
			var args []string
			for _, c := range res.Changed {
				if contains(res.Forcing, c) {
					c += " (forces replacement)"
				}
				args = append(args, c)
			}
			note := strings.Join(args, ", ")
			if res.Unknown && res.Action == Change {
				note += "; replacement unknown: the type is not in the ForceNew table"
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s |\n", action, res.Address, note)
		}
	}
	if r.anyPredicted() {
		b.WriteString("\nWithout a plan, replacement is read from the AWS provider's ForceNew arguments (report/review.ForceNew); `terraform plan` against the live state is the final word.\n")
	}
	for _, s := range r.Stacks {
		if len(s.Mermaid) == 0 || len(s.Resources) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n<details><summary>%s: architecture after this change</summary>\n\n```mermaid\n%s```\n\n</details>\n", s.Name, s.Mermaid)
	}
	return b.Bytes()
}

func (r *Review) anyPredicted() bool {
	for _, s := range r.Stacks {
		if !s.FromPlan && len(s.Resources) > 0 {
			return true
		}
	}
	return false
}

func totals(s Stack) (fb, fa, cb, ca float64) {
	if s.Old != nil {
		fb, cb = s.Old.Floor, s.Old.Ceiling
	}
	if s.New != nil {
		fa, ca = s.New.Floor, s.New.Ceiling
	}
	return
}

func delta(v float64) string {
	switch m := cost.Money(v); {
	case m == "$0.00" || m == "-$0.00":
		return "±$0.00"
	case v > 0:
		return "+" + m
	default:
		return m
	}
}

// lineDeltas lists the cost lines whose amount changed, by item.
func lineDeltas(s Stack) []string {
	type pair struct{ fb, fa, cb, ca float64 }
	m := map[string]*pair{}
	var order []string
	get := func(k string) *pair {
		if p, ok := m[k]; ok {
			return p
		}
		m[k] = &pair{}
		order = append(order, k)
		return m[k]
	}
	if s.Old != nil {
		for _, l := range s.Old.Lines {
			p := get(l.Group + ": " + l.Item)
			p.fb, p.cb = p.fb+l.Floor, p.cb+l.Ceiling
		}
	}
	if s.New != nil {
		for _, l := range s.New.Lines {
			p := get(l.Group + ": " + l.Item)
			p.fa, p.ca = p.fa+l.Floor, p.ca+l.Ceiling
		}
	}
	var out []string
	for _, k := range order {
		p := m[k]
		if cost.Money(p.fa-p.fb) == "$0.00" && cost.Money(p.ca-p.cb) == "$0.00" || cost.Money(p.fa-p.fb) == "-$0.00" {
			continue
		}
		out = append(out, fmt.Sprintf("| %s | %s → %s (%s) | %s → %s (%s) |\n", k, cost.Money(p.fb), cost.Money(p.fa), delta(p.fa-p.fb), cost.Money(p.cb), cost.Money(p.ca), delta(p.ca-p.cb)))
	}
	return out
}

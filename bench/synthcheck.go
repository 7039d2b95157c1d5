package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// readSynth reads every stacks/*/cdk.tf.json under out and returns how many
// blocks of each "resource.TYPE" and "data.TYPE" they declare, plus the
// documents re-encoded without the "//" construct metadata (canonical: keys
// sorted), for an exact comparison between programs.
func readSynth(out string) (map[string]int, []byte, error) {
	files, err := filepath.Glob(filepath.Join(out, "stacks", "*", "cdk.tf.json"))
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("no stacks/*/cdk.tf.json under %s: the program did not synthesize", out)
	}
	sort.Strings(files)
	counts := map[string]int{}
	var docs []any
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", f, err)
		}
		for _, section := range []string{"resource", "data"} {
			types, _ := doc[section].(map[string]any)
			for typ, blocks := range types {
				if m, ok := blocks.(map[string]any); ok {
					counts[section+"."+typ] += len(m)
				}
			}
		}
		docs = append(docs, stripMetadata(doc))
	}
	canon, err := json.Marshal(docs)
	return counts, canon, err
}

func stripMetadata(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if k == "//" {
				continue
			}
			out[k] = stripMetadata(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = stripMetadata(x)
		}
		return out
	default:
		return v
	}
}

// expectedCounts is the benchmark stack's shape for n services (see
// bench/README.md): shared network, ALB and cluster, then 13 resources per
// service, plus one listener rule each when n > 1.
func expectedCounts(n int) map[string]int {
	return expectedFor("", n)
}

// expectedFor is the shape program synthesizes for n services. The js and
// plaingo programs have the shape of expectedCounts; the library differs by
// its own design (see bench/README.md):
//
//   - the ALB's security group gets an egress rule to each service's tasks
//     (the library does not leave the ALB's egress open): n more egress rules;
//   - the listener forwards to the first service's target group by default
//     and each further service gets a path rule from AddTarget: n-1 listener
//     rules instead of n (and none at n = 1, like the others).
func expectedFor(program string, n int) map[string]int {
	c := map[string]int{
		"data.aws_availability_zones":                  1,
		"data.aws_caller_identity":                     1,
		"data.aws_partition":                           1,
		"resource.aws_vpc":                             1,
		"resource.aws_internet_gateway":                1,
		"resource.aws_subnet":                          4,
		"resource.aws_route_table":                     3,
		"resource.aws_route":                           3,
		"resource.aws_route_table_association":         4,
		"resource.aws_eip":                             2,
		"resource.aws_nat_gateway":                     2,
		"resource.aws_security_group":                  1 + n,
		"resource.aws_vpc_security_group_ingress_rule": 1 + n,
		"resource.aws_vpc_security_group_egress_rule":  n,
		"resource.aws_lb":                              1,
		"resource.aws_lb_listener":                     1,
		"resource.aws_ecs_cluster":                     1,
		"resource.aws_ecs_cluster_capacity_providers":  1,
		"resource.aws_lb_target_group":                 n,
		"resource.aws_cloudwatch_log_group":            n,
		"resource.aws_iam_role":                        2 * n,
		"resource.aws_iam_role_policy":                 n,
		"resource.aws_ecs_task_definition":             n,
		"resource.aws_ecs_service":                     n,
		"resource.aws_appautoscaling_target":           n,
		"resource.aws_appautoscaling_policy":           n,
	}
	if n > 1 {
		c["resource.aws_lb_listener_rule"] = n
	}
	if program == "library" {
		c["resource.aws_vpc_security_group_egress_rule"] = 2 * n
		if n > 1 {
			c["resource.aws_lb_listener_rule"] = n - 1
		}
	}
	return c
}

// diffCounts describes how got differs from want, or returns "".
func diffCounts(want, got map[string]int) string {
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var diffs []string
	for _, k := range sorted {
		if want[k] != got[k] {
			diffs = append(diffs, fmt.Sprintf("%s %d vs %d", k, want[k], got[k]))
		}
	}
	return strings.Join(diffs, ", ")
}

func total(counts map[string]int, prefix string) int {
	t := 0
	for k, v := range counts {
		if strings.HasPrefix(k, prefix) {
			t += v
		}
	}
	return t
}

// checkSynth compares, for each N, every program's resource and data type
// counts with its expected shape (expectedFor) and with the first program's
// of the same expected shape, and returns warnings for mismatches.
func checkSynth(active []*program, ns []int, cells map[string]map[int]*cell) []string {
	var warnings []string
	for _, n := range ns {
		refs := map[string]*program{} // by expected shape
		for _, p := range active {
			c := cells[p.Name][n]
			if c.Counts == nil {
				continue
			}
			want := expectedFor(p.Base, n)
			if d := diffCounts(want, c.Counts); d != "" {
				warnings = append(warnings, fmt.Sprintf("N=%d: %s's resource counts differ from the expected stack (expected vs got): %s", n, p.Name, d))
			}
			shape := fmt.Sprint(want)
			ref := refs[shape]
			if ref == nil {
				refs[shape] = p
				continue
			}
			if d := diffCounts(cells[ref.Name][n].Counts, c.Counts); d != "" {
				warnings = append(warnings, fmt.Sprintf("N=%d: resource type counts differ between %s and %s (%s vs %s): %s", n, ref.Name, p.Name, ref.Name, p.Name, d))
			}
		}
	}
	return warnings
}

// synthSummary says, per N, how many resources each program synthesized and
// whether its document is identical to the first program's.
func synthSummary(active []*program, ns []int, cells map[string]map[int]*cell) []string {
	var lines []string
	for _, n := range ns {
		var ref *program
		baseRun := map[string]*program{} // first run of each program, by Base
		var parts []string
		for _, p := range active {
			c := cells[p.Name][n]
			if c.Counts == nil {
				parts = append(parts, p.Name+": no output")
				continue
			}
			s := fmt.Sprintf("%s: %d resources + %d data sources", p.Name, total(c.Counts, "resource."), total(c.Counts, "data."))
			// A variant is compared with its own program, the rest with
			// the first program.
			cmp := ref
			if base := baseRun[p.Base]; base != nil {
				cmp = base
			}
			if ref == nil {
				ref = p
			} else if string(c.Doc) == string(cells[cmp.Name][n].Doc) {
				s += fmt.Sprintf(" (identical to %s's, ignoring \"//\" metadata)", cmp.Name)
			} else {
				s += fmt.Sprintf(" (content differs from %s's)", cmp.Name)
			}
			if baseRun[p.Base] == nil {
				baseRun[p.Base] = p
			}
			parts = append(parts, s)
		}
		lines = append(lines, fmt.Sprintf("N=%d: %s", n, strings.Join(parts, "; ")))
	}
	return lines
}

package review

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// plan is the part of `terraform show -json PLANFILE` that the review reads
// (the JSON output format, format_version 1.x): each resource's planned
// actions and, for a replacement, the attribute paths that force it.
type plan struct {
	FormatVersion   string `json:"format_version"`
	ResourceChanges []struct {
		Address string `json:"address"`
		Mode    string `json:"mode"`
		Change  struct {
			Actions      []string `json:"actions"`
			ReplacePaths [][]any  `json:"replace_paths"`
			Before       any      `json:"before"`
			After        any      `json:"after"`
		} `json:"change"`
	} `json:"resource_changes"`
}

// UsePlan replaces the resources of stack, which the ForceNew table
// predicted, with what a Terraform plan of it says: exact, because the plan
// was made against the live state. planJSON is the output of
// `terraform show -json PLANFILE`.
func (r *Review) UsePlan(stack string, planJSON []byte) error {
	var p plan
	if err := json.Unmarshal(planJSON, &p); err != nil {
		return fmt.Errorf("plan for stack %s is not `terraform show -json` output: %w", stack, err)
	}
	if !strings.HasPrefix(p.FormatVersion, "1.") {
		return fmt.Errorf("plan for stack %s: format_version %q, want 1.x (terraform show -json PLANFILE)", stack, p.FormatVersion)
	}
	var out []Resource
	for _, rc := range p.ResourceChanges {
		if rc.Mode == "data" {
			continue
		}
		res := Resource{Address: rc.Address}
		switch strings.Join(rc.Change.Actions, ",") {
		case "create":
			res.Action = Add
		case "update":
			res.Action = Change
		case "delete":
			res.Action = Destroy
		case "delete,create", "create,delete":
			res.Action = Replace
			for _, path := range rc.Change.ReplacePaths {
				if len(path) > 0 {
					res.Forcing = appendUnique(res.Forcing, fmt.Sprint(path[0]))
				}
			}
		default: // no-op, read
			continue
		}
		res.Changed = changedKeys(rc.Change.Before, rc.Change.After)
		for _, f := range res.Forcing {
			res.Changed = appendUnique(res.Changed, f)
		}
		sort.Strings(res.Changed)
		out = append(out, res)
	}
	sortResources(out)
	for i := range r.Stacks {
		if r.Stacks[i].Name == stack {
			r.Stacks[i].Resources = out
			r.Stacks[i].FromPlan = true
			return nil
		}
	}
	return fmt.Errorf("plan for stack %s: the new output has no stack %s", stack, stack)
}

// changedKeys lists the top-level attributes that differ between a plan's
// before and after objects (none for a create or a delete).
func changedKeys(before, after any) []string {
	b, ok1 := before.(map[string]any)
	a, ok2 := after.(map[string]any)
	if !ok1 || !ok2 {
		return nil
	}
	return differing(b, a)
}

func appendUnique(list []string, v string) []string {
	if contains(list, v) {
		return list
	}
	return append(list, v)
}

package container

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fargatekit/fargatekit/internal/verify"
)

// Condition is what a container waits for in another container of its task
// before it starts (ECS's ContainerDependency condition). Shutdown runs in the
// reverse order. On Fargate container dependencies need platform version
// 1.3.0 or later; the service runs on LATEST (1.4.0).
type Condition string

// The conditions ECS knows.
const (
	// Start waits until the other container has started. It is what an empty
	// Condition means.
	Start Condition = "START"
	// Complete waits until the other container has exited, whatever its exit
	// code. ECS refuses it on an essential container (its exit would stop the
	// task), so the other container must be NonEssential.
	Complete Condition = "COMPLETE"
	// Success waits until the other container has exited with status 0: the
	// condition for an init container such as a database migration. Like
	// Complete, only on a NonEssential container.
	Success Condition = "SUCCESS"
	// Healthy waits until the other container's HealthCheck passes; it needs
	// one, and is confirmed only at task start.
	Healthy Condition = "HEALTHY"
)

// conditions lists the valid conditions in ECS's order.
var conditions = []Condition{Start, Complete, Success, Healthy}

// Conditions returns the valid conditions in ECS's order. It is a copy: changing it changes no check.
func Conditions() []Condition { return slices.Clone(conditions) }

// Dependency is one entry of [Definition.DependsOn]: this container starts
// only when the container named Container has reached Condition.
type Dependency struct {
	// Container is the Name of another container of the same task.
	Container string
	// Condition to wait for; if empty, Start.
	Condition Condition
}

func (d Dependency) condition() Condition {
	if d.Condition == "" {
		return Start
	}
	return d.Condition
}

type jsonDependency struct {
	Condition     Condition `json:"condition"`
	ContainerName string    `json:"containerName"`
}

// dependsOnJSON renders deps in the order given (ECS keeps it), with the
// condition always written so that the plan after apply shows no change.
func dependsOnJSON(deps []Dependency) []jsonDependency {
	var out []jsonDependency
	for _, d := range deps {
		out = append(out, jsonDependency{Condition: d.condition(), ContainerName: d.Container})
	}
	return out
}

// checkDependsOn records a problem for every DependsOn entry that ECS would
// refuse or that could never be satisfied: an unknown condition, a name that
// is not a container of the task, the container itself, the same container
// twice, HEALTHY on a container without a HealthCheck, COMPLETE or SUCCESS
// on an essential container, and cycles (named, e.g. "a -> b -> a").
func checkDependsOn(c *verify.Checker, field string, defs []Definition) {
	byName := map[string]int{}
	for i, d := range defs {
		if _, dup := byName[d.Name]; !dup {
			byName[d.Name] = i
		}
	}
	// edges[i] lists the indexes of the containers that defs[i] waits for.
	edges := make([][]int, len(defs))
	for i, d := range defs {
		seen := map[string]bool{}
		for j, dep := range d.DependsOn {
			f := fmt.Sprintf("%s[%d].DependsOn[%d]", field, i, j)
			if !slices.Contains(conditions, dep.condition()) {
				c.Add(f+".Condition", string(dep.Condition), "must be one of START (the default when empty), COMPLETE, SUCCESS or HEALTHY")
			}
			k, known := byName[dep.Container]
			switch {
			case dep.Container == "":
				c.Add(f+".Container", dep.Container, "is required: the Name of another container of this task")
				continue
			case dep.Container == d.Name:
				c.Add(f+".Container", dep.Container, "is the container itself: a container cannot wait for itself")
				continue
			case !known:
				c.Add(f+".Container", dep.Container, "names no container of this task (containers: %s)", strings.Join(names(defs), ", "))
				continue
			case seen[dep.Container]:
				c.Add(f+".Container", dep.Container, "is listed twice: give each container one condition")
				continue
			}
			seen[dep.Container] = true
			edges[i] = append(edges[i], k)
			target := defs[k]
			switch dep.condition() {
			case Healthy:
				if target.HealthCheck == nil {
					c.Add(f+".Condition", string(Healthy), "container %q has no HealthCheck, so it never becomes healthy: give it one or wait for START", dep.Container)
				}
			case Complete, Success:
				if !target.NonEssential {
					c.Add(f+".Condition", string(dep.condition()), "container %q is essential, and ECS refuses %s on an essential container (its exit would stop the task): make it NonEssential", dep.Container, dep.condition())
				}
			}
		}
	}
	for _, cycle := range cycles(edges) {
		path := make([]string, 0, len(cycle)+1)
		for _, i := range cycle {
			path = append(path, defs[i].Name)
		}
		path = append(path, defs[cycle[0]].Name)
		c.Add(fmt.Sprintf("%s[%d].DependsOn", field, cycle[0]), strings.Join(path, " -> "), "is a cycle: these containers wait for each other and the task never starts")
	}
}

func names(defs []Definition) []string {
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = d.Name
	}
	return out
}

// cycles returns each cycle of the graph once, starting at its lowest index,
// found by depth-first search in index order.
func cycles(edges [][]int) [][]int {
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(edges))
	var stack []int
	var out [][]int
	reported := map[string]bool{}
	var visit func(int)
	visit = func(n int) {
		color[n] = grey
		stack = append(stack, n)
		for _, m := range edges[n] {
			switch color[m] {
			case white:
				visit(m)
			case grey:
				at := slices.Index(stack, m)
				cyc := slices.Clone(stack[at:])
				// Rotate so that the lowest index comes first: one report
				// per cycle, whatever node the search entered it from.
				low := slices.Index(cyc, slices.Min(cyc))
				cyc = append(cyc[low:], cyc[:low]...)
				if key := fmt.Sprint(cyc); !reported[key] {
					reported[key] = true
					out = append(out, cyc)
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[n] = black
	}
	for n := range edges {
		if color[n] == white {
			visit(n)
		}
	}
	return out
}

// Package propcheck holds the error every fargatekit constructor returns when
// it refuses its props: an [*Error] that lists every [Problem] at once, each
// naming the field, echoing the bad value and stating what is allowed. A
// constructor that returns one has created nothing.
package propcheck

import (
	"fmt"
	"strconv"
	"strings"
)

// Problem is one invalid prop.
type Problem struct {
	// Field is the path of the prop, as the user wrote it: "Service.CPU",
	// "Containers[0].PortMappings[1].ContainerPort".
	Field string
	// Value is the value that was given.
	Value any
	// Rule says what is allowed.
	Rule string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s = %s: %s", p.Field, formatValue(p.Value), p.Rule)
}

func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case nil:
		return "<nil>"
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	default:
		return fmt.Sprintf("%v", x)
	}
}

// Error is returned by a constructor whose props are invalid. It lists every
// problem found; nothing was created.
type Error struct {
	// Construct names the constructor, e.g. "service.New".
	Construct string
	// Problems holds one entry per invalid prop, in the order they were found.
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	if len(e.Problems) == 1 {
		fmt.Fprintf(&b, "%s: invalid props: %s", e.Construct, e.Problems[0])
		return b.String()
	}
	fmt.Fprintf(&b, "%s: %d invalid props:", e.Construct, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Fields returns the Field of every problem, for tests and tooling.
func (e *Error) Fields() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Field
	}
	return out
}

// ValueString is the problem's value as the message shows it: strings
// quoted, lists bracketed.
func (p Problem) ValueString() string { return formatValue(p.Value) }

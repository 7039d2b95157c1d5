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
	// Field is the Go path of the prop in the props value the user passed
	// to the constructor: "CPU", "Containers[0].PortMappings[1].ContainerPort"
	// for service.New; "ServiceProps.CPU" for albservice.New. A problem with
	// a constructor's other arguments is on "id" or "scope".
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
// problem found; nothing was created. Like *os.PathError, it says which call
// failed (Op) on what (Path); errors.As gets at it:
//
//	albservice.New(web/Admin): 2 invalid props:
//	  - ServiceProps.CPU = 300: must be one of the Fargate task sizes ...
//	  - NetworkProps.CIDR = "10.0.0.0/33": must be an IPv4 CIDR block ...
type Error struct {
	// Op is the constructor that refused, e.g. "albservice.New". A
	// Validate function reports the constructor it checks for.
	Op string
	// Path is the construct path the constructor was asked to create: the
	// scope's path and the id, e.g. "web/Admin" (a stack "web", a pattern
	// "Admin"). It is the id alone where there is no scope yet (Validate
	// functions that take one), the stack name for stacks.New, and empty
	// where neither is known.
	Path string
	// Problems holds one entry per invalid prop, in the order they were found.
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Path != "" {
		fmt.Fprintf(&b, "(%s)", e.Path)
	}
	if len(e.Problems) == 1 {
		fmt.Fprintf(&b, ": invalid props: %s", e.Problems[0])
		return b.String()
	}
	fmt.Fprintf(&b, ": %d invalid props:", len(e.Problems))
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

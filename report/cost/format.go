package cost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// JSON returns the estimate as indented JSON. Amounts are rounded to a
// hundredth of a cent, quantities to four decimals.
func (e *Estimate) JSON() ([]byte, error) {
	out := *e
	out.Floor, out.Ceiling = round(e.Floor, 4), round(e.Ceiling, 4)
	out.Lines = make([]Line, len(e.Lines))
	for i, l := range e.Lines {
		l.Floor, l.Ceiling = round(l.Floor, 4), round(l.Ceiling, 4)
		l.FloorQuantity, l.CeilingQuantity = round(l.FloorQuantity, 4), round(l.CeilingQuantity, 4)
		out.Lines[i] = l
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// Money formats an amount as $1,234.56.
func Money(v float64) string {
	neg := v < 0
	s := strconv.FormatFloat(math.Abs(v), 'f', 2, 64)
	intPart, frac := s[:len(s)-3], s[len(s)-3:]
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	sign := ""
	if neg && s != "0.00" {
		sign = "-"
	}
	return sign + "$" + b.String() + frac
}

func qty(v float64) string {
	return strconv.FormatFloat(round(v, 2), 'f', -1, 64)
}

func price(v float64) string {
	return "$" + strconv.FormatFloat(v, 'f', -1, 64)
}

// Markdown returns the estimate as a Markdown document: totals, one table
// row per line, the assumptions, what is left out and the price sources.
func (e *Estimate) Markdown() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Monthly cost estimate: %s (%s)\n\n", e.Stack, e.Region)
	fmt.Fprintf(&b, "**Floor %s** per month at minimum capacity, **ceiling %s** at maximum capacity (%s, %g hours a month, prices read %s).\n\n",
		Money(e.Floor), Money(e.Ceiling), e.Currency, e.Assumptions.HoursPerMonth, e.PricesRead)
	b.WriteString("| Group | Line | Floor quantity | Ceiling quantity | Unit price | Floor / month | Ceiling / month | Basis |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|---|\n")
	for _, l := range e.Lines {
		fmt.Fprintf(&b, "| %s | %s | %s %s | %s %s | %s | %s | %s | %s |\n",
			l.Group, cell(l.Item), qty(l.FloorQuantity), l.Unit, qty(l.CeilingQuantity), l.Unit,
			price(l.UnitPrice), Money(l.Floor), Money(l.Ceiling), cell(l.Basis))
	}
	fmt.Fprintf(&b, "| **Total** | | | | | **%s** | **%s** | |\n\n", Money(e.Floor), Money(e.Ceiling))

	b.WriteString("## By group\n\n| Group | Floor / month | Ceiling / month |\n|---|--:|--:|\n")
	for _, g := range e.Groups() {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", g.Group, Money(g.Floor), Money(g.Ceiling))
	}

	b.WriteString("\n## Assumptions\n\nUsage the configuration cannot tell; change them with `cost.Assumptions` (`report.Options.Assumptions`).\n\n| Field | Value |\n|---|--:|\n")
	a := e.Assumptions
	for _, kv := range []struct {
		k string
		v float64
	}{
		{"HoursPerMonth", a.HoursPerMonth},
		{"NATGBPerTaskMonth", a.NATGBPerTaskMonth},
		{"EndpointGBPerTaskMonth", a.EndpointGBPerTaskMonth},
		{"LCUPerTask", a.LCUPerTask},
		{"LogGBPerTaskMonth", a.LogGBPerTaskMonth},
		{"FlowLogGBPerTaskMonth", a.FlowLogGBPerTaskMonth},
		{"ContainerInsightsClusterMetrics", a.ContainerInsightsClusterMetrics},
		{"ContainerInsightsServiceMetrics", a.ContainerInsightsServiceMetrics},
		{"ContainerInsightsGBPerTaskMonth", a.ContainerInsightsGBPerTaskMonth},
		{"NeverExpireMonths", a.NeverExpireMonths},
		{"AlarmNotificationsPerMonth", a.AlarmNotificationsPerMonth},
	} {
		fmt.Fprintf(&b, "| %s | %s |\n", kv.k, qty(kv.v))
	}
	b.WriteString("\n## Not included\n\n")
	for _, n := range e.NotIncluded {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	b.WriteString("\n## Resources without a line\n\n")
	b.WriteString("Every resource of the stack is in a line above or here (cost.json lists each address).\n\n")
	for _, u := range e.Unpriced {
		kind := "not priced"
		if u.Free {
			kind = "free"
		}
		fmt.Fprintf(&b, "- %s: %s: %s\n", kind, countTypes(u.Resources), u.Why)
	}
	fmt.Fprintf(&b, "\n## Price sources (%s, read %s)\n\n", e.Region, e.PricesRead)
	for _, s := range e.Sources {
		fmt.Fprintf(&b, "- %s: %s (%s)\n", s.Covers, s.URL, s.Via)
	}
	return b.Bytes()
}

// GroupTotal is the monthly total of one group of lines.
type GroupTotal struct {
	Group          string
	Floor, Ceiling float64
}

// Groups returns the total of each group, in the order the groups first
// appear.
func (e *Estimate) Groups() []GroupTotal {
	var out []GroupTotal
	idx := map[string]int{}
	for _, l := range e.Lines {
		i, ok := idx[l.Group]
		if !ok {
			i = len(out)
			idx[l.Group] = i
			out = append(out, GroupTotal{Group: l.Group})
		}
		out[i].Floor += l.Floor
		out[i].Ceiling += l.Ceiling
	}
	return out
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// countTypes writes addresses as their types with counts, in order of first
// appearance: "aws_iam_role ×2, aws_iam_role_policy".
func countTypes(addrs []string) string {
	n := map[string]int{}
	var order []string
	for _, a := range addrs {
		typ, _, _ := strings.Cut(a, ".")
		if n[typ] == 0 {
			order = append(order, typ)
		}
		n[typ]++
	}
	var out []string
	for _, t := range order {
		if n[t] > 1 {
			out = append(out, fmt.Sprintf("%s ×%d", t, n[t]))
		} else {
			out = append(out, t)
		}
	}
	return strings.Join(out, ", ")
}

package architecture

import (
	"bytes"
	"fmt"
	"math"
	"strings"
)

// The SVG is laid out by this package, on a fixed grid of columns that
// follows the diagram's structure (internet, VPC edge, private subnets,
// public subnets, services, IAM, logs) with zones as horizontal bands. It
// needs no Graphviz: github.com/goccy/go-graphviz compiles a 1.5 MB
// WebAssembly module in its package initializer, which costs every program
// that imports it 0.1–0.2 s at start with a warm compilation cache (that it
// writes to $TMPDIR/go-graphviz) and 1.5–3 s without one, more than the 10 %
// of `go run .` that this report may add (docs/cost-and-architecture.md).

const (
	fontSize  = 11.0
	charWidth = 6.7 // monospace advance at fontSize
	titleLine = 16.0
	textLine  = 14.0
	nodePad   = 8.0
	nodeGap   = 14.0
	colGap    = 56.0
	top       = 64.0
	boxHeader = 20.0
	outerPad  = 24.0
)

type column struct {
	x, w float64
}

type placed struct {
	n          Node
	col        int
	x, y, w, h float64
	lines      []string
}

type rect struct {
	x, y, w, h float64
	label      string
	class      string
}

// SVG renders the diagram as a standalone SVG document.
func (d *Diagram) SVG() []byte {
	widths := []float64{110, 250, 210, 210, 290, 290, 230}
	// The gaps before IAM and the logs are wider: their arrows carry the
	// roles' names and actions.
	gaps := []float64{0, colGap, colGap, colGap, colGap, 150, 190}
	cols := make([]column, len(widths))
	x := outerPad
	for i, w := range widths {
		x += gaps[i]
		cols[i] = column{x: x, w: w}
		x += w
	}
	width := x + outerPad
	nodes := map[string]*placed{}
	var order []*placed
	var boxes []rect
	place := func(n Node, col int, x, y, w float64) *placed {
		p := &placed{n: n, col: col, x: x, y: y, w: w, lines: wrapNode(n, w)}
		p.h = nodePad*2 + titleLine + textLine*float64(len(p.lines)-1)
		nodes[n.ID] = p
		order = append(order, p)
		return p
	}
	stack := func(ns []Node, col int, y float64) float64 {
		for _, n := range ns {
			p := place(n, col, cols[col].x, y, cols[col].w)
			y += p.h + nodeGap
		}
		return y
	}
	bottom := 0.0
	// Column 1: the VPC's edge; column 4: services and endpoints.
	y1 := stack(d.Perimeter, 1, top+boxHeader+10)
	y4 := stack(d.Services, 4, top+boxHeader+10)
	// Columns 2 and 3: one band per zone.
	zy := top + boxHeader + 10
	for _, z := range d.Zones {
		inner := zy + boxHeader
		// Private subnets come first: the main path (load balancer, target
		// group, tasks) then runs left to right without crossing a box.
		pubY := inner + boxHeader
		for _, n := range z.Public {
			p := place(n, 3, cols[3].x+8, pubY, cols[3].w-16)
			pubY += p.h + nodeGap
		}
		privY := inner + boxHeader
		for _, n := range z.Private {
			p := place(n, 2, cols[2].x+8, privY, cols[2].w-16)
			privY += p.h + nodeGap
		}
		boxBottom := math.Max(math.Max(pubY, privY), inner+boxHeader+30)
		if len(z.PublicCIDR) > 0 {
			boxes = append(boxes, rect{x: cols[3].x, y: inner, w: cols[3].w, h: boxBottom - inner, label: "public " + strings.Join(z.PublicCIDR, ", "), class: "public"})
		}
		if len(z.PrivateCIDR) > 0 {
			boxes = append(boxes, rect{x: cols[2].x, y: inner, w: cols[2].w, h: boxBottom - inner, label: "private " + strings.Join(z.PrivateCIDR, ", "), class: "private"})
		}
		zb := boxBottom + 8
		boxes = append([]rect{{x: cols[2].x - 10, y: zy, w: cols[3].x + cols[3].w - cols[2].x + 20, h: zb - zy, label: z.Name, class: "zone"}}, boxes...)
		zy = zb + 16
	}
	vpcBottom := math.Max(math.Max(y1, y4), zy)
	vpc := rect{x: cols[1].x - 14, y: top, w: cols[4].x + cols[4].w - cols[1].x + 28, h: vpcBottom - top, label: d.VPC, class: "vpc"}
	bottom = vpcBottom
	if len(d.Roles) > 0 {
		y := stack(d.Roles, 5, top+boxHeader+10)
		boxes = append(boxes, rect{x: cols[5].x - 10, y: top, w: cols[5].w + 20, h: y - top, label: "IAM", class: "iam"})
		bottom = math.Max(bottom, y)
	}
	// The last column holds the log groups, and below them the alarms.
	col6 := top
	if len(d.Logs) > 0 {
		y := stack(d.Logs, 6, top+boxHeader+10)
		boxes = append(boxes, rect{x: cols[6].x - 10, y: top, w: cols[6].w + 20, h: y - top, label: "CloudWatch Logs", class: "logs"})
		bottom = math.Max(bottom, y)
		col6 = y + 16
	}
	if len(d.Alarms) > 0 {
		y := stack(d.Alarms, 6, col6+boxHeader+10)
		boxes = append(boxes, rect{x: cols[6].x - 10, y: col6, w: cols[6].w + 20, h: y - col6, label: "CloudWatch alarms", class: "alarms"})
		bottom = math.Max(bottom, y)
	}
	// The internet sits level with the first node it connects to.
	iy := top + boxHeader + 10
	for _, e := range d.Edges {
		if e.From == d.Internet.ID {
			if p, ok := nodes[e.To]; ok {
				iy = p.y
			}
			break
		}
	}
	ip := place(d.Internet, 0, cols[0].x, iy, cols[0].w)
	// Route 53 zones sit below the internet, left of the load balancer
	// their alias records point at.
	dy := ip.y + ip.h + 3*nodeGap
	for _, n := range d.DNS {
		p := place(n, 0, cols[0].x, dy, cols[0].w)
		dy += p.h + nodeGap
		bottom = math.Max(bottom, dy)
	}
	height := bottom + outerPad

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="%g">`+"\n",
		f(width), f(height), f(width), f(height), fontSize)
	fmt.Fprintf(&b, "<title>%s</title>\n", xmlText(d.Title))
	for _, o := range d.NotDrawn {
		fmt.Fprintf(&b, "<desc>not drawn: %s: %s</desc>\n", xmlText(strings.Join(o.Resources, ", ")), xmlText(o.Why))
	}
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>` + "\n")
	b.WriteString(`<style>.vpc{fill:#fafcff;stroke:#2a6fb0}.zone{fill:#f4f7fb;stroke:#9ab}.public{fill:#eef7ff;stroke:#7aa7d8}.private{fill:#fff8ec;stroke:#d8a657}.iam{fill:#fff6f6;stroke:#c88}.logs{fill:#f4fbf4;stroke:#8b8}.alarms{fill:#fffdf2;stroke:#cb8}.edge{fill:none;stroke:#555;stroke-width:1.2}.dashed{stroke-dasharray:5 4;stroke:#888}.label{fill:#333;stroke:#fff;stroke-width:3;paint-order:stroke}</style>` + "\n")
	fmt.Fprintf(&b, `<text x="%s" y="30" font-size="16" font-weight="bold">%s</text>`+"\n", f(outerPad), xmlText(d.Title))
	for _, r := range append([]rect{vpc}, boxes...) {
		if r.label == "" && r.class == "vpc" {
			r.label = "VPC"
		}
		fmt.Fprintf(&b, `<g class="group" id="%s"><rect class="%s" x="%s" y="%s" width="%s" height="%s" rx="6"/><text x="%s" y="%s" font-weight="bold">%s</text></g>`+"\n",
			xmlAttr(r.class+"-"+idRE.ReplaceAllString(r.label, "_")), r.class, f(r.x), f(r.y), f(r.w), f(r.h), f(r.x+8), f(r.y+14), xmlText(r.label))
	}
	// Edge labels go last, above the nodes, so that no box hides one.
	var labels []string
	for _, e := range d.Edges {
		if e.Owns {
			continue
		}
		from, ok1 := nodes[e.From]
		to, ok2 := nodes[e.To]
		if !ok1 || !ok2 {
			continue
		}
		path, lx, ly := route(from, to)
		anchor := "middle"
		if from.col == to.col {
			anchor, lx = "start", from.x+from.w/2+6
		}
		if e.Call && from.col == to.col {
			path, lx, ly = bend(from, to)
			anchor = "end"
		}
		class := "edge"
		if e.Dashed {
			class += " dashed"
		}
		fmt.Fprintf(&b, `<path class="%s" d="%s" marker-end="url(#arrow)"/>`+"\n", class, path)
		if e.Label != "" {
			// Wrap the label to the gap it sits in (about 6 px a character).
			room := 24
			if e.Call {
				room = 16
			} else if from.col != to.col {
				room = int((math.Abs(cols[to.col].x-cols[from.col].x) - cols[min(from.col, to.col)].w - 10) / 6)
			}
			lines := wrap(e.Label, max(room, 12))
			var tb strings.Builder
			for i, l := range lines {
				dy := "0"
				if i > 0 {
					dy = "11"
				}
				fmt.Fprintf(&tb, `<tspan x="%s" dy="%s">%s</tspan>`, f(lx), dy, xmlText(strings.TrimSpace(l)))
			}
			ly -= 5.5 * float64(len(lines)-1)
			labels = append(labels, fmt.Sprintf(`<text class="label" x="%s" y="%s" text-anchor="%s" font-size="10">%s</text>`+"\n", f(lx), f(ly), anchor, tb.String()))
		}
	}
	for _, p := range order {
		fill, stroke := colours(p.n.Kind)
		rx := "4"
		if p.n.Kind == KindInternet {
			rx = "22"
		}
		fmt.Fprintf(&b, `<g class="node" id="%s"><rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="%s" stroke="%s"/>`,
			xmlAttr(p.n.ID), f(p.x), f(p.y), f(p.w), f(p.h), rx, fill, stroke)
		ty := p.y + nodePad + 11
		for i, l := range p.lines {
			weight := ""
			if i == 0 {
				weight = ` font-weight="bold"`
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s"%s>%s</text>`, f(p.x+8), f(ty), weight, xmlText(l))
			if i == 0 {
				ty += titleLine
			} else {
				ty += textLine
			}
		}
		b.WriteString("</g>\n")
	}
	for _, l := range labels {
		b.WriteString(l)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// route draws an edge between two placed nodes: left to right across
// columns, right to left back, and straight up or down within a column.
func route(a, b *placed) (path string, lx, ly float64) {
	ay, by := a.y+a.h/2, b.y+b.h/2
	switch {
	case b.col > a.col:
		x1, x2 := a.x+a.w, b.x
		dx := (x2 - x1) / 2
		return fmt.Sprintf("M %s %s C %s %s, %s %s, %s %s", f(x1), f(ay), f(x1+dx), f(ay), f(x2-dx), f(by), f(x2), f(by)), (x1 + x2) / 2, (ay+by)/2 - 3
	case b.col < a.col:
		x1, x2 := a.x, b.x+b.w
		dx := (x1 - x2) / 2
		return fmt.Sprintf("M %s %s C %s %s, %s %s, %s %s", f(x1), f(ay), f(x1-dx), f(ay), f(x2+dx), f(by), f(x2), f(by)), (x1 + x2) / 2, (ay+by)/2 - 3
	case b.y > a.y:
		// Down the column: bottom edge to top edge, the label beside it.
		x := a.x + a.w/2
		y1, y2 := a.y+a.h, b.y
		return fmt.Sprintf("M %s %s L %s %s", f(x), f(y1), f(x), f(y2)), x + 6, (y1+y2)/2 + 4
	default:
		x := a.x + a.w/2
		y1, y2 := a.y, b.y+b.h
		return fmt.Sprintf("M %s %s L %s %s", f(x), f(y1), f(x), f(y2)), x + 6, (y1+y2)/2 + 4
	}
}

// bend draws a Service Connect call between two services of one column
// as a curve out to the column's left, clear of the services between them;
// its label sits left of the curve.
func bend(a, b *placed) (path string, lx, ly float64) {
	ay, by := a.y+a.h/2, b.y+b.h/2
	out := 40.0
	return fmt.Sprintf("M %s %s C %s %s, %s %s, %s %s", f(a.x), f(ay), f(a.x-out), f(ay), f(b.x-out), f(by), f(b.x), f(by)), a.x - out*0.75 - 4, (ay+by)/2 + 4
}

func colours(k Kind) (fill, stroke string) {
	switch k {
	case KindNamespace:
		return "#fffaf0", "#c77700"
	case KindDNS:
		return "#eeeeff", "#447"
	case KindInternet:
		return "#eeeeff", "#447"
	case KindGateway, KindNAT, KindEndpoint:
		return "#e8f4ff", "#2a6fb0"
	case KindLB, KindTarget:
		return "#f3e8ff", "#7a3fb0"
	case KindTasks, KindService:
		return "#fff4e0", "#c77700"
	case KindRole:
		return "#ffecec", "#b03030"
	case KindLogGroup, KindFlowLog:
		return "#eaf7ea", "#2f8f2f"
	case KindAlarms:
		return "#fffbe6", "#b08f00"
	}
	return "#ffffff", "#333"
}

// wrapNode returns the node's title and lines, each wrapped to fit width.
func wrapNode(n Node, width float64) []string {
	max := int((width - 16) / charWidth)
	var out []string
	for _, l := range append([]string{n.Title}, n.Lines...) {
		out = append(out, wrap(strings.TrimSpace(l), max)...)
	}
	return out
}

func wrap(s string, max int) []string {
	var out []string
	for len([]rune(s)) > max {
		r := []rune(s)
		cut := -1
		for i := max; i > max/2; i-- {
			if r[i] == ' ' || r[i-1] == ',' || r[i-1] == ':' || r[i-1] == '/' {
				cut = i
				break
			}
		}
		if cut < 0 {
			cut = max
		}
		out = append(out, strings.TrimRight(string(r[:cut]), " "))
		s = "  " + strings.TrimLeft(string(r[cut:]), " ")
	}
	return append(out, s)
}

// f formats a coordinate with at most one decimal.
func f(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", v), "0"), ".")
}

func xmlText(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func xmlAttr(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(xmlText(s), `"`, "&quot;"), "'", "&apos;")
}

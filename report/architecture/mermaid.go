package architecture

import (
	"bytes"
	"fmt"
	"strings"
)

// Mermaid renders the diagram as a Mermaid flowchart, which GitHub draws
// inline in Markdown files and pull requests.
func (d *Diagram) Mermaid() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "---\ntitle: %s\n---\n", d.Title)
	b.WriteString("flowchart LR\n")
	node(&b, "  ", d.Internet)
	for _, n := range d.DNS {
		node(&b, "  ", n)
	}
	vpc := d.VPC
	if vpc == "" {
		vpc = "VPC"
	}
	fmt.Fprintf(&b, "  subgraph vpc[%s]\n", quote(vpc))
	for _, n := range d.Perimeter {
		node(&b, "    ", n)
	}
	for i, z := range d.Zones {
		zid := fmt.Sprintf("zone%d", i+1)
		fmt.Fprintf(&b, "    subgraph %s[%s]\n", zid, quote(z.Name))
		subnets(&b, zid+"_public", "public", z.PublicCIDR, z.Public, "no NAT gateway")
		subnets(&b, zid+"_private", "private", z.PrivateCIDR, z.Private, "no tasks")
		b.WriteString("    end\n")
	}
	for _, n := range d.Services {
		node(&b, "    ", n)
	}
	b.WriteString("  end\n")
	group(&b, "iam", "IAM", d.Roles)
	group(&b, "logs", "CloudWatch Logs", d.Logs)
	group(&b, "alarms", "CloudWatch alarms", d.Alarms)
	for _, e := range d.Edges {
		arrow := "-->"
		if e.Dashed {
			arrow = "-.->"
		}
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s %s|%s| %s\n", e.From, arrow, quote(e.Label), e.To)
			continue
		}
		fmt.Fprintf(&b, "  %s %s %s\n", e.From, arrow, e.To)
	}
	for _, k := range []struct {
		kind  Kind
		style string
	}{
		{KindInternet, "fill:#eef,stroke:#447"},
		{KindGateway, "fill:#e8f4ff,stroke:#2a6fb0"},
		{KindLB, "fill:#f3e8ff,stroke:#7a3fb0"},
		{KindTarget, "fill:#f3e8ff,stroke:#7a3fb0"},
		{KindNAT, "fill:#e8f4ff,stroke:#2a6fb0"},
		{KindEndpoint, "fill:#e8f4ff,stroke:#2a6fb0"},
		{KindTasks, "fill:#fff4e0,stroke:#c77700"},
		{KindService, "fill:#fff4e0,stroke:#c77700"},
		{KindRole, "fill:#ffecec,stroke:#b03030"},
		{KindLogGroup, "fill:#eaf7ea,stroke:#2f8f2f"},
		{KindFlowLog, "fill:#eaf7ea,stroke:#2f8f2f"},
		{KindAlarms, "fill:#fffbe6,stroke:#b08f00"},
		{KindNamespace, "fill:#fff4e0,stroke:#c77700,stroke-dasharray:4 3"},
		{KindDNS, "fill:#eef,stroke:#447"},
	} {
		if (k.kind == KindNamespace || k.kind == KindDNS) && !d.has(k.kind) {
			// Stacks without them keep their classes (and their bytes).
			continue
		}
		fmt.Fprintf(&b, "  classDef %s %s\n", k.kind, k.style)
	}
	for _, o := range d.NotDrawn {
		fmt.Fprintf(&b, "  %%%% not drawn: %s: %s\n", strings.Join(o.Resources, ", "), o.Why)
	}
	return b.Bytes()
}

// group writes nodes as a top-level subgraph id titled title; nothing when
// there are none.
func group(b *bytes.Buffer, id, title string, nodes []Node) {
	if len(nodes) == 0 {
		return
	}
	fmt.Fprintf(b, "  subgraph %s[%s]\n", id, quote(title))
	for _, n := range nodes {
		node(b, "    ", n)
	}
	b.WriteString("  end\n")
}

// has reports whether a node of kind k is in the diagram.
func (d *Diagram) has(k Kind) bool {
	for _, n := range append(append([]Node{}, d.DNS...), d.Services...) {
		if n.Kind == k {
			return true
		}
	}
	return false
}

// subnets writes a zone's public or private subnets as a subgraph.
func subnets(b *bytes.Buffer, id, tier string, cidrs []string, nodes []Node, empty string) {
	if len(cidrs) == 0 {
		return
	}
	fmt.Fprintf(b, "      subgraph %s[%s]\n", id, quote(tier+" "+strings.Join(cidrs, ", ")))
	for _, n := range nodes {
		node(b, "        ", n)
	}
	if len(nodes) == 0 {
		fmt.Fprintf(b, "        %s_empty[%s]\n", id, quote(empty))
	}
	b.WriteString("      end\n")
}

func node(b *bytes.Buffer, indent string, n Node) {
	label := strings.Join(append([]string{"<b>" + esc(n.Title) + "</b>"}, escAll(n.Lines)...), "<br/>")
	open, close := "[", "]"
	switch n.Kind {
	case KindInternet:
		open, close = "((", "))"
	case KindRole:
		open, close = "[/", "/]"
	case KindLogGroup, KindFlowLog:
		open, close = "[(", ")]"
	}
	fmt.Fprintf(b, "%s%s%s\"%s\"%s:::%s\n", indent, n.ID, open, label, close, n.Kind)
}

func quote(s string) string { return `"` + esc(s) + `"` }

// esc makes text safe inside a quoted Mermaid label.
func esc(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;")
	return r.Replace(s)
}

func escAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = esc(strings.TrimSpace(l))
	}
	return out
}

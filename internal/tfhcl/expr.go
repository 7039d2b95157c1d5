package tfhcl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// A string in Terraform JSON, where an expression is expected, is a template
// (the same template language as HCL's quoted strings). Its parts are kept:
// literal text, and the source of each interpolation.
type tmplPart struct {
	lit    bool
	text   string // a literal's value (escapes like $${ resolved)
	source string // an interpolation's expression source, references renamed
}

// parseTemplate splits a template into parts. Directives (%{if}, %{for}) and
// strip markers (${~) are refused: they are rare in synthesized JSON and the
// converter would have to re-quote their literal text.
func (c *conv) parseTemplate(path, src string) ([]tmplPart, bool) {
	expr, diags := hclsyntax.ParseTemplate([]byte(src), path, hcl.InitialPos)
	if diags.HasErrors() {
		c.fail(path, "not a valid Terraform template: %s", diags.Error())
		return nil, false
	}
	if w, ok := expr.(*hclsyntax.TemplateWrapExpr); ok {
		r := w.Wrapped.Range()
		if src[:r.Start.Byte] != "${" || src[r.End.Byte:] != "}" {
			c.fail(path, "template strip markers (${~ ... ~}) are not supported: %q", src)
			return nil, false
		}
		return []tmplPart{{source: c.rename(src[r.Start.Byte:r.End.Byte], r.Start.Byte, w.Wrapped)}}, true
	}
	te, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok {
		c.fail(path, "unexpected template %q", src)
		return nil, false
	}
	var parts []tmplPart
	for _, p := range te.Parts {
		r := p.Range()
		if lv, ok := p.(*hclsyntax.LiteralValueExpr); ok && lv.Val.Type() == cty.String {
			parts = append(parts, tmplPart{lit: true, text: lv.Val.AsString()})
			continue
		}
		if r.Start.Byte < 2 || src[r.Start.Byte-2:r.Start.Byte] != "${" || r.End.Byte >= len(src) || src[r.End.Byte] != '}' {
			c.fail(path, "template directives (%%{...}) and strip markers are not supported: %q", src)
			return nil, false
		}
		parts = append(parts, tmplPart{source: c.rename(src[r.Start.Byte:r.End.Byte], r.Start.Byte, p)})
	}
	return parts, true
}

// rename rewrites the references to renamed resources and data sources in
// the expression source src, which starts at byte offset base of the
// template that expr was parsed from.
func (c *conv) rename(src string, base int, expr hclsyntax.Expression) string {
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	for _, tr := range expr.Variables() {
		if step, name, ok := c.renamedStep(tr); ok {
			r := tr[step].SourceRange()
			edits = append(edits, edit{r.Start.Byte - base, r.End.Byte - base, "." + name})
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	for _, e := range edits {
		src = src[:e.start] + e.text + src[e.end:]
	}
	return src
}

// renamedStep reports which step of a traversal names a renamed resource or
// data source, and its new name.
func (c *conv) renamedStep(tr hcl.Traversal) (int, string, bool) {
	attr := func(i int) (string, bool) {
		if i >= len(tr) {
			return "", false
		}
		a, ok := tr[i].(hcl.TraverseAttr)
		return a.Name, ok
	}
	root := tr.RootName()
	if root == "data" {
		typ, ok1 := attr(1)
		name, ok2 := attr(2)
		if n, ok := c.names[addr{"data", typ, name}]; ok1 && ok2 && ok && n != name {
			return 2, n, true
		}
		return 0, "", false
	}
	name, ok := attr(1)
	if n, found := c.names[addr{"resource", root, name}]; ok && found && n != name {
		return 1, n, true
	}
	return 0, "", false
}

// templateSource writes parts as an HCL expression: a lone interpolation as
// the bare expression, anything else as a quoted template.
func templateSource(parts []tmplPart) string {
	if len(parts) == 1 && !parts[0].lit {
		return parts[0].source
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, p := range parts {
		if p.lit {
			b.WriteString(quoteLiteral(p.text))
		} else {
			b.WriteString("${" + p.source + "}")
		}
	}
	b.WriteByte('"')
	return b.String()
}

// quoteLiteral escapes text for the inside of an HCL quoted template, so
// that it evaluates to exactly text (hclwrite escapes the same way).
func quoteLiteral(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\\':
			b.WriteString(`\\`)
		case ch == '"':
			b.WriteString(`\"`)
		case ch == '\n':
			b.WriteString(`\n`)
		case ch == '\r':
			b.WriteString(`\r`)
		case ch == '\t':
			b.WriteString(`\t`)
		case (ch == '$' || ch == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteByte(ch)
			b.WriteByte(ch)
		case ch < 0x20 || ch == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, ch)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// objectKey writes a literal object key: bare when it is a plain identifier
// that HCL reads as a literal name, quoted otherwise.
func objectKey(k string) string {
	switch k {
	case "true", "false", "null", "for", "in", "if", "endif", "endfor", "else":
		return `"` + k + `"`
	}
	if identRe.MatchString(k) {
		return k
	}
	return `"` + quoteLiteral(k) + `"`
}

// exprCtx says where a value is: the attribute it belongs to decides whether
// a JSON document in a string may be compared by meaning.
type exprCtx struct {
	resType, attr string
	top           bool // the attribute's own value, not nested in it
}

// expr writes a JSON value from an expression position as HCL.
func (c *conv) expr(path string, v any, ctx exprCtx) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprint(t)
	case json.Number:
		return t.String()
	case string:
		parts, ok := c.parseTemplate(path, t)
		if !ok {
			return `""`
		}
		if ctx.top {
			if doc, ok := c.jsonDocument(path, parts, ctx); ok {
				return doc
			}
		}
		return templateSource(parts)
	case []any:
		elems := make([]string, len(t))
		for i, e := range t {
			elems[i] = c.expr(fmt.Sprintf("%s[%d]", path, i), e, exprCtx{})
		}
		return tuple(elems)
	case *object:
		var b strings.Builder
		if len(t.keys) == 0 {
			return "{}"
		}
		b.WriteString("{\n")
		for _, k := range t.keys {
			kp := path + "." + k
			parts, ok := c.parseTemplate(kp, k)
			if !ok {
				continue
			}
			var key string
			switch {
			case len(parts) == 1 && parts[0].lit:
				key = objectKey(parts[0].text)
			case len(parts) == 0:
				key = `""`
			default:
				if len(parts) == 1 {
					key = "(" + parts[0].source + ")"
				} else {
					key = templateSource(parts)
				}
			}
			b.WriteString(key + " = " + c.expr(kp, t.vals[k], exprCtx{}) + "\n")
		}
		b.WriteString("}")
		return b.String()
	}
	c.fail(path, "unexpected JSON value %T", v)
	return "null"
}

func tuple(elems []string) string {
	if len(elems) == 0 {
		return "[]"
	}
	one := "[" + strings.Join(elems, ", ") + "]"
	if len(one) <= 80 && !strings.Contains(one, "\n") {
		return one
	}
	return "[\n" + strings.Join(elems, ",\n") + ",\n]"
}

// semanticJSON lists the attributes whose value the AWS provider compares as
// a JSON document, not as text: for them, jsonencode of the same document is
// no change even where its key order or spacing differs. Everywhere else a
// document becomes jsonencode only when jsonencode writes the same bytes.
var semanticJSON = map[string]bool{
	"assume_role_policy":    true, // aws_iam_role
	"policy":                true, // aws_iam_*policy, aws_kms_key, aws_s3_bucket_policy, aws_sns_topic_policy, ...
	"container_definitions": true, // aws_ecs_task_definition
	"access_policies":       true, // aws_opensearch_domain, aws_elasticsearch_domain
	"policy_document":       true, // aws_cloudwatch_log_resource_policy
	"resource_policy":       true,
	"delivery_policy":       true,
	"redrive_policy":        true,
	"key_policy":            true,
}

const refMark = "\x60TFHCLREF"

// jsonDocument writes a string that holds a JSON object or array (policies,
// container definitions) as jsonencode({...}), with the references inside as
// expressions. It declines (false) when the string is no such document, when
// a reference stands outside a JSON string, or when jsonencode would give a
// different string where the provider compares text.
func (c *conv) jsonDocument(path string, parts []tmplPart, ctx exprCtx) (string, bool) {
	var src strings.Builder
	refs := map[string]string{}
	for i, p := range parts {
		if p.lit {
			if strings.Contains(p.text, refMark) {
				return "", false
			}
			src.WriteString(p.text)
			continue
		}
		m := fmt.Sprintf("%s%d`", refMark, i)
		refs[m] = p.source
		src.WriteString(m)
	}
	text := strings.TrimSpace(src.String())
	if !strings.HasPrefix(text, "{") && !strings.HasPrefix(text, "[") {
		return "", false
	}
	doc, err := decode([]byte(text))
	if err != nil {
		return "", false
	}
	switch d := doc.(type) {
	case *object:
	case []any:
		for _, e := range d {
			if _, ok := e.(*object); !ok {
				return "", false
			}
		}
	default:
		return "", false
	}
	if !semanticJSON[ctx.attr] {
		ty, err := ctyjson.ImpliedType([]byte(src.String()))
		if err != nil {
			return "", false
		}
		val, err := ctyjson.Unmarshal([]byte(src.String()), ty)
		if err != nil {
			return "", false
		}
		again, err := ctyjson.Marshal(val, ty)
		if err != nil || !bytes.Equal(again, []byte(src.String())) {
			return "", false
		}
	}
	out, ok := c.docValue(doc, refs)
	if !ok {
		return "", false
	}
	return "jsonencode(" + out + ")", true
}

// docValue writes a JSON document value as an HCL expression for jsonencode.
func (c *conv) docValue(v any, refs map[string]string) (string, bool) {
	switch t := v.(type) {
	case nil:
		return "null", true
	case bool:
		return fmt.Sprint(t), true
	case json.Number:
		return t.String(), true
	case string:
		return c.docString(t, refs), true
	case []any:
		elems := make([]string, len(t))
		for i, e := range t {
			s, ok := c.docValue(e, refs)
			if !ok {
				return "", false
			}
			elems[i] = s
		}
		return tuple(elems), true
	case *object:
		if len(t.keys) == 0 {
			return "{}", true
		}
		var b strings.Builder
		b.WriteString("{\n")
		for _, k := range t.keys {
			if strings.Contains(k, refMark) {
				return "", false
			}
			s, ok := c.docValue(t.vals[k], refs)
			if !ok {
				return "", false
			}
			b.WriteString(objectKey(k) + " = " + s + "\n")
		}
		b.WriteString("}")
		return b.String(), true
	}
	return "", false
}

var refMarkRe = regexp.MustCompile(regexp.QuoteMeta(refMark) + "[0-9]+`")

// docString writes a string of a JSON document. A string that was one
// reference stays a string: the reference itself when the schema says it is
// a string attribute, else tostring(...), as interpolation converted it.
func (c *conv) docString(s string, refs map[string]string) string {
	locs := refMarkRe.FindAllStringIndex(s, -1)
	if len(locs) == 1 && locs[0][0] == 0 && locs[0][1] == len(s) {
		src := refs[s]
		if c.isStringRef(src) {
			return src
		}
		return "tostring(" + src + ")"
	}
	var parts []tmplPart
	last := 0
	for _, l := range locs {
		if l[0] > last {
			parts = append(parts, tmplPart{lit: true, text: s[last:l[0]]})
		}
		parts = append(parts, tmplPart{source: refs[s[l[0]:l[1]]]})
		last = l[1]
	}
	if last < len(s) || len(parts) == 0 {
		parts = append(parts, tmplPart{lit: true, text: s[last:]})
	}
	return templateSource(parts)
}

// attrNames returns the names of a traversal made only of a root and
// attributes (aws_vpc.network.id), and false for one with an index or a
// splat.
func attrNames(tr hcl.Traversal) ([]string, bool) {
	var names []string
	for _, s := range tr {
		switch st := s.(type) {
		case hcl.TraverseRoot:
			names = append(names, st.Name)
		case hcl.TraverseAttr:
			names = append(names, st.Name)
		default:
			return nil, false
		}
	}
	return names, true
}

// isStringRef reports whether src is a reference to a top-level attribute
// that the provider schema types as a string.
func (c *conv) isStringRef(src string) bool {
	tr, diags := hclsyntax.ParseTraversalAbs([]byte(src), "", hcl.InitialPos)
	if diags.HasErrors() {
		return false
	}
	names, ok := attrNames(tr)
	if !ok {
		return false
	}
	var b *Block
	switch {
	case len(names) == 3 && names[0] != "data":
		b = c.resourceSchema(names[0])
	case len(names) == 4 && names[0] == "data":
		b = c.dataSchema(names[1])
		names = names[1:]
	default:
		return false
	}
	return b != nil && (b.Attrs[names[2]] == "string" || names[2] == "id")
}

// literal writes a JSON value from a position Terraform reads without
// evaluating templates (variable defaults, descriptions, the terraform
// block): a "${" in it is text, and is escaped.
func (c *conv) literal(path string, v any) string {
	raw := encode(v)
	ty, err := ctyjson.ImpliedType(raw)
	if err != nil {
		c.fail(path, "%v", err)
		return "null"
	}
	val, err := ctyjson.Unmarshal(raw, ty)
	if err != nil {
		c.fail(path, "%v", err)
		return "null"
	}
	return string(hclwrite.TokensForValue(val).Bytes())
}

// traversal writes a string that Terraform JSON reads as a reference
// (depends_on, moved, replace_triggered_by, provider): parsed, and renamed.
func (c *conv) traversal(path string, v any) string {
	s, ok := v.(string)
	if !ok {
		c.fail(path, "want a string naming a resource, got %s", kind(v))
		return "null"
	}
	if strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") {
		s = s[2 : len(s)-1]
	}
	tr, diags := hclsyntax.ParseTraversalAbs([]byte(s), path, hcl.InitialPos)
	if diags.HasErrors() {
		c.fail(path, "not a reference: %q", s)
		return "null"
	}
	if step, name, ok := c.renamedStep(tr); ok {
		r := tr[step].SourceRange()
		s = s[:r.Start.Byte] + "." + name + s[r.End.Byte:]
	}
	return s
}

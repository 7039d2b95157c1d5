package tfhcl

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// evalFuncs are the functions the converted expressions call.
var evalFuncs = map[string]function.Function{
	"jsonencode": stdlib.JSONEncodeFunc,
	"tostring":   stdlib.MakeToFunc(cty.String),
}

// refValue gives every reference a value that names the resource by its
// original address, so that a JSON expression and its converted HCL
// evaluate alike exactly when they reference the same things.
type refValue func(root string, rest []string) (string, bool)

// evalCtx builds an evaluation context for expr: each reference
// type.name.attr (data.type.name.attr) becomes a string naming it. ok is
// false for references of another shape (indexes, whole resources).
func evalCtx(expr hcl.Expression, canon func(mode, typ, name string) string) (*hcl.EvalContext, bool) {
	tree := map[string]any{}
	for _, tr := range expr.Variables() {
		names, ok := attrNames(tr)
		if !ok {
			return nil, false
		}
		var leaf string
		switch {
		case len(names) == 4 && names[0] == "data":
			leaf = "data." + names[1] + "." + canon("data", names[1], names[2]) + "." + names[3]
		case len(names) == 2 && (names[0] == "var" || names[0] == "local"):
			leaf = names[0] + "." + names[1]
		case len(names) == 3 && names[0] != "data":
			leaf = names[0] + "." + canon("resource", names[0], names[1]) + "." + names[2]
		default:
			return nil, false
		}
		m := tree
		for _, n := range names[:len(names)-1] {
			next, ok := m[n].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[n] = next
			}
			m = next
		}
		m[names[len(names)-1]] = leaf
	}
	vars := map[string]cty.Value{}
	for k, v := range tree {
		vars[k] = toCty(v)
	}
	return &hcl.EvalContext{Variables: vars, Functions: evalFuncs}, true
}

func toCty(v any) cty.Value {
	switch t := v.(type) {
	case string:
		return cty.StringVal(t)
	case map[string]any:
		m := map[string]cty.Value{}
		for k, e := range t {
			m[k] = toCty(e)
		}
		return cty.ObjectVal(m)
	}
	panic(fmt.Sprintf("%T", v))
}

// sameMeaning evaluates the JSON attribute value jsonSrc (Terraform JSON
// syntax) and the converted HCL expression hclExpr and reports a difference.
// Where the provider compares JSON documents by meaning (semanticJSON), two
// strings holding equal JSON documents are the same.
func sameMeaning(attr string, jsonSrc []byte, hclExpr hclsyntax.Expression, renames map[addr]string) (checked bool, diff string) {
	je, diags := hcljson.ParseExpression(jsonSrc, "in.json")
	if diags.HasErrors() {
		return false, diags.Error()
	}
	old := map[addr]string{}
	for a, n := range renames {
		old[addr{a.mode, a.typ, n}] = a.name
	}
	jctx, ok1 := evalCtx(je, func(mode, typ, name string) string { return name })
	hctx, ok2 := evalCtx(hclExpr, func(mode, typ, name string) string {
		if o, ok := old[addr{mode, typ, name}]; ok {
			return o
		}
		return "UNKNOWN:" + name
	})
	if !ok1 || !ok2 {
		return false, ""
	}
	jv, d1 := je.Value(jctx)
	hv, d2 := hclExpr.Value(hctx)
	if d1.HasErrors() && d2.HasErrors() && d1[0].Summary == d2[0].Summary && d1[0].Detail == d2[0].Detail {
		// The same failure on both sides (element() of a string stand-in
		// for a list): not compared.
		return false, ""
	}
	if d1.HasErrors() || d2.HasErrors() {
		return true, fmt.Sprintf("evaluation: json %v, hcl %v", d1, d2)
	}
	if jv.RawEquals(hv) {
		return true, ""
	}
	if semanticJSON[attr] && jv.Type() == cty.String && hv.Type() == cty.String {
		var a, b any
		if json.Unmarshal([]byte(jv.AsString()), &a) == nil && json.Unmarshal([]byte(hv.AsString()), &b) == nil {
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			if string(ja) == string(jb) {
				return true, ""
			}
		}
	}
	return true, fmt.Sprintf("json gives %s\nhcl gives  %s", show(jv), show(hv))
}

func show(v cty.Value) string {
	if v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
		return fmt.Sprintf("%q", v.AsString())
	}
	return v.GoString()
}

// checkEquivalent converts doc and compares the value of every top-level
// attribute of every resource, data source, output and local with its
// original. It returns how many it compared.
func checkEquivalent(t *testing.T, name string, doc []byte, opts Options) int {
	t.Helper()
	res, err := Convert(name, doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, b := range res.Files {
		all.Write(b)
		all.WriteString("\n")
	}
	file, diags := hclsyntax.ParseConfig([]byte(all.String()), name+".tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	renames := map[addr]string{}
	for _, r := range res.Renames {
		mode := "resource"
		if r.Data {
			mode = "data"
		}
		renames[addr{mode, r.Type, r.From}] = r.To
	}
	newName := func(mode, typ, n string) string {
		if m, ok := renames[addr{mode, typ, n}]; ok {
			return m
		}
		return n
	}
	blocks := map[string]*hclsyntax.Body{}
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		blocks[b.Type+"."+strings.Join(b.Labels, ".")] = b.Body
	}
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(doc, &raw); err != nil {
		t.Fatal(err)
	}
	compared := 0
	compare := func(where string, body *hclsyntax.Body, attrs map[string]json.RawMessage) {
		if body == nil {
			t.Errorf("%s: not in the HCL", where)
			return
		}
		for k, v := range attrs {
			a, ok := body.Attributes[k]
			if !ok {
				continue // a nested block, a meta-argument or metadata
			}
			checked, diff := sameMeaning(k, v, a.Expr, renames)
			if diff != "" {
				t.Errorf("%s.%s: the HCL means something else:\n%s", where, k, diff)
			}
			if checked {
				compared++
			}
		}
	}
	for _, mode := range []string{"resource", "data"} {
		for typ, byName := range raw[mode] {
			var names map[string]map[string]json.RawMessage
			if err := json.Unmarshal(byName, &names); err != nil {
				t.Fatal(err)
			}
			for n, attrs := range names {
				key := typ + "." + newName(mode, typ, n)
				compare(mode+"."+typ+"."+n, blocks[mode+"."+key], attrs)
			}
		}
	}
	for n, v := range raw["output"] {
		var attrs map[string]json.RawMessage
		if err := json.Unmarshal(v, &attrs); err != nil {
			t.Fatal(err)
		}
		compare("output."+n, blocks["output."+n], map[string]json.RawMessage{"value": attrs["value"]})
	}
	if locals, ok := raw["locals"]; ok {
		compare("locals", blocks["locals."], locals)
	}
	return compared
}

// Package tfhcl converts a stack that CDKTF synthesized (cdk.tf.json) into
// Terraform's native syntax (.tf files) that reads as if written by hand:
// references as expressions, policy documents as jsonencode({...}), depends_on
// as references, readable resource names with moved blocks from the old
// addresses, no CDKTF metadata, output as `terraform fmt` writes it.
//
// The conversion is all or nothing: every input it cannot express with the
// same meaning in HCL is reported, by its JSON path, in one [*Error], and no
// file is returned. Which keys of a resource are nested blocks and which are
// attributes comes from the provider schema ([DefaultSchemas] embeds the
// hashicorp/aws schema; [ReadProvidersSchema] reads any other provider's).
package tfhcl

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Options tune [Convert].
type Options struct {
	// KeepAddresses keeps CDKTF's resource names (Service_ExecutionRole_BE49F39A)
	// instead of readable ones; then no moved blocks are written.
	KeepAddresses bool
	// Schemas are provider schemas beside the embedded hashicorp/aws one
	// (and replacing it when they hold "aws").
	Schemas Schemas
	// LocalStatePath, when set, rewrites the path of a local backend (a
	// relative path is relative to the directory Terraform runs in, which
	// changes with the conversion).
	LocalStatePath func(string) string
}

// Result is a converted stack.
type Result struct {
	// Files maps a file name (main.tf, versions.tf, ...) to its content.
	Files map[string][]byte
	// Renames lists each resource and data source given a new name.
	Renames []Rename
	// Notes are things the user should know (a rewritten state path).
	Notes []string
}

// Problem is one input the conversion cannot express.
type Problem struct {
	// Path is the JSON path in the input, for example
	// resource.aws_iam_role.Service_TaskRole_2C0917DF.inline_policy[0].
	Path string
	Msg  string
}

// Error lists every problem of one input; no file is written.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: cannot convert to HCL faithfully (%d problem(s)):", e.File, len(e.Problems))
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s: %s", p.Path, p.Msg)
	}
	return b.String()
}

type conv struct {
	opts     Options
	schemas  Schemas
	names    map[addr]string
	problems []Problem
	notes    []string
}

func (c *conv) fail(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Convert converts the Terraform JSON data (read from file, which names it
// in errors).
func Convert(file string, data []byte, opts Options) (*Result, error) {
	doc, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: not valid JSON: %w", file, err)
	}
	root, ok := doc.(*object)
	if !ok {
		return nil, fmt.Errorf("%s: want a JSON object at the top, got %s", file, kind(doc))
	}
	schemas, err := DefaultSchemas()
	if err != nil {
		return nil, err
	}
	for k, v := range opts.Schemas {
		schemas[k] = v
	}
	c := &conv{opts: opts, schemas: schemas, names: map[addr]string{}}
	res := c.convert(root)
	if len(c.problems) > 0 {
		return nil, &Error{File: file, Problems: c.problems}
	}
	for name, src := range res.Files {
		formatted := hclwrite.Format(src)
		if _, diags := hclsyntax.ParseConfig(formatted, name, hcl.InitialPos); diags.HasErrors() {
			return nil, fmt.Errorf("%s: internal error: the HCL written for %s does not parse: %s", file, name, diags.Error())
		}
		res.Files[name] = formatted
	}
	res.Notes = c.notes
	return res, nil
}

// topLevel are the blocks of a Terraform JSON file, in the order they are
// converted. Anything else is refused, never dropped.
var topLevel = map[string]bool{"//": true, "terraform": true, "provider": true, "variable": true, "locals": true,
	"data": true, "resource": true, "module": true, "output": true, "moved": true, "import": true}

type entry struct {
	mode, typ, old, name, path string
	body                       *object
}

func (c *conv) convert(root *object) *Result {
	for _, k := range root.keys {
		if !topLevel[k] {
			c.fail(k, "unknown top-level block %q: Terraform JSON allows %s; this converter does not write what it does not know", k, "terraform, provider, variable, locals, data, resource, module, output, moved, import")
		}
	}
	entries := c.collect(root, "data")
	entries = append(entries, c.collect(root, "resource")...)
	files := map[string]*bytes.Buffer{}
	out := func(name string) *bytes.Buffer {
		if files[name] == nil {
			files[name] = &bytes.Buffer{}
		}
		if files[name].Len() > 0 {
			files[name].WriteString("\n")
		}
		return files[name]
	}
	write := func(name string, f *hclwrite.File) {
		out(name).Write(f.Bytes())
	}
	if v, ok := root.get("terraform"); ok {
		write("versions.tf", c.terraformBlock(v))
	}
	if v, ok := root.get("provider"); ok {
		c.providers(v, func(f *hclwrite.File) { write("providers.tf", f) })
	}
	if v, ok := root.get("variable"); ok {
		c.each("variable", v, func(path, name string, o *object) { write("variables.tf", c.variable(path, name, o)) })
	}
	if v, ok := root.get("locals"); ok {
		write("main.tf", c.locals(v))
	}
	for _, e := range entries {
		write("main.tf", c.resource(e))
	}
	if v, ok := root.get("module"); ok {
		c.each("module", v, func(path, name string, o *object) { write("main.tf", c.module(path, name, o)) })
	}
	if v, ok := root.get("import"); ok {
		c.list("import", v, func(path string, o *object) { write("main.tf", c.importBlock(path, o)) })
	}
	if v, ok := root.get("output"); ok {
		c.each("output", v, func(path, name string, o *object) { write("outputs.tf", c.output(path, name, o)) })
	}
	if v, ok := root.get("moved"); ok {
		c.list("moved", v, func(path string, o *object) { write("moved.tf", c.movedBlock(path, o)) })
	}
	res := &Result{Files: map[string][]byte{}}
	for _, e := range entries {
		if e.old == e.name {
			continue
		}
		res.Renames = append(res.Renames, Rename{Type: e.typ, From: e.old, To: e.name, Data: e.mode == "data"})
		if e.mode == "resource" {
			f := hclwrite.NewEmptyFile()
			b := f.Body().AppendNewBlock("moved", nil).Body()
			setRaw(b, "from", e.typ+"."+e.old)
			setRaw(b, "to", e.typ+"."+e.name)
			write("moved.tf", f)
		}
	}
	for name, b := range files {
		res.Files[name] = b.Bytes()
	}
	return res
}

// collect reads the resources or data sources, names them and orders them
// by construct path, so that the parts of one construct stay together.
func (c *conv) collect(root *object, mode string) []entry {
	v, ok := root.get(mode)
	if !ok {
		return nil
	}
	types, ok := v.(*object)
	if !ok {
		c.fail(mode, "want an object of types, got %s", kind(v))
		return nil
	}
	var out []entry
	for _, typ := range types.keys {
		byName, ok := types.vals[typ].(*object)
		if !ok {
			c.fail(mode+"."+typ, "want an object of names, got %s", kind(types.vals[typ]))
			continue
		}
		paths := map[string]string{}
		for _, name := range byName.keys {
			body, ok := byName.vals[name].(*object)
			if !ok {
				c.fail(mode+"."+typ+"."+name, "want an object, got %s", kind(byName.vals[name]))
				continue
			}
			paths[name] = metadataPath(body)
		}
		names := assignNames(mode, typ, append([]string(nil), byName.keys...), paths)
		for _, name := range byName.keys {
			body, ok := byName.vals[name].(*object)
			if !ok {
				continue
			}
			n := names[name]
			if c.opts.KeepAddresses {
				n = name
			}
			c.names[addr{mode, typ, name}] = n
			out = append(out, entry{mode: mode, typ: typ, old: name, name: n, path: paths[name], body: body})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ki, kj := out[i].path, out[j].path
		if ki == "" {
			ki = out[i].old
		}
		if kj == "" {
			kj = out[j].old
		}
		if out[i].mode != out[j].mode {
			return out[i].mode == "data"
		}
		if ki != kj {
			return ki < kj
		}
		return out[i].typ < out[j].typ
	})
	return out
}

func metadataPath(body *object) string {
	meta, _ := body.vals["//"].(*object)
	if meta == nil {
		return ""
	}
	md, _ := meta.vals["metadata"].(*object)
	if md == nil {
		return ""
	}
	p, _ := md.vals["path"].(string)
	return p
}

func setRaw(b *hclwrite.Body, name, src string) {
	b.SetAttributeRaw(name, hclwrite.Tokens{{Type: hclsyntax.TokenIdent, Bytes: []byte(src)}})
}

// each calls f for each named object of a block kind ("variable", "output").
func (c *conv) each(kindName string, v any, f func(path, name string, o *object)) {
	o, ok := v.(*object)
	if !ok {
		c.fail(kindName, "want an object, got %s", kind(v))
		return
	}
	for _, name := range o.keys {
		body, ok := o.vals[name].(*object)
		if !ok {
			c.fail(kindName+"."+name, "want an object, got %s", kind(o.vals[name]))
			continue
		}
		f(kindName+"."+name, name, body)
	}
}

// list calls f for each object of a block that JSON may give as an object
// or an array of objects.
func (c *conv) list(path string, v any, f func(path string, o *object)) {
	switch t := v.(type) {
	case *object:
		f(path, t)
	case []any:
		for i, e := range t {
			p := fmt.Sprintf("%s[%d]", path, i)
			if o, ok := e.(*object); ok {
				f(p, o)
			} else {
				c.fail(p, "want an object, got %s", kind(e))
			}
		}
	case nil:
	default:
		c.fail(path, "want an object or an array of objects, got %s", kind(v))
	}
}

func (c *conv) providerOf(typ string) *ProviderSchema {
	local, _, _ := strings.Cut(typ, "_")
	return c.schemas[local]
}

func (c *conv) resourceSchema(typ string) *Block {
	if p := c.providerOf(typ); p != nil {
		return p.Resources[typ]
	}
	return nil
}

func (c *conv) dataSchema(typ string) *Block {
	if p := c.providerOf(typ); p != nil {
		return p.Data[typ]
	}
	return nil
}

func (c *conv) noSchema(path, what, typ string) {
	local, _, _ := strings.Cut(typ, "_")
	if c.schemas[local] == nil {
		c.fail(path, "no schema for provider %q (%s %q): pass -schema with the output of `terraform providers schema -json`", local, what, typ)
		return
	}
	c.fail(path, "%s type %q is not in the %q provider schema (the embedded one is hashicorp/aws %s; pass -schema for another version)", what, typ, local, EmbeddedAWSVersion)
}

// resource writes one resource or data block.
func (c *conv) resource(e entry) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	path := e.mode + "." + e.typ + "." + e.old
	b := f.Body().AppendNewBlock(e.mode, []string{e.typ, e.name}).Body()
	var sch *Block
	if e.mode == "data" {
		sch = c.dataSchema(e.typ)
	} else {
		sch = c.resourceSchema(e.typ)
	}
	if sch == nil {
		c.noSchema(path, e.mode, e.typ)
		return f
	}
	for _, k := range []string{"count", "for_each"} {
		if v, ok := e.body.get(k); ok {
			setRaw(b, k, c.expr(path+"."+k, v, exprCtx{}))
		}
	}
	if v, ok := e.body.get("provider"); ok {
		setRaw(b, "provider", c.providerRef(path+".provider", v))
	}
	skip := map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true, "lifecycle": true}
	for _, k := range []string{"provisioner", "connection"} {
		if _, ok := e.body.get(k); ok {
			c.fail(path+"."+k, "%s blocks are not supported by this converter", k)
			skip[k] = true
		}
	}
	c.body(b, path, e.body, sch, e.typ, skip)
	c.dependsOn(b, path, e.body)
	if v, ok := e.body.get("lifecycle"); ok {
		c.list(path+".lifecycle", v, func(p string, o *object) { c.lifecycle(b, p, o, e.mode == "data") })
	}
	return f
}

func (c *conv) providerRef(path string, v any) string {
	s, ok := v.(string)
	if !ok {
		c.fail(path, "want a provider reference like \"aws.east\", got %s", kind(v))
		return "null"
	}
	if _, diags := hclsyntax.ParseTraversalAbs([]byte(s), path, hcl.InitialPos); diags.HasErrors() {
		c.fail(path, "not a provider reference: %q", s)
	}
	return s
}

func (c *conv) dependsOn(b *hclwrite.Body, path string, o *object) {
	v, ok := o.get("depends_on")
	if !ok {
		return
	}
	arr, ok := v.([]any)
	if !ok {
		c.fail(path+".depends_on", "want an array, got %s", kind(v))
		return
	}
	var refs []string
	for i, e := range arr {
		refs = append(refs, c.traversal(fmt.Sprintf("%s.depends_on[%d]", path, i), e))
	}
	setRaw(b, "depends_on", tuple(refs))
}

// body writes the attributes and nested blocks of a schema block.
func (c *conv) body(b *hclwrite.Body, path string, o *object, sch *Block, resType string, skip map[string]bool) {
	var blocks []string
	for _, k := range o.keys {
		if skip[k] || k == "//" {
			continue
		}
		p := path + "." + k
		v := o.vals[k]
		if _, ok := sch.Attrs[k]; ok {
			setRaw(b, k, c.expr(p, v, exprCtx{resType: resType, attr: k, top: true}))
			continue
		}
		if _, ok := sch.Blocks[k]; ok || k == "dynamic" {
			blocks = append(blocks, k)
			continue
		}
		c.fail(p, "%q is neither an attribute nor a block of this schema (an override the converter does not understand?)", k)
	}
	for _, k := range blocks {
		p := path + "." + k
		if k == "dynamic" {
			c.dynamic(b, p, o.vals[k], sch, resType)
			continue
		}
		c.nested(b, p, k, o.vals[k], sch.Blocks[k], resType)
	}
}

func (c *conv) nested(b *hclwrite.Body, path, name string, v any, nb *NestedBlock, resType string) {
	if v == nil {
		return
	}
	if nb.Nesting == "map" {
		o, ok := v.(*object)
		if !ok {
			c.fail(path, "block %q is keyed by label: want an object, got %s", name, kind(v))
			return
		}
		for _, label := range o.keys {
			c.list(path+"."+label, o.vals[label], func(p string, body *object) {
				c.body(b.AppendNewBlock(name, []string{label}).Body(), p, body, &nb.Block, resType, nil)
			})
		}
		return
	}
	n := 0
	c.list(path, v, func(p string, body *object) {
		n++
		c.body(b.AppendNewBlock(name, nil).Body(), p, body, &nb.Block, resType, nil)
	})
	if (nb.Nesting == "single" || nb.Nesting == "group") && n > 1 {
		c.fail(path, "block %q may appear once, got %d", name, n)
	}
}

// dynamic writes "dynamic": {"name": {"for_each", "iterator", "labels", "content"}}.
func (c *conv) dynamic(b *hclwrite.Body, path string, v any, sch *Block, resType string) {
	c.each(path, v, func(p, name string, spec *object) {
		nb, ok := sch.Blocks[name]
		if !ok {
			c.fail(p, "dynamic block %q is not a block of this schema", name)
			return
		}
		db := b.AppendNewBlock("dynamic", []string{name}).Body()
		for _, k := range spec.keys {
			switch k {
			case "for_each":
				setRaw(db, k, c.expr(p+"."+k, spec.vals[k], exprCtx{}))
			case "iterator":
				it, _ := spec.vals[k].(string)
				if !hclsyntax.ValidIdentifier(it) {
					c.fail(p+"."+k, "want an identifier, got %s", encode(spec.vals[k]))
				}
				setRaw(db, k, it)
			case "labels":
				setRaw(db, k, c.expr(p+"."+k, spec.vals[k], exprCtx{}))
			case "content", "//":
			default:
				c.fail(p+"."+k, "unknown key of a dynamic block")
			}
		}
		content, ok := spec.vals["content"].(*object)
		if !ok {
			c.fail(p+".content", "want an object, got %s", kind(spec.vals["content"]))
			return
		}
		c.body(db.AppendNewBlock("content", nil).Body(), p+".content", content, &nb.Block, resType, nil)
	})
}

func (c *conv) lifecycle(b *hclwrite.Body, path string, o *object, data bool) {
	lb := b.AppendNewBlock("lifecycle", nil).Body()
	for _, k := range o.keys {
		p := path + "." + k
		v := o.vals[k]
		if data && k != "precondition" && k != "postcondition" {
			c.fail(p, "a data source's lifecycle takes only precondition and postcondition")
			continue
		}
		switch k {
		case "create_before_destroy", "prevent_destroy":
			setRaw(lb, k, c.literal(p, v))
		case "ignore_changes":
			if s, ok := v.(string); ok && s == "all" {
				setRaw(lb, k, "all")
				continue
			}
			arr, ok := v.([]any)
			if !ok {
				c.fail(p, `want "all" or an array of attribute names, got %s`, kind(v))
				continue
			}
			var names []string
			for i, e := range arr {
				s, _ := e.(string)
				if _, diags := hclsyntax.ParseTraversalAbs([]byte(s), p, hcl.InitialPos); s == "" || diags.HasErrors() {
					c.fail(fmt.Sprintf("%s[%d]", p, i), "not an attribute name: %s", encode(e))
					continue
				}
				names = append(names, s)
			}
			setRaw(lb, k, tuple(names))
		case "replace_triggered_by":
			arr, ok := v.([]any)
			if !ok {
				c.fail(p, "want an array, got %s", kind(v))
				continue
			}
			var refs []string
			for i, e := range arr {
				refs = append(refs, c.traversal(fmt.Sprintf("%s[%d]", p, i), e))
			}
			setRaw(lb, k, tuple(refs))
		case "precondition", "postcondition":
			c.list(p, v, func(pp string, cond *object) { c.condition(lb, k, pp, cond) })
		case "//":
		default:
			c.fail(p, "unknown lifecycle argument")
		}
	}
}

// condition writes a precondition, postcondition or validation block.
func (c *conv) condition(b *hclwrite.Body, name, path string, o *object) {
	cb := b.AppendNewBlock(name, nil).Body()
	for _, k := range o.keys {
		switch k {
		case "condition", "error_message":
			setRaw(cb, k, c.expr(path+"."+k, o.vals[k], exprCtx{}))
		case "//":
		default:
			c.fail(path+"."+k, "unknown argument of %s", name)
		}
	}
}

func (c *conv) terraformBlock(v any) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	b := f.Body().AppendNewBlock("terraform", nil).Body()
	c.list("terraform", v, func(path string, o *object) {
		for _, k := range o.keys {
			p := path + "." + k
			val := o.vals[k]
			switch k {
			case "required_version":
				setRaw(b, k, c.literal(p, val))
			case "required_providers":
				rp := b.AppendNewBlock(k, nil).Body()
				c.list(p, val, func(pp string, po *object) {
					for _, name := range po.keys {
						spec := po.vals[name]
						if so, ok := spec.(*object); ok {
							if _, has := so.get("configuration_aliases"); has {
								c.fail(pp+"."+name+".configuration_aliases", "configuration_aliases are not supported by this converter")
								continue
							}
						}
						setRaw(rp, name, c.literal(pp+"."+name, spec))
					}
				})
			case "backend":
				c.each(p, val, func(pp, typ string, cfg *object) {
					bb := b.AppendNewBlock("backend", []string{typ}).Body()
					for _, ck := range cfg.keys {
						cv := cfg.vals[ck]
						if typ == "local" && (ck == "path" || ck == "workspace_dir") && c.opts.LocalStatePath != nil {
							if s, ok := cv.(string); ok {
								if ns := c.opts.LocalStatePath(s); ns != s {
									c.notes = append(c.notes, fmt.Sprintf("the local backend's %s %q is relative to the stack directory; written as %q, the same file seen from the output directory", ck, s, ns))
									cv = ns
								}
							}
						}
						setRaw(bb, ck, c.literal(pp+"."+ck, cv))
					}
				})
			case "cloud":
				c.list(p, val, func(pp string, co *object) {
					cb := b.AppendNewBlock("cloud", nil).Body()
					for _, ck := range co.keys {
						if ck == "workspaces" {
							c.list(pp+"."+ck, co.vals[ck], func(wp string, wo *object) {
								wb := cb.AppendNewBlock("workspaces", nil).Body()
								for _, wk := range wo.keys {
									setRaw(wb, wk, c.literal(wp+"."+wk, wo.vals[wk]))
								}
							})
							continue
						}
						setRaw(cb, ck, c.literal(pp+"."+ck, co.vals[ck]))
					}
				})
			case "//":
			default:
				c.fail(p, "terraform block argument %q is not supported by this converter", k)
			}
		}
	})
	return f
}

func (c *conv) providers(v any, write func(*hclwrite.File)) {
	o, ok := v.(*object)
	if !ok {
		c.fail("provider", "want an object of provider names, got %s", kind(v))
		return
	}
	for _, name := range o.keys {
		p := c.schemas[name]
		if p == nil || p.Provider == nil {
			c.fail("provider."+name, "no schema for provider %q: pass -schema with the output of `terraform providers schema -json`", name)
			continue
		}
		c.list("provider."+name, o.vals[name], func(path string, cfg *object) {
			f := hclwrite.NewEmptyFile()
			b := f.Body().AppendNewBlock("provider", []string{name}).Body()
			for _, k := range []string{"alias", "version"} {
				if val, ok := cfg.get(k); ok {
					setRaw(b, k, c.literal(path+"."+k, val))
				}
			}
			c.body(b, path, cfg, p.Provider, "", map[string]bool{"alias": true, "version": true})
			write(f)
		})
	}
}

func (c *conv) variable(path, name string, o *object) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	b := f.Body().AppendNewBlock("variable", []string{name}).Body()
	for _, k := range o.keys {
		p := path + "." + k
		v := o.vals[k]
		switch k {
		case "type":
			s, ok := v.(string)
			if !ok {
				c.fail(p, "want a type expression string, got %s", kind(v))
				continue
			}
			if strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") {
				s = s[2 : len(s)-1]
			}
			if _, diags := hclsyntax.ParseExpression([]byte(s), p, hcl.InitialPos); diags.HasErrors() {
				c.fail(p, "not a type expression: %q", s)
				continue
			}
			setRaw(b, k, s)
		case "default", "description", "sensitive", "nullable", "ephemeral":
			setRaw(b, k, c.literal(p, v))
		case "validation":
			c.list(p, v, func(pp string, vo *object) { c.condition(b, "validation", pp, vo) })
		case "//":
		default:
			c.fail(p, "unknown variable argument")
		}
	}
	return f
}

func (c *conv) locals(v any) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	b := f.Body().AppendNewBlock("locals", nil).Body()
	c.list("locals", v, func(path string, o *object) {
		for _, k := range o.keys {
			if k == "//" {
				continue
			}
			setRaw(b, k, c.expr(path+"."+k, o.vals[k], exprCtx{attr: k, top: true}))
		}
	})
	return f
}

func (c *conv) output(path, name string, o *object) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	b := f.Body().AppendNewBlock("output", []string{name}).Body()
	for _, k := range o.keys {
		p := path + "." + k
		v := o.vals[k]
		switch k {
		case "value":
			setRaw(b, k, c.expr(p, v, exprCtx{attr: k, top: true}))
		case "description", "sensitive", "ephemeral":
			setRaw(b, k, c.literal(p, v))
		case "depends_on":
			c.dependsOn(b, path, o)
		case "precondition":
			c.list(p, v, func(pp string, co *object) { c.condition(b, k, pp, co) })
		case "//":
		default:
			c.fail(p, "unknown output argument")
		}
	}
	return f
}

func (c *conv) module(path, name string, o *object) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	b := f.Body().AppendNewBlock("module", []string{name}).Body()
	for _, k := range o.keys {
		p := path + "." + k
		v := o.vals[k]
		switch k {
		case "source", "version":
			setRaw(b, k, c.literal(p, v))
		case "providers":
			po, ok := v.(*object)
			if !ok {
				c.fail(p, "want an object, got %s", kind(v))
				continue
			}
			var lines []string
			for _, pk := range po.keys {
				lines = append(lines, objectKey(pk)+" = "+c.providerRef(p+"."+pk, po.vals[pk]))
			}
			setRaw(b, k, "{\n"+strings.Join(lines, "\n")+"\n}")
		case "depends_on":
			c.dependsOn(b, path, o)
		case "lifecycle", "provisioner", "connection":
			c.fail(p, "not supported in a module block")
		case "//":
		default:
			setRaw(b, k, c.expr(p, v, exprCtx{attr: k, top: true}))
		}
	}
	return f
}

func (c *conv) movedBlock(path string, o *object) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	b := f.Body().AppendNewBlock("moved", nil).Body()
	for _, k := range o.keys {
		switch k {
		case "from", "to":
			// The old addresses: kept as written, so that a chain to the
			// readable name (a moved block of ours) follows on.
			s, _ := o.vals[k].(string)
			if _, diags := hclsyntax.ParseTraversalAbs([]byte(s), path, hcl.InitialPos); s == "" || diags.HasErrors() {
				c.fail(path+"."+k, "not an address: %s", encode(o.vals[k]))
				continue
			}
			setRaw(b, k, s)
		case "//":
		default:
			c.fail(path+"."+k, "unknown argument of moved")
		}
	}
	return f
}

func (c *conv) importBlock(path string, o *object) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	b := f.Body().AppendNewBlock("import", nil).Body()
	for _, k := range o.keys {
		p := path + "." + k
		switch k {
		case "to":
			setRaw(b, k, c.traversal(p, o.vals[k]))
		case "provider":
			setRaw(b, k, c.providerRef(p, o.vals[k]))
		case "id", "for_each", "identity":
			setRaw(b, k, c.expr(p, o.vals[k], exprCtx{}))
		case "//":
		default:
			c.fail(p, "unknown argument of import")
		}
	}
	return f
}

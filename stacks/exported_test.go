package stacks

import (
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

// addressable is what Terraform resources and data sources have in common:
// their type and the name under which they appear in the JSON.
type addressable interface {
	TerraformResourceType() *string
	FriendlyUniqueId() *string
}

var dependableType = reflect.TypeFor[cdktf.ITerraformDependable]()

// exportedAddresses walks the exported fields of v (structs, pointers,
// slices, maps) and returns the JSON address ("resource.type.name" or
// "data.type.name") of every resource or data source it reaches through a
// field of the resource's own type. Fields typed as mere dependables
// (EgressReady, Listeners, WaitFor) do not count: they are lists of things to
// wait for, not a way to find a resource.
func exportedAddresses(v reflect.Value, seen map[uintptr]bool, out map[string]string, path string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		exportedAddresses(v.Elem(), seen, out, path)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Type() == dependableType {
			return
		}
		if a, ok := v.Interface().(addressable); ok {
			kind := "resource."
			if *cdktf.TerraformDataSource_IsTerraformDataSource(a) {
				kind = "data."
			}
			out[kind+*a.TerraformResourceType()+"."+*a.FriendlyUniqueId()] = path
			return
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.IsExported() {
				exportedAddresses(v.Field(i), seen, out, path+"."+f.Name)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem() == dependableType {
			return
		}
		for i := 0; i < v.Len(); i++ {
			exportedAddresses(v.Index(i), seen, out, path)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			exportedAddresses(v.MapIndex(k), seen, out, path)
		}
	}
}

// jsonAddresses lists every resource and data source of a document.
func jsonAddresses(doc testutil.Doc) []string {
	var out []string
	for _, kind := range []string{"resource", "data"} {
		all, _ := doc[kind].(map[string]any)
		for typ, byName := range all {
			for name := range byName.(map[string]any) {
				out = append(out, kind+"."+typ+"."+name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestEveryResourceIsAnExportedField: every resource and data source in the
// synthesized JSON of every default stack and every variant can be reached
// from the *Stack that New returned, through exported fields, so that a user
// can adjust anything the props do not cover. A construct that creates
// something without exporting it fails here, naming the address.
func TestEveryResourceIsAnExportedField(t *testing.T) {
	for _, s := range []synthesized{defaults(t), variants(t)} {
		for _, name := range testutil.SortedKeys(s.Doc) {
			t.Run(name, func(t *testing.T) {
				reached := map[string]string{}
				exportedAddresses(reflect.ValueOf(s.Stacks[name]), map[uintptr]bool{}, reached, "Stack")
				all := jsonAddresses(s.Doc[name])
				if len(all) == 0 {
					t.Fatal("the stack has no resources: the test would check nothing")
				}
				for _, addr := range all {
					if _, ok := reached[addr]; !ok {
						t.Errorf("%s is in the synthesized JSON but no exported field of the Stack leads to it", addr)
					}
				}
				for addr, field := range reached {
					if !slices.Contains(all, addr) {
						t.Errorf("%s (%s) is reached through exported fields but is not in the JSON: the walk is wrong", addr, field)
					}
				}
			})
		}
	}
}

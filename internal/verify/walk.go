package verify

import (
	"fmt"
	"reflect"
	"slices"
)

// Strings calls fn for every string reachable from v (a props value): struct
// fields, slice and array elements, map keys and values, through pointers.
// field is the path as the user wrote it, under root (usually "", the props
// value itself): "Containers[0].Environment[\"MODE\"]". Interfaces (jsii objects),
// functions and unexported fields are not entered, except unexported fields
// tagged `verify:"walk"`: the parts of a value built by constructor functions
// (container.Secret), reported under the value's own field.
func Strings(root string, v any, fn func(field, s string)) {
	walk(root, reflect.ValueOf(v), fn, 0)
}

func walk(field string, v reflect.Value, fn func(field, s string), depth int) {
	if depth > 8 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		fn(field, v.String())
	case reflect.Pointer:
		if !v.IsNil() {
			walk(field, v.Elem(), fn, depth+1)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				if f.Tag.Get("verify") == "walk" {
					walk(field, v.Field(i), fn, depth+1)
				}
				continue
			}
			name := Join(field, f.Name)
			if f.Anonymous {
				name = field
			}
			walk(name, v.Field(i), fn, depth+1)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walk(fmt.Sprintf("%s[%d]", field, i), v.Index(i), fn, depth+1)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return compareKeys(a, b) })
		for _, k := range keys {
			f := fmt.Sprintf("%s[%s]", field, Problem{Value: k.Interface()}.ValueString())
			walk(f, k, fn, depth+1)
			walk(f, v.MapIndex(k), fn, depth+1)
		}
	}
}

func compareKeys(a, b reflect.Value) int {
	x, y := fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface())
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// FakeTokens runs [Checker.NoFakeToken] on every string of props (see
// [Strings]); root is the path of props, "" for the props value itself.
func (c *Checker) FakeTokens(root string, props any) {
	Strings(root, props, func(field, s string) { c.NoFakeToken(field, s) })
}

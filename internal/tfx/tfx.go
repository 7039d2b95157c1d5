// Package tfx converts plain Go values into the pointer-heavy shapes that the
// generated CDKTF provider bindings take, so that the constructs' public API can
// stay plain Go.
package tfx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// Str returns a pointer to s.
func Str(s string) *string { return &s }

// Num returns a pointer to n as the float64 the bindings use for numbers.
func Num[T int | float64](n T) *float64 { f := float64(n); return &f }

// Bool returns a pointer to b.
func Bool(b bool) *bool { return &b }

// Strs converts a string slice.
func Strs(ss []string) *[]*string {
	out := make([]*string, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return &out
}

// Tags merges maps left to right (later keys win) into the bindings' tag map.
// It returns nil when the result is empty, so no empty "tags" block is emitted.
func Tags(ms ...map[string]string) *map[string]*string {
	merged := map[string]string{}
	for _, m := range ms {
		maps.Copy(merged, m)
	}
	if len(merged) == 0 {
		return nil
	}
	out := make(map[string]*string, len(merged))
	for _, k := range slices.Sorted(maps.Keys(merged)) {
		v := merged[k]
		out[k] = &v
	}
	return &out
}

// Deps converts dependables into the DependsOn shape.
func Deps(ds ...cdktf.ITerraformDependable) *[]cdktf.ITerraformDependable {
	out := make([]cdktf.ITerraformDependable, 0, len(ds))
	for _, d := range ds {
		if d != nil {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

// JSON encodes v as compact JSON without HTML escaping (so "<" and "&" stay
// readable in policies and container definitions). v must be plain data:
// strings, numbers, slices, maps and structs of them, which cannot fail to
// encode; a failure is a programming error and panics.
func JSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("tfx.JSON: %v", err))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// PanicMessage is the first line of a recovered panic of the generated
// bindings: the jsii error without its JavaScript stack trace.
func PanicMessage(r any) string {
	s := fmt.Sprint(r)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Kernel runs f, a call into the jsii kernel, and turns a panic of the
// generated bindings into an error: its first line ([PanicMessage]).
func Kernel[T any](f func() T) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s", PanicMessage(r))
		}
	}()
	return f(), nil
}

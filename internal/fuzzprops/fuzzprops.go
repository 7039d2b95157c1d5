// Package fuzzprops runs Go native fuzz targets over construct props.
//
// The fuzzer's bytes are decoded as JSON onto a copy of a valid base value
// (structured decoding: every field, nested slice and map of the props type
// is reachable, and a seed is a readable JSON document). Bytes that are not
// JSON for the type are skipped. The property of every target: the check
// either accepts the props or returns a *propcheck.Error in which every
// problem names a field, and it never panics or leaks a jsii trace.
package fuzzprops

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/constructs/propcheck"
)

// Run adds base and seeds to f's corpus and fuzzes check over values decoded
// onto a copy of base.
func Run[T any](f *testing.F, base T, check func(T) error, seeds ...T) {
	for _, s := range append([]T{base}, seeds...) {
		f.Add(Encode(s))
	}
	baseJSON := Encode(base)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, ok := Decode[T](baseJSON, data)
		if !ok {
			return
		}
		Holds(t, func() error { return check(v) })
	})
}

// Decode decodes data onto a fresh copy of the value encoded as base.
func Decode[T any](base, data []byte) (T, bool) {
	var v T
	if err := json.Unmarshal(base, &v); err != nil {
		return v, false
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, false
	}
	return v, true
}

// Encode is the corpus form of v.
func Encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Call runs f and fails t if it panics.
func Call(t testing.TB, f func() error) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panicked instead of returning an error: %v", r)
		}
	}()
	return f()
}

// Holds runs check and fails t unless the property holds.
func Holds(t testing.TB, check func() error) {
	t.Helper()
	err := Call(t, check)
	if err == nil {
		return
	}
	var pe *propcheck.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want nil or a *propcheck.Error, got %T: %v", err, err)
	}
	if len(pe.Problems) == 0 {
		t.Fatalf("a *propcheck.Error without problems: %v", err)
	}
	for _, p := range pe.Problems {
		if p.Field == "" || p.Rule == "" {
			t.Fatalf("a problem that names no field or rule: %#v", p)
		}
	}
	if msg := err.Error(); strings.Contains(msg, "goroutine ") || strings.Contains(msg, "@jsii") || strings.Contains(msg, "node_modules") {
		t.Fatalf("the message leaks a trace: %v", err)
	}
}

// CorpusFile is the content of a Go fuzz corpus file holding data.
func CorpusFile(data []byte) []byte {
	return []byte("go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n")
}

// ReadCorpus returns the data of every corpus file in dir, by file name.
func ReadCorpus(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		lines := strings.SplitN(string(b), "\n", 3)
		if len(lines) < 2 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "[]byte(") || !strings.HasSuffix(lines[1], ")") {
			return nil, fmt.Errorf("%s: not a one-value []byte corpus file", e.Name())
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", e.Name(), err)
		}
		out[e.Name()] = []byte(s)
	}
	return out, nil
}

// FileName turns a case name into a corpus file name.
func FileName(name string) string {
	return "hostile-" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, name)
}

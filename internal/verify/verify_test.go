package verify

import (
	"errors"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

func TestLiteralEscapesTemplateSyntaxButKeepsTokens(t *testing.T) {
	cases := map[string]string{
		"plain":                                  "plain",
		"${HOME}/bin":                            "$${HOME}/bin",
		"%{ if x }":                              "%%{ if x }",
		"a ${TfToken[TOKEN.1]} b ${x}":           "a ${TfToken[TOKEN.1]} b $${x}",
		"${TfToken[TOKEN.2]}${TfToken[TOKEN.3]}": "${TfToken[TOKEN.2]}${TfToken[TOKEN.3]}",
		"${TfToken[T3]} is no token":             "$${TfToken[T3]} is no token",
	}
	for in, want := range cases {
		if got := Literal(in); got != want {
			t.Errorf("Literal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrorNamesFieldValueAndRule(t *testing.T) {
	c := New("thing.New")
	c.Add("Port", 70000, "must be between %d and %d", 1, 65535)
	c.Add("Name", "bad\nname", "no newlines")
	err := c.Err()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("Err() = %T", err)
	}
	msg := err.Error()
	for _, want := range []string{"thing.New: 2 invalid props", "Port = 70000: must be between 1 and 65535", `Name = "bad\nname": no newlines`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if got := pe.Fields(); len(got) != 2 || got[0] != "Port" {
		t.Errorf("Fields() = %v", got)
	}
}

func TestNoErrorWhenNothingWasAdded(t *testing.T) {
	if err := New("x").Err(); err != nil {
		t.Fatalf("Err() = %v, want nil", err)
	}
}

func TestTokensAreNotValidated(t *testing.T) {
	c := New("x")
	c.CIDR("F", "${TfToken[TOKEN.7]}")
	c.NoTemplate("G", "prefix-${TfToken[TOKEN.8]}")
	if !c.OK() {
		t.Fatalf("tokens were validated: %v", c.Err())
	}
	c.NoTemplate("H", "name-${var.x}")
	c.CIDR("I", "10.0.0.1/16")
	if got := c.Err().(*Error).Fields(); len(got) != 2 {
		t.Fatalf("want H and I refused, got %v", got)
	}
}

func TestTags(t *testing.T) {
	c := New("x")
	c.Tags("Tags", map[string]string{"Team": "payments", "aws:x": "y", "Bad{": "v", "Note": "line\nbreak"})
	fields := c.Err().(*Error).Fields()
	if len(fields) != 3 {
		t.Fatalf("want 3 bad tags, got %v", fields)
	}
}

// GIVEN the problems of a part's props WHEN the caller merges them under the
// field that holds those props THEN each field is the caller's Go path, and
// the constructor's arguments keep theirs.
func TestMergeUnderMovesFieldsUnderThePropsField(t *testing.T) {
	part := New("service.New")
	part.Add("CPU", 300, "bad")
	part.Add("Containers[0].Image", "", "bad")
	part.Add("id", "", "bad")
	c := New("albservice.New").At("web/Admin")
	c.MergeUnder("ServiceProps", part.Err())
	c.MergeUnder("Routes[0].ServiceProps", part.Err())
	c.MergeUnder("Workers", errors.New("plain"))
	want := []string{"ServiceProps.CPU", "ServiceProps.Containers[0].Image", "id", "Routes[0].ServiceProps.CPU", "Routes[0].ServiceProps.Containers[0].Image", "id", "Workers"}
	got := c.Err().(*Error).Fields()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fields = %v\nwant %v", got, want)
	}
}

// GIVEN an error of a constructor called for the user WHEN the caller adopts
// it THEN it is the caller's error (Op, Path, fields under the props field);
// an error that is no *Error is returned as it is.
func TestAdoptMakesAPartsErrorTheCallers(t *testing.T) {
	part := New("network.New").At("web/Admin/Network")
	part.Add("Name", "core", "is taken")
	err := New("albservice.New").At("web/Admin").Adopt("NetworkProps", part.Err())
	pe := err.(*Error)
	if pe.Op != "albservice.New" || pe.Path != "web/Admin" || strings.Join(pe.Fields(), " ") != "NetworkProps.Name" {
		t.Errorf("adopted: %#v", pe)
	}
	plain := errors.New("panic")
	if got := New("x").Adopt("P", plain); got != plain {
		t.Errorf("a plain error was changed: %v", got)
	}
}

// GIVEN a check's error without a path WHEN the constructor locates it THEN
// the path is set on a copy; an error that has a path keeps it.
func TestLocatedSetsThePathOnce(t *testing.T) {
	c := New("service.New")
	c.Add("CPU", 300, "bad")
	err := c.Err()
	got := Located(err, "web/Api")
	if got.(*Error).Path != "web/Api" || err.(*Error).Path != "" {
		t.Errorf("Located: %v (original %v)", got, err)
	}
	if again := Located(got, "other"); again.(*Error).Path != "web/Api" {
		t.Errorf("a path was replaced: %v", again)
	}
	if !strings.HasPrefix(got.Error(), "service.New(web/Api): invalid props: CPU = 300") {
		t.Errorf("message: %v", got)
	}
}

// GIVEN a props value WHEN Strings walks it from the root "" THEN fields are
// relative to the value.
func TestStringsFromTheRootAreRelative(t *testing.T) {
	type inner struct{ Image string }
	type props struct {
		Name       string
		Containers []inner
		Tags       map[string]string
	}
	var got []string
	Strings("", props{Name: "n", Containers: []inner{{Image: "i"}}, Tags: map[string]string{"k": "v"}}, func(f, _ string) { got = append(got, f) })
	want := `Name Containers[0].Image Tags["k"] Tags["k"]`
	if strings.Join(got, " ") != want {
		t.Errorf("fields = %v, want %s", got, want)
	}
}

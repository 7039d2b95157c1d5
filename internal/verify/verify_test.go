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
	c.Add("Thing.Port", 70000, "must be between %d and %d", 1, 65535)
	c.Add("Thing.Name", "bad\nname", "no newlines")
	err := c.Err()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("Err() = %T", err)
	}
	msg := err.Error()
	for _, want := range []string{"thing.New: 2 invalid props", "Thing.Port = 70000: must be between 1 and 65535", `Thing.Name = "bad\nname": no newlines`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if got := pe.Fields(); len(got) != 2 || got[0] != "Thing.Port" {
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

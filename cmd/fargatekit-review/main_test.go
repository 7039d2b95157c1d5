package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/fargatekit/fargatekit/internal/testutil" // -update
)

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"only-one"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage: fargatekit-review [-plan STACK=PLAN.json]... OLD_DIR NEW_DIR") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

func TestComparesTwoStackDirectories(t *testing.T) {
	doc, err := os.ReadFile("../../stacks/testdata/production.golden")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := os.ReadFile("../../stacks/testdata/development.golden")
	if err != nil {
		t.Fatal(err)
	}
	old, new := filepath.Join(t.TempDir(), "production"), filepath.Join(t.TempDir(), "production")
	for dir, b := range map[string][]byte{old: doc, new: dev} {
		os.MkdirAll(dir, 0o755)
		if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{old, new}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	// Production to development: one NAT gateway fewer is destroyed, and
	// the floor falls from $135.20 to $79.12.
	for _, want := range []string{"| production | $135.20 | $79.12 | -$56.08 |", "**destroy** | `aws_nat_gateway.Network_NatGateway1_1FEB5E34`"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

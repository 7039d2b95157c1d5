package awsprovider

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

func TestVersionConstraints(t *testing.T) {
	ok := []string{DefaultVersionConstraint, "~> 5.84", "~> 5.0", ">= 5.90", "5.100.0", ">= 5.84.0, != 5.90.0, < 6"}
	bad := []string{"~> 4.0", "< 5.84.0", ">= 6.0", "latest", "5.84.0 || 5.85.0", ""}
	for _, c := range ok {
		if good, why := admits5x(c); !good {
			t.Errorf("%q refused: %s", c, why)
		}
	}
	for _, c := range bad[:len(bad)-1] {
		if good, _ := admits5x(c); good {
			t.Errorf("%q accepted; it admits no usable 5.x release", c)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := Validate(Props{Region: "eu-central-1"}); err != nil {
		t.Fatal(err)
	}
	if err := Validate(Props{}); err == nil {
		t.Fatal("accepted an empty region")
	}
	if err := Validate(Props{Region: "us-gov-west-1", AllowedAccountIDs: []string{"1234"}}); err == nil {
		t.Fatal("accepted a short account id")
	}
}

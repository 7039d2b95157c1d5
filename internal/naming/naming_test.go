package naming

import (
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update

func TestFitKeepsShortNames(t *testing.T) {
	if got := Fit("my-service", 32); got != "my-service" {
		t.Fatalf("Fit(short) = %q, want it unchanged", got)
	}
}

func TestFitShortensLongNamesDeterministically(t *testing.T) {
	long := strings.Repeat("a-very-long-service-name-", 3)
	got := Fit(long, 32)
	if len(got) > 32 {
		t.Fatalf("Fit = %q (%d chars), want at most 32", got, len(got))
	}
	if got != Fit(long, 32) {
		t.Fatal("Fit is not deterministic")
	}
	if other := Fit(long+"x", 32); other == got {
		t.Fatalf("two different long names both fit to %q", got)
	}
	if strings.HasSuffix(strings.TrimSuffix(got, got[len(got)-7:]), "-") {
		t.Fatalf("Fit = %q leaves a double hyphen", got)
	}
}

func TestPrefix(t *testing.T) {
	cases := map[string]string{"my-service": "my-se-", "api": "api-", "ab-cd": "ab-cd-", "abcd-efg": "abcd-"}
	for in, want := range cases {
		if got := Prefix(in, 6); got != want || len(got) > 6 {
			t.Errorf("Prefix(%q, 6) = %q, want %q", in, got, want)
		}
	}
}

func TestFromIDIsValidForEveryPartName(t *testing.T) {
	for id, want := range map[string]string{
		"Web":                   "web",
		"web":                   "web",
		"Queue_Consumer":        "queue-consumer",
		"--Api.v2--":            "api-v2",
		"a  b":                  "a-b",
		"__":                    "",
		strings.Repeat("X", 70): Fit(strings.Repeat("x", 70), 63),
	} {
		if got := FromID(id); got != want {
			t.Errorf("FromID(%q) = %q, want %q", id, got, want)
		}
		if got := FromID(id); got != "" && (len(got) > 63 || strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Trim(got, "abcdefghijklmnopqrstuvwxyz0123456789-") != "") {
			t.Errorf("FromID(%q) = %q: not 1-63 lowercase letters, digits and inner hyphens", id, got)
		}
	}
}

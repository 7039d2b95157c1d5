package domain

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/fuzzprops"
)

// FuzzNew: any Props decoded from the fuzzer's bytes is accepted or refused
// with problems that name fields; never a panic.
func FuzzNew(f *testing.F) {
	fuzzprops.Run(f, Props{Name: "www.example.com", ZoneName: "example.com", ZoneID: "Z0123456789ABCDEFGHIJ"}, Validate,
		Props{Name: "example.com", SubjectAlternativeNames: []string{"*.example.com", "api.example.com"}, ZoneName: "example.com", ZoneID: "Z0123456789ABCDEFGHIJ", Tags: map[string]string{"Team": "web"}},
		Props{Name: "${aws:username}.example.com", ZoneName: "example.com", ZoneID: "Z0123456789ABCDEFGHIJ"},
		Props{Name: "a.other.org", ZoneName: "example.com", ZoneID: "Z0123456789ABCDEFGHIJ"})
}

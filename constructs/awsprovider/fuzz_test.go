package awsprovider

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/fuzzprops"
)

// FuzzNew: any Props decoded from the fuzzer's bytes is accepted or refused
// with problems that name fields; never a panic.
func FuzzNew(f *testing.F) {
	fuzzprops.Run(f, Props{Region: "us-east-1"}, Validate,
		Props{Region: "eu-west-1", VersionConstraint: "~> 5.90", DefaultTags: map[string]string{"Team": "web"}, AllowedAccountIDs: []string{"123456789012"}})
}

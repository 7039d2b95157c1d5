package cluster

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/fuzzprops"
)

// FuzzNew: any Props decoded from the fuzzer's bytes is accepted or refused
// with problems that name fields; never a panic.
func FuzzNew(f *testing.F) {
	fuzzprops.Run(f, Props{Name: "shared"}, Validate,
		Props{Name: "spot", DefaultStrategy: spotStrategy, Tags: map[string]string{"Team": "web"}})
}

// FuzzFromName: the same property for FromName.
func FuzzFromName(f *testing.F) {
	fuzzprops.Run(f, "shared", func(name string) error { _, err := FromName(name); return err }, "a_b-c")
}

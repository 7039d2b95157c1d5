package iampolicy

import (
	"testing"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/internal/fuzzprops"
)

// FuzzCheck: any statement list decoded from the fuzzer's bytes is accepted
// or refused with problems that name fields; never a panic.
func FuzzCheck(f *testing.F) {
	fuzzprops.Run(f, []Statement{{Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*"}}}, func(s []Statement) error {
		c := verify.New("test")
		checkStatements(c, "TaskPolicy", s)
		checkSize(c, "TaskPolicy", Document{Statement: s})
		return c.Err()
	})
}

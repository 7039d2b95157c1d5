package main

import "github.com/fargatekit/fargatekit/internal/testutil"

// Every test package accepts -update, so `go test ./... -update` runs.
var _ = testutil.Update

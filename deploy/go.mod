// This directory holds the pinned cdktf CLI (package.json) and the local
// deploy script. cdktf-cli ships Go project templates inside node_modules;
// this otherwise empty module keeps them out of the main module's ./... so
// that `go test ./...` and `go vet ./...` never compile them.
module github.com/fargatekit/fargatekit/deploy

go 1.26

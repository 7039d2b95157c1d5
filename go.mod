module github.com/fargatekit/fargatekit

go 1.26

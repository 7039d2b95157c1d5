package stacks_test

import (
	"fmt"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/stacks"
)

// A stack from a typed config: the article's production stack, with the
// state moved to S3.
func ExampleNew() {
	app := cdktf.NewApp(nil)
	cfg := stacks.Production()
	cfg.Backend.S3 = &stacks.S3Backend{Bucket: "acme-terraform-state"}
	st, err := stacks.New(app, cfg)
	if err != nil {
		panic(err)
	}
	fmt.Println(st.Cluster.Name, st.Service.Name, st.LoadBalancer.Name)
	// Output: production-cluster my-service my-service
}

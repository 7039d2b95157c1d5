// Command jsiicount makes a known number of jsii kernel round trips. The
// benchmark runner uses it to check that counting JSII_DEBUG=1 request lines
// counts round trips exactly (see bench/README.md):
//
//   - starting the kernel and creating a cdktf App and a stack costs a fixed
//     number of requests;
//
//   - each -k adds exactly one static call (Token.asString: one "sinvoke");
//
//   - each -cb adds one Go object passed to JS (registered with a "create"),
//     one static call that wraps it in a lazy token and one static
//     Tokenization.resolve during which the kernel calls Produce back in Go
//     once: 4 requests (create, sinvoke, sinvoke, complete), 1 callback.
//
//     jsiicount -k K -cb C
package main

import (
	"flag"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// producer is a Go implementation of a jsii interface; the kernel calls its
// Produce method back across the process boundary. It is not zero-sized, so
// each &producer{} is a distinct pointer and is registered with its own
// "create" (zero-sized values share one address and would be registered once).
type producer struct{ id int }

func (*producer) Produce(context cdktf.IResolveContext) *string { return jsii.String("v") }

func main() {
	k := flag.Int("k", 0, "number of extra static calls")
	cb := flag.Int("cb", 0, "number of extra resolves that call back into Go")
	flag.Parse()
	defer jsii.Close()

	app := cdktf.NewApp(&cdktf.AppConfig{SkipValidation: jsii.Bool(true)})
	stack := cdktf.NewTerraformStack(app, jsii.String("s"))
	for range *k {
		cdktf.Token_AsString(jsii.String("x"), nil)
	}
	resolve := &cdktf.ResolveOptions{
		Resolver: cdktf.NewDefaultTokenResolver(cdktf.NewStringConcat()),
		Scope:    stack,
	}
	for i := range *cb {
		lazy := cdktf.Lazy_StringValue(&producer{id: i}, nil)
		cdktf.Tokenization_Resolve(lazy, resolve)
	}
}

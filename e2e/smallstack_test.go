package e2e

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/fargatekit/fargatekit/constructs/awsprovider"
	"github.com/fargatekit/fargatekit/internal/tftest"
)

// smallStack is a stack a test composes from the constructs itself, to prove
// an option the default stacks leave off. Its state is a local file beside
// its cdk.tf.json.
type smallStack struct {
	app   cdktf.App
	stack cdktf.TerraformStack
	dir   string
	// synthesized releases synthMu, held from newSmallStack until the stack
	// is synthesized: building it and synthesizing it talk to the one jsii
	// kernel that the parallel tests of this binary share.
	synthesized func()
}

func newSmallStack(t *testing.T, name string) smallStack {
	t.Helper()
	synthMu.Lock()
	synthesized := sync.OnceFunc(synthMu.Unlock)
	t.Cleanup(synthesized) // a test that fails before deploy releases it too
	outdir := filepath.Join(t.TempDir(), "cdktf.out")
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: &outdir})
	stack := cdktf.NewTerraformStack(app, jsii.String(name))
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String("terraform.tfstate")})
	if _, err := awsprovider.New(stack, "aws", awsprovider.Props{Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	return smallStack{app: app, stack: stack, dir: filepath.Join(outdir, "stacks", name), synthesized: synthesized}
}

// deploy synthesizes the stack and, on its own emulator, applies it, hands
// the inventory to afterApply, plans (no change allowed), destroys and fails
// if anything is left.
func (s smallStack) deploy(t *testing.T, afterApply func(inv map[string][]string)) {
	t.Helper()
	s.app.Synth()
	s.synthesized()
	emu := startEmulator(t)
	tf := tftest.New(t, s.dir, emu.env())
	ctx := context.Background()
	timed(t, "init", func() error { return tf.Init(ctx) })
	timed(t, "apply", func() error { return tf.Apply(ctx) })
	afterApply(emu.inventory(t))
	timed(t, "plan", func() error { assertNoChanges(t, ctx, tf, s.dir); return nil })
	timed(t, "destroy", func() error { return tf.Destroy(ctx) })
	if left := leftovers(emu.inventory(t)); left != "" {
		t.Fatalf("destroy left resources behind in the emulator:\n%s", left)
	}
}

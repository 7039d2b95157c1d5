package e2e

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
	"github.com/fargatekit/fargatekit/internal/tftest"
)

// TestDeployTwoServices deploys examples/twoservices, an app outside the
// repository's module: two albservice patterns sharing one network, cluster
// and load balancer (the second through a listener rule) beside a plain SSM
// parameter, in one stack. Apply, a plan with no changes, destroy, and
// nothing left in the emulator, listener rules and parameters included.
func TestDeployTwoServices(t *testing.T) {
	if testing.Short() && !tftest.InCI() {
		t.Skip("deploys to the emulator")
	}
	t.Parallel()
	tftest.Binary(t)
	out := filepath.Join(t.TempDir(), "cdktf.out")
	testutil.RunExample(t, "twoservices", t.TempDir(), "-out", out)
	dir := filepath.Join(out, "stacks", "two-services")

	emu := startEmulator(t)
	tf := tftest.New(t, dir, emu.env())
	ctx := context.Background()
	timed(t, "init", func() error { return tf.Init(ctx) })
	apply := timed(t, "apply", func() error { return tf.Apply(ctx) })
	inv := emu.inventory(t)
	for kind, want := range map[string]int{"load_balancers": 1, "listener_rules": 1, "target_groups": 2, "ecs_services": 2, "ssm_parameters": 1, "vpcs": 1} {
		if got := len(inv[kind]); got != want {
			t.Errorf("after apply: %d %s, want %d: %v", got, kind, want, inv[kind])
		}
	}
	plan := timed(t, "plan", func() error { assertNoChanges(t, ctx, tf, dir); return nil })
	destroy := timed(t, "destroy", func() error { return tf.Destroy(ctx) })
	if left := leftovers(emu.inventory(t)); left != "" {
		t.Fatalf("destroy left resources behind in the emulator:\n%s", left)
	}
	t.Logf("TIMING two-services apply=%s plan=%s destroy=%s", apply, plan, destroy)
}

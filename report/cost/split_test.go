package cost

import (
	"testing"

	"github.com/fargatekit/fargatekit/report/tfmodel"
)

func TestSplitPlacesTheBaseFirstThenByWeight(t *testing.T) {
	strategy := []tfmodel.StrategyItem{{Provider: "FARGATE", Base: 2, Weight: 1}, {Provider: "FARGATE_SPOT", Weight: 3}}
	// 10 tasks: 2 on the base, the other 8 split 1:3 = 2 and 6.
	got := split(10, strategy)
	if got["FARGATE"] != 4 || got["FARGATE_SPOT"] != 6 {
		t.Errorf("10 tasks: %v, want FARGATE 4, FARGATE_SPOT 6", got)
	}
	// 1 task: all on the base.
	got = split(1, strategy)
	if got["FARGATE"] != 1 || got["FARGATE_SPOT"] != 0 {
		t.Errorf("1 task: %v, want FARGATE 1", got)
	}
}

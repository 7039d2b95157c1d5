package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestCountRoundTrips(t *testing.T) {
	long := `> {"api":"create","fqn":"x","args":["` + strings.Repeat("a", 200<<10) + `"]}`
	in := strings.Join([]string{
		`[@jsii/kernel] load {`,
		`> {"api":"load","name":"cdktf"}`,
		`< {"ok":{"assembly":"cdktf"}}`,
		long, // longer than the reader's buffer: still one line
		`< {"ok":{"$jsii.byref":"x@1"}}`,
		`> {"api":"sinvoke","fqn":"cdktf.Tokenization","method":"resolve"}`,
		`< {"callback":{"cookie":"Produce","cbid":"jsii::callback::20000"}}`,
		`> {"complete":{"cbid":"jsii::callback::20000","result":"v"}}`,
		`< {"ok":{"result":"v"}}`,
		`  > not at line start`,
		`> {"exit":0}`,
	}, "\n") + "\n"
	rt, err := countRoundTrips(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if rt.Requests != 4 || rt.Responses != 4 || rt.Callbacks != 1 {
		t.Errorf("requests %d responses %d callbacks %d, want 4 4 1", rt.Requests, rt.Responses, rt.Callbacks)
	}
	want := map[string]int{"load": 1, "create": 1, "sinvoke": 1, "complete": 1}
	for k, v := range want {
		if rt.ByAPI[k] != v {
			t.Errorf("ByAPI[%s] = %d, want %d (all: %v)", k, rt.ByAPI[k], v, rt.ByAPI)
		}
	}
}

func TestMeasureSumsProcessTree(t *testing.T) {
	// A shell whose child sleeps: the tree has two processes while it runs.
	cmd := exec.Command("sh", "-c", "sleep 0.3; true")
	res, err := measure(t.Context(), cmd, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if res.MaxProcs < 2 {
		t.Errorf("saw at most %d processes in the tree, want >= 2", res.MaxProcs)
	}
	if res.PeakRSS <= 0 || res.Sampled <= 0 || res.Wall < 300*time.Millisecond {
		t.Errorf("implausible result %+v", res)
	}
}

func TestTreeRSSOfSelf(t *testing.T) {
	rss, n := treeRSS(os.Getpid())
	if rss <= 0 || n < 1 {
		t.Errorf("treeRSS(self) = %d bytes in %d processes", rss, n)
	}
}

func TestExpectedCountsShape(t *testing.T) {
	// 26 shared resources, 13 per service, plus a listener rule each when N > 1.
	for n, want := range map[int]int{1: 38, 10: 156, 50: 676} {
		if got := total(expectedCounts(n), "resource."); got != want {
			t.Errorf("N=%d: %d resources expected, want %d", n, got, want)
		}
	}
}

func TestExpectedLibraryShape(t *testing.T) {
	// The library adds an ALB egress rule per service and routes the first
	// service through the listener's default action (no rule).
	for n, want := range map[int]int{1: 39, 10: 165, 50: 725} {
		if got := total(expectedFor("library", n), "resource."); got != want {
			t.Errorf("N=%d: %d resources expected for the library, want %d", n, got, want)
		}
	}
	if d := diffCounts(expectedFor("plaingo", 10), expectedCounts(10)); d != "" {
		t.Errorf("plaingo's shape differs from expectedCounts: %s", d)
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

var pageSize = int64(os.Getpagesize())

// runResult is one measured execution of a program.
type runResult struct {
	Wall     time.Duration
	PeakRSS  int64 // bytes: max over samples of the summed RSS of the process tree, or MaxRSSOne if higher
	Sampled  int64 // bytes: max over samples alone
	MaxProcs int   // most processes seen in the tree at one sample
	Samples  int
	// MaxRSSOne is the kernel's exact high-water mark (ru_maxrss) of the
	// largest single process in the tree: a lower bound for the tree's peak
	// that sampling cannot miss. Sampled well below it means a spike fell
	// between samples.
	MaxRSSOne int64
}

// measure starts cmd and samples the RSS of its whole process tree (the
// process and all its descendants, e.g. the Go binary, the jsii-runtime.js
// wrapper and the Node.js kernel it forks) every interval, keeping the
// maximum sum. Wall time is from Start to the end of Wait.
func measure(ctx context.Context, cmd *exec.Cmd, interval time.Duration) (runResult, error) {
	var res runResult
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	pid := cmd.Process.Pid

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			rss, procs := treeRSS(pid)
			res.Samples++
			if rss > res.Sampled {
				res.Sampled = rss
			}
			if procs > res.MaxProcs {
				res.MaxProcs = procs
			}
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()

	err := cmd.Wait()
	res.Wall = time.Since(start)
	close(done)
	wg.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.MaxRSSOne = ru.Maxrss * 1024 // KiB on Linux
	}
	res.PeakRSS = max(res.Sampled, res.MaxRSSOne)
	return res, err
}

// treeRSS returns the summed resident set size in bytes of pid and all its
// descendants, and how many processes that was. Children are found through
// /proc/PID/task/TID/children (every thread's list: a Go program forks from
// whichever thread it runs on). Processes that exit mid-walk are skipped.
func treeRSS(root int) (int64, int) {
	var total int64
	n := 0
	stack := []int{root}
	seen := map[int]bool{}
	for len(stack) > 0 {
		pid := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pid] {
			continue
		}
		seen[pid] = true
		rss, ok := statmRSS(pid)
		if !ok {
			continue
		}
		total += rss
		n++
		stack = append(stack, childrenOf(pid)...)
	}
	return total, n
}

func statmRSS(pid int) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * pageSize, true
}

func childrenOf(pid int) []int {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []int
	for _, t := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, t.Name(), "children"))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if c, err := strconv.Atoi(f); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// roundTrips is what a JSII_DEBUG=1 run logged. With JSII_DEBUG set, the
// @jsii/runtime kernel host echoes every message it reads from the Go process
// to stderr as a line "> {json}" and every message it writes back as
// "< {json}" (the Go runtime relays the kernel's stderr to its own). Each
// "> " line other than the final {"exit":...} is one request the Go side sent
// and then blocked on until the kernel answered: one round trip. Answers to
// kernel->Go callbacks ("< {"callback":...}" lines) arrive as
// "> {"complete":...}" requests, so a callback is counted once, by its
// completion.
type roundTrips struct {
	Requests  int            // "> " lines, excluding exit
	Responses int            // "< " lines (answers and callback requests)
	Callbacks int            // "< " lines that carry {"callback":...}
	ByAPI     map[string]int // requests by their "api" field
}

// countRoundTrips reads a JSII_DEBUG=1 stderr stream line by line without
// holding whole lines (a "> " line can carry a large JSON payload).
func countRoundTrips(r io.Reader) (roundTrips, error) {
	rt := roundTrips{ByAPI: map[string]int{}}
	br := bufio.NewReaderSize(r, 64<<10)
	atLineStart := true
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 {
			if atLineStart {
				classify(&rt, chunk)
			}
			atLineStart = chunk[len(chunk)-1] == '\n'
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			return rt, nil
		}
		if err != nil {
			return rt, err
		}
	}
}

func classify(rt *roundTrips, line []byte) {
	head := line
	if len(head) > 200 {
		head = head[:200]
	}
	switch {
	case bytes.HasPrefix(head, []byte("> ")):
		if bytes.HasPrefix(head, []byte(`> {"exit"`)) {
			return
		}
		rt.Requests++
		if bytes.HasPrefix(head, []byte(`> {"complete"`)) {
			rt.ByAPI["complete"]++ // the answer to a callback
		} else {
			rt.ByAPI[apiOf(head)]++
		}
	case bytes.HasPrefix(head, []byte("< ")):
		rt.Responses++
		if bytes.HasPrefix(head, []byte(`< {"callback"`)) {
			rt.Callbacks++
		}
	}
}

func apiOf(head []byte) string {
	const key = `"api":"`
	i := bytes.Index(head, []byte(key))
	if i < 0 {
		return "other"
	}
	rest := head[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return "other"
	}
	return string(rest[:j])
}

// countRun runs cmd once with JSII_DEBUG=1 and counts the round trips.
func countRun(cmd *exec.Cmd) (roundTrips, error) {
	cmd.Env = append(cmd.Env, "JSII_DEBUG=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return roundTrips{}, err
	}
	if err := cmd.Start(); err != nil {
		return roundTrips{}, err
	}
	rt, cerr := countRoundTrips(stderr)
	werr := cmd.Wait()
	if werr != nil {
		return rt, fmt.Errorf("%v (stderr consumed by the counter; rerun without JSII_DEBUG to see it)", werr)
	}
	return rt, cerr
}

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// earlyExitReader matches a pipeline stage that may stop reading before the
// stage in front of it has finished writing: head, grep -q/-m/-l, sed with a
// q command, awk with exit. The writer then dies of SIGPIPE, and under
// `set -o pipefail` the pipeline returns 141 at random (1 run in 20 of
// `terraform version | head -1` in CI). `|| true` would hide a real failure
// of the writer too, so it does not make such a pipe acceptable.
var earlyExitReader = regexp.MustCompile(`(^|[^|])\|&?\s*(head\b|grep\s+(-[a-zA-Z]*[qml]|--quiet|--max-count|--files-with-matches)|sed\b[^|]*[;'"/ ]q\b|awk\b[^|]*\bexit\b)`)

// pipefailHazards returns "line: text" for every early-exit pipe in a script
// that turns pipefail on.
func pipefailHazards(script string) []string {
	if !strings.Contains(script, "pipefail") {
		return nil
	}
	var found []string
	sc := bufio.NewScanner(strings.NewReader(script))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		code := line
		if i := strings.Index(code, " #"); i >= 0 {
			code = code[:i]
		}
		if strings.HasPrefix(strings.TrimSpace(code), "#") {
			continue
		}
		if earlyExitReader.MatchString(code) {
			found = append(found, strings.TrimSpace(line))
		}
	}
	return found
}

func TestPipefailHazardsFindsEarlyExitPipes(t *testing.T) {
	bad := []string{
		"terraform version | head -1",
		"x=$(find / -name a | head -n 1 || true)",
		"ps aux | grep -q node",
		"cat f |grep -m1 x",
		"go env | sed -n '1p;q'",
		"ls | awk '{print; exit}'",
	}
	good := []string{
		"tfv=$(terraform version)",
		`echo "${tfv%%$'\n'*}"`,
		"grep -q '^READY ' file && break",
		"a || head -1 f",
		"# terraform version | head -1",
		"go test ./... 2>&1 | tee log",
	}
	for _, l := range bad {
		if got := pipefailHazards("set -o pipefail\n" + l + "\n"); len(got) != 1 {
			t.Errorf("%q: not reported as an early-exit pipe", l)
		}
	}
	for _, l := range good {
		if got := pipefailHazards("set -euo pipefail\n" + l + "\n"); len(got) != 0 {
			t.Errorf("%q: reported as an early-exit pipe, but it is safe", l)
		}
	}
	if got := pipefailHazards("terraform version | head -1\n"); len(got) != 0 {
		t.Errorf("a script without pipefail was reported: %q", got)
	}
}

// TestScriptsHaveNoPipefailHazards reads every shell script the repository
// tracks (CI, the scanners, the local deploy) and refuses an early-exit pipe
// under pipefail, so the random CI failure of `| head -1` cannot come back.
func TestScriptsHaveNoPipefailHazards(t *testing.T) {
	out, err := exec.Command("git", "ls-files").Output()
	var files []string
	if err == nil {
		files = strings.Fields(string(out))
	} else {
		// Not a git checkout (an exported tree): every file below here.
		filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return nil
		})
	}
	checked := 0
	for _, f := range files {
		if strings.Contains(f, "node_modules/") || strings.Contains(f, "testdata/") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s := string(b)
		if !strings.HasSuffix(f, ".sh") && !strings.HasPrefix(s, "#!/usr/bin/env bash") &&
			!strings.HasPrefix(s, "#!/bin/bash") && !strings.HasPrefix(s, "#!/bin/sh") {
			continue
		}
		checked++
		for _, h := range pipefailHazards(s) {
			t.Errorf("%s: %q: under pipefail the writer dies of SIGPIPE when the reader exits early; capture the output first (v=$(cmd); echo \"${v%%%%$'\\n'*}\") or use find -print -quit", f, h)
		}
	}
	if checked < 5 {
		t.Fatalf("checked %d shell scripts, want at least .ci/run, .ci/fuzz, .ci/setup.d/*.sh, security/ci.sh and deploy/local-deploy", checked)
	}
}

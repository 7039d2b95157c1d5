package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// needApidiff returns the apidiff the gate would use, without installing
// it: the test skips without it on a developer machine and fails in CI.
func needApidiff(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs apidiff on the whole module at an older commit; skipped with -short")
	}
	if _, ok := findApidiff(context.Background(), "."); !ok {
		msg := "apidiff is not installed (on PATH or in go install's directory): " +
			"go install " + apidiffPkg + "@" + apidiffVersion + " (.ci/setup.d/15-apidiff.sh does it in CI)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for the release commit's worktree")
	}
}

// leftWorktrees lists the gate's temporary worktrees that git still knows.
func leftWorktrees(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("git", "worktree", "list", "--porcelain").Output()
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, l := range strings.Split(string(out), "\n") {
		if p, ok := strings.CutPrefix(l, "worktree "); ok && strings.Contains(filepath.Base(filepath.Dir(p)), "apigate-") {
			left = append(left, p)
		}
	}
	return left
}

func runGate(t *testing.T, changelog string) (int, string, string) {
	t.Helper()
	before := leftWorktrees(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, "../..", changelog, false, &stdout, &stderr)
	if after := leftWorktrees(t); len(after) > len(before) {
		t.Errorf("worktrees left behind: %v", after)
	}
	return code, stdout.String(), stderr.String()
}

// The gate on this repository, as CI runs it: every incompatible change
// since the newest release in CHANGELOG.md is listed there.
func TestGateOnRepository(t *testing.T) {
	needApidiff(t)
	code, stdout, stderr := runGate(t, "")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	summary := regexp.MustCompile(`^apigate: \d+ incompatible changes since v\d+\.\d+\.\d+ \(commit [0-9a-f]{7}\), all in CHANGELOG.md Unreleased / Breaking\n$`)
	if !summary.MatchString(stdout) {
		t.Errorf("stdout is not the one-line summary:\n%s", stdout)
	}
}

// The gate against a commit before three known breaks (network.Props.FlowLogs
// removed, service.Autoscaling and stacks.Stack no longer comparable): it
// fails with a stub for each while Unreleased / Breaking is empty, and
// passes with the entries this repository's CHANGELOG.md records for them
// under 0.1.0.
func TestGateFindsKnownBreaks(t *testing.T) {
	needApidiff(t)
	const before = "56c232b230689f99012f71f9b7ba28c89e1729fd" // production reads the account once; FlowLogs still there
	if err := exec.Command("git", "cat-file", "-e", before+"^{commit}").Run(); err != nil {
		t.Fatalf("commit %s is not in this clone (shallow? git fetch --unshallow): %v", before, err)
	}
	b, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	_, history, ok := strings.Cut(string(b), "### Breaking (since the first commit)\n")
	if !ok {
		t.Fatal("CHANGELOG.md has no '### Breaking (since the first commit)' under 0.1.0")
	}
	var entries []string
	for _, l := range strings.Split(history, "\n") {
		if strings.HasPrefix(l, "- ") {
			entries = append(entries, l)
		}
	}
	// The working tree is compared with 56c232b: what broke since v0.1.0
	// (Unreleased / Breaking) is among the changes too.
	_, unreleased, _ := strings.Cut(string(b), "\n## [Unreleased]\n")
	unreleased, _, _ = strings.Cut(unreleased, "\n## [")
	_, unreleased, _ = strings.Cut(unreleased, "### Breaking\n")
	unreleased, _, _ = strings.Cut(unreleased, "\n### ")
	for _, l := range strings.Split(unreleased, "\n") {
		if strings.HasPrefix(l, "- ") {
			entries = append(entries, l)
		}
	}
	write := func(breaking []string) string {
		f := filepath.Join(t.TempDir(), "CHANGELOG.md")
		text := "# Changelog\n\n## [Unreleased]\n\n### Breaking\n\n" + strings.Join(breaking, "\n") +
			"\n\n## [0.0.1] - 2026-11-26\n\nCommit: " + before + "\n"
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}

	code, stdout, stderr := runGate(t, write(nil))
	if code != 1 {
		t.Fatalf("exit %d with no entries, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"constructs/network: Props.FlowLogs: removed\n      - `network.Props.FlowLogs`: removed. Migration: TODO",
		"constructs/service: Autoscaling: old is comparable, new is not\n      - `service.Autoscaling`: old is comparable, new is not. Migration: TODO",
		"stacks: Stack: old is comparable, new is not\n      - `stacks.Stack`: old is comparable, new is not. Migration: TODO",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the report lacks\n%s\nstdout:\n%s", want, stdout)
		}
	}

	code, stdout, stderr = runGate(t, write(entries))
	if code != 0 {
		t.Fatalf("exit %d with the 0.1.0 and Unreleased entries, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "since v0.0.1 (commit 56c232b), all in ") {
		t.Errorf("summary:\n%s", stdout)
	}
}

// A release commit that is not in the clone is an error (exit 2), not a pass.
func TestGateMissingCommit(t *testing.T) {
	needApidiff(t)
	f := filepath.Join(t.TempDir(), "CHANGELOG.md")
	text := "## [Unreleased]\n### Breaking\n## [0.0.1] - 2026-11-26\nCommit: " + strings.Repeat("0", 40) + "\n"
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runGate(t, f)
	if code != 2 || !strings.Contains(stderr, "is not in this clone") || stdout != "" {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

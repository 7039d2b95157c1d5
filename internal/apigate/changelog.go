package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// release is one "## [x.y.z] - YYYY-MM-DD" section of CHANGELOG.md.
type release struct {
	Version string // "0.1.0"
	Date    string // "2026-12-02"
	Commit  string // the 40-hex commit the version was cut from
	Line    int
}

// entry is one list item of "## [Unreleased]" / "### Breaking": its text
// with the list marker removed and continuation lines joined by a space.
type entry struct {
	Line int
	Text string
}

// changelog is what the gate reads from CHANGELOG.md.
type changelog struct {
	Releases []release // in file order: the newest first
	Breaking []entry   // "## [Unreleased]" / "### Breaking"
}

var (
	releaseHeading = regexp.MustCompile(`^## \[(\d+)\.(\d+)\.(\d+)\] - (\d{4}-\d{2}-\d{2})( \[YANKED\])?$`)
	commitLine     = regexp.MustCompile(`^Commit: ([0-9a-f]{40})$`)
	listItem       = regexp.MustCompile(`^[-*] +(\S.*)$`)
)

// parseChangelog reads the format the top of CHANGELOG.md documents. It is
// strict: anything the gate cannot read for certain is an error, so a
// malformed file cannot make the gate pass.
//
//   - "## [Unreleased]" exactly once, before every released version;
//   - it holds "### Breaking" exactly once; under it only list items
//     ("- text" or "* text"), their indented continuation lines, blank lines
//     and HTML comments;
//   - each "## [x.y.z] - YYYY-MM-DD" is followed (blank lines aside) by
//     "Commit: <40 lowercase hex>", and versions descend;
//   - fenced code blocks and HTML comments are skipped everywhere.
func parseChangelog(text string) (*changelog, error) {
	const (
		none = iota
		unreleased
		released
	)
	cl := &changelog{}
	section := none
	sub := ""
	sawUnreleased, sawBreaking := false, false
	inFence, inComment := false, false
	fenceLine, commentLine := 0, 0
	wantCommit := false
	var cur *entry // the Breaking item that indented lines continue

	fail := func(n int, format string, args ...any) (*changelog, error) {
		return nil, fmt.Errorf("CHANGELOG.md:%d: %s", n, fmt.Sprintf(format, args...))
	}
	inBreaking := func() bool { return section == unreleased && sub == "Breaking" }

	lines := strings.Split(text, "\n")
	for i, raw := range lines {
		n := i + 1
		line := strings.TrimRight(raw, " \t\r")
		trimmed := strings.TrimSpace(line)

		if inComment {
			if strings.Contains(trimmed, "-->") {
				inComment = false
			}
			continue
		}
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			if inBreaking() {
				return fail(n, "a code block under ## [Unreleased] / ### Breaking: write each break as one list item")
			}
			inFence = !inFence
			fenceLine = n
			continue
		}
		if inFence {
			continue
		}
		if strings.HasPrefix(trimmed, "<!--") {
			if !strings.Contains(trimmed, "-->") {
				inComment = true
				commentLine = n
			}
			continue
		}

		if wantCommit {
			if trimmed == "" {
				continue
			}
			m := commitLine.FindStringSubmatch(line)
			if m == nil {
				return fail(n, "the line after %q must be \"Commit: <the release's full 40-hex commit hash>\", got %q",
					"## ["+cl.Releases[len(cl.Releases)-1].Version+"]", line)
			}
			cl.Releases[len(cl.Releases)-1].Commit = m[1]
			wantCommit = false
			continue
		}

		switch {
		case strings.HasPrefix(line, "# "):
			section, sub, cur = none, "", nil
			continue
		case strings.HasPrefix(line, "## "):
			sub, cur = "", nil
			switch {
			case line == "## [Unreleased]":
				if sawUnreleased {
					return fail(n, "a second ## [Unreleased]")
				}
				if len(cl.Releases) > 0 {
					return fail(n, "## [Unreleased] must come before the released versions")
				}
				sawUnreleased = true
				section = unreleased
			case releaseHeading.MatchString(line):
				m := releaseHeading.FindStringSubmatch(line)
				r := release{Version: m[1] + "." + m[2] + "." + m[3], Date: m[4], Line: n}
				if k := len(cl.Releases); k > 0 && !versionLess(r.Version, cl.Releases[k-1].Version) {
					return fail(n, "version %s must be older than %s above it (newest first)", r.Version, cl.Releases[k-1].Version)
				}
				cl.Releases = append(cl.Releases, r)
				section = released
				wantCommit = true
			case strings.HasPrefix(line, "## ["):
				return fail(n, "a version heading must read \"## [Unreleased]\" or \"## [x.y.z] - YYYY-MM-DD\", got %q", line)
			default:
				section = none
			}
			continue
		case strings.HasPrefix(line, "### "):
			cur = nil
			sub = strings.TrimSpace(strings.TrimPrefix(line, "### "))
			if section == unreleased && sub == "Breaking" {
				if sawBreaking {
					return fail(n, "a second ### Breaking under ## [Unreleased]")
				}
				sawBreaking = true
			}
			continue
		}

		if !inBreaking() {
			continue
		}
		switch {
		case trimmed == "":
			cur = nil
		case listItem.MatchString(line):
			cl.Breaking = append(cl.Breaking, entry{Line: n, Text: listItem.FindStringSubmatch(line)[1]})
			cur = &cl.Breaking[len(cl.Breaking)-1]
		case cur != nil && (line[0] == ' ' || line[0] == '\t'):
			cur.Text += " " + trimmed
		default:
			return fail(n, "under ## [Unreleased] / ### Breaking only list items (\"- ...\") and their indented continuation lines, got %q", line)
		}
	}

	switch {
	case inFence:
		return fail(fenceLine, "a code block that is never closed")
	case inComment:
		return fail(commentLine, "an HTML comment that is never closed")
	case wantCommit:
		return fail(len(lines), "the last release has no \"Commit: <40 hex>\" line")
	case !sawUnreleased:
		return nil, fmt.Errorf("CHANGELOG.md: no \"## [Unreleased]\" section")
	case !sawBreaking:
		return nil, fmt.Errorf("CHANGELOG.md: no \"### Breaking\" heading under ## [Unreleased] (keep the heading even with no entries)")
	case len(cl.Releases) == 0:
		return nil, fmt.Errorf("CHANGELOG.md: no released version (\"## [x.y.z] - YYYY-MM-DD\" with a Commit: line) to compare with")
	}
	return cl, nil
}

// versionLess reports a < b for "x.y.z" versions.
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range 3 {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return false
}

package main

import (
	"os"
	"strings"
	"testing"

	"github.com/fargatekit/fargatekit/internal/testutil"
)

var _ = testutil.Update // every test package of ./... takes -update

const hash1 = "24f32f3d5fb6ca0010ac2e40fadbe7818f7dbacb"
const hash2 = "142de49000000000000000000000000000000000"

// valid is a changelog in the documented form, with the things the parser
// must skip: a code block and HTML comments in the header, headings that
// look like sections inside them, other Unreleased subsections, and a
// released version's own Breaking list.
const valid = `# Changelog

How to write an entry:

` + "```" + `
## [9.9.9] - 2030-01-01
### Breaking
- not an entry
` + "```" + `

<!--
## [8.8.8] - 2030-01-01
-->

## [Unreleased]

### Breaking

<!-- one line per break -->
- ` + "`service.Props.Cpu`" + ` is now CPU. Migration: gofmt -r 'p.Cpu -> p.CPU'
* ` + "`constructs/registry`" + ` moved under internal/:
  import what you need from
	the stacks package instead.

- third

### Added

- not a break: service.Props.Memory

## [0.2.0] - 2026-12-20

Commit: ` + hash1 + `

### Breaking (since the first commit)

- older: network.Props.FlowLogs

## [0.1.0] - 2026-12-02
Commit: ` + hash2 + `
`

func TestParseChangelog(t *testing.T) {
	cl, err := parseChangelog(valid)
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Releases) != 2 {
		t.Fatalf("releases %+v, want 0.2.0 and 0.1.0", cl.Releases)
	}
	if r := cl.Releases[0]; r.Version != "0.2.0" || r.Date != "2026-12-20" || r.Commit != hash1 {
		t.Errorf("newest release %+v", r)
	}
	if r := cl.Releases[1]; r.Version != "0.1.0" || r.Commit != hash2 {
		t.Errorf("second release %+v", r)
	}
	want := []string{
		"`service.Props.Cpu` is now CPU. Migration: gofmt -r 'p.Cpu -> p.CPU'",
		"`constructs/registry` moved under internal/: import what you need from the stacks package instead.",
		"third",
	}
	if len(cl.Breaking) != len(want) {
		t.Fatalf("breaking entries %+v, want %q", cl.Breaking, want)
	}
	for i, e := range cl.Breaking {
		if e.Text != want[i] {
			t.Errorf("entry %d: %q, want %q", i, e.Text, want[i])
		}
	}
	if cl.Breaking[0].Line != 20 {
		t.Errorf("first entry on line %d, want 20", cl.Breaking[0].Line)
	}
}

// The repository's own changelog: v0.1.0 is commit 24f32f3 and Unreleased
// has a Breaking heading.
func TestRepositoryChangelog(t *testing.T) {
	b, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	cl, err := parseChangelog(string(b))
	if err != nil {
		t.Fatal(err)
	}
	if r := cl.Releases[len(cl.Releases)-1]; r.Version != "0.1.0" || r.Commit != hash1 {
		t.Errorf("oldest release %+v, want 0.1.0 at %s", r, hash1)
	}
}

func TestParseChangelogRefuses(t *testing.T) {
	release := "## [0.1.0] - 2026-12-02\n\nCommit: " + hash1 + "\n"
	cases := []struct {
		name, text, want string
	}{
		{"no unreleased", "# Changelog\n\n" + release, `no "## [Unreleased]"`},
		{"no breaking heading", "## [Unreleased]\n\n### Added\n\n- x\n\n" + release, `no "### Breaking"`},
		{"breaking only under a release", "## [Unreleased]\n\n" + release + "\n### Breaking\n", `no "### Breaking"`},
		{"no release", "## [Unreleased]\n\n### Breaking\n", "no released version"},
		{"no commit line", "## [Unreleased]\n### Breaking\n## [0.1.0] - 2026-12-02\n\n### Added\n", "must be \"Commit:"},
		{"commit at the end missing", "## [Unreleased]\n### Breaking\n## [0.1.0] - 2026-12-02\n", `no "Commit:`},
		{"short hash", "## [Unreleased]\n### Breaking\n## [0.1.0] - 2026-12-02\nCommit: 24f32f3\n", "must be \"Commit:"},
		{"upper-case hash", "## [Unreleased]\n### Breaking\n## [0.1.0] - 2026-12-02\nCommit: " + strings.ToUpper(hash1) + "\n", "must be \"Commit:"},
		{"hash in backticks", "## [Unreleased]\n### Breaking\n## [0.1.0] - 2026-12-02\nCommit: `" + hash1 + "`\n", "must be \"Commit:"},
		{"bad version heading", "## [Unreleased]\n### Breaking\n## [v0.1.0] - 2026-12-02\nCommit: " + hash1 + "\n", "version heading"},
		{"heading without date", "## [Unreleased]\n### Breaking\n## [0.1.0]\nCommit: " + hash1 + "\n", "version heading"},
		{"unreleased after a release", release + "\n## [Unreleased]\n### Breaking\n", "must come before"},
		{"two unreleased", "## [Unreleased]\n### Breaking\n## [Unreleased]\n" + release, "second ## [Unreleased]"},
		{"two breaking", "## [Unreleased]\n### Breaking\n- a\n### Breaking\n" + release, "second ### Breaking"},
		{"ascending versions", "## [Unreleased]\n### Breaking\n" + release + "## [0.2.0] - 2026-12-20\nCommit: " + hash2 + "\n", "must be older"},
		{"same version twice", "## [Unreleased]\n### Breaking\n" + release + release, "must be older"},
		{"prose under breaking", "## [Unreleased]\n### Breaking\n\nSome prose.\n\n" + release, "only list items"},
		{"indented line without an item", "## [Unreleased]\n### Breaking\n\n  dangling\n\n" + release, "only list items"},
		{"continuation after a blank line", "## [Unreleased]\n### Breaking\n- a\n\n  b\n" + release, "only list items"},
		{"sub-heading under breaking", "## [Unreleased]\n### Breaking\n#### API\n- a\n" + release, "only list items"},
		{"code block under breaking", "## [Unreleased]\n### Breaking\n```\n- a\n```\n" + release, "code block"},
		{"unclosed code block", "## [Unreleased]\n### Breaking\n" + release + "```\n", "never closed"},
		{"unclosed comment", "## [Unreleased]\n### Breaking\n<!--\n" + release, "never closed"},
		{"release hidden in a code block", "## [Unreleased]\n### Breaking\n### Added\n```\n" + release + "```\n", "no released version"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseChangelog(tc.text)
			if err == nil {
				t.Fatalf("accepted:\n%s", tc.text)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to say %q", err, tc.want)
			}
		})
	}
}

func TestParseChangelogEmptyBreaking(t *testing.T) {
	cl, err := parseChangelog("## [Unreleased]\r\n\r\n### Breaking\r\n\r\n### Fixed\r\n\r\n- x\r\n\r\n## [1.10.0] - 2027-01-01\r\nCommit: " + hash1 + "\r\n\r\n## [1.9.0] - 2026-12-01\r\nCommit: " + hash2 + "\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Breaking) != 0 || cl.Releases[0].Version != "1.10.0" {
		t.Errorf("got %+v", cl)
	}
}

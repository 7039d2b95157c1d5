package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Figures the docs quote: a money figure ($135.20, $0.004445, $1/month) and
// a task range of a cost claim (2 to 10 tasks, 1–3 tasks, 4 to 12 running
// tasks).
var (
	moneyFigure = regexp.MustCompile(`\$([0-9][0-9,]*(?:\.[0-9]+)?)`)
	taskRange   = regexp.MustCompile(`\b([0-9]+) ?(?:to|–) ?([0-9]+) (?:running )?tasks\b`)
	// A region of a doc between these markers quotes figures that are not
	// today's estimate on purpose (what a figure was before a change, the
	// arithmetic that leads to one); the opening marker says why.
	figuresSkip    = regexp.MustCompile(`^<!-- figures: not the estimate: .+ -->$`)
	figuresSkipEnd = "<!-- /figures -->"
)

// figureFiles are the files whose figures TestDocFiguresAreInTheGoldens
// checks: README.md and docs/*.md, except docs/speed.md, whose figures are
// timings measured on a machine, not computed by the report.
func figureFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := []string{"README.md"}
	for _, f := range files {
		if filepath.Base(f) != "speed.md" {
			out = append(out, f)
		}
	}
	return out
}

// knownFigures are the money figures and task ranges the cost goldens of
// this commit hold (report/cost/testdata/*.golden: every figure of the
// estimate, its unit prices, and the prices its sources quote), and the
// prices of the price tables (report/cost/prices/*.json), the data the docs'
// price table quotes and of which only us-east-1 has a golden.
func knownFigures(t *testing.T) (money, tasks map[string]string) {
	t.Helper()
	money, tasks = map[string]string{}, map[string]string{}
	goldens, err := filepath.Glob(filepath.Join("report", "cost", "testdata", "*.golden"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no cost goldens (%v)", err)
	}
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range moneyFigure.FindAllStringSubmatch(string(b), -1) {
			money[amount(m[1])] = g
		}
		for _, m := range taskRange.FindAllStringSubmatch(string(b), -1) {
			tasks[m[1]+"-"+m[2]] = g
		}
		// The JSON golden holds each line's amounts unrounded
		// (0.0005 for the SNS line, which the Markdown prints as $0.00).
		if strings.HasSuffix(g, ".json.golden") {
			var est struct {
				Lines []struct {
					UnitPrice float64 `json:"unit_price"`
					Floor     float64 `json:"floor_monthly"`
					Ceiling   float64 `json:"ceiling_monthly"`
				} `json:"lines"`
			}
			if err := json.Unmarshal(b, &est); err != nil {
				t.Fatalf("%s: %v", g, err)
			}
			for _, l := range est.Lines {
				for _, v := range []float64{l.UnitPrice, l.Floor, l.Ceiling} {
					money[amount(strconv.FormatFloat(v, 'f', -1, 64))] = g
				}
			}
		}
	}
	tables, err := filepath.Glob(filepath.Join("report", "cost", "prices", "*.json"))
	if err != nil || len(tables) == 0 {
		t.Fatalf("no price tables (%v)", err)
	}
	for _, p := range tables {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var walk func(any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for _, x := range v {
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			case float64:
				money[amount(strconv.FormatFloat(v, 'f', -1, 64))] = p
			}
		}
		walk(doc)
	}
	return money, tasks
}

// amount is the canonical form of a quoted amount: "1,000.50" and "1000.5"
// are the same figure, and so are "$1" and "$1.00".
func amount(s string) string {
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// TestDocFiguresAreInTheGoldens: every money figure and every task range of
// a cost claim that README.md and docs/*.md quote is one the cost goldens
// of the same commit hold (or, for a price, the price tables), so a change
// of the estimate that refreshes the goldens cannot leave a stale figure in
// the docs. Skipped on purpose: docs/speed.md (measured timings), and the
// regions between a `<!-- figures: not the estimate: why -->` marker and
// `<!-- /figures -->` (a figure before a change, or the arithmetic leading
// to one). TestReadmeCostsAreTheEstimates checks further that the README's
// totals are those of the stack they name.
func TestDocFiguresAreInTheGoldens(t *testing.T) {
	money, tasks := knownFigures(t)
	checked := 0
	for _, f := range figureFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		skipping, fence := false, false
		for i, line := range strings.Split(string(b), "\n") {
			trimmed := strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(trimmed, "```"):
				// Code blocks hold shell and Go, where $ is not money.
				fence = !fence
				continue
			case figuresSkip.MatchString(trimmed):
				skipping = true
				continue
			case trimmed == figuresSkipEnd:
				if !skipping {
					t.Errorf("%s:%d: %s without an opening marker", f, i+1, figuresSkipEnd)
				}
				skipping = false
				continue
			}
			if fence || skipping {
				continue
			}
			// Inline code (`$1`) is not a quoted figure either.
			prose := inlineCode.ReplaceAllString(line, "")
			for _, m := range moneyFigure.FindAllStringSubmatch(prose, -1) {
				checked++
				if _, ok := money[amount(m[1])]; !ok {
					t.Errorf("%s:%d: %s is in no cost golden (report/cost/testdata/*.golden) nor price table (report/cost/prices/*.json) of this commit: stale, or mark why it is not the estimate", f, i+1, m[0])
				}
			}
			for _, m := range taskRange.FindAllStringSubmatch(prose, -1) {
				checked++
				if _, ok := tasks[m[1]+"-"+m[2]]; !ok {
					t.Errorf("%s:%d: %q is a task range no cost golden (report/cost/testdata/*.golden) of this commit has", f, i+1, m[0])
				}
			}
		}
		if skipping {
			t.Errorf("%s: a %q region is not closed", f, "<!-- figures: not the estimate -->")
		}
	}
	if checked == 0 {
		t.Error("no figure found in README.md and docs/*.md: the patterns no longer match how the docs quote them")
	}
	t.Logf("%d figures checked", checked)
}

var inlineCode = regexp.MustCompile("`[^`]*`")

// Command scancheck reads one scanner's JSON report on one stack, sorts each
// finding into real, accepted or false using an ignore file, prints the
// findings and a one-line summary, and exits 1 when a HIGH or CRITICAL
// finding is real (in no ignore entry).
//
//	go run ./security/scancheck -scanner tfsec -stack production -ignore security/tfsec-ignore.txt report.json
//
// An ignore entry names one rule on one resource, not a whole rule, so that
// accepting the public load balancer does not also accept the next public
// resource someone adds. Each line of an ignore file is
//
//	RULE  STACKS  RESOURCE  VERDICT  REASON…
//
// RULE is the AVD id (AVD-AWS-0053), STACKS a comma-separated list or "*",
// RESOURCE a Terraform address (type.name), VERDICT "accepted" (real, and
// deliberate) or "false" (the scanner misread the JSON; REASON gives the
// JSON path that shows the setting). Blank lines and lines starting with "#"
// are comments. An entry that matches nothing in a stack it names is stale
// and fails the run, like a real finding: so a scanner whose report parses to
// nothing cannot pass.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Finding is one failed check, whichever scanner reported it.
type Finding struct {
	Rule     string // AVD id, e.g. AVD-AWS-0053
	Severity string // CRITICAL, HIGH, MEDIUM, LOW
	Resource string // Terraform address
	Message  string
	Line     int
}

// Entry is one line of an ignore file.
type Entry struct {
	Rule, Resource, Verdict, Reason string
	Stacks                          []string
	Line                            int
	used                            bool
}

func main() {
	scanner := flag.String("scanner", "", "tfsec or trivy")
	stack := flag.String("stack", "", "stack name, as in cdktf.out/stacks/<name>")
	ignore := flag.String("ignore", "", "ignore file")
	flag.Parse()
	if *scanner == "" || *stack == "" || *ignore == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: scancheck -scanner tfsec|trivy -stack NAME -ignore FILE REPORT.json")
		os.Exit(2)
	}
	code, err := run(*scanner, *stack, *ignore, flag.Arg(0), os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "scancheck %s %s: %v\n", *scanner, *stack, err)
		os.Exit(2)
	}
	os.Exit(code)
}

func run(scanner, stack, ignorePath, reportPath string, out io.Writer) (int, error) {
	report, err := os.ReadFile(reportPath)
	if err != nil {
		return 2, err
	}
	findings, err := Parse(scanner, report)
	if err != nil {
		return 2, err
	}
	f, err := os.Open(ignorePath)
	if err != nil {
		return 2, err
	}
	defer f.Close()
	entries, err := ParseIgnore(f)
	if err != nil {
		return 2, fmt.Errorf("%s: %w", ignorePath, err)
	}
	return Report(scanner, stack, findings, entries, out), nil
}

// Parse reads a tfsec (--format json) or trivy (config --format json) report.
func Parse(scanner string, report []byte) ([]Finding, error) {
	var out []Finding
	switch scanner {
	case "tfsec":
		var r struct {
			Results []struct {
				RuleID      string `json:"rule_id"`
				Severity    string `json:"severity"`
				Resource    string `json:"resource"`
				Description string `json:"description"`
				Location    struct {
					StartLine int `json:"start_line"`
				} `json:"location"`
			} `json:"results"`
		}
		if err := json.Unmarshal(report, &r); err != nil {
			return nil, fmt.Errorf("tfsec report: %w", err)
		}
		for _, x := range r.Results {
			out = append(out, Finding{Rule: x.RuleID, Severity: x.Severity, Resource: x.Resource, Message: x.Description, Line: x.Location.StartLine})
		}
	case "trivy":
		var r struct {
			Results []struct {
				Misconfigurations []struct {
					ID, AVDID, Severity, Status, Message, Title string
					CauseMetadata                               struct {
						Resource  string
						StartLine int
					}
				}
			}
		}
		if err := json.Unmarshal(report, &r); err != nil {
			return nil, fmt.Errorf("trivy report: %w", err)
		}
		for _, res := range r.Results {
			for _, m := range res.Misconfigurations {
				if m.Status != "" && m.Status != "FAIL" {
					continue
				}
				rule := m.AVDID
				if rule == "" {
					rule = m.ID
				}
				if !strings.HasPrefix(rule, "AVD-") {
					rule = "AVD-" + rule
				}
				msg := m.Message
				if msg == "" {
					msg = m.Title
				}
				out = append(out, Finding{Rule: rule, Severity: m.Severity, Resource: m.CauseMetadata.Resource, Message: msg, Line: m.CauseMetadata.StartLine})
			}
		}
	default:
		return nil, fmt.Errorf("unknown scanner %q (want tfsec or trivy)", scanner)
	}
	return out, nil
}

// ParseIgnore reads an ignore file.
func ParseIgnore(r io.Reader) ([]*Entry, error) {
	var out []*Entry
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 5 {
			return nil, fmt.Errorf("line %d: want RULE STACKS RESOURCE VERDICT REASON, got %q", n, line)
		}
		if f[3] != "accepted" && f[3] != "false" {
			return nil, fmt.Errorf("line %d: verdict %q: want accepted or false", n, f[3])
		}
		out = append(out, &Entry{Rule: f[0], Stacks: strings.Split(f[1], ","), Resource: f[2], Verdict: f[3], Reason: strings.Join(f[4:], " "), Line: n})
	}
	return out, sc.Err()
}

func (e *Entry) matches(stack string, f Finding) bool {
	return e.Rule == f.Rule && e.Resource == f.Resource && e.forStack(stack)
}

func (e *Entry) forStack(stack string) bool {
	return slices.Contains(e.Stacks, "*") || slices.Contains(e.Stacks, stack)
}

func gating(severity string) bool { return severity == "CRITICAL" || severity == "HIGH" }

// Report prints every finding with its verdict, the stale entries and one
// summary line, and returns the exit code: 1 if a gating finding is real or
// an entry for this stack is stale.
func Report(scanner, stack string, findings []Finding, entries []*Entry, out io.Writer) int {
	type count struct{ real, accepted, false int }
	var high, low count
	slices.SortFunc(findings, func(a, b Finding) int {
		if c := strings.Compare(severityRank(a.Severity), severityRank(b.Severity)); c != 0 {
			return c
		}
		return strings.Compare(a.Rule+a.Resource, b.Rule+b.Resource)
	})
	for _, f := range findings {
		verdict := "REAL"
		for _, e := range entries {
			if e.matches(stack, f) {
				e.used = true
				verdict = e.Verdict
				break
			}
		}
		c := &low
		if gating(f.Severity) {
			c = &high
		}
		switch verdict {
		case "accepted":
			c.accepted++
		case "false":
			c.false++
		default:
			c.real++
			if !gating(f.Severity) {
				verdict = "unreviewed"
			}
		}
		fmt.Fprintf(out, "  %-10s %-8s %s %s: %s (cdk.tf.json:%d)\n", verdict, f.Severity, f.Rule, f.Resource, f.Message, f.Line)
	}
	// A stale entry fails: either its cause is gone (remove it) or the
	// scanner no longer reports what it did, e.g. a report it cannot read,
	// which would otherwise pass as "no findings".
	stale := 0
	for _, e := range entries {
		if e.forStack(stack) && !e.used {
			stale++
			fmt.Fprintf(out, "  STALE      ignore entry (line %d): %s on %s matched no finding in %s: remove it (or its stack from the entry) if the cause is gone, or find out why the scanner stopped reporting it\n", e.Line, e.Rule, e.Resource, stack)
		}
	}
	status := "ok"
	if high.real > 0 || stale > 0 {
		status = "FAIL"
	}
	fmt.Fprintf(out, "%s %s: %s: HIGH/CRITICAL %d real, %d accepted, %d false; lower %d accepted, %d false, %d unreviewed; %d stale ignore entries\n",
		scanner, stack, status, high.real, high.accepted, high.false, low.accepted, low.false, low.real, stale)
	if status != "ok" {
		return 1
	}
	return 0
}

func severityRank(s string) string {
	switch s {
	case "CRITICAL":
		return "0"
	case "HIGH":
		return "1"
	case "MEDIUM":
		return "2"
	case "LOW":
		return "3"
	}
	return "4" + s
}

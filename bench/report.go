package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

type stats struct {
	wallMed, wallMin, wallMax time.Duration
	peakMed, peakMin, peakMax int64
}

func summarize(runs []runResult) (stats, bool) {
	if len(runs) == 0 {
		return stats{}, false
	}
	walls := make([]time.Duration, len(runs))
	peaks := make([]int64, len(runs))
	for i, r := range runs {
		walls[i], peaks[i] = r.Wall, r.PeakRSS
	}
	sort.Slice(walls, func(i, j int) bool { return walls[i] < walls[j] })
	sort.Slice(peaks, func(i, j int) bool { return peaks[i] < peaks[j] })
	return stats{
		wallMed: median(walls), wallMin: walls[0], wallMax: walls[len(walls)-1],
		peakMed: median(peaks), peakMin: peaks[0], peakMax: peaks[len(peaks)-1],
	}, true
}

// median of sorted values; the mean of the two middle ones for an even count.
func median[T time.Duration | int64](sorted []T) T {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func renderReport(opts options, machine, verifyNote string, progs, active []*program,
	cells map[string]map[int]*cell, warnings []string) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("# Synth benchmark\n\n")
	w("Command: `go run ./bench %s`\n\n", strings.Join(os.Args[1:], " "))
	for _, line := range strings.Split(strings.TrimSpace(machine), "\n") {
		w("%s  \n", line)
	}
	w("%d timed runs per program and N, interleaved round-robin; %d warm-up run(s) per program; RSS sampled every %v.\n\n",
		opts.runs, opts.warmup, opts.interval)
	if coldCache {
		w("**Cold jsii package cache**: every timed Go run started with an empty `JSII_RUNTIME_PACKAGE_CACHE_ROOT`, as the first run on a fresh machine or in CI.\n\n")
	}
	for _, p := range progs {
		if p.Skip != "" {
			w("- skipped **%s**: %s\n", p.Name, p.Skip)
		}
	}
	for _, p := range progs {
		if p.Name != p.Base {
			how := strings.Join(p.Env, " ")
			if p.Prebuilt {
				how = strings.TrimSpace(how + " BENCH_BIN=" + p.Bin)
			}
			w("- **%s** is %s run with `%s`\n", p.Name, p.Base, how)
		}
	}

	stat := map[string]map[int]stats{}
	for _, p := range active {
		stat[p.Name] = map[int]stats{}
		for _, n := range opts.ns {
			if s, ok := summarize(cells[p.Name][n].Runs); ok {
				stat[p.Name][n] = s
			}
		}
	}
	jsStat, haveJS := stat["js"]

	w("\n| program | N | median wall (s) | min–max wall (s) | median peak (MiB) | min–max peak (MiB) | round trips | wall ÷ js | peak ÷ js |\n")
	w("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range opts.ns {
		for _, p := range active {
			c := cells[p.Name][n]
			s, ok := stat[p.Name][n]
			if !ok {
				w("| %s | %d | failed | | | | | | |\n", p.Name, n)
				continue
			}
			rt := "n/a"
			switch {
			case p.Kind != "go":
				rt = "0 (no jsii)"
			case c.RT != nil:
				rt = fmt.Sprint(c.RT.Requests)
			case c.RTErr != nil:
				rt = "error"
			case !opts.roundTrips:
				rt = "not counted"
			}
			wallRatio, peakRatio := "—", "—"
			if js, ok := jsStat[n]; haveJS && ok && p.Name != "js" {
				wallRatio = fmt.Sprintf("%.1f×", s.wallMed.Seconds()/js.wallMed.Seconds())
				peakRatio = fmt.Sprintf("%.1f×", float64(s.peakMed)/float64(js.peakMed))
			}
			w("| %s | %d | %.2f | %.2f–%.2f | %.0f | %.0f–%.0f | %s | %s | %s |\n",
				p.Name, n, s.wallMed.Seconds(), s.wallMin.Seconds(), s.wallMax.Seconds(),
				mib(s.peakMed), mib(s.peakMin), mib(s.peakMax), rt, wallRatio, peakRatio)
		}
	}

	if len(opts.ns) >= 2 {
		lo, hi := opts.ns[0], opts.ns[len(opts.ns)-1]
		d := float64(hi - lo)
		w("\nCost of one extra service, from N=%d to N=%d: (median(N=%d) − median(N=%d)) / %d.\n\n", lo, hi, hi, lo, hi-lo)
		w("| program | ms per extra service | MiB per extra service | round trips per extra service |\n")
		w("|---|---:|---:|---:|\n")
		for _, p := range active {
			a, okA := stat[p.Name][lo]
			z, okZ := stat[p.Name][hi]
			if !okA || !okZ {
				w("| %s | failed | | |\n", p.Name)
				continue
			}
			rt := "0"
			if p.Kind == "go" {
				ca, cz := cells[p.Name][lo].RT, cells[p.Name][hi].RT
				if ca != nil && cz != nil {
					rt = fmt.Sprintf("%.1f", float64(cz.Requests-ca.Requests)/d)
				} else {
					rt = "n/a"
				}
			}
			w("| %s | %.1f | %.2f | %s |\n", p.Name,
				float64((z.wallMed-a.wallMed).Milliseconds())/d, mib(z.peakMed-a.peakMed)/d, rt)
		}
	}

	if opts.roundTrips && hasGo(active) {
		apis := []string{"load", "create", "get", "set", "invoke", "sinvoke", "sget", "sset", "complete", "del"}
		w("\nRound trips by kernel API (one JSII_DEBUG=1 run each):\n\n")
		w("| program | N | requests | callbacks | %s | other |\n", strings.Join(apis, " | "))
		w("|---|---:|---:|---:|%s---:|\n", strings.Repeat("---:|", len(apis)))
		for _, n := range opts.ns {
			for _, p := range active {
				rt := cells[p.Name][n].RT
				if p.Kind != "go" || rt == nil {
					continue
				}
				w("| %s | %d | %d | %d |", p.Name, n, rt.Requests, rt.Callbacks)
				known := 0
				for _, a := range apis {
					w(" %d |", rt.ByAPI[a])
					known += rt.ByAPI[a]
				}
				w(" %d |\n", rt.Requests-known)
			}
		}
	}

	w("\nPeak memory check: the sampled peak of the whole tree should not fall more than 5%% below the largest single process's exact high-water mark (ru_maxrss)")
	missed := 0
	for _, p := range active {
		for _, n := range opts.ns {
			for _, r := range cells[p.Name][n].Runs {
				if float64(r.Sampled) < 0.95*float64(r.MaxRSSOne) {
					missed++
				}
			}
		}
	}
	if missed == 0 {
		w(": holds for every run.\n")
	} else {
		w(": **%d run(s) sampled below it** (a spike fell between samples; try a smaller -sample).\n", missed)
	}

	w("\nSynth check:\n\n")
	for _, line := range synthSummary(active, opts.ns, cells) {
		w("- %s\n", line)
	}
	if len(warnings) == 0 {
		w("- resource and data source type counts match across programs and the expected stack at every N\n")
	}
	for _, wn := range warnings {
		w("- **WARNING** %s\n", wn)
	}
	if verifyNote != "" {
		w("\n%s.\n", verifyNote)
	}
	for _, p := range active {
		for _, n := range opts.ns {
			if err := cells[p.Name][n].Err; err != nil {
				w("\n%s N=%d failed:\n\n```\n%s\n```\n", p.Name, n, strings.TrimSpace(err.Error()))
			}
		}
	}
	return b.String()
}

// apiSummary renders {"load":2,"create":4} as "create 4, load 2".
func apiSummary(m map[string]int) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// Command bench measures how long synthesizing the benchmark stack takes and
// how much memory it needs, for the plain JavaScript CDKTF peer (bench/js),
// plain Go against the CDKTF bindings (bench/plaingo) and the fargatekit
// library (bench/library), for several service counts N.
//
// Run it from the module root:
//
//	go run ./bench -runs 5 -n 1,10,50 -programs js,plaingo,library
//
// See bench/README.md for what each column means.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// program is one benchmarked implementation of the stack.
type program struct {
	Name string   // as given to -programs: "library" or "library@tuned"
	Base string   // the program's directory under bench/: "library"
	Env  []string // KEY=VALUE added to its environment by its -variant
	Kind string   // "node" or "go"
	Dir  string   // absolute source directory
	Bin  string   // built binary (go) or script (node)
	Skip string   // why it is not run, if it is not
	// Prebuilt is set when a variant's BENCH_BIN gave Bin.
	Prebuilt bool
}

// cell holds the measurements of one program at one N.
type cell struct {
	Runs   []runResult
	RT     *roundTrips
	RTErr  error
	Counts map[string]int // "resource.aws_vpc" -> count, from the first run
	Doc    []byte         // first run's cdk.tf.json with "//" metadata removed
	Err    error          // first failure, if any
}

type options struct {
	runs       int
	ns         []int
	programs   []string
	interval   time.Duration
	warmup     int
	roundTrips bool
	verify     bool
	npmCI      bool
	results    string
	keep       bool
	variants   map[string][]string // -variant name -> KEY=VALUE
}

// variantFlag collects -variant NAME=KEY=VALUE flags.
type variantFlag map[string][]string

func (v variantFlag) String() string { return fmt.Sprint(map[string][]string(v)) }

func (v variantFlag) Set(s string) error {
	name, kv, ok := strings.Cut(s, "=")
	if !ok || name == "" || !strings.Contains(kv, "=") || strings.HasPrefix(kv, "=") {
		return fmt.Errorf("want NAME=KEY=VALUE, got %q", s)
	}
	v[name] = append(v[name], kv)
	return nil
}

// coldCache makes every timed Go run start with an empty jsii package cache
// (set by -cold-cache).
var coldCache bool

func main() {
	var (
		opts     options
		nList    string
		progList string
	)
	flag.IntVar(&opts.runs, "runs", 5, "timed runs per program and N")
	flag.StringVar(&nList, "n", "1,10,50", "comma-separated service counts")
	flag.StringVar(&progList, "programs", "js,plaingo,library", "comma-separated programs: js, plaingo, library; PROGRAM@VARIANT runs PROGRAM with a -variant's environment")
	variants := variantFlag{}
	flag.Var(variants, "variant", "NAME=KEY=VALUE: an environment variable for PROGRAM@NAME runs (repeatable), e.g. -variant node22=JSII_NODE=/opt/node22/bin/node; BENCH_BIN=PATH runs a prebuilt Go binary instead of building bench/PROGRAM")
	flag.DurationVar(&opts.interval, "sample", 20*time.Millisecond, "RSS sampling interval")
	flag.IntVar(&opts.warmup, "warmup", 1, "untimed runs per program before measuring (fills the jsii package cache and the page cache)")
	flag.BoolVar(&opts.roundTrips, "roundtrips", true, "count jsii round trips with one extra JSII_DEBUG=1 run per Go program and N")
	flag.BoolVar(&opts.verify, "verify", true, "first check the round-trip counter on bench/jsiicount")
	flag.BoolVar(&opts.npmCI, "npm-ci", true, "run npm ci in bench/js before measuring")
	flag.StringVar(&opts.results, "results", "", "where to write the markdown report (default bench/results/latest.md)")
	flag.BoolVar(&opts.keep, "keep", false, "keep the temporary build and synth directories")
	flag.BoolVar(&coldCache, "cold-cache", false, "give every timed Go run an empty jsii package cache, as on a fresh machine or CI (JSII_RUNTIME_PACKAGE_CACHE_ROOT=empty temp dir)")
	flag.Parse()

	var err error
	if opts.ns, err = parseInts(nList); err != nil {
		fatalf("-n: %v", err)
	}
	opts.programs = splitList(progList)
	opts.variants = variants
	if opts.runs < 1 {
		fatalf("-runs must be >= 1")
	}
	if err := run(opts); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func run(opts options) error {
	benchDir, err := findBenchDir()
	if err != nil {
		return err
	}
	modRoot := filepath.Dir(benchDir)
	if opts.results == "" {
		opts.results = filepath.Join(benchDir, "results", "latest.md")
	}

	work, err := os.MkdirTemp("", "fargatekit-bench-")
	if err != nil {
		return err
	}
	if opts.keep {
		logf("keeping %s", work)
	} else {
		defer os.RemoveAll(work)
	}
	binDir := filepath.Join(work, "bin")
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return err
	}

	env := benchEnv()
	machine := machineInfo(modRoot)
	fmt.Println(machine)

	// Resolve and build the programs once, so compile time is not measured.
	var progs []*program
	built := map[string]string{}
	npmDone := false
	for _, name := range opts.programs {
		base, variant, hasVariant := strings.Cut(name, "@")
		p := &program{Name: name, Base: base, Dir: filepath.Join(benchDir, base)}
		if hasVariant {
			env, ok := opts.variants[variant]
			if !ok {
				return fmt.Errorf("program %s: no -variant %s=KEY=VALUE given", name, variant)
			}
			for _, kv := range env {
				if bin, ok := strings.CutPrefix(kv, "BENCH_BIN="); ok {
					p.Bin, p.Prebuilt = bin, true // e.g. built against another jsii runtime
				} else {
					p.Env = append(p.Env, kv)
				}
			}
		}
		switch base {
		case "js":
			p.Kind = "node"
			p.Bin = filepath.Join(p.Dir, "main.js")
			if npmDone {
				break
			}
			npmDone = true
			if opts.npmCI {
				logf("npm ci in %s", p.Dir)
				if out, err := command(p.Dir, env, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error").CombinedOutput(); err != nil {
					return fmt.Errorf("npm ci: %v\n%s", err, out)
				}
			} else if _, err := os.Stat(filepath.Join(p.Dir, "node_modules")); err != nil {
				p.Skip = "bench/js/node_modules is missing (run without -npm-ci=false)"
			}
		default:
			p.Kind = "go"
			if _, err := os.Stat(filepath.Join(p.Dir, "main.go")); err != nil {
				p.Skip = fmt.Sprintf("bench/%s/main.go does not exist yet", base)
				break
			}
			if p.Bin != "" {
				break
			}
			if bin, ok := built[base]; ok {
				p.Bin = bin
				break
			}
			p.Bin = filepath.Join(binDir, base)
			if err := goBuild(modRoot, env, p.Bin, "./bench/"+base); err != nil {
				return err
			}
			built[base] = p.Bin
		}
		if p.Skip != "" {
			logf("skipping %s: %s", name, p.Skip)
		}
		progs = append(progs, p)
	}
	var active []*program
	for _, p := range progs {
		if p.Skip == "" {
			active = append(active, p)
		}
	}
	if len(active) == 0 {
		return errors.New("no program to run")
	}

	var verifyNote string
	if opts.verify && hasGo(active) {
		bin := filepath.Join(binDir, "jsiicount")
		if err := goBuild(modRoot, env, bin, "./bench/jsiicount"); err != nil {
			return err
		}
		verifyNote, err = verifyCounter(modRoot, env, bin)
		if err != nil {
			return err
		}
		logf("%s", verifyNote)
	}

	ctx := context.Background()
	// cdktf's App creates its outdir but not the outdir's parent.
	synthDir := filepath.Join(work, "out")
	if err := os.MkdirAll(synthDir, 0o755); err != nil {
		return err
	}

	// Warm-up: fills the jsii kernel's package cache (it unpacks each
	// assembly tarball on first use) and the page cache, so the first timed
	// run is not an outlier.
	for w := 0; w < opts.warmup; w++ {
		for _, p := range active {
			logf("warm-up %s (N=%d)", p.Name, opts.ns[0])
			out := filepath.Join(synthDir, "warmup")
			_, err := runOnce(ctx, modRoot, env, p, opts.ns[0], out, opts.interval)
			os.RemoveAll(out)
			if err != nil {
				return fmt.Errorf("warm-up of %s failed: %v", p.Name, err)
			}
		}
	}

	cells := map[string]map[int]*cell{}
	for _, p := range active {
		cells[p.Name] = map[int]*cell{}
		for _, n := range opts.ns {
			cells[p.Name][n] = &cell{}
		}
	}

	// Interleave: for each N, each round runs every program once, rotating
	// which goes first, so drift on a shared machine hits all of them alike.
	for _, n := range opts.ns {
		for r := 0; r < opts.runs; r++ {
			for k := range active {
				p := active[(k+r)%len(active)]
				c := cells[p.Name][n]
				if c.Err != nil {
					continue
				}
				out := filepath.Join(synthDir, fmt.Sprintf("%s-n%d-r%d", strings.ReplaceAll(p.Name, "@", "-"), n, r))
				res, err := runOnce(ctx, modRoot, env, p, n, out, opts.interval)
				if err == nil && c.Counts == nil {
					c.Counts, c.Doc, err = readSynth(out)
				}
				if !opts.keep {
					os.RemoveAll(out)
				}
				if err != nil {
					c.Err = err
					logf("%s N=%d run %d failed: %v", p.Name, n, r+1, err)
					continue
				}
				c.Runs = append(c.Runs, res)
				logf("%-8s N=%-3d run %d/%d: %6.2fs  peak %7.1f MiB  (%d procs; largest single process %.1f MiB)",
					p.Name, n, r+1, opts.runs, res.Wall.Seconds(), mib(res.PeakRSS), res.MaxProcs, mib(res.MaxRSSOne))
			}
		}
		if opts.roundTrips {
			for _, p := range active {
				if p.Kind != "go" || cells[p.Name][n].Err != nil {
					continue
				}
				out := filepath.Join(synthDir, fmt.Sprintf("%s-n%d-rt", strings.ReplaceAll(p.Name, "@", "-"), n))
				rt, err := countRun(programCmd(modRoot, env, p, n, out))
				os.RemoveAll(out)
				c := cells[p.Name][n]
				if err != nil {
					c.RTErr = err
					logf("%s N=%d round-trip count failed: %v", p.Name, n, err)
					continue
				}
				c.RT = &rt
				logf("%-8s N=%-3d round trips: %d (%d callbacks)", p.Name, n, rt.Requests, rt.Callbacks)
			}
		}
	}

	warnings := checkSynth(active, opts.ns, cells)
	for _, w := range warnings {
		logf("WARNING: %s", w)
	}

	report := renderReport(opts, machine, verifyNote, progs, active, cells, warnings)
	fmt.Println()
	fmt.Print(report)
	if err := os.MkdirAll(filepath.Dir(opts.results), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(opts.results, []byte(report), 0o644); err != nil {
		return err
	}
	logf("wrote %s", opts.results)
	for _, p := range active {
		for _, n := range opts.ns {
			if cells[p.Name][n].Err != nil {
				return fmt.Errorf("%s failed at N=%d", p.Name, n)
			}
		}
	}
	return nil
}

// findBenchDir locates bench/ from the working directory (the module root,
// bench/ itself, or anything below the module root).
func findBenchDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			b := filepath.Join(d, "bench")
			if _, err := os.Stat(filepath.Join(b, "plaingo")); err == nil {
				return b, nil
			}
			return "", fmt.Errorf("no bench/ directory next to %s", filepath.Join(d, "go.mod"))
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("run from inside the fargatekit module (no go.mod above %s)", dir)
		}
	}
}

// benchEnv is the environment every program runs with: the caller's, without
// JSII_DEBUG (it slows the kernel down; only the counting run sets it), and
// with Node 20's end-of-life warning silenced.
func benchEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "JSII_DEBUG=") || strings.HasPrefix(kv, "JSII_DEBUG_TIMING=") {
			continue
		}
		env = append(env, kv)
	}
	if os.Getenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION") == "" {
		env = append(env, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20")
	}
	return env
}

func command(dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append([]string(nil), env...)
	return cmd
}

func goBuild(modRoot string, env []string, out, pkg string) error {
	logf("go build %s", pkg)
	cmd := command(modRoot, env, "go", "build", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// programCmd runs p with its variant's environment. A node program runs
// under the variant's JSII_NODE, if it sets one, so that a variant that
// changes the Node.js version changes it for the JS peer too.
func programCmd(modRoot string, env []string, p *program, n int, out string) *exec.Cmd {
	args := []string{"-n", strconv.Itoa(n), "-out", out}
	env = append(append([]string(nil), env...), p.Env...)
	if p.Kind == "node" {
		node := "node"
		for _, kv := range p.Env {
			if v, ok := strings.CutPrefix(kv, "JSII_NODE="); ok {
				node = v
			}
		}
		return command(modRoot, env, node, append([]string{p.Bin}, args...)...)
	}
	return command(modRoot, env, p.Bin, args...)
}

// runOnce runs p for N services into out and measures it. Output is kept
// (bounded) only to explain a failure.
func runOnce(ctx context.Context, modRoot string, env []string, p *program, n int, out string, interval time.Duration) (runResult, error) {
	os.RemoveAll(out)
	cmd := programCmd(modRoot, env, p, n, out)
	if coldCache && p.Kind == "go" {
		cache, err := os.MkdirTemp("", "jsii-package-cache-")
		if err != nil {
			return runResult{}, err
		}
		defer os.RemoveAll(cache)
		cmd.Env = append(cmd.Env, "JSII_RUNTIME_PACKAGE_CACHE_ROOT="+cache)
	}
	var buf tailBuffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	res, err := measure(ctx, cmd, interval)
	if err != nil {
		return res, fmt.Errorf("%v\n%s", err, buf.String())
	}
	return res, nil
}

// tailBuffer keeps the last 8 KiB written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 8<<10 {
		t.b = append([]byte(nil), t.b[len(t.b)-8<<10:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }

// verifyCounter checks the JSII_DEBUG line counter against jsiicount, whose
// round trips are known: each -k is 1 request, each -cb is 4 requests and 1
// callback, on top of a fixed base.
func verifyCounter(modRoot string, env []string, bin string) (string, error) {
	const k, cb = 20, 10
	p := &program{Name: "jsiicount", Kind: "go", Bin: bin}
	count := func(args ...string) (roundTrips, error) {
		cmd := command(modRoot, env, p.Bin, args...)
		cmd.Stdout = io.Discard
		return countRun(cmd)
	}
	base, err := count("-k", "0", "-cb", "0")
	if err != nil {
		return "", fmt.Errorf("jsiicount: %v", err)
	}
	more, err := count("-k", strconv.Itoa(k), "-cb", strconv.Itoa(cb))
	if err != nil {
		return "", fmt.Errorf("jsiicount: %v", err)
	}
	wantReq, wantCB := k+4*cb, cb
	gotReq, gotCB := more.Requests-base.Requests, more.Callbacks-base.Callbacks
	gotSinvoke := more.ByAPI["sinvoke"] - base.ByAPI["sinvoke"]
	gotComplete := more.ByAPI["complete"] - base.ByAPI["complete"]
	if gotReq != wantReq || gotCB != wantCB || gotSinvoke != k+2*cb || gotComplete != cb ||
		more.Responses != more.Requests {
		return "", fmt.Errorf("round-trip counter check failed on jsiicount: -k %d -cb %d added %d requests (want %d), %d callbacks (want %d), %d sinvoke (want %d), %d complete (want %d); responses %d, callbacks %d, requests %d",
			k, cb, gotReq, wantReq, gotCB, wantCB, gotSinvoke, k+2*cb, gotComplete, cb, more.Responses, more.Callbacks, more.Requests)
	}
	return fmt.Sprintf("round-trip counter verified on bench/jsiicount: base %d requests (%s); -k %d -cb %d added exactly %d requests and %d callbacks",
		base.Requests, apiSummary(base.ByAPI), k, cb, gotReq, gotCB), nil
}

func hasGo(ps []*program) bool {
	for _, p := range ps {
		if p.Kind == "go" {
			return true
		}
	}
	return false
}

func machineInfo(modRoot string) string {
	cpu := "unknown"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				if i := strings.IndexByte(line, ':'); i >= 0 {
					cpu = strings.TrimSpace(line[i+1:])
				}
				break
			}
		}
	}
	mem := "unknown"
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
		if len(f) >= 2 {
			if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
				mem = fmt.Sprintf("%.1f GiB", kb/1024/1024)
			}
		}
	}
	load := "unknown"
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			load = strings.Join(f[:3], " ")
		}
	}
	nodeV := strings.TrimSpace(output(modRoot, "node", "--version"))
	goV := strings.TrimSpace(output(modRoot, "go", "version"))
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %d CPUs (nproc), %s, %s RAM, load average at start %s\n", runtime.NumCPU(), cpu, mem, load)
	fmt.Fprintf(&b, "Node %s; %s; %s\n", nodeV, goV, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	return b.String()
}

func output(dir, name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	b, err := cmd.Output()
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	return string(b)
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range splitList(s) {
		v, err := strconv.Atoi(f)
		if err != nil || v < 1 {
			return nil, fmt.Errorf("bad service count %q", f)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, errors.New("no service count")
	}
	sort.Ints(out)
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

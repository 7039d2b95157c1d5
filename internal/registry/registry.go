// Package registry is what every constructor asks before it creates anything:
// is the construct id free in its scope, are the tokens in the props real
// tokens of this app, and are the AWS names it is about to create free in its
// stack. The answers that need the jsii kernel are asked once per constructor
// (a TryFindChild, a TerraformStack.Of and, when the props hold tokens, one
// Tokenization.reverseString), so that a mistake is a *propcheck.Error and
// never a jsii panic at construction or at synth.
//
// Names are tracked per stack: a stack is one AWS account and region (its
// provider), which is where AWS wants most names unique. The registry is
// keyed by the stack object itself, so several stacks, and several apps, in
// one process (tests build many) never see each other's names. It holds the
// stack objects for the life of the process.
package registry

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/fargatekit/fargatekit/internal/tfx"
	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// Kinds of names AWS requires to be unique, with where (the Entry's stack is
// one account and region).
const (
	// IAMRole names are unique per account (IAM is global): CreateRole
	// fails with EntityAlreadyExists.
	IAMRole = "IAM role name"
	// LogGroup names are unique per account and region
	// (ResourceAlreadyExistsException).
	LogGroup = "CloudWatch Logs log group name"
	// LoadBalancer names are unique per account and region
	// (DuplicateLoadBalancerName).
	LoadBalancer = "load balancer name"
	// Cluster names are unique per account and region: a second
	// CreateCluster with the same name returns the existing cluster, so two
	// constructs would manage one cluster.
	Cluster = "ECS cluster name"
	// Service names are unique per cluster (Namespace is the cluster).
	Service = "ECS service name"
	// TaskFamily names a task definition family; two task definitions with
	// one family would register revisions of each other.
	TaskFamily = "ECS task definition family"
	// Namespace names of AWS Cloud Map are unique per account and region
	// (CreateHttpNamespace: NamespaceAlreadyExists).
	Namespace = "Cloud Map namespace name"
	// ConnectDiscovery names are unique in a Service Connect namespace
	// (Namespace is the namespace): each becomes a Cloud Map service there.
	ConnectDiscovery = "Service Connect discovery name"
	// ConnectAlias is a client alias, "<dns name>:<port>", unique in a
	// Service Connect namespace (Namespace is the namespace).
	ConnectAlias = "Service Connect client alias"
)

// MaxTags is how many user tags one AWS resource may carry, the provider's
// default tags included ("Maximum number of tags per resource: 50", Tagging
// AWS resources, AWS General Reference; aws: tags do not count).
const MaxTags = verify.MaxTags

// Name is one name a constructor is about to create.
type Name struct {
	// Kind is one of the constants above.
	Kind string
	// Namespace narrows where the name must be unique beyond the stack's
	// account and region, e.g. the cluster of a service; empty for none.
	Namespace string
	// Value is the name; a token is not tracked.
	Value string
	// Field is the prop the name derives from, relative to the props, e.g.
	// "Name"; Given is its value as the user wrote it ("web" for the log
	// group "/ecs/web"), or empty when it is Value. All the names that
	// derive from one field and clash are one problem on that field.
	Field string
	Given string
}

// Entry describes one constructor call.
type Entry struct {
	// Op names the constructor for the error, e.g. "service.New"; its
	// Path is Scope's path and ID.
	Op string
	// Scope and ID are the constructor's arguments.
	Scope constructs.Construct
	ID    string
	// Children, when set, are the ids checked in Scope instead of ID (for
	// AddTarget, which creates "<id>TargetGroup" and "<id>Rule").
	Children []string
	// Root (the path of Props, usually "") and Props are walked for tokens
	// (verify.Strings), which must be tokens this app issued.
	Root  string
	Props any
	// Names are claimed in the stack when every check passes.
	Names []Name
	// Tags and ExtraTags (keys the constructor adds itself, such as "Name")
	// are counted with the provider's default tags against MaxTags.
	TagsField string
	Tags      map[string]string
	ExtraTags []string
	// Holds are bookkeeping outside the construct tree that the
	// constructor keeps when every check passes (such as a listener rule's
	// priority on its load balancer): [Release] of Scope/ID, or of a
	// construct above it, runs each one's Release.
	Holds []Held
	// Path names, in a [Lookup] before the constructor's scope exists, the
	// construct the entry plans, for the message; empty for Scope/ID.
	Path string
}

// Held is one piece of bookkeeping an [Entry] keeps: What describes it (for
// [Snapshot]), Release takes it back.
type Held struct {
	What    string
	Release func()
}

// owner is the construct (scope/id) that holds a name; its path is asked of
// the kernel once, when a message or a Release needs it.
type owner struct {
	scope constructs.Construct
	id    string
	p     string
}

func (o *owner) path() string {
	if o.p == "" {
		o.p = childPath(o.scope, o.id)
	}
	return o.p
}

// ChildPath is the construct path of id in scope, asked of the kernel.
func ChildPath(scope constructs.IConstruct, id string) string { return childPath(scope, id) }

func childPath(scope constructs.IConstruct, id string) string {
	p := *scope.Node().Path()
	if p == "" {
		return id
	}
	return p + "/" + id
}

type held struct {
	owner *owner
	Held
}

// PathOf is the construct path of id in scope ("web/Admin"), the Path of a
// constructor's error: the id alone when scope is nil, the app, or cannot
// be asked.
func PathOf(scope constructs.Construct, id string) string {
	if scope == nil {
		return id
	}
	p, err := kernel((&owner{scope: scope, id: id}).path)
	if err != nil {
		return id
	}
	return p
}

type stackNames struct {
	names       map[string]*owner
	holds       []held
	defaultTags []string
}

var (
	mu     sync.Mutex
	stacks = map[cdktf.TerraformStack]*stackNames{}
)

// CheckID records a problem under field "id" unless id is a usable construct
// id that is still free in scope. It is one TryFindChild round trip.
func CheckID(c *verify.Checker, scope constructs.Construct, id string) bool {
	switch {
	case scope == nil:
		c.Add("scope", nil, "is required: the construct (an app, a stack or a construct in one) to create under")
		return false
	case id == "":
		c.Add("id", id, `must be a non-empty construct id`)
		return false
	case strings.Contains(id, "/"):
		c.Add("id", id, `must not contain "/" (it separates the parts of a construct path)`)
		return false
	}
	taken, err := kernel(func() bool { return scope.Node().TryFindChild(&id) != nil })
	if err != nil {
		c.Add("scope", nil, "cannot be used as a scope: %v", err)
		return false
	}
	if taken {
		path, _ := kernel(func() string { return *scope.Node().Path() })
		c.Add("id", id, "is already used under %q: construct ids must be unique among siblings (a second construct with this id would be a jsii error, and renaming one changes its resource addresses)", path)
		return false
	}
	return true
}

// Enter checks e and, when nothing is wrong, claims its names in the stack.
// It returns a *propcheck.Error listing every problem, or nil.
func Enter(e Entry) error {
	c := verify.New(e.Op)
	if !enter(c, e) {
		return verify.Located(c.Err(), PathOf(e.Scope, e.ID))
	}
	return nil
}

func enter(c *verify.Checker, e Entry) bool {
	ids := e.Children
	if len(ids) == 0 {
		ids = []string{e.ID}
	}
	for _, id := range ids {
		if !CheckID(c, e.Scope, id) {
			// The problem names the id the user gave.
			for i := range c.Problems() {
				if p := &c.Problems()[i]; p.Field == "id" {
					p.Value = e.ID
				}
			}
			return false
		}
	}
	checkTokens(c, []Entry{e})
	stack, err := StackOf(e.Scope)
	if err != nil {
		c.Add("scope", nil, "must be inside a cdktf.TerraformStack: %v", err)
		return false
	}

	mu.Lock()
	defer mu.Unlock()
	sn := namesOf(stack)
	here := &owner{scope: e.Scope, id: e.ID}
	lookup(c, sn, []Entry{e}, []*owner{here})
	if !c.OK() {
		return false
	}
	for _, n := range e.Names {
		if tracked(n) {
			sn.names[key(n)] = here
		}
	}
	for _, h := range e.Holds {
		sn.holds = append(sn.holds, held{here, h})
	}
	return true
}

// tracked: a name that is given and not a token.
func tracked(n Name) bool { return n.Value != "" && !verify.IsToken(n.Value) }

// Lookup checks, all at once and without claiming anything, what Enter
// would check of entries in scope's stack besides their ids: the tokens in
// their props (one kernel round trip for all of them), their names against
// the names the stack holds and against each other, and their tag counts
// with the provider's default tags. A constructor that creates several
// constructs (a pattern) calls it with every part's entry (see [Plan])
// before it creates the first, so that a refusal leaves nothing to undo.
// Each entry's Path names the planned construct in messages.
func Lookup(c *verify.Checker, scope constructs.Construct, entries []Entry) {
	checkTokens(c, entries)
	stack, err := StackOf(scope)
	if err != nil {
		c.Add("scope", nil, "must be inside a cdktf.TerraformStack: %v", err)
		return
	}
	mu.Lock()
	defer mu.Unlock()
	owners := make([]*owner, len(entries))
	for i, e := range entries {
		owners[i] = &owner{scope: e.Scope, id: e.ID, p: e.Path}
	}
	lookup(c, namesOf(stack), entries, owners)
}

// Clashes records, without the kernel, the names that two of entries would
// both create and the entries that would carry more than MaxTags with the
// provider's defaultTags: what a whole stack's Validate can know before any
// construct exists. Each entry's Path (or Construct) names it.
func Clashes(c *verify.Checker, defaultTags map[string]string, entries []Entry) {
	sn := &stackNames{names: map[string]*owner{}, defaultTags: slices.Sorted(maps.Keys(defaultTags))}
	owners := make([]*owner, len(entries))
	for i, e := range entries {
		p := e.Path
		if p == "" {
			p = e.Op
		}
		owners[i] = &owner{p: p}
	}
	lookup(c, sn, entries, owners)
}

// lookup records the names of entries that sn holds or that an earlier
// entry gives, and the tag counts over MaxTags; mu must be held unless sn
// is not shared.
func lookup(c *verify.Checker, sn *stackNames, entries []Entry, owners []*owner) {
	planned := map[string]*owner{}
	for i, e := range entries {
		here := owners[i]
		if e.TagsField != "" {
			keys := map[string]bool{}
			for _, k := range sn.defaultTags {
				keys[k] = true
			}
			for k := range e.Tags {
				keys[k] = true
			}
			for _, k := range e.ExtraTags {
				keys[k] = true
			}
			if len(keys) > MaxTags {
				c.Add(verify.Join(e.Root, e.TagsField), fmt.Sprintf("%d tags", len(keys)), "with the provider's %d default tags and the %d the construct adds (%s), a resource would carry %d tags; AWS allows at most %d per resource (AWS General Reference, Tagging AWS resources)",
					len(sn.defaultTags), len(e.ExtraTags), strings.Join(e.ExtraTags, ", "), len(keys), MaxTags)
			}
		}
		clashes(c, sn, planned, here, e.Root, e.Names)
	}
}

// clashes records, for each field whose names are taken in the stack (or
// by an entry planned before), one problem on that field, echoing the
// user's value: the names that derive from it (a service's log group,
// roles, task family, ...) are one mistake, not one each. The names not
// taken are planned for here. mu must be held unless sn is not shared.
func clashes(c *verify.Checker, sn *stackNames, planned map[string]*owner, here *owner, root string, names []Name) {
	type clash struct {
		given  string
		owners []*owner
		by     map[*owner][]Name
	}
	var fields []string
	byField := map[string]*clash{}
	for _, n := range names {
		if !tracked(n) {
			continue
		}
		k := key(n)
		prev, taken := sn.names[k]
		if !taken {
			prev, taken = planned[k]
		}
		if !taken {
			planned[k] = here
			continue
		}
		field := verify.Join(root, n.Field)
		cl := byField[field]
		if cl == nil {
			cl = &clash{given: n.Given, by: map[*owner][]Name{}}
			if cl.given == "" {
				cl.given = n.Value
			}
			byField[field] = cl
			fields = append(fields, field)
		}
		if cl.by[prev] == nil {
			cl.owners = append(cl.owners, prev)
		}
		cl.by[prev] = append(cl.by[prev], n)
	}
	for _, f := range fields {
		cl := byField[f]
		parts := make([]string, len(cl.owners))
		for i, o := range cl.owners {
			path, _ := kernel(o.path)
			parts[i] = fmt.Sprintf("%s (%s)", path, describe(cl.by[o]))
		}
		c.Add(f, cl.given, "is taken in this stack by %s: AWS allows each of these names once (IAM role names in the account, the others in the account and region or where named): choose another",
			strings.Join(parts, " and by "))
	}
}

// A Releaser forgets, in another package's per-stack record, what the
// construct at path target (and every construct below it) created: target
// is "" when the whole stack goes.
type Releaser func(stack cdktf.TerraformStack, target string)

var (
	releasersMu sync.Mutex
	releasers   []Releaser
)

// RegisterReleaser is called at init by a package that keeps per-stack
// state about constructs (internal/stackwide), so that [Release] takes that
// back too.
func RegisterReleaser(r Releaser) {
	releasersMu.Lock()
	defer releasersMu.Unlock()
	releasers = append(releasers, r)
}

func runReleasers(stack cdktf.TerraformStack, target string) {
	releasersMu.Lock()
	rs := slices.Clone(releasers)
	releasersMu.Unlock()
	for _, r := range rs {
		r(stack, target)
	}
}

// Under reports whether path is target or below it.
func Under(path, target string) bool {
	return path == target || strings.HasPrefix(path, target+"/")
}

// Release takes back what the constructors that created scope/id, and
// every construct below it, claimed: their names and their holds (whose
// Release runs). A constructor that fails after creating something calls it
// (through internal/txn) as it removes the construct; it asks the kernel for
// paths only then.
func Release(scope constructs.IConstruct, id string) {
	if scope == nil {
		return
	}
	target, err := kernel(func() string { return childPath(scope, id) })
	if err != nil {
		return
	}
	stack, err := StackOf(scope)
	if err != nil {
		// scope is the app: scope/id is a stack, whose names go with it.
		child, err := kernel(func() constructs.IConstruct { return scope.Node().TryFindChild(&id) })
		if err != nil || child == nil {
			return
		}
		if st, err := StackOf(child); err == nil {
			runReleasers(st, "")
			mu.Lock()
			sn := stacks[st]
			delete(stacks, st)
			mu.Unlock()
			if sn != nil {
				for i := len(sn.holds) - 1; i >= 0; i-- {
					sn.holds[i].Release()
				}
			}
		}
		return
	}
	runReleasers(stack, target)
	under := func(o *owner) bool {
		p, err := kernel(o.path)
		return err == nil && (p == target || strings.HasPrefix(p, target+"/"))
	}
	mu.Lock()
	sn := stacks[stack]
	var release []func()
	if sn != nil {
		for k, o := range sn.names {
			if under(o) {
				delete(sn.names, k)
			}
		}
		kept := sn.holds[:0]
		for _, h := range sn.holds {
			if under(h.owner) {
				release = append(release, h.Release)
			} else {
				kept = append(kept, h)
			}
		}
		sn.holds = kept
	}
	mu.Unlock()
	for i := len(release) - 1; i >= 0; i-- {
		release[i]()
	}
}

// Snapshot lists, sorted, the names scope's stack holds and the holds kept
// in it, each with the path of its construct: for tests that check that a
// refused constructor took back all it claimed. Outside a stack (an app), it
// lists every stack's among scope's children.
func Snapshot(scope constructs.Construct) []string {
	var sts []cdktf.TerraformStack
	if st, err := StackOf(scope); err == nil {
		sts = append(sts, st)
	} else {
		for _, ch := range *scope.Node().Children() {
			if st, err := StackOf(ch); err == nil {
				sts = append(sts, st)
			}
		}
	}
	var out []string
	for _, st := range sts {
		mu.Lock()
		sn := stacks[st]
		mu.Unlock()
		if sn == nil {
			continue
		}
		for k, o := range sn.names {
			p, _ := kernel(o.path)
			out = append(out, "name "+strings.ReplaceAll(k, "\x00", " ")+" @ "+p)
		}
		for _, h := range sn.holds {
			p, _ := kernel(h.owner.path)
			out = append(out, "hold "+h.What+" @ "+p)
		}
		if len(sn.defaultTags) > 0 {
			out = append(out, "default tags "+strings.Join(sn.defaultTags, ","))
		}
	}
	slices.Sort(out)
	return out
}

// Planner returns the Entry a constructor would Enter for props (Scope and
// ID left empty), without the kernel, and false when props are invalid or
// create nothing to claim.
type Planner func(props any) (Entry, bool)

var (
	plannersMu sync.Mutex
	planners   = map[string]Planner{}
)

// RegisterPlanner is called by a constructor's package, at init, with its
// Planner: how a pattern that creates the construct as one of its parts
// learns the names and tags it will claim before it creates anything.
func RegisterPlanner(construct string, p Planner) {
	plannersMu.Lock()
	defer plannersMu.Unlock()
	planners[construct] = p
}

// Plan is the Entry construct (e.g. "service.New") would Enter for props,
// and false when it would claim nothing or its package registered no Planner.
func Plan(construct string, props any) (Entry, bool) {
	plannersMu.Lock()
	p := planners[construct]
	plannersMu.Unlock()
	if p == nil {
		return Entry{}, false
	}
	return p(props)
}

// describe lists names by kind, in the order given: `its CloudWatch Logs
// log group name "/ecs/web", IAM role names "web-execution" and "web-task"`.
func describe(names []Name) string {
	type kind struct{ kind, where string }
	var kinds []kind
	values := map[kind][]string{}
	for _, n := range names {
		k := kind{n.Kind, n.Namespace}
		if values[k] == nil {
			kinds = append(kinds, k)
		}
		values[k] = append(values[k], fmt.Sprintf("%q", n.Value))
	}
	out := make([]string, len(kinds))
	for i, k := range kinds {
		v := values[k]
		if len(v) == 1 {
			out[i] = k.kind + " " + v[0]
		} else {
			out[i] = plural(k.kind) + " " + strings.Join(v[:len(v)-1], ", ") + " and " + v[len(v)-1]
		}
		if k.where != "" {
			out[i] += " in " + k.where
		}
	}
	return "its " + strings.Join(out, ", ")
}

func plural(kind string) string {
	if strings.HasSuffix(kind, "y") {
		return kind[:len(kind)-1] + "ies"
	}
	return kind + "s"
}

func key(n Name) string { return n.Kind + "\x00" + n.Namespace + "\x00" + n.Value }

// SetDefaultTags records the provider's default tags for scope's stack, so
// that constructors count them against MaxTags. It returns the tags it
// replaced (their keys), for a constructor that has to take it back.
func SetDefaultTags(scope constructs.Construct, tags map[string]string) (previous map[string]string, err error) {
	stack, err := StackOf(scope)
	if err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	sn := namesOf(stack)
	previous = map[string]string{}
	for _, k := range sn.defaultTags {
		previous[k] = ""
	}
	sn.defaultTags = slices.Sorted(maps.Keys(tags))
	return previous, nil
}

// namesOf returns stack's entry, creating it; mu must be held.
func namesOf(stack cdktf.TerraformStack) *stackNames {
	sn := stacks[stack]
	if sn == nil {
		sn = &stackNames{names: map[string]*owner{}}
		stacks[stack] = sn
	}
	return sn
}

// CheckTokens records the strings of props (walked from root, e.g.
// "Network") that look like tokens but that the kernel never issued: for a
// constructor that creates nothing and so does not Enter.
func CheckTokens(c *verify.Checker, root string, props any) {
	checkTokens(c, []Entry{{Root: root, Props: props}})
}

// checkTokens asks the kernel, once, whether every token in the entries'
// props is one it issued; only when one is not does it ask per string, to
// name the field.
func checkTokens(c *verify.Checker, entries []Entry) {
	type tok struct{ field, s string }
	var toks []tok
	for _, e := range entries {
		if e.Props == nil {
			continue
		}
		verify.Strings(e.Root, e.Props, func(field, s string) {
			if verify.IsToken(s) {
				toks = append(toks, tok{field, s})
			}
		})
	}
	if len(toks) == 0 {
		return
	}
	all := make([]string, len(toks))
	for i, t := range toks {
		all[i] = strings.Join(verify.Tokens(t.s), "")
	}
	joined := strings.Join(all, "")
	if _, err := kernel(func() bool { cdktf.Tokenization_ReverseString(&joined); return true }); err == nil {
		return
	}
	for i, t := range toks {
		if _, err := kernel(func() bool { cdktf.Tokenization_ReverseString(&all[i]); return true }); err != nil {
			c.Add(t.field, t.s, "imitates a CDKTF token: the kernel issued no such token (tokens come only from resource attributes such as vpc.Id() of this app; pass the attribute itself, or the literal value)")
		}
	}
}

// kernel runs f in the jsii kernel; a panic of the bindings is an error.
func kernel[T any](f func() T) (T, error) { return tfx.Kernel(f) }

// stackOf caches each scope's stack: a construct's stack never changes,
// and constructors ask for it several times each (one kernel round trip a
// time otherwise). Scopes outside a stack (an app) are not cached.
var stackOf sync.Map // constructs.IConstruct -> cdktf.TerraformStack

// StackOf returns the stack scope is in, asking the kernel once per scope,
// or an error when scope is in no stack (the app itself).
func StackOf(scope constructs.IConstruct) (cdktf.TerraformStack, error) {
	if st, ok := stackOf.Load(scope); ok {
		return st.(cdktf.TerraformStack), nil
	}
	st, err := kernel(func() cdktf.TerraformStack { return cdktf.TerraformStack_Of(scope) })
	if err == nil {
		stackOf.Store(scope, st)
	}
	return st, err
}

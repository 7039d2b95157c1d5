// Package txn makes a constructor transactional: it either returns a
// complete construct, or returns an error and leaves its scope as it was.
//
// A constructor checks everything it can before it creates anything (its
// props, then its ids, tokens and names through internal/registry). What
// can only fail after it started creating (a part of a pattern refused by
// its own constructor, a panic of the generated bindings) is taken back by
// an Undo: each step the constructor takes that adds to the scope records
// how to remove it, and
//
//	var undo txn.Undo
//	defer undo.OnError(&err)
//
// runs those steps, last first, when the constructor returns an error or
// panics. Removing a construct (constructs' Node.TryRemoveChild) removes it
// and everything below it from the tree, and so from what the stack
// synthesizes; registry.Release takes back, with it, the names and holds
// (such as load balancer rule priorities) that its constructors claimed.
package txn

import (
	"sync"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/fargatekit/fargatekit/internal/registry"
)

// Undo is what a constructor has added so far, as the steps that take it
// back. The zero value is ready to use.
type Undo struct {
	steps []func()
}

// Do records a step that takes back something the constructor did.
func (u *Undo) Do(step func()) { u.steps = append(u.steps, step) }

// Child records that the constructor creates (or is about to create)
// scope/id: undoing removes it and releases what was claimed at or below it.
// Record it right after the registry accepted the id, before the child
// exists, so that a failure in between still releases the claims.
func (u *Undo) Child(scope constructs.IConstruct, id string) {
	u.Do(func() { Remove(scope, id) })
}

// Enter is the usual start of a leaf constructor after its props passed:
// it enters e (with scope and id) in the stack's registry, which checks the
// id, the tokens, the names and the tags in the kernel; records in u that
// scope/id is to be removed on error; and creates the constructor's own
// scope, scope/id.
func (u *Undo) Enter(scope constructs.Construct, id string, e registry.Entry) (constructs.Construct, error) {
	e.Scope, e.ID = scope, id
	if err := registry.Enter(e); err != nil {
		return nil, err
	}
	u.Child(scope, id)
	return constructs.NewConstruct(scope, &id), nil
}

// OnError, deferred with the constructor's named error result, undoes every
// recorded step when the constructor returns an error or panics (the panic
// goes on after the undo, for the caller's recover).
func (u *Undo) OnError(err *error) {
	if r := recover(); r != nil {
		u.undo()
		panic(r)
	}
	if *err != nil {
		u.undo()
	}
}

func (u *Undo) undo() {
	for i := len(u.steps) - 1; i >= 0; i-- {
		func() {
			// One step failing must not keep the others from running.
			defer func() { _ = recover() }()
			u.steps[i]()
		}()
	}
	u.steps = nil
}

// Remove takes scope/id out of the construct tree and releases what its
// constructors claimed in the registry. It is a no-op for a child that does
// not exist.
func Remove(scope constructs.IConstruct, id string) {
	registry.Release(scope, id)
	scope.Node().TryRemoveChild(&id)
}

// RemoveTarget takes back a loadbalancer.AddTarget(id) on the load balancer
// whose scope is lbScope: its target group "<id>TargetGroup" and listener
// rule "<id>Rule", and the id and rule priority it holds there.
func RemoveTarget(lbScope constructs.IConstruct, id string) {
	Remove(lbScope, id+"TargetGroup")
	Remove(lbScope, id+"Rule")
	registry.Release(lbScope, id)
}

var faults sync.Map // point -> func() error

// Fault is the error a test injects at point (a constructor's name, such as
// "service.New"), or nil. Each transactional constructor asks it once, after
// it created everything and before it returns: how tests make a constructor
// fail after its checks passed, to prove that it takes back what it created.
func Fault(point string) error {
	if f, ok := faults.Load(point); ok {
		return f.(func() error)()
	}
	return nil
}

// InjectFault makes Fault(point) return what fault returns until clear is
// called. For tests.
func InjectFault(point string, fault func() error) (clear func()) {
	faults.Store(point, fault)
	return func() { faults.Delete(point) }
}

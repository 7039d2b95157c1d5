package jsiitune

// What the external tests (package jsiitune_test) reach inside. They are
// external so that they can import internal/testutil, which itself calls
// Apply.
var (
	ApplyIn       = applyIn
	KernelStarted = kernelStarted
	SetEnv        = setEnv
	KernelHeap    = kernelHeap
	Preload       = preload
)

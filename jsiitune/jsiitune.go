// Package jsiitune makes the jsii kernel that runs a CDKTF Go program start
// faster and use less memory, without changing what it synthesizes.
//
// Call [Apply] first thing in main, before the first jsii call starts the
// kernel:
//
//	func main() {
//		jsiitune.Apply()
//		app := cdktf.NewApp(nil)
//		...
//	}
//
// Apply preloads a small script (preload.js, embedded) into the kernel's
// Node.js processes through NODE_OPTIONS. A prebuilt provider's
// lib/index.js (@cdktf/provider-aws, or any other @cdktf/provider-*)
// requires every one of its resource modules, about 2,000 for AWS, and the
// kernel loads it as soon as the program uses the provider. The preload turns
// that index's exports into getters, so only the modules the program uses
// are compiled; what they export, and so the synthesized JSON, is unchanged.
// An index of any other form is loaded as written. It works on every Node.js
// version jsii supports (20 and later). bench/README.md has the measured
// effect, with and without it, on the same stack (`-programs
// library,library@tuned -variant tuned=JSIITUNE=1`); the kernel needs a few
// hundred MiB less and starts several times faster.
//
// The jsii Go runtime captures the kernel's environment when it creates its
// client: during the bindings' package initializers, before main runs, and
// again after jsii.Close. Apply therefore sets NODE_OPTIONS, discards the not
// yet started kernel process (jsii.Close; type registrations are global and
// survive), lets the runtime create its next client, which captures the
// environment with the preload but starts no process, and then restores
// NODE_OPTIONS. Only the kernel gets the preload: the program's own
// environment, and every other process it starts, are as before Apply.
//
// Apply writes one file, the preload, to
// <os.UserCacheDir()>/fargatekit/jsiitune/preload-<hash>.js (on Linux
// usually ~/.cache/fargatekit/jsiitune), once per version of the preload,
// atomically; Node.js needs a file to --require.
//
// Apply changes nothing if NODE_OPTIONS or JSII_RUNTIME is already set (the
// user controls Node.js then), if a kernel is already running or it cannot
// tell (it looks for a jsii-runtime child process in /proc, so it acts on
// Linux only), on a path it cannot quote for NODE_OPTIONS, or if the preload
// cannot be written to the user cache directory. The environment variable
// JSIITUNE_LAZY_INDEX=0 turns the preload's work off.
package jsiitune

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/aws/jsii-runtime-go/runtime"
)

//go:embed preload.js
var preload []byte

// kernelHeap is the heap limit the jsii Go runtime gives the kernel when
// NODE_OPTIONS is unset; Apply keeps it.
const kernelHeap = "--max-old-space-size=4069"

// Apply gives the jsii kernel (and nothing else) NODE_OPTIONS with the
// preload, if NODE_OPTIONS is unset and no kernel is running yet. It returns
// what the kernel's environment got, for logging, or nil.
func Apply() map[string]string {
	base, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	return applyIn(filepath.Join(base, "fargatekit", "jsiitune"))
}

// applyIn is Apply with the preload kept in dir.
func applyIn(dir string) map[string]string {
	for _, k := range []string{"NODE_OPTIONS", "JSII_RUNTIME"} {
		if _, set := os.LookupEnv(k); set {
			return nil
		}
	}
	if kernelStarted() {
		return nil
	}
	set := setEnv(dir)
	if set != nil {
		// Drop the client created during package initialization: its
		// process has not started and holds the old environment.
		jsii.Close()
		// Create the next client now, so that it captures the environment
		// with the preload: IsAnonymousProxy asks the runtime for its
		// client without sending the kernel anything, so no process starts
		// yet. Then give the program its environment back.
		runtime.IsAnonymousProxy(nil)
		for k := range set {
			os.Unsetenv(k)
		}
	}
	return set
}

// kernelStarted reports whether this process already runs a jsii kernel (a
// child process whose command line names jsii-runtime), and true where it
// cannot tell.
func kernelStarted() bool {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return true
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/self/task/%d/children", os.Getpid())); err != nil {
		return true // a Linux kernel without /proc/PID/task/TID/children
	}
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + t.Name() + "/children")
		if err != nil {
			continue // the thread is gone
		}
		for _, pid := range strings.Fields(string(b)) {
			cmd, err := os.ReadFile("/proc/" + pid + "/cmdline")
			if err == nil && strings.Contains(string(cmd), "jsii-runtime") {
				return true
			}
		}
	}
	return false
}

// setEnv writes the preload into dir and sets NODE_OPTIONS to require it.
func setEnv(dir string) map[string]string {
	sum := sha256.Sum256(preload)
	script := filepath.Join(dir, "preload-"+hex.EncodeToString(sum[:6])+".js")
	if strings.ContainsAny(script, "\"\\\n") || writeOnce(script, preload) != nil {
		return nil
	}
	set := map[string]string{"NODE_OPTIONS": kernelHeap + ` --require "` + script + `"`}
	for k, v := range set {
		os.Setenv(k, v)
	}
	return set
}

// writeOnce writes b to path unless it is there already, atomically, so that
// concurrent programs never read a half-written file.
func writeOnce(path string, b []byte) error {
	if old, err := os.ReadFile(path); err == nil && string(old) == string(b) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".preload-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

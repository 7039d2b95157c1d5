// Preloaded into the jsii kernel's Node.js processes by jsiitune (through
// NODE_OPTIONS=--require). It changes only when modules are loaded, never
// what they export, and does nothing where it does not apply.
'use strict';
const Module = require('module');

// Lazy provider index. A prebuilt CDKTF provider's lib/index.js requires
// every resource module eagerly (about 2,000 for @cdktf/provider-aws), and the
// jsii kernel requires that index as soon as a Go program touches the
// provider. Its exports are replaced with getters that require a submodule
// the first time the kernel looks it up by name, so that a synth compiles
// the few dozen modules it uses. An index with any other statement is loaded
// as written.
if (process.env.JSIITUNE_LAZY_INDEX !== '0') {
  const load = Module._extensions['.js'];
  const indexRE = /[\\/]@cdktf[\\/]provider-[a-z0-9-]+[\\/]lib[\\/]index\.js$/;
  const requireRE = /^exports\.([A-Za-z_$][\w$]*) = require\("(\.\/[\w./-]+)"\);$/;
  const voidRE = /^exports\.[\w$]+ = (?:exports\.[\w$]+ = )*void 0;$/;
  const lazyIndex = (module, filename) => {
    const src = require('fs').readFileSync(filename, 'utf8');
    const lazy = [];
    for (const raw of src.split('\n')) {
      const line = raw.trim();
      if (line === '' || line === '"use strict";' || line.startsWith('//') || line.startsWith('/*') ||
          line.startsWith('*') || line === 'Object.defineProperty(exports, "__esModule", { value: true });' ||
          voidRE.test(line)) {
        continue;
      }
      const m = requireRE.exec(line);
      if (!m) return false;
      lazy.push(m);
    }
    if (lazy.length === 0) return false;
    const exp = module.exports;
    Object.defineProperty(exp, '__esModule', { value: true });
    for (const [, name, rel] of lazy) {
      Object.defineProperty(exp, name, {
        enumerable: true,
        configurable: true,
        get() {
          const value = module.require(rel);
          Object.defineProperty(exp, name, { value, enumerable: true, configurable: true, writable: true });
          return value;
        },
      });
    }
    return true;
  };
  Module._extensions['.js'] = function (module, filename) {
    if (indexRE.test(filename) && lazyIndex(module, filename)) return;
    return load.call(this, module, filename);
  };
}

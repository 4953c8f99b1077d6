// Runs the bundled CLI (build/cli.js, scripts/bundle-cli.js) with V8's code cache: the compiled
// code of a previous run is read back instead of compiled again, which is most of what starting
// the CLI costs. The cache is written after a run that found none (or one V8 rejected: another
// Node version, other flags) beside the bundle, or in the user's cache directory when the
// package's directory is read-only; without either, the CLI runs without it.
const fs = require('fs');
const os = require('os');
const path = require('path');
const vm = require('vm');
const Module = require('module');

function readCache(files) {
  for (const file of files) {
    try {
      return { file, data: fs.readFileSync(file) };
    } catch {
      // try the next place
    }
  }
  return undefined;
}

function writeCache(files, data) {
  for (const file of files) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, file); // a concurrent run reads the old file or the new one, never half of one
      return;
    } catch {
      // read-only: try the next place
    }
  }
}

/**
 * Modules the bundle requires by a computed path that get a cache of their own: the Kubernetes
 * validators `npm run build` generates (~1 MB, which only `validate` reads; compiling it cost
 * ~15 ms of each run).
 */
const CACHED_MODULES = new Set([path.join(__dirname, '..', 'build', 'schemas', 'k8s-validators.js')]);

function loadModule(file, dones, source = fs.readFileSync(file, 'utf8')) {
  // V8 checks only the length of the source a cache was made from: each build has its own file.
  // The first line names the module and its content: `// compose-cdk8s cli <id>` (scripts/bundle-cli.js),
  // `// compose-cdk8s synth <id>` (scripts/synth-bundle.js), the validators' (scripts/generate-k8s-validators.js).
  const [, name, id] = /^\/\/ compose-cdk8s ([a-z0-9-]+) ([0-9a-f]+)\n/.exec(source) ?? [];
  const userCache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const places = id ? [`${file}.${id}.cache`, path.join(userCache, 'compose-cdk8s', `${name}.${id}.cache`)] : [];
  const cached = readCache(places);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData: cached?.data });
  const module = { exports: {}, filename: file, id: file };
  script
    .runInThisContext()
    .call(module.exports, module.exports, requireOf(file, dones), module, file, path.dirname(file));
  dones.push(() => {
    // The build warms the cache command by command: each run adds the code it compiled.
    if (cached && !script.cachedDataRejected && !process.env.COMPOSE_CDK8S_WRITE_CODE_CACHE) return;
    writeCache(places, script.createCachedData());
  });
  return module.exports;
}

/** `require` for a cached module: the modules of CACHED_MODULES load with their cache, once. */
function requireOf(file, dones) {
  const plain = Module.createRequire(file);
  const loaded = new Map();
  const cachedRequire = (id) => {
    if (!CACHED_MODULES.has(id)) return plain(id);
    if (!loaded.has(id)) loaded.set(id, loadModule(id, dones));
    return loaded.get(id);
  };
  return Object.assign(cachedRequire, { resolve: plain.resolve, cache: plain.cache, main: plain.main });
}

/**
 * Loads `bundle` as a CommonJS module; `done()` writes the caches that are missing or stale.
 * `source` is the bundle's text when the caller has read it already.
 */
exports.loadWithCodeCache = function loadWithCodeCache(bundle, source) {
  const dones = [];
  const exports = loadModule(bundle, dones, source);
  // The modules the run required are still compiling lazily until it ends: write their caches last.
  return { exports, done: () => dones.forEach((done) => done()) };
};

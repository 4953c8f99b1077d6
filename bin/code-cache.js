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
 * Loads `bundle` as a CommonJS module; `done()` writes the cache when it is missing or stale.
 * `source` is the bundle's text when the caller has read it already.
 */
exports.loadWithCodeCache = function loadWithCodeCache(bundle, source = fs.readFileSync(bundle, 'utf8')) {
  // V8 checks only the length of the source a cache was made from: each bundle has its own file.
  // The first line names the bundle and its content: `// compose-cdk8s cli <id>` (scripts/bundle-cli.js),
  // `// compose-cdk8s synth <id>` (scripts/synth-bundle.js).
  const [, name, id] = /^\/\/ compose-cdk8s ([a-z]+) ([0-9a-f]+)\n/.exec(source) ?? [];
  const userCache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const places = id ? [`${bundle}.${id}.cache`, path.join(userCache, 'compose-cdk8s', `${name}.${id}.cache`)] : [];
  const cached = readCache(places);
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData: cached?.data });
  const module = { exports: {}, filename: bundle, id: bundle };
  script
    .runInThisContext()
    .call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, path.dirname(bundle));
  const done = () => {
    // The build warms the cache command by command: each run adds the code it compiled.
    if (cached && !script.cachedDataRejected && !process.env.COMPOSE_CDK8S_WRITE_CODE_CACHE) return;
    writeCache(places, script.createCachedData());
  };
  return { exports: module.exports, done };
};

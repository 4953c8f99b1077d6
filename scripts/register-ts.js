/**
 * A transpile-only require hook for TypeScript, used by `cdk8s synth` and the dev CLI.
 * Why: the stock cdk8s template runs ts-node, which type-checks the whole project on every synth
 * and takes seconds; type-checking belongs to `npm run typecheck`, not to the edit-synth loop.
 * Transpiled files are cached on disk by content hash, so an unchanged file costs one hash and
 * one read, and esbuild is not even started when nothing changed.
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'compose-cdk8s-ts');
const OPTIONS = {
  loader: 'ts',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  // As tsc does for CommonJS: import() becomes require(), so lazily loaded .ts modules go through this hook too.
  supported: { 'dynamic-import': false },
};
let esbuild;
let cacheUsable = true;

function transpile(source, filename) {
  esbuild ??= require('esbuild');
  return esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename }).code;
}

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto
    .createHash('sha1')
    .update(filename)
    .update('\0')
    .update(source)
    .update(JSON.stringify(OPTIONS))
    .digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    code = transpile(source, filename);
    if (cacheUsable) {
      try {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        // Write then rename, so a concurrent process never reads a half-written file.
        const tmp = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, code);
        fs.renameSync(tmp, cached);
      } catch {
        cacheUsable = false; // read-only install: transpile every time
      }
    }
  }
  module._compile(code, filename);
};

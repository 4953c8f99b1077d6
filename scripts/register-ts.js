/**
 * A transpile-only require hook for TypeScript, used by `cdk8s synth` and the dev CLI.
 * Why: the stock cdk8s template runs ts-node, which type-checks the whole project on every synth
 * and takes seconds; type-checking belongs to `npm run typecheck`, not to the edit-synth loop.
 * esbuild transforms one file in well under a millisecond.
 */
const fs = require('fs');
const { transformSync } = require('esbuild');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    // As tsc does for CommonJS: import() becomes require(), so lazily loaded .ts modules go through this hook too.
    supported: { 'dynamic-import': false },
    sourcefile: filename,
    sourcemap: 'inline',
  });
  module._compile(code, filename);
};

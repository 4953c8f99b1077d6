#!/usr/bin/env node
// Runs the bundled CLI when the package is built (npm ci/npm install run `prepare`), and the
// TypeScript sources through the transpile-only loader in a fresh checkout that was not built.
const path = require('path');
const fs = require('fs');

const bundle = path.join(__dirname, '..', 'build', 'cli.js');
const compiled = path.join(__dirname, '..', 'build', 'lib', 'cli', 'main.js');
// The published package holds only the compiled CLI: COMPOSE_CDK8S_FROM_SOURCE applies to clones.
const source = path.join(__dirname, '..', 'lib', 'cli', 'main.ts');
const fromSource = !fs.existsSync(compiled) || (process.env.COMPOSE_CDK8S_FROM_SOURCE && fs.existsSync(source));
const largeInput = require('./large-input.js');
const heapFlags = largeInput.heapFlags(process.argv.slice(2));
if (heapFlags) {
  const { spawnSync } = require('child_process');
  const run = spawnSync(
    process.execPath,
    [...process.execArgv, ...heapFlags, process.argv[1], ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { ...process.env, [largeInput.MARKER]: '1' },
    },
  );
  process.exit(run.status ?? 1);
} else if (!fromSource && fs.existsSync(bundle)) {
  const cli = require('./code-cache.js').loadWithCodeCache(bundle);
  cli.exports.runCli(process.argv.slice(2)).then((code) => {
    cli.done();
    process.exit(code);
  });
} else if (!fromSource) {
  require(compiled)
    .runCli(process.argv.slice(2))
    .then((code) => process.exit(code));
} else {
  require('../scripts/register-ts.js');
  require('../lib/cli/main.ts')
    .runCli(process.argv.slice(2))
    .then((code) => process.exit(code));
}

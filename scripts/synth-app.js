/**
 * The cdk8s app of cdk8s.yaml (`npm run synth`): main.ts, run from one bundled file with V8's code
 * cache, as the compose-cdk8s CLI runs (scripts/synth-bundle.js builds the bundle again whenever
 * a source changed). Without esbuild, or with COMPOSE_CDK8S_SYNTH_FROM_SOURCE=1 (stack traces
 * then name the .ts files), it runs the sources through the transpile-only loader instead.
 */
const path = require('path');
const v8 = require('v8');
const { currentBundle } = require('./synth-bundle.js');

const ROOT = path.join(__dirname, '..');

// A synth is short: V8 spends a third of its CPU time optimizing functions that have run for a few
// milliseconds (measured: 580 -> 360 ms of CPU for the seed charts with a budget 16 times the
// default, 67584), work a longer run still gets done, only later. Set before any of the app is
// compiled, so the code cache (whose flags must match) is always made and read under it.
v8.setFlagsFromString('--interrupt-budget=1081344');

function runSources() {
  require('./register-ts.js');
  require('../main.ts');
}

async function run() {
  if (process.env.COMPOSE_CDK8S_SYNTH_FROM_SOURCE) return runSources();
  let bundle;
  try {
    bundle = await currentBundle(ROOT);
  } catch (error) {
    // esbuild has shown what in the sources does not compile; they would not run either.
    if (Array.isArray(error?.errors)) {
      process.exitCode = 1;
      return undefined;
    }
    console.error(`compose-cdk8s: could not bundle main.ts, running the sources instead: ${error?.message ?? error}`);
  }
  if (!bundle) return runSources();
  // The cdk8s CLI empties the output directory before each synth, so the diagrams laid out in it
  // are gone: main.ts keeps them here instead, one file per bundle, as other code may draw them otherwise.
  process.env.COMPOSE_CDK8S_LAYOUT_CACHE = `${bundle.file}.${bundle.id}.layouts.json`;
  const app = require('../bin/code-cache.js').loadWithCodeCache(bundle.file, bundle.source);
  // main.ts writes asynchronously: the cache is written once all its code has run (and been compiled).
  process.once('exit', () => app.done());
}

run().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

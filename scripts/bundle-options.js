/**
 * What the two bundles share: build/cli.js (scripts/bundle-cli.js) and the cdk8s app's
 * build/synth.js (scripts/synth-bundle.js) are built with the same esbuild options and the same
 * rewrite of the schema validator's require.
 */
const fs = require('fs');

/** Options of both bundles; the caller adds its entry point, output and plugins. */
const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Less text to read, parse and ship; identifiers keep their names, so a stack trace (--debug)
  // still says where it comes from.
  minifyWhitespace: true,
  minifySyntax: true,
  // As tsc does: lazily loaded command modules stay require()s inside the bundle.
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
  // Graphviz in WebAssembly (1.5 MB) stays its own module: loaded only when a diagram is laid out.
  external: ['@viz-js/viz'],
};

const SCHEMA_MODULE = /lib[\\/]compose[\\/]schema\.ts$/;
const COMPUTED_REQUIRE =
  /require\(\s*path\.join\(packageRoot\(\), 'lib', 'compose', 'generated', 'compose-schema-validator\.js'\),?\s*\)/;

/**
 * lib/compose/schema.ts finds the generated validator at run time (it serves lib/ and build/); a
 * bundle holds it. Returns `source` unchanged for any other file.
 */
function inlineSchemaValidator(file, source) {
  if (!SCHEMA_MODULE.test(file)) return source;
  if (!COMPUTED_REQUIRE.test(source))
    throw new Error(`${file}: the validator's require changed; update scripts/bundle-options.js`);
  return source.replace(COMPUTED_REQUIRE, "require('./generated/compose-schema-validator.js')");
}

/** The esbuild plugin applying `inlineSchemaValidator`. */
const inlineSchemaValidatorPlugin = {
  name: 'inline-schema-validator',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, (args) => ({
      contents: inlineSchemaValidator(args.path, fs.readFileSync(args.path, 'utf8')),
      loader: 'ts',
    }));
  },
};

module.exports = { BUNDLE_OPTIONS, inlineSchemaValidator, inlineSchemaValidatorPlugin };

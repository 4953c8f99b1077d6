/**
 * `npm run build` step: the CLI and everything it loads in one file, build/cli.js, plus the V8 code
 * caches bin/compose-cdk8s.js runs it with (bin/code-cache.js), warmed here by a run of each command
 * (validate's includes the one of build/schemas/k8s-validators.js).
 * Why: Node resolving, reading and compiling some 400 modules cost more than the conversion of a
 * stack; one file, whose compiled code is read back from the cache, costs a fraction of that.
 * The library (build/lib) is unchanged: this file is only what `compose-cdk8s` runs.
 */
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const esbuild = require('esbuild');
const { BUNDLE_OPTIONS, inlineSchemaValidatorPlugin } = require('./bundle-options.js');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'build', 'cli.js');

/**
 * lib/validate/schema.ts compiles the Kubernetes validators at run time only when the ones
 * `npm run build` generated are absent, which they never are beside the bundle: leaving that path
 * (./k8s-schema, and with it ajv's compiler, ~180 kB) out makes every command's start cheaper.
 */
const withoutRuntimeK8sCompiler = {
  name: 'without-runtime-k8s-compiler',
  setup(build) {
    build.onResolve({ filter: /^\.\/k8s-schema$/ }, (args) => {
      if (!/lib[\\/]validate[\\/]schema\.ts$/.test(args.importer)) return undefined;
      return { path: 'k8s-schema', namespace: 'without-runtime-k8s-compiler' };
    });
    build.onLoad({ filter: /.*/, namespace: 'without-runtime-k8s-compiler' }, () => ({
      contents: "throw new Error('compose-cdk8s: build/schemas/k8s-validators.js is missing; run npm run build');",
      loader: 'js',
    }));
  },
};

async function bundle() {
  const result = await esbuild.build({
    ...BUNDLE_OPTIONS,
    entryPoints: [path.join(ROOT, 'lib', 'cli', 'main.ts')],
    outfile: OUT,
    plugins: [inlineSchemaValidatorPlugin, withoutRuntimeK8sCompiler],
    write: false,
    metafile: true,
  });
  // The Compose validator needs ajv's small run-time helpers (ajv/dist/runtime), not its compiler.
  const compiler = Object.keys(result.metafile.inputs).filter((input) =>
    /node_modules[\\/]ajv[\\/](?!dist[\\/]runtime[\\/])/.test(input),
  );
  if (compiler.length > 0)
    throw new Error(`ajv's compiler slipped into build/cli.js: ${compiler.slice(0, 3).join(', ')}`);
  // The first line names the content: bin/code-cache.js keeps one cache per bundle, since V8
  // checks only a script's length before taking compiled code from a cache.
  const code = result.outputFiles[0].text;
  const id = crypto.createHash('sha256').update(code).digest('hex').slice(0, 16);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `// compose-cdk8s cli ${id}\n${code}`);
}

/** Runs each command once so the cache holds the code they compile (each run adds what it compiled). */
function warmCodeCache() {
  for (const [dir, pattern] of [
    [path.dirname(OUT), /^cli\.js\..*cache$/],
    [path.join(path.dirname(OUT), 'schemas'), /^k8s-validators\.js\..*cache$/],
  ]) {
    for (const f of fs.readdirSync(dir)) if (pattern.test(f)) fs.rmSync(path.join(dir, f), { force: true });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-cdk8s-warm-'));
  try {
    const compose = path.join(dir, 'compose.yaml');
    fs.writeFileSync(
      compose,
      [
        'services:',
        '  web:',
        '    image: nginx:1.27',
        '    ports: ["8080:80"]',
        '    depends_on: { db: { condition: service_healthy } }',
        '  db:',
        '    image: postgres:16',
        '    environment: { POSTGRES_PASSWORD: example }',
        '    volumes: [data:/var/lib/postgresql/data]',
        '    healthcheck: { test: ["CMD", "pg_isready"], interval: 5s }',
        'volumes:',
        '  data: {}',
        '',
      ].join('\n'),
    );
    const bin = path.join(ROOT, 'bin', 'compose-cdk8s.js');
    for (const args of [
      ['convert', '-q', '-f', compose, '-o', path.join(dir, 'out')],
      ['explain', '-f', compose],
      ['validate', path.join(dir, 'out')],
    ]) {
      const run = spawnSync(process.execPath, [bin, ...args], {
        env: { ...process.env, COMPOSE_CDK8S_FROM_SOURCE: '', COMPOSE_CDK8S_WRITE_CODE_CACHE: '1', NODE_OPTIONS: '' },
        encoding: 'utf8',
      });
      if (run.status !== 0 && args[0] === 'convert') {
        throw new Error(`warming the code cache: compose-cdk8s ${args.join(' ')} exited ${run.status}\n${run.stderr}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

bundle()
  .then(warmCodeCache)
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });

/**
 * What `npm pack` would publish: the compiled library, the CLI, the schemas it reads at run
 * time, README and LICENSE, and nothing else (no tests, fixtures, keys, .env files, seed charts
 * or benchmarks), under 960 kB. Runs on the current build/ (npm ci runs `npm run build`).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

interface PackedFile {
  readonly path: string;
  readonly size: number;
}
interface PackResult {
  readonly size: number;
  readonly files: readonly PackedFile[];
}

const built = fs.existsSync(path.join(root, 'build', 'lib', 'index.js'));
const describeBuilt = built ? describe : describe.skip;
if (!built) console.warn('test/package/pack.test.ts skipped: no build/ (run npm run build; npm ci does)');

describeBuilt('npm pack', () => {
  let pack: PackResult;
  beforeAll(() => {
    // --ignore-scripts: `prepare` would rebuild; the test checks what the current build would ship.
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    pack = (JSON.parse(out) as PackResult[])[0];
  });

  const FORBIDDEN: readonly [RegExp, string][] = [
    [/^(test|bench|examples|charts|dist|scripts|\.ci|docs)\//, 'development folder'],
    [/(^|\/)build\/(charts|test|main\.)/, 'compiled seed charts or app'],
    [/(^|\/)\.env($|\.)/, '.env file'],
    [/\.(key|pem|crt|p12)$/, 'key or certificate'],
    [/(^|\/)(fixtures|__snapshots__)\//, 'test data'],
    [/(?<!\.d)\.ts$/, 'TypeScript source'],
    [/\.map$/, 'source map'],
  ];

  test('ships no test, fixture, chart, key, .env, source or benchmark file', () => {
    const shipped = pack.files.flatMap((f) =>
      FORBIDDEN.filter(([pattern]) => pattern.test(f.path)).map(([, why]) => `${f.path} (${why})`),
    );
    expect(shipped).toEqual([]);
  });

  test('ships the library, its types, the CLI, the run-time schemas, README and LICENSE', () => {
    const paths = new Set(pack.files.map((f) => f.path));
    const needed = [
      'build/lib/index.js',
      'build/lib/index.d.ts',
      'build/lib/cli/main.js',
      'build/cli.js',
      'bin/compose-cdk8s.js',
      'bin/code-cache.js',
      'bin/large-input.js',
      'build/schemas/k8s-validators.js',
      'lib/compose/generated/compose-schema-validator.js',
      'README.md',
      'LICENSE',
      'package.json',
    ];
    const missing = needed.filter((p) => !paths.has(p));
    if (missing.length > 0)
      throw new Error(`not in the package: ${missing.join(', ')} (is build/ current? npm run build)`);
  });

  test('every module the compiled library requires is in the package', () => {
    const paths = new Set(pack.files.map((f) => f.path));
    const missing: string[] = [];
    for (const file of paths) {
      if (!file.endsWith('.js') || !file.startsWith('build/lib/')) continue;
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      for (const [, spec] of text.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
        if (![target, `${target}.js`, `${target}/index.js`].some((t) => paths.has(t)))
          missing.push(`${file} -> ${spec}`);
      }
    }
    expect(missing).toEqual([]);
  });

  // 366 kB at the 2026-12 merge of include, deploy, hooks and build support, with the minified
  // 2020-12 schema validator (~75 kB of it compressed); 433 kB after Traefik labels, renamed
  // references, day-two scripts and config digests; ~900 kB with the CLI bundled into one file
  // (build/cli.js, ~480 kB compressed: the CLI and its dependencies but Graphviz, which starts in
  // a fraction of the time hundreds of modules took); ~890 kB with the Kubernetes validators compiled
  // at build time (build/schemas/k8s-validators.js, ~77 kB compressed) instead of the definitions
  // and, in the bundle, ajv's compiler. A jump past 960 kB means something slipped in.
  test('the tarball stays under 960 kB', () => {
    expect(pack.size).toBeLessThan(960 * 1024);
  });
});

/**
 * `npm run synth` runs main.ts from a bundle (scripts/synth-app.js, scripts/synth-bundle.js): it
 * writes the bytes the sources write, is built once and reused, is built again whenever one of
 * its sources changed (never run stale), and without esbuild the sources run as before.
 * Runs in a copy of the repository: the bundle and the edits stay there.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const COPIED = ['main.ts', 'package.json', 'tsconfig.json', 'charts', 'lib', 'scripts', 'bin'];

let copy: string;
let outs = 0;

/** The repository's sources in a temporary folder, with node_modules linked entry by entry (so one can go missing). */
function copyRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-app-'));
  for (const entry of COPIED)
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, preserveTimestamps: true });
  const modules = fs.realpathSync(path.join(ROOT, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const entry of fs.readdirSync(modules)) {
    // The transpile cache stays the copy's own: its entries are keyed by the copy's paths.
    if (entry !== '.cache') fs.symlinkSync(path.join(modules, entry), path.join(dir, 'node_modules', entry));
  }
  return dir;
}

/** Runs the app as cdk8s.yaml does; returns the output folder. */
function synth(env: Record<string, string> = {}): string {
  const out = path.join(copy, 'out', String(++outs));
  const run = spawnSync(process.execPath, ['scripts/synth-app.js'], {
    cwd: copy,
    env: { ...process.env, COMPOSE_CDK8S_SYNTH_FROM_SOURCE: '', ...env, CDK8S_OUTDIR: out },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`synth-app.js exited ${run.status}\n${run.stderr}`);
  return out;
}

/** The bundle's content id and when it was written, or undefined without one. */
function bundle(): { id: string; mtimeMs: number; record: { files: Record<string, number[]> } } | undefined {
  const file = path.join(copy, 'build', 'synth.js');
  if (!fs.existsSync(file)) return undefined;
  const [first, second] = fs.readFileSync(file, 'utf8').split('\n', 2);
  return {
    id: /^\/\/ compose-cdk8s synth ([0-9a-f]+)$/.exec(first)![1],
    mtimeMs: fs.statSync(file).mtimeMs,
    record: JSON.parse(second.replace(/^\/\/ inputs /, '')) as { files: Record<string, number[]> },
  };
}

/** Every file under `dir`: its mode and content. */
function tree(dir: string, base = dir, files: Record<string, string> = {}): Record<string, string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) tree(full, base, files);
    else
      files[path.relative(base, full)] =
        `${(fs.statSync(full).mode & 0o777).toString(8)} ${fs.readFileSync(full, 'utf8')}`;
  }
  return files;
}

const charts = (out: string) => fs.readdirSync(out).sort();
const INDEX = path.join('charts', 'index.ts');
const index = () => fs.readFileSync(path.join(copy, INDEX), 'utf8');
const ALL_CHARTS = 'return SEED_CHARTS.map((seed) => seed.build(app));';
const onlyChart = (i: number) => `return SEED_CHARTS.slice(${i}, ${i + 1}).map((seed) => seed.build(app));`;

beforeAll(() => {
  copy = copyRepository();
});
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

describe('npm run synth from a bundle', () => {
  let fromSources: Record<string, string>;

  test('writes the same bytes as the sources, the first time and from the code cache', () => {
    fromSources = tree(synth({ COMPOSE_CDK8S_SYNTH_FROM_SOURCE: '1' }));
    expect(bundle()).toBeUndefined();
    expect(tree(synth())).toEqual(fromSources);
    const built = bundle()!;
    expect(fs.readdirSync(path.join(copy, 'build')).sort()).toEqual([
      'synth.js',
      `synth.js.${built.id}.cache`,
      `synth.js.${built.id}.layouts.json`,
    ]);
    // The diagrams now come from the layout file, the compiled code from the cache.
    expect(tree(synth())).toEqual(fromSources);
    expect(bundle()).toEqual(built);
  });

  test('is built again when a source changed, not when one was only touched', () => {
    const before = bundle()!;
    fs.writeFileSync(path.join(copy, INDEX), index().replace(ALL_CHARTS, onlyChart(0)));
    const first = charts(synth());
    expect(first).toHaveLength(1);
    const rebuilt = bundle()!;
    expect(rebuilt.id).not.toBe(before.id);
    // Only the current bundle's cache and diagrams are kept.
    expect(fs.readdirSync(path.join(copy, 'build')).filter((f) => f.includes(before.id))).toEqual([]);

    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(copy, 'lib', 'diagram', 'layout-cache.ts'), later, later);
    fs.utimesSync(path.join(copy, 'lib', 'output', 'stack.ts'), later, later);
    expect(charts(synth())).toEqual(first);
    expect(bundle()).toEqual(rebuilt);
  });

  test('an edit of the same size that keeps the mtime is found in a file written just before the build', () => {
    // charts/index.ts was written right before the last build: its mtime may be shared by a later write.
    const file = path.join(copy, INDEX);
    expect(bundle()!.record.files[INDEX][3]).toBe(1);
    expect(bundle()!.record.files[path.join('lib', 'output', 'stack.ts')][3]).toBe(0);
    const first = charts(synth());
    const { mtimeNs } = fs.statSync(file, { bigint: true });
    const edited = index().replace(onlyChart(0), onlyChart(1));
    expect(edited.length).toBe(index().length);
    fs.writeFileSync(file, edited);
    const seconds = `${mtimeNs / 1_000_000_000n}.${String(mtimeNs % 1_000_000_000n).padStart(9, '0')}`;
    execFileSync('touch', ['-m', '-d', `@${seconds}`, file]);
    expect(fs.statSync(file, { bigint: true }).mtimeNs).toBe(mtimeNs);
    const second = charts(synth());
    expect(second).toHaveLength(1);
    expect(second).not.toEqual(first);
  });

  test('is built again when a code file appears next to its sources (it could shadow an import)', () => {
    const before = bundle()!;
    synth();
    expect(bundle()).toEqual(before);
    fs.writeFileSync(path.join(copy, 'lib', 'output', 'unused.ts'), 'export const unused = 1;\n');
    synth();
    expect(bundle()!.mtimeMs).not.toBe(before.mtimeMs);
  });

  test('stops at a source that does not compile, with what esbuild says of it', () => {
    const file = path.join(copy, 'charts', 'paths.ts');
    const source = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, `${source}export const broken = ;\n`);
    const run = spawnSync(process.execPath, ['scripts/synth-app.js'], {
      cwd: copy,
      env: { ...process.env, COMPOSE_CDK8S_SYNTH_FROM_SOURCE: '', CDK8S_OUTDIR: path.join(copy, 'out', 'broken') },
      encoding: 'utf8',
    });
    fs.writeFileSync(file, source);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('charts/paths.ts:');
    expect(run.stderr).toContain('Unexpected ";"');
    expect(fs.existsSync(path.join(copy, 'out', 'broken'))).toBe(false);
  });

  test('runs the sources when esbuild is missing', () => {
    // The transpile cache of the first test holds every module: the loader needs no esbuild.
    fs.writeFileSync(path.join(copy, INDEX), index().replace(onlyChart(1), ALL_CHARTS));
    fs.rmSync(path.join(copy, 'lib', 'output', 'unused.ts'));
    fs.rmSync(path.join(copy, 'build'), { recursive: true });
    fs.unlinkSync(path.join(copy, 'node_modules', 'esbuild'));
    expect(tree(synth())).toEqual(fromSources);
    expect(bundle()).toBeUndefined();
  });
});

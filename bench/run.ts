/**
 * `npm run bench`: measures cold CLI conversion, `cdk8s synth` against the stock ts-node way, and
 * growth with stack size; prints a table and writes bench/results.md. Whole-process wall times,
 * medians of repeated runs, on whatever machine runs it (its CPU count and Node version are recorded).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeGeneratedProject } from './generate';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'compose-cdk8s.js');
const RSS_REPORTER = path.join(ROOT, 'bench', 'rss-reporter.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-cdk8s-bench-'));

interface Measurement {
  readonly ms: number;
  readonly rssMiB?: number;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Measurement {
  const rssFile = path.join(work, `rss-${process.hrtime.bigint()}`);
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${RSS_REPORTER}` },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}\n${result.stdout}`);
  }
  // Several node processes may report (npx, cdk8s, the app): the peak is the one that matters.
  const rss = fs.existsSync(rssFile)
    ? Math.max(...fs.readFileSync(rssFile, 'utf8').trim().split('\n').map(Number))
    : undefined;
  return { ms, rssMiB: rss === undefined ? undefined : rss / 1024 };
}

function median(command: string, args: readonly string[], env?: NodeJS.ProcessEnv, runs = RUNS): Measurement {
  const samples = Array.from({ length: runs }, () => run(command, args, env)).sort((a, b) => a.ms - b.ms);
  return samples[Math.floor(samples.length / 2)];
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const fmtX = (x: number) => `${x.toFixed(2)}x`;

function convertArgs(files: readonly string[], out: string): string[] {
  return [CLI, 'convert', ...files.flatMap((f) => ['-f', f]), '-o', out, '--quiet'];
}

function seedStacks(): { name: string; files: string[] }[] {
  const charts = path.join(ROOT, 'charts');
  return fs
    .readdirSync(charts, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(charts, d.name, 'compose.yaml')))
    .map((d) => ({ name: d.name, files: [path.join(charts, d.name, 'compose.yaml')] }));
}

function largestCorpusStack(): { name: string; files: string[] } {
  const corpus = path.join(ROOT, 'test', 'fixtures', 'corpus', 'awesome-compose');
  const candidates = fs
    .readdirSync(corpus, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(corpus, d.name, 'compose.yaml')))
    .map((d) => {
      const file = path.join(corpus, d.name, 'compose.yaml');
      const services = (fs.readFileSync(file, 'utf8').match(/^ {2}[A-Za-z0-9_.-]+:\s*$/gm) ?? []).length;
      return { name: `corpus/${d.name}`, files: [file], services };
    })
    .sort((a, b) => b.services - a.services || a.name.localeCompare(b.name));
  return candidates[0];
}

function main(): void {
  const rows: string[] = [];
  const log = (line: string) => {
    rows.push(line);
    console.log(line);
  };
  // The CLI runs from build/ as an installed package does; make sure it is current (not timed).
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });

  log(`# compose-cdk8s benchmark\n`);
  log(
    `Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${RUNS} runs per median.\n`,
  );

  log("## 1. Cold `compose-cdk8s convert` (whole process) vs a bare `require('cdk8s-plus-27')`\n");
  const baseline = median(process.execPath, ['-e', "require('cdk8s-plus-27')"]);
  log(`| input | convert | require('cdk8s-plus-27') | ratio | target |`);
  log(`| --- | --- | --- | --- | --- |`);
  for (const stack of [...seedStacks(), largestCorpusStack()]) {
    const m = median(process.execPath, convertArgs(stack.files, path.join(work, 'out', stack.name)));
    const ok = m.ms < 500 && m.ms <= 2 * baseline.ms;
    log(
      `| ${stack.name} | ${fmtS(m.ms)} | ${fmtS(baseline.ms)} | ${fmtX(m.ms / baseline.ms)} | < 0.5 s and <= 2x: ${ok ? 'met' : 'MISSED'} |`,
    );
  }

  log('\n## 2. `npx cdk8s synth` of all seed charts vs the stock ts-node app\n');
  const synthOut = path.join(work, 'synth');
  const fast = median('npx', ['cdk8s', 'synth', '--no-check-upgrade', '-o', synthOut]);
  const slow = median(
    'npx',
    ['cdk8s', 'synth', '--no-check-upgrade', '-o', synthOut, '--app', 'npx ts-node main.ts'],
    {},
    Math.min(RUNS, 3),
  );
  // The cdk8s CLI's own start-up, with an app that does nothing: the floor of any `cdk8s synth`.
  const floor = median('npx', [
    'cdk8s',
    'synth',
    '--no-check-upgrade',
    '-o',
    synthOut,
    '--app',
    'mkdir -p "$CDK8S_OUTDIR"',
  ]);
  log(`| app command | wall time |`);
  log(`| --- | --- |`);
  log(`| node -r ./scripts/register-ts.js main.ts (this project) | ${fmtS(fast.ms)} |`);
  log(`| npx ts-node main.ts (stock cdk8s template) | ${fmtS(slow.ms)} |`);
  log(`| mkdir (the cdk8s CLI alone, no real app) | ${fmtS(floor.ms)} |`);
  log(
    `\nSpeed-up: ${fmtX(slow.ms / fast.ms)} (target >= 4x: ${slow.ms / fast.ms >= 4 ? 'met' : 'MISSED'}); synth under 2 s: ${fast.ms < 2000 ? 'met' : 'MISSED'}.`,
  );
  log(
    `Above the CLI's own start-up: ${fmtS(fast.ms - floor.ms)} vs ${fmtS(slow.ms - floor.ms)}, ${fmtX((slow.ms - floor.ms) / Math.max(1, fast.ms - floor.ms))}.\n`,
  );

  log('## 3. Generated stacks (ports, volumes, healthchecks, depends_on chains, env files)\n');
  log(`| services | convert | peak RSS |`);
  log(`| --- | --- | --- |`);
  const times = new Map<number, number>();
  for (const n of [10, 100, 1000, 5000]) {
    const file = writeGeneratedProject(path.join(work, `gen-${n}`), n);
    const m = median(
      process.execPath,
      convertArgs([file], path.join(work, 'out', `gen-${n}`)),
      {},
      n >= 1000 ? Math.min(RUNS, 3) : RUNS,
    );
    times.set(n, m.ms);
    log(`| ${n} | ${fmtS(m.ms)} | ${m.rssMiB?.toFixed(0) ?? '?'} MiB |`);
  }
  const growth = times.get(1000)! / times.get(100)!;
  log(
    `\ntime(1000)/time(100) = ${growth.toFixed(2)} (target <= 12: ${growth <= 12 ? 'met' : 'MISSED'}); 1000 services under 3 s: ${times.get(1000)! < 3000 ? 'met' : 'MISSED'}.\n`,
  );

  fs.writeFileSync(path.join(ROOT, 'bench', 'results.md'), rows.join('\n') + '\n');
  fs.rmSync(work, { recursive: true, force: true });
  console.log('wrote bench/results.md');
}

main();

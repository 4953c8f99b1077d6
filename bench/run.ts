/**
 * `npm run bench`: measures cold CLI runs (convert, explain, validate) against a bare
 * `require('cdk8s-plus-27')`, `npm run synth` against the cdk8s CLI's own start-up, and growth with
 * stack size up to 10 000 services; prints each row with its target and MET / MISSED, and writes
 * bench/results.md. Whole-process wall times, medians of repeated (for ratios: paired) runs, on
 * whatever machine runs it (its CPU count, Node version and load are recorded).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeGeneratedProject } from './generate';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'compose-cdk8s.js');
const RSS_REPORTER = path.join(ROOT, 'bench', 'rss-reporter.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
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

const mid = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * A command and the baseline run one after the other, `runs` times: the machine is shared, and
 * a pair sees the same load. The ratio is the median of the pairs' ratios.
 */
function paired(
  command: readonly string[],
  baseline: readonly string[],
  runs = RUNS,
): { ms: number; baseMs: number; ratio: number } {
  const pairs = Array.from({ length: runs }, () => {
    const base = run(baseline[0], baseline.slice(1)).ms;
    const ms = run(command[0], command.slice(1)).ms;
    return { ms, base };
  });
  return {
    ms: mid(pairs.map((p) => p.ms)),
    baseMs: mid(pairs.map((p) => p.base)),
    ratio: mid(pairs.map((p) => p.ms / p.base)),
  };
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const fmtX = (x: number) => `${x.toFixed(2)}x`;
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');

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

/** The functions that took the most CPU of a profile (self time), for the note on what remains. */
function profileSummary(profileDir: string, top = 12): string[] {
  // A large input runs the CLI again with a sized heap (bin/large-input.js): each process writes a
  // profile, and the work is in the largest one.
  const file = fs
    .readdirSync(profileDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => fs.statSync(path.join(profileDir, b)).size - fs.statSync(path.join(profileDir, a)).size)[0];
  if (!file) return [];
  interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }
  const profile = JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const where = frame.url
      ? ` (${frame.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(lib|build|bin)\//, '$1/')})`
      : '';
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = (profile.endTime - profile.startTime) / 1000;
  return [
    `| function (self time) | ms | share |`,
    `| --- | --- | --- |`,
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => `| ${k.replace(/\|/g, '\\|')} | ${ms.toFixed(0)} | ${((100 * ms) / total).toFixed(1)}% |`),
    `\nProfile total: ${total.toFixed(0)} ms.`,
  ];
}

function main(): void {
  const rows: string[] = [];
  const log = (line: string) => {
    rows.push(line);
    console.log(line);
  };
  // The CLI runs from build/ as an installed package does (build/cli.js, the bundle, with its
  // code cache); make sure both are current (not timed).
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-cli.js')], { cwd: ROOT, stdio: 'inherit' });

  log(`# compose-cdk8s benchmark\n`);
  log(
    `Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${RUNS} runs per median (3 for the largest stacks), load average ${os.loadavg()[0].toFixed(1)} at the start.\n`,
  );

  log("## 1. Cold CLI runs (whole process) vs a bare `require('cdk8s-plus-27')`, pairwise\n");
  log(
    'Each command and the baseline run alternately; the ratio is the median of the pairs. `convert` writes the whole stack directory, diagram.svg included, into the directory of the previous run, as a user re-running it does: an unchanged graph keeps its diagram.svg (the first convert into an empty directory lays it out: see its row).\n',
  );
  const baseline = [process.execPath, '-e', "require('cdk8s-plus-27')"];
  log(`| input | command | time | require('cdk8s-plus-27') | ratio | target <= 1.2x |`);
  log(`| --- | --- | --- | --- | --- | --- |`);
  for (const stack of [...seedStacks(), largestCorpusStack()]) {
    const out = path.join(work, 'out', stack.name);
    run(process.execPath, convertArgs(stack.files, out)); // the directory a user re-runs into
    const commands: [string, string[]][] = [
      ['convert', convertArgs(stack.files, out)],
      ['explain', [CLI, 'explain', ...stack.files.flatMap((f) => ['-f', f])]],
      ['validate', [CLI, 'validate', out]],
    ];
    for (const [name, args] of commands) {
      const m = paired([process.execPath, ...args], baseline);
      log(
        `| ${stack.name} | ${name} | ${fmtS(m.ms)} | ${fmtS(m.baseMs)} | ${fmtX(m.ratio)} | ${verdict(m.ratio <= 1.2)} |`,
      );
    }
  }
  // The first convert of a stack: nothing to take again, Graphviz lays the diagram out.
  for (const stack of seedStacks().slice(0, 1)) {
    const fresh = (i: number) => convertArgs(stack.files, path.join(work, 'fresh', `${stack.name}-${i}`));
    let i = 0;
    const pairs = Array.from({ length: RUNS }, () => {
      const base = run(baseline[0], baseline.slice(1)).ms;
      const ms = run(process.execPath, fresh(i++)).ms;
      return { ms, base, ratio: ms / base };
    });
    log(
      `| ${stack.name} | convert into an empty directory (diagram laid out) | ${fmtS(mid(pairs.map((p) => p.ms)))} | ${fmtS(mid(pairs.map((p) => p.base)))} | ${fmtX(mid(pairs.map((p) => p.ratio)))} | (not a target) |`,
    );
  }

  log('\n## 2. `npm run synth` (cdk8s synth of the 12 seed charts) vs the cdk8s CLI with an empty app\n');
  const synthOut = path.join(work, 'synth');
  const synth = ['npx', 'cdk8s', 'synth', '--no-check-upgrade', '-o', synthOut];
  // The cdk8s CLI's own start-up, with an app that does nothing: the floor of any `cdk8s synth`.
  const empty = [...synth, '--app', 'mkdir -p "$CDK8S_OUTDIR"'];
  run(synth[0], synth.slice(1)); // the output directory a user re-runs into
  const s = paired(synth, empty);
  log(`| command | time | cdk8s CLI, empty app | ratio | target <= 1.5x |`);
  log(`| --- | --- | --- | --- | --- |`);
  log(`| npm run synth | ${fmtS(s.ms)} | ${fmtS(s.baseMs)} | ${fmtX(s.ratio)} | ${verdict(s.ratio <= 1.5)} |`);

  log('\n## 3. Generated stacks (ports, volumes, healthchecks, depends_on chains, env files)\n');
  log(`| services | Compose file | convert | peak RSS | target |`);
  log(`| --- | --- | --- | --- | --- |`);
  const times = new Map<number, number>();
  const targets: Record<number, (m: Measurement) => boolean> = {
    1000: (m) => m.ms < 2000,
    10000: (m) => m.ms < 15000 && (m.rssMiB ?? Infinity) < 1536,
  };
  const targetText: Record<number, string> = { 1000: '< 2 s', 10000: '< 15 s and < 1.5 GiB' };
  for (const n of [10, 100, 1000, 5000, 10000]) {
    const file = writeGeneratedProject(path.join(work, `gen-${n}`), n);
    const m = median(
      process.execPath,
      convertArgs([file], path.join(work, 'out', `gen-${n}`)),
      {},
      n >= 1000 ? Math.min(RUNS, 3) : RUNS,
    );
    times.set(n, m.ms);
    const mb = (fs.statSync(file).size / 1e6).toFixed(1);
    const target = targets[n] ? `${targetText[n]}: ${verdict(targets[n](m))}` : '';
    log(`| ${n} | ${mb} MB | ${fmtS(m.ms)} | ${m.rssMiB?.toFixed(0) ?? '?'} MiB | ${target} |`);
  }
  const growth = times.get(10000)! / times.get(1000)!;
  log(`\ntime(10000)/time(1000) = ${growth.toFixed(2)} (target <= 11, linear: ${verdict(growth <= 11)}).\n`);
  // What a user sees without --quiet: the same convert, then the summary and its account of every key.
  const loud = run(process.execPath, [
    ...convertArgs([path.join(work, 'gen-10000', 'compose.yaml')], path.join(work, 'out', 'gen-10000')).filter(
      (a) => a !== '--quiet',
    ),
  ]);
  log(
    `10 000 services without --quiet (the summary accounts for every key): ${fmtS(loud.ms)}, ${loud.rssMiB?.toFixed(0) ?? '?'} MiB (not a target).\n`,
  );

  log('## 4. Where the time of the 10 000-service convert goes (one run under `--cpu-prof`)\n');
  const profileDir = path.join(work, 'profile');
  run(process.execPath, [
    `--cpu-prof`,
    `--cpu-prof-dir=${profileDir}`,
    ...convertArgs([path.join(work, 'gen-10000', 'compose.yaml')], path.join(work, 'out', 'gen-10000-prof')),
  ]);
  for (const line of profileSummary(profileDir)) log(line);

  fs.writeFileSync(path.join(ROOT, 'bench', 'results.md'), rows.join('\n') + '\n');
  fs.rmSync(work, { recursive: true, force: true });
  console.log('wrote bench/results.md');
}

main();

/**
 * Thousands of damaged Compose files, each either converts to manifests that pass the strict
 * validator or is refused with `file:line:col` diagnostics: never an uncaught exception, never
 * a hang. FUZZ_RUNS raises the count (`npm run fuzz` runs 20000 with a fresh seed); FUZZ_SEED
 * replays a failure (fast-check prints the seed).
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { Testing } from 'cdk8s';
import { loadProjectFromString } from '../../lib/compose';
import { formatDiagnostic, type Diagnostic } from '../../lib/compose/diagnostics';
import { ComposeChart } from '../../lib/chart/compose-chart';
import { validateManifests } from '../../lib/validate';
import { mutatedText } from './mutate';

interface Source {
  readonly dir: string;
  readonly file: string;
  readonly text: string;
}

function composeFilesUnder(root: string): Source[] {
  if (!fs.existsSync(root)) return [];
  const found: Source[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(entry.name))
        found.push({ dir, file: entry.name, text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  return found;
}

const repo = path.join(__dirname, '..', '..');
const SOURCES = [
  ...composeFilesUnder(path.join(repo, 'charts')),
  ...composeFilesUnder(path.join(repo, 'test', 'fixtures', 'corpus')),
];
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
// `npm test` replays the same inputs so CI is stable; `npm run fuzz` explores with a fresh seed.
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? Date.now() : 20261124;

/** What a user would see: the error must say where, with the file and line. */
function expectLocated(errors: readonly Diagnostic[], file: string): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) {
    const line = formatDiagnostic(error);
    if (!line.startsWith(`${file}:`)) throw new Error(`error without file:line: ${line}`);
    expect(line).toMatch(/^[^:]+:\d+:\d+: /);
  }
}

function convertOrRefuse(source: Source, text: string): void {
  const loaded = loadProjectFromString(text, {
    workingDir: source.dir,
    fileName: source.file,
    environment: {},
  });
  if (!loaded.ok) {
    expectLocated(
      loaded.diagnostics.filter((d) => d.severity === 'error'),
      source.file,
    );
    return;
  }
  const chart = new ComposeChart(Testing.app(), 'fuzz', { project: loaded.project });
  const errors = chart.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    expectLocated(errors, source.file);
    return;
  }
  const problems = validateManifests(Testing.synth(chart).map((object) => ({ object }))).filter(
    (p) => p.severity === 'error',
  );
  if (problems.length > 0)
    throw new Error(`invalid output:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
}

test('the fuzz corpus holds the seed stacks and the real-world projects', () => {
  expect(SOURCES.length).toBeGreaterThanOrEqual(20);
});

test(`${RUNS} mutated Compose files convert to valid manifests or fail with file:line errors`, () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 0, max: SOURCES.length - 1 })
        .chain((i) => fc.tuple(fc.constant(SOURCES[i]), mutatedText(SOURCES[i].text))),
      ([source, text]) => convertOrRefuse(source, text),
    ),
    { numRuns: RUNS, seed: SEED },
  );
}, 120_000);

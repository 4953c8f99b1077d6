/** `compose-cdk8s validate`: offline checks of any manifests, one line per problem. */
import * as fs from 'fs';
import * as path from 'path';
import {
  formatProblem,
  parseManifests,
  readManifestFiles,
  validateManifests,
  type ManifestInput,
  type ManifestProblem,
  type ManifestRead,
} from '../validate';
import { ExitCode, colorEnabled, makeStyle, readProcessStdin, type CliIO, type Style } from './io';

export interface ValidateOptions {
  readonly references: boolean;
  readonly quiet?: boolean;
  readonly color: boolean;
}

/** What `-` reads, as problems name it. */
export const STDIN = '<stdin>';

export async function validateCommand(paths: readonly string[], opts: ValidateOptions, io: CliIO): Promise<number> {
  const style = makeStyle(colorEnabled(io, !opts.color));
  const read = await readAll(paths, io);
  const charts = new Set(read.charts);
  for (const chart of read.charts) io.stderr(`${style.red('error')}: ${renderFirst(display(chart, io.cwd))}\n`);
  const unreadable = read.problems.filter((p) => !charts.has(p.file ?? ''));
  if (read.inputs.length === 0 && read.problems.length > 0) {
    for (const p of unreadable) io.stderr(formatProblem(relativize(p, io.cwd)) + '\n');
    return ExitCode.badInput;
  }
  // Each kustomization directory is its own stack: `validate dist/` checks every stack on its own,
  // so two stacks that both have a Service "web" are not duplicates of each other.
  const sets = new Map<string, ManifestInput[]>();
  for (const input of read.inputs) {
    const key = stackOf(input.file);
    sets.set(key, [...(sets.get(key) ?? []), input]);
  }
  const problems = [
    ...unreadable,
    ...[...sets.values()].flatMap((inputs) => validateManifests(inputs, { checkReferences: opts.references })),
  ];
  const shown = opts.quiet ? problems.filter((p) => p.severity === 'error') : problems;
  for (const p of shown) io.stdout(colored(formatProblem(relativize(p, io.cwd)), p, style) + '\n');
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (!opts.quiet) {
    const count = (n: number, what: string, paint: (s: string) => string) =>
      n > 0 ? paint(`${n} ${what}`) : `0 ${what}`;
    const skipped =
      charts.size > 0
        ? `; ${count(charts.size, charts.size > 1 ? 'Helm charts not checked' : 'Helm chart not checked', style.red)}`
        : '';
    io.stderr(
      `${read.inputs.length} objects checked: ${count(errors, 'errors', style.red)}, ${count(problems.length - errors, 'warnings', style.yellow)}${skipped}\n`,
    );
  }
  // A chart given in place of manifests is input validate cannot check, even beside manifests it could.
  if (charts.size > 0) return ExitCode.badInput;
  return errors > 0 ? ExitCode.problems : ExitCode.ok;
}

/** The files and directories given, `-` being standard input (what `helm template ... |` prints). */
async function readAll(paths: readonly string[], io: CliIO): Promise<ManifestRead> {
  const files = paths.filter((p) => p !== '-').map((p) => path.resolve(io.cwd, p));
  const read = readManifestFiles(files);
  if (!paths.includes('-')) return read;
  const stdin = parseManifests(await (io.readStdin ?? readProcessStdin)(), STDIN);
  return { ...read, inputs: [...read.inputs, ...stdin.inputs], problems: [...read.problems, ...stdin.problems] };
}

/** The error for a Helm chart: one line, with the two ways to validate what it renders to. */
export function renderFirst(chart: string): string {
  return (
    `${chart} is a Helm chart: validate checks manifests, not templates; render it first: ` +
    `helm template <release> ${chart} | compose-cdk8s validate -   ` +
    `(or helm template <release> ${chart} --output-dir <dir> && compose-cdk8s validate <dir>)`
  );
}

/** The message of a problem in its severity's color, the location left plain to read. */
function colored(line: string, p: ManifestProblem, style: Style): string {
  const paint = p.severity === 'error' ? style.red : style.yellow;
  return line.slice(0, line.length - p.message.length) + paint(p.message);
}

const display = (file: string, cwd: string) => path.relative(cwd, file) || '.';

function relativize<T extends { file?: string }>(p: T, cwd: string): T {
  return p.file && path.isAbsolute(p.file) ? { ...p, file: display(p.file, cwd) } : p;
}

/** The nearest directory above a manifest that holds a kustomization.yaml; stdin is a stack of its own. */
function stackOf(file: string | undefined): string {
  if (!file || !path.isAbsolute(file)) return file ?? '';
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'kustomization.yaml'))) return dir;
    if (path.dirname(dir) === dir) return '';
  }
}

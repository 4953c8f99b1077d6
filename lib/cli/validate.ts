/** `compose-cdk8s validate`: offline checks of any manifests, one line per problem. */
import * as fs from 'fs';
import { formatProblem, readManifestFiles, validateManifests, type ManifestInput } from '../validate';
import { ExitCode, type CliIO } from './io';
import * as path from 'path';

export function validateCommand(
  paths: readonly string[],
  opts: { references: boolean; quiet?: boolean },
  io: CliIO,
): number {
  const read = readManifestFiles(paths.map((p) => path.resolve(io.cwd, p)));
  if (read.problems.length > 0 && read.inputs.length === 0) {
    for (const p of read.problems) io.stderr(formatProblem(relativize(p, io.cwd)) + '\n');
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
    ...read.problems,
    ...[...sets.values()].flatMap((inputs) => validateManifests(inputs, { checkReferences: opts.references })),
  ];
  const shown = opts.quiet ? problems.filter((p) => p.severity === 'error') : problems;
  for (const p of shown) io.stdout(formatProblem(relativize(p, io.cwd)) + '\n');
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (!opts.quiet) {
    io.stderr(`${read.inputs.length} objects checked: ${errors} errors, ${problems.length - errors} warnings\n`);
  }
  return errors > 0 ? ExitCode.problems : ExitCode.ok;
}

function relativize<T extends { file?: string }>(p: T, cwd: string): T {
  return p.file ? { ...p, file: path.relative(cwd, p.file) || p.file } : p;
}

/** The nearest directory above a manifest that holds a kustomization.yaml, or '' when none does. */
function stackOf(file: string | undefined): string {
  if (!file) return '';
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'kustomization.yaml'))) return dir;
    if (path.dirname(dir) === dir) return '';
  }
}

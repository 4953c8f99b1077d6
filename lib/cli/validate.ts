/** `compose-cdk8s validate`: offline checks of any manifests, one line per problem. */
import { formatProblem, readManifestFiles, validateManifests } from '../validate';
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
  const problems = [...read.problems, ...validateManifests(read.inputs, { checkReferences: opts.references })];
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

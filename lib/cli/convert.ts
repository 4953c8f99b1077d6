/**
 * `compose-cdk8s convert`: Compose project in, one stack directory of Kubernetes YAML out.
 * Bad input writes nothing and exits 2; output replaces the previous directory atomically.
 */
import * as path from 'path';
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeChart } from '../chart/compose-chart';
import { serialize, isManifestObject, type ManifestFormat } from '../output/render';
import { writeDirectoryAtomically, UnsafeOutputDirectoryError } from '../output/atomic-write';
import { composeStackFiles } from '../output/stack';
import { ExitCode, colorEnabled, makeStyle, printDiagnostics, type CliIO } from './io';
import { loadAndTranslate, type ProjectOptions } from './project';
import { bindMountsOf, summarize } from './summary';

export interface ConvertOptions extends ProjectOptions {
  readonly output?: string;
  readonly stdout?: boolean;
  readonly format: ManifestFormat;
  readonly split?: boolean;
  readonly quiet?: boolean;
  readonly color: boolean;
}

export interface ConvertResult {
  readonly exitCode: number;
  readonly chart?: ComposeChart;
  readonly diagnostics: readonly Diagnostic[];
}

export async function convert(options: ConvertOptions, io: CliIO): Promise<ConvertResult> {
  const style = makeStyle(colorEnabled(io, !options.color));
  const translated = loadAndTranslate(options, io, style);
  if (!translated.ok) return translated;
  const { chart, diagnostics } = translated;
  if (!options.quiet) printDiagnostics(io, diagnostics, style, false);

  if (options.stdout) {
    const objects = chart.toJson();
    io.stdout(serialize(objects, options.format));
    if (!options.quiet) io.stderr(summarize(objects, diagnostics, undefined, style, bindMountsOf(chart)));
    return { exitCode: ExitCode.ok, chart, diagnostics };
  }

  const outDir = path.resolve(io.cwd, options.output ?? path.join('dist', chart.project.name));
  const objects = chart.toJson();
  const files = await composeStackFiles(chart, outDir, { format: options.format, split: options.split }, objects);
  try {
    writeDirectoryAtomically(outDir, files);
  } catch (error) {
    if (error instanceof UnsafeOutputDirectoryError) {
      io.stderr(`${style.red('error')}: ${error.message}\n`);
      return { exitCode: ExitCode.badInput, chart, diagnostics };
    }
    throw error;
  }
  if (!options.quiet) {
    const written = objects.filter(isManifestObject);
    const where = path.relative(io.cwd, outDir) || '.';
    io.stdout(summarize(written, diagnostics, where, style, bindMountsOf(chart)));
    io.stdout(
      `next: kubectl apply -k ${where}   (or ${path.join(where, 'up.sh')}; see ${path.join(where, 'NOTES.md')})\n`,
    );
  }
  return { exitCode: ExitCode.ok, chart, diagnostics };
}

/**
 * `compose-cdk8s convert`: Compose project in, one stack directory of Kubernetes YAML out.
 * Bad input writes nothing and exits 2; output replaces the previous directory atomically.
 */
import * as path from 'path';
import { App } from 'cdk8s';
import { loadProject } from '../compose';
import type { Diagnostic } from '../compose/diagnostics';
import { ComposeChart, type ComposeTarget } from '../chart/compose-chart';
import { serialize, isManifestObject, type ManifestFormat } from '../output/render';
import { writeDirectoryAtomically, UnsafeOutputDirectoryError } from '../output/atomic-write';
import { stackFiles } from '../output/stack';
import { ExitCode, colorEnabled, makeStyle, printDiagnostics, type CliIO } from './io';
import { summarize } from './summary';

export interface ConvertOptions {
  readonly file?: string[];
  readonly projectDirectory?: string;
  readonly projectName?: string;
  readonly envFile?: string[];
  readonly profile?: string[];
  readonly target: ComposeTarget;
  readonly namespace?: string;
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

export function convert(options: ConvertOptions, io: CliIO): ConvertResult {
  const style = makeStyle(colorEnabled(io, !options.color));
  const resolve = (p: string) => path.resolve(io.cwd, p);
  const loaded = loadProject({
    workingDir: options.projectDirectory ? resolve(options.projectDirectory) : undefined,
    files: options.file?.map(resolve),
    envFiles: options.envFile?.map(resolve),
    environment: io.env,
    profiles: options.profile,
    projectName: options.projectName,
  });
  if (!loaded.ok) {
    printDiagnostics(io, loaded.diagnostics, style, io.isTTY);
    return { exitCode: ExitCode.badInput, diagnostics: loaded.diagnostics };
  }
  const project = loaded.project;
  const app = new App({ outdir: path.join(io.cwd, '.compose-cdk8s-unused') });
  const chart = new ComposeChart(app, project.name, {
    project,
    target: options.target,
    namespace: options.namespace,
  });
  const diagnostics = [...loaded.diagnostics, ...chart.diagnostics];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    printDiagnostics(io, diagnostics, style, io.isTTY);
    return { exitCode: ExitCode.badInput, chart, diagnostics };
  }
  const objects = chart.toJson();
  if (!options.quiet) printDiagnostics(io, diagnostics, style, false);

  if (options.stdout) {
    io.stdout(serialize(objects, options.format));
    if (!options.quiet) io.stderr(summarize(objects, diagnostics, undefined, style));
    return { exitCode: ExitCode.ok, chart, diagnostics };
  }

  const outDir = resolve(options.output ?? path.join('dist', project.name));
  const files = stackFiles(objects, { format: options.format, split: options.split });
  try {
    writeDirectoryAtomically(outDir, files);
  } catch (error) {
    if (error instanceof UnsafeOutputDirectoryError) {
      io.stderr(`${style.red('error')}: ${error.message}\n`);
      return { exitCode: ExitCode.badInput, chart, diagnostics };
    }
    throw error;
  }
  if (!options.quiet)
    io.stdout(summarize(objects.filter(isManifestObject), diagnostics, path.relative(io.cwd, outDir) || '.', style));
  return { exitCode: ExitCode.ok, chart, diagnostics };
}

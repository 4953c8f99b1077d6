/**
 * The first half of `convert` and `explain`: load the Compose project as `docker compose` would
 * and translate it into a chart. Load and translation errors are printed here, once, and turn
 * into exit code 2 before anything is written.
 */
import * as path from 'path';
import { App } from 'cdk8s';
import { loadProject } from '../compose';
import type { Diagnostic } from '../compose/diagnostics';
import { ComposeChart, type ComposeTarget } from '../chart/compose-chart';
import type { HostMountMode } from '../translate/bind-mounts';
import { ExitCode, printDiagnostics, type CliIO, type Style } from './io';

export interface ProjectOptions {
  readonly file?: string[];
  readonly projectDirectory?: string;
  readonly projectName?: string;
  readonly envFile?: string[];
  readonly profile?: string[];
  readonly target: ComposeTarget;
  readonly namespace?: string;
  readonly hostMounts?: HostMountMode;
}

export type Translated =
  | { readonly ok: true; readonly chart: ComposeChart; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly exitCode: number; readonly diagnostics: readonly Diagnostic[] };

export function loadAndTranslate(options: ProjectOptions, io: CliIO, style: Style): Translated {
  const resolve = (p: string) => path.resolve(io.cwd, p);
  const loaded = loadProject({
    // Like docker compose: the project directory is given, or the first file's, or the current one.
    workingDir: options.projectDirectory
      ? resolve(options.projectDirectory)
      : options.file?.length
        ? undefined
        : io.cwd,
    files: options.file?.map(resolve),
    envFiles: options.envFile?.map(resolve),
    env: io.env,
    profiles: options.profile,
    projectName: options.projectName,
  });
  if (!loaded.ok) {
    printDiagnostics(io, loaded.diagnostics, style, io.isTTY);
    return { ok: false, exitCode: ExitCode.badInput, diagnostics: loaded.diagnostics };
  }
  // The App is only a construct root: files are written by the caller, never by app.synth().
  const app = new App({ outdir: path.join(io.cwd, '.compose-cdk8s-unused') });
  const chart = new ComposeChart(app, loaded.project.name, {
    project: loaded.project,
    target: options.target,
    namespace: options.namespace,
    hostMounts: options.hostMounts,
  });
  const diagnostics = [...loaded.diagnostics, ...chart.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) {
    printDiagnostics(io, diagnostics, style, io.isTTY);
    return { ok: false, exitCode: ExitCode.badInput, diagnostics };
  }
  return { ok: true, chart, diagnostics };
}

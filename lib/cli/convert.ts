/**
 * `compose-cdk8s convert`: Compose project in, one stack directory of Kubernetes YAML out.
 * Bad input writes nothing and exits 2; output replaces the previous directory atomically.
 */
import * as path from 'path';
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeChart } from '../chart/compose-chart';
import { serialize, isManifestObject, type ManifestFormat } from '../output/render';
import { writeDirectoryAtomically, UnsafeOutputDirectoryError } from '../output/atomic-write';
import { hasRecordedLayout } from '../diagram/layout-cache';
import { preloadSvgRenderer } from '../diagram/svg';
import { composeStackFiles } from '../output/stack';
import { dnsLabel } from '../translate/names';
import { onlySecrets, secretsCommand, withoutSecrets, type SecretsMode } from '../output/external-secrets';
import { ExitCode, colorEnabled, makeStyle, printDiagnostics, type CliIO } from './io';
import { loadAndTranslate, type ProjectOptions } from './project';
import { builtImages, summarize } from './summary';

export interface ConvertOptions extends ProjectOptions {
  readonly output?: string;
  readonly stdout?: boolean;
  /** `helm` writes a chart directory instead of manifests. */
  readonly format: ManifestFormat | 'helm';
  readonly split?: boolean;
  /** Where the Secrets go (lib/output/external-secrets.ts); default `inline`. */
  readonly secrets?: SecretsMode;
  readonly quiet?: boolean;
  readonly color: boolean;
}

export interface ConvertResult {
  readonly exitCode: number;
  readonly chart?: ComposeChart;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The first command to run. Images of `build:` services exist only on this machine: applying
 * before they are built and loaded leaves their pods in ErrImageNeverPull, so the line says so.
 */
export function nextStep(chart: ComposeChart, where: string, format: ConvertOptions['format'] = 'yaml'): string {
  const file = (name: string) => path.join(where, name);
  const apply =
    format === 'helm'
      ? `helm install ${chart.project.name} ${where.startsWith('.') || path.isAbsolute(where) ? where : `./${where}`}`
      : `kubectl apply -k ${where}`;
  const readme = file(format === 'helm' ? 'README.md' : 'NOTES.md');
  const images = builtImages(chart.project);
  if (images === undefined) {
    return format === 'helm'
      ? `next: ${apply}   (see ${readme})\n`
      : `next: ${apply}   (or ${file('up.sh')}; see ${readme})\n`;
  }
  if (chart.target === 'generic') {
    return `next: build and push the ${images} to a registry the cluster pulls from, then ${apply}   (see ${readme})\n`;
  }
  if (format === 'helm')
    return `next: ${file('load-images.sh')} (builds and loads the ${images}), then ${apply}   (see ${readme})\n`;
  return `next: ${file('up.sh')}   (builds and loads the ${images}, then applies; by hand: ${file('load-images.sh')}, then ${apply}; see ${readme})\n`;
}

/** The conversion up.sh repeats to create the Secrets: the project as loaded, its paths from the stack directory. */
function createSecretsCommand(
  chart: ComposeChart,
  options: ConvertOptions,
  outDir: string,
  cwd: string,
  /** A Helm chart's Secrets go in the namespace the README installs it in. */
  namespace = options.namespace,
): string[] {
  return secretsCommand(
    {
      files: chart.project.composeFiles,
      projectDirectory: chart.project.workingDir,
      projectName: chart.project.name,
      envFiles: (options.envFile ?? []).map((f) => path.resolve(cwd, f)),
      profiles: chart.project.profiles,
      target: chart.target,
      namespace,
      hostMounts: options.hostMounts,
    },
    outDir,
  );
}

export async function convert(options: ConvertOptions, io: CliIO): Promise<ConvertResult> {
  const style = makeStyle(colorEnabled(io, !options.color));
  // The stack directory holds diagram.svg: let its renderer compile while the project loads,
  // unless the directory holds a diagram that may be taken again (lib/diagram/layout-cache.ts).
  const given = options.output === undefined ? undefined : path.resolve(io.cwd, options.output);
  if (!options.stdout && options.format !== 'helm' && !(given && hasRecordedLayout(given))) preloadSvgRenderer();
  const translated = loadAndTranslate(options, io, style);
  if (!translated.ok) return translated;
  const { chart, diagnostics } = translated;
  if (!options.quiet) printDiagnostics(io, diagnostics, style, false);

  const format = options.format;
  if (format === 'helm' && (options.stdout || options.split)) {
    io.stderr(`${style.red('error')}: --format helm writes a chart directory: it takes neither --stdout nor --split\n`);
    return { exitCode: ExitCode.badInput, chart, diagnostics };
  }
  const secrets = options.secrets ?? 'inline';
  const refused =
    secrets === 'only' && !options.stdout
      ? '--secrets only prints the Secrets: it needs --stdout (and writes no file)'
      : undefined;
  if (refused) {
    io.stderr(`${style.red('error')}: ${refused}\n`);
    return { exitCode: ExitCode.badInput, chart, diagnostics };
  }
  // `external`: no Secret in the output; the workloads name them as user-created.
  const shown = (objects: readonly unknown[]) =>
    secrets === 'external' ? withoutSecrets(objects).objects : secrets === 'only' ? onlySecrets(objects) : [...objects];
  if (options.stdout && format !== 'helm') {
    const objects = shown(chart.toJson());
    io.stdout(serialize(objects, format));
    if (!options.quiet) io.stderr(summarize(objects, diagnostics, undefined, style, chart));
    return { exitCode: ExitCode.ok, chart, diagnostics };
  }

  const defaultDir = path.join('dist', format === 'helm' ? `${chart.project.name}-chart` : chart.project.name);
  const outDir = path.resolve(io.cwd, options.output ?? defaultDir);
  const all = chart.toJson();
  const objects = shown(all);
  // A stack without Secrets has nothing to create: up.sh must not pipe nothing into kubectl apply (it refuses).
  const external = secrets === 'external' && withoutSecrets(all).secrets.length > 0;
  const files =
    format === 'helm'
      ? // Loaded only for charts: a plain convert does not pay for the Helm templating.
        (await import('../helm')).helmChartFiles(
          chart,
          outDir,
          objects,
          external ? createSecretsCommand(chart, options, outDir, io.cwd, dnsLabel(chart.project.name)) : undefined,
        )
      : await composeStackFiles(
          chart,
          outDir,
          {
            format,
            split: options.split,
            ...(external ? { secretsCommand: createSecretsCommand(chart, options, outDir, io.cwd) } : {}),
          },
          objects,
        );
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
    io.stdout(summarize(written, diagnostics, where, style, chart));
    if (external)
      io.stdout(
        format === 'helm'
          ? `Secrets not written (--secrets external): create them from the project's files before helm install, as ${path.join(where, 'README.md')} says\n`
          : `Secrets not written (--secrets external): ${path.join(where, 'up.sh')} creates them from the project's files before applying (see ${path.join(where, 'NOTES.md')})\n`,
      );
    io.stdout(nextStep(chart, where, format));
  }
  return { exitCode: ExitCode.ok, chart, diagnostics };
}

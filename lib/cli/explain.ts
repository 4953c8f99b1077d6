/**
 * `compose-cdk8s explain`: the migration report. For every service, each Compose key with what
 * it became (object and field) or why it was dropped, so a reviewer can sign off on a migration
 * without reading the YAML. `--format mermaid|dot|svg` draws the stack instead (lib/diagram).
 */
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeChart } from '../chart/compose-chart';
import type { KeyExplanation } from '../chart/service-construct';
import { renderDot } from '../diagram/dot';
import { stackGraph } from '../diagram/graph';
import { renderMermaid } from '../diagram/mermaid';
import { ExitCode, colorEnabled, makeStyle, type CliIO, type Style } from './io';
import { loadAndTranslate, type ProjectOptions } from './project';

export type ExplainFormat = 'text' | 'markdown' | 'json' | DiagramFormat;

/** The stack drawn instead of reported: Mermaid flowchart, Graphviz DOT, or SVG rendered from the DOT. */
export type DiagramFormat = 'mermaid' | 'dot' | 'svg';

const isDiagram = (format: ExplainFormat): format is DiagramFormat =>
  format === 'mermaid' || format === 'dot' || format === 'svg';

export interface ExplainOptions extends ProjectOptions {
  readonly format: ExplainFormat;
  readonly color: boolean;
}

export interface ServiceReport {
  readonly service: string;
  readonly kubernetesName: string;
  readonly workload: string;
  readonly keys: readonly KeyExplanation[];
  /** What loading the Compose files said about this service (unset variables, dubious values...). */
  readonly loadWarnings: readonly Diagnostic[];
}

/**
 * `loadDiagnostics`: the loader's, whose warnings about a service belong in its report; those on
 * `x-k8s` already show on the x-k8s row.
 */
export function serviceReports(chart: ComposeChart, loadDiagnostics: readonly Diagnostic[] = []): ServiceReport[] {
  return [...chart.services.values()]
    .map((s) => ({
      service: s.serviceName,
      kubernetesName: s.kubernetesName,
      workload: `${s.workloadKind}/${s.kubernetesName}`,
      keys: s.explanations,
      loadWarnings: loadDiagnostics.filter(
        (d) => d.service === s.serviceName && d.severity === 'warning' && !/\.x-k8s(\.|$)/.test(d.path ?? ''),
      ),
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

const where = (d: Diagnostic) => (d.location ? `${d.location.file}:${d.location.line}: ` : d.path ? `${d.path}: ` : '');

function becomes(k: KeyExplanation): string {
  if (k.objects.length === 0) return '-';
  return k.fields.length > 0 ? `${k.objects.join(', ')}: ${k.fields.join(', ')}` : k.objects.join(', ');
}

function table(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    (indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).trimEnd(),
  );
}

const statusStyle = (status: KeyExplanation['status'], style: Style) =>
  status === 'translated' ? status : status === 'partial' ? style.yellow(status) : style.red(status);

export function renderText(
  reports: readonly ServiceReport[],
  projectNotes: readonly Diagnostic[],
  style: Style,
): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(style.bold(`${r.service}`) + ` -> ${r.workload}`);
    const rows = [['KEY', 'STATUS', 'BECOMES', 'NOTE']];
    for (const k of r.keys) rows.push([k.key, k.status, becomes(k), k.note ?? '']);
    // Pad before coloring: escape codes would throw the column widths off.
    const lines = table(rows, '  ');
    out.push(
      ...lines.map((line, i) =>
        i === 0 ? style.dim(line) : line.replace(r.keys[i - 1].status, statusStyle(r.keys[i - 1].status, style)),
      ),
      ...r.loadWarnings.map((d) => `  ${style.yellow('loading')}: ${where(d)}${d.message}`),
      '',
    );
  }
  if (projectNotes.length > 0) {
    out.push(style.bold('project'));
    for (const d of projectNotes) out.push(`  ${d.path ? `${d.path}: ` : ''}${d.message}`);
    out.push('');
  }
  const dropped = reports.reduce((n, r) => n + r.keys.filter((k) => k.status === 'dropped').length, 0);
  const partial = reports.reduce((n, r) => n + r.keys.filter((k) => k.status === 'partial').length, 0);
  out.push(`${reports.length} services: ${partial} keys partly translated, ${dropped} dropped`);
  return out.join('\n') + '\n';
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|') || ' ';

export function renderMarkdown(reports: readonly ServiceReport[], projectNotes: readonly Diagnostic[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(
      `## ${r.service} (\`${r.workload}\`)`,
      '',
      '| Compose key | Status | Becomes | Note |',
      '| --- | --- | --- | --- |',
    );
    for (const k of r.keys)
      out.push(`| \`${k.key}\` | ${k.status} | ${mdCell(becomes(k))} | ${mdCell(k.note ?? '')} |`);
    if (r.loadWarnings.length > 0)
      out.push('', 'While loading:', '', ...r.loadWarnings.map((d) => `- ${where(d)}${d.message}`));
    out.push('');
  }
  if (projectNotes.length > 0) {
    out.push('## Project', '');
    for (const d of projectNotes) out.push(`- ${d.path ? `\`${d.path}\`: ` : ''}${d.message}`);
    out.push('');
  }
  return out.join('\n');
}

/** The diagram of the translated stack; the SVG renderer (WebAssembly) is loaded only when asked for. */
export async function renderDiagram(chart: ComposeChart, format: DiagramFormat): Promise<string> {
  const graph = stackGraph(chart);
  if (format === 'mermaid') return renderMermaid(graph);
  if (format === 'dot') return renderDot(graph);
  const { renderSvg } = await import('../diagram/svg');
  return renderSvg(graph);
}

export async function explain(options: ExplainOptions, io: CliIO): Promise<number> {
  const style = makeStyle(colorEnabled(io, !options.color));
  const translated = loadAndTranslate(options, io, style);
  if (!translated.ok) return translated.exitCode;
  if (isDiagram(options.format)) {
    io.stdout(await renderDiagram(translated.chart, options.format));
    return ExitCode.ok;
  }
  const fromChart = new Set(translated.chart.diagnostics);
  const reports = serviceReports(
    translated.chart,
    translated.diagnostics.filter((d) => !fromChart.has(d)),
  );
  const projectNotes = translated.diagnostics.filter((d) => d.service === undefined);
  if (options.format === 'json')
    io.stdout(JSON.stringify({ services: reports, project: projectNotes }, null, 2) + '\n');
  else if (options.format === 'markdown') io.stdout(renderMarkdown(reports, projectNotes));
  else io.stdout(renderText(reports, projectNotes, style));
  return ExitCode.ok;
}

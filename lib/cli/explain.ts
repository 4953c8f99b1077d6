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
import { inactiveReports, type InactiveReport } from '../chart/project-account';

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
    .concat(
      chart.providers.map((p) => ({
        service: p.service,
        kubernetesName: '-',
        workload: `not run (provider ${p.type})`,
        keys: p.keys,
        loadWarnings: [],
      })),
    )
    .sort((a, b) => a.service.localeCompare(b.service));
}

const where = (d: Diagnostic) => (d.location ? `${d.location.file}:${d.location.line}: ` : d.path ? `${d.path}: ` : '');

function becomes(k: KeyExplanation): string {
  if (k.becomes.length === 0) return '-';
  return k.becomes.map((b) => (b.fields.length > 0 ? `${b.object}: ${b.fields.join(', ')}` : b.object)).join('; ');
}

function table(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    (indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).trimEnd(),
  );
}

const statusStyle = (status: KeyExplanation['status'], style: Style) =>
  status === 'translated' ? status : status === 'partial' ? style.yellow(status) : style.red(status);

/** Everything explain reports: each service's keys, the top level's keys, what profiles left out. */
export interface StackReport {
  readonly services: readonly ServiceReport[];
  /** Top-level keys (`networks.back.ipam`, `volumes.data.driver`...), with what they became. */
  readonly projectKeys: readonly KeyExplanation[];
  /** Services left out by inactive profiles, with the flag that brings each in. */
  readonly inactive: readonly InactiveReport[];
  /** Diagnostics about the project as a whole. */
  readonly notes: readonly Diagnostic[];
}

export function stackReport(chart: ComposeChart, diagnostics: readonly Diagnostic[]): StackReport {
  const fromChart = new Set(chart.diagnostics);
  return {
    services: serviceReports(
      chart,
      diagnostics.filter((d) => !fromChart.has(d)),
    ),
    projectKeys: chart.projectExplanations,
    inactive: inactiveReports(chart.project),
    notes: diagnostics.filter((d) => d.service === undefined),
  };
}

const allKeys = (r: StackReport) => [...r.services.flatMap((s) => s.keys), ...r.projectKeys];

function countLine(r: StackReport): string {
  const keys = allKeys(r);
  const partial = keys.filter((k) => k.status === 'partial').length;
  const dropped = keys.filter((k) => k.status === 'dropped').length;
  const left = r.inactive.length > 0 ? `; ${r.inactive.length} left out by inactive profiles` : '';
  return `${r.services.length} services: ${partial} keys partly translated, ${dropped} dropped${left}`;
}

function inactiveLine(i: InactiveReport): string {
  const brings = i.resources.length > 0 ? `, with ${i.resources.join(', ')}` : '';
  return `${i.service}: profile ${i.profiles.join(', ')} (${i.enableWith}${brings})`;
}

function keyTable(keys: readonly KeyExplanation[], style: Style): string[] {
  const rows = [['KEY', 'STATUS', 'BECOMES', 'NOTE']];
  for (const k of keys) rows.push([k.key, k.status, becomes(k), k.note ?? '']);
  // Pad before coloring: escape codes would throw the column widths off.
  return table(rows, '  ').map((line, i) =>
    i === 0 ? style.dim(line) : line.replace(keys[i - 1].status, statusStyle(keys[i - 1].status, style)),
  );
}

export function renderText(report: StackReport, style: Style): string {
  const out: string[] = [];
  for (const r of report.services) {
    out.push(style.bold(`${r.service}`) + ` -> ${r.workload}`);
    out.push(
      ...keyTable(r.keys, style),
      ...r.loadWarnings.map((d) => `  ${style.yellow('loading')}: ${where(d)}${d.message}`),
      '',
    );
  }
  if (report.projectKeys.length > 0 || report.notes.length > 0) {
    out.push(style.bold('project'));
    if (report.projectKeys.length > 0) out.push(...keyTable(report.projectKeys, style));
    for (const d of report.notes) out.push(`  ${d.path ? `${d.path}: ` : ''}${d.message}`);
    out.push('');
  }
  if (report.inactive.length > 0) {
    out.push(style.bold('left out by inactive profiles'), ...report.inactive.map((i) => `  ${inactiveLine(i)}`), '');
  }
  out.push(countLine(report));
  return out.join('\n') + '\n';
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|') || ' ';

function markdownTable(keys: readonly KeyExplanation[]): string[] {
  return [
    '| Compose key | Status | Becomes | Note |',
    '| --- | --- | --- | --- |',
    ...keys.map((k) => `| \`${k.key}\` | ${k.status} | ${mdCell(becomes(k))} | ${mdCell(k.note ?? '')} |`),
  ];
}

export function renderMarkdown(report: StackReport): string {
  const out: string[] = [];
  for (const r of report.services) {
    out.push(`## ${r.service} (\`${r.workload}\`)`, '', ...markdownTable(r.keys));
    if (r.loadWarnings.length > 0)
      out.push('', 'While loading:', '', ...r.loadWarnings.map((d) => `- ${where(d)}${d.message}`));
    out.push('');
  }
  if (report.projectKeys.length > 0 || report.notes.length > 0) {
    out.push('## Project', '');
    if (report.projectKeys.length > 0) out.push(...markdownTable(report.projectKeys), '');
    for (const d of report.notes) out.push(`- ${d.path ? `\`${d.path}\`: ` : ''}${d.message}`);
    out.push('');
  }
  if (report.inactive.length > 0) {
    out.push('## Left out by inactive profiles', '', ...report.inactive.map((i) => `- ${inactiveLine(i)}`), '');
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
  const report = stackReport(translated.chart, translated.diagnostics);
  if (options.format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
  else if (options.format === 'markdown') io.stdout(renderMarkdown(report));
  else io.stdout(renderText(report, style));
  return ExitCode.ok;
}

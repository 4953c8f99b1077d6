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
import { table, wrapLine } from './text-table';
import { inactiveReports, type InactiveReport } from '../chart/project-account';

export type ExplainFormat = 'text' | 'markdown' | 'json' | DiagramFormat;

/** The stack drawn instead of reported: Mermaid flowchart, Graphviz DOT, or SVG rendered from the DOT. */
export type DiagramFormat = 'mermaid' | 'dot' | 'svg';

const isDiagram = (format: ExplainFormat): format is DiagramFormat =>
  format === 'mermaid' || format === 'dot' || format === 'svg';

export interface ExplainOptions extends ProjectOptions {
  readonly format: ExplainFormat;
  readonly color: boolean;
  /** Columns the text report fits (`--width`); default: the terminal's, or TEXT_WIDTH. */
  readonly width?: number;
}

/** The width of the text report when stdout is not a terminal and --width is not given. */
export const TEXT_WIDTH = 100;

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

function keyTable(keys: readonly KeyExplanation[], style: Style, width: number): string[] {
  const rows = [['KEY', 'STATUS', 'BECOMES', 'NOTE']];
  for (const k of keys) rows.push([k.key, k.status, becomes(k), k.note ?? '']);
  return table(rows, {
    indent: '  ',
    width,
    paint: (row, column, text) =>
      row === 0 ? style.dim(text) : column === 1 ? statusStyle(keys[row - 1].status, style) : text,
  });
}

/** `line` wrapped to `width`, its first `prefix` (after the indent) painted once wrapped. */
function fitted(line: string, width: number, prefix = '', paint = (s: string) => s): string[] {
  const [first, ...rest] = wrapLine(line, width);
  const at = prefix === '' ? -1 : first.indexOf(prefix);
  return [at < 0 ? first : first.slice(0, at) + paint(prefix) + first.slice(at + prefix.length), ...rest];
}

/** The text report; `width` (default: unbounded) is the longest a line may be, long words aside. */
export function renderText(report: StackReport, style: Style, width = Infinity): string {
  const out: string[] = [];
  for (const r of report.services) {
    out.push(...fitted(`${r.service} -> ${r.workload}`, width, r.service, style.bold));
    out.push(
      ...keyTable(r.keys, style, width),
      ...r.loadWarnings.flatMap((d) => fitted(`  loading: ${where(d)}${d.message}`, width, 'loading', style.yellow)),
      '',
    );
  }
  if (report.projectKeys.length > 0 || report.notes.length > 0) {
    out.push(style.bold('project'));
    if (report.projectKeys.length > 0) out.push(...keyTable(report.projectKeys, style, width));
    for (const d of report.notes) out.push(...fitted(`  ${d.path ? `${d.path}: ` : ''}${d.message}`, width));
    out.push('');
  }
  if (report.inactive.length > 0) {
    out.push(
      style.bold('left out by inactive profiles'),
      ...report.inactive.flatMap((i) => fitted(`  ${inactiveLine(i)}`, width)),
      '',
    );
  }
  out.push(...fitted(countLine(report), width));
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
  else io.stdout(renderText(report, style, options.width ?? (io.isTTY && io.columns ? io.columns : TEXT_WIDTH)));
  return ExitCode.ok;
}

/**
 * Where a secret value sits outside a Secret: the check behind "secret values are never in plain
 * text". The values are those of the Secret objects a conversion wrote; every other file (other
 * objects, Helm values and README, NOTES.md, scripts, the diagram, explain's report) must not
 * hold one, as written or base64-encoded.
 */
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import type { ComposeChart } from '../../lib/chart/compose-chart';
import { renderText, stackReport } from '../../lib/cli/explain';
import { makeStyle } from '../../lib/cli/io';
import { helmChartFiles } from '../../lib/helm';
import { stackFiles } from '../../lib/output/stack';
import { targetFiles } from '../../lib/targets/files';
import { isPlainValue } from '../../lib/translate/secret-values';

type Json = Record<string, unknown>;

export interface Leak {
  readonly file: string;
  readonly value: string;
  readonly where: string;
}

const isSecretObject = (doc: unknown): doc is Json =>
  typeof doc === 'object' && doc !== null && (doc as Json).kind === 'Secret';

function secretValuesOf(doc: Json): string[] {
  const data = Object.values((doc.data ?? {}) as Record<string, string>).map((v) =>
    Buffer.from(v, 'base64').toString('utf8'),
  );
  return [...data, ...Object.values((doc.stringData ?? {}) as Record<string, string>)];
}

function documents(file: string, content: string): unknown[] {
  if (!/\.ya?ml$/.test(file) || content.includes('{{')) return [];
  return parseAllDocuments(content).map((d) => d.toJSON() as unknown);
}

/** Values worth looking for in text: a short or common one would be found in every image name. */
const searchable = (value: string) => !isPlainValue(value) && value.length >= 6;

/**
 * The secret values of `files` (path -> content), and every place outside a Secret that holds one.
 * `names` are the project's own identifiers (project, services, images, volumes...): a demo
 * password equal to one (`POSTGRES_PASSWORD: nextcloud`) is found in every object name, which
 * tells nothing.
 */
export function secretLeaks(
  files: ReadonlyMap<string, string>,
  names: ReadonlySet<string> = new Set(),
): { values: string[]; leaks: Leak[] } {
  const values = new Set<string>();
  for (const [file, content] of files)
    for (const doc of documents(file, content))
      if (isSecretObject(doc)) secretValuesOf(doc).forEach((v) => values.add(v));
  const wanted = [...values].filter((v) => searchable(v) && !names.has(v));
  const leaks: Leak[] = [];
  for (const [file, content] of files) {
    const docs = documents(file, content);
    // A manifest file: only its objects other than Secrets count.
    const text =
      docs.length > 0
        ? docs
            .filter((d) => !isSecretObject(d))
            .map((d) => JSON.stringify(d))
            .join('\n')
        : // A Helm template of a Secret holds the values it defaults to: it is the Secret.
          /^kind: Secret$/m.test(content)
          ? ''
          : content;
    for (const value of wanted) {
      const encoded = Buffer.from(value).toString('base64');
      if (text.includes(value)) leaks.push({ file, value, where: 'as written' });
      else if (text.includes(encoded)) leaks.push({ file, value, where: 'base64' });
    }
  }
  return { values: wanted, leaks };
}

/** The project's own identifiers, which a demo password may equal (see secretLeaks). */
export function projectNames(chart: ComposeChart): Set<string> {
  const project = chart.project;
  return new Set([
    project.name,
    ...Object.values(project.services).flatMap((s) => [s.name, ...(s.image ?? '').split(/[/:@]/)]),
    ...Object.keys(project.volumes),
    ...Object.keys(project.networks),
    ...Object.keys(project.secrets),
    ...Object.keys(project.configs),
  ]);
}

/**
 * Every file a conversion of `chart` writes, as text: the stack directory (without diagram.svg,
 * drawn from names only) and the Helm chart, under `stack/` and `chart/`, and explain's report.
 */
export function conversionFiles(chart: ComposeChart, dir: string): Map<string, string> {
  const objects = chart.toJson();
  const files = new Map<string, string>();
  const stack = path.join(dir, 'stack');
  for (const [name, f] of stackFiles(objects)) files.set(`stack/${name}`, String(f.content));
  for (const [name, f] of targetFiles(chart, chart.exposure, stack, objects).files)
    files.set(`stack/${name}`, String(f.content));
  for (const [name, f] of helmChartFiles(chart, path.join(dir, 'chart'), objects))
    files.set(`chart/${name}`, String(f.content));
  const report = stackReport(chart, chart.diagnostics);
  files.set('explain.txt', renderText(report, makeStyle(false)));
  files.set('explain.json', JSON.stringify(report));
  return files;
}

/** Builds the Helm chart of a seed stack or corpus project and compares helm's rendering with the plain output. */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { SEED_CHARTS } from '../../charts';
import { ComposeChart, type ComposeTarget } from '../../lib/chart/compose-chart';
import { helmChartFiles } from '../../lib/helm';
import type { OutputFile } from '../../lib/output/atomic-write';
import { CORPUS_PROJECTS, loadCorpusProject } from '../fixtures/corpus';
import type { KubeObject } from '../support/helm';

const ROOT = path.join(__dirname, '..', '..');

export interface BuiltChart {
  readonly id: string;
  readonly chart: ComposeChart;
  readonly objects: readonly KubeObject[];
  /** As written to dist/<id>-chart: paths in load-images.sh do not depend on where tests run. */
  readonly files: Map<string, OutputFile>;
}

function built(id: string, chart: ComposeChart): BuiltChart {
  const objects = chart.toJson() as KubeObject[];
  return { id, chart, objects, files: helmChartFiles(chart, path.join(ROOT, 'dist', `${id}-chart`), objects) };
}

export const seedChart = (id: string): BuiltChart => {
  const seed = SEED_CHARTS.find((s) => s.id === id);
  if (!seed) throw new Error(`no seed chart ${id}`);
  return built(id, seed.build(Testing.app()));
};

export function corpusChart(name: string, target: ComposeTarget = 'kind'): BuiltChart {
  const fixture = CORPUS_PROJECTS.find((p) => p.name === name);
  if (!fixture) throw new Error(`no corpus project ${name}`);
  const project = loadCorpusProject(fixture);
  return built(name, new ComposeChart(Testing.app(), name.replace(/\//g, '-'), { project, target }));
}

export function writeFiles(dir: string, files: ReadonlyMap<string, OutputFile>): string {
  for (const [name, file] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), file.content);
  }
  return dir;
}

const HELM_LABELS = ['app.kubernetes.io/managed-by', 'app.kubernetes.io/instance', 'helm.sh/chart'];

function stripLabels(labels: Record<string, unknown> | undefined): void {
  for (const key of HELM_LABELS) if (labels) delete labels[key];
}

/**
 * An object as the comparison sees it: without Helm's labels, the release namespace and the
 * claims' `helm.sh/resource-policy: keep`, and
 * with the replica count a Deployment has when it says none.
 */
export function comparable(object: KubeObject): KubeObject {
  const o = JSON.parse(JSON.stringify(object)) as KubeObject & {
    metadata: { namespace?: string; labels?: Record<string, unknown> };
    spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, unknown> } } };
  };
  delete o.metadata.namespace;
  stripLabels(o.metadata.labels);
  // The chart keeps claims through `helm uninstall` (as docker compose down keeps volumes):
  // a Helm instruction with no plain-manifest equivalent. helm-render.test.ts checks it is there.
  const annotations = (o.metadata as { annotations?: Record<string, unknown> }).annotations;
  if (o.kind === 'PersistentVolumeClaim' && annotations?.['helm.sh/resource-policy'] === 'keep') {
    delete annotations['helm.sh/resource-policy'];
    if (Object.keys(annotations).length === 0) delete (o.metadata as { annotations?: unknown }).annotations;
  }
  stripLabels(o.spec?.template?.metadata?.labels);
  if (o.kind === 'Deployment' && o.spec && o.spec.replicas === undefined) o.spec.replicas = 1;
  return o;
}

export const objectKey = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

export function byKey(objects: readonly KubeObject[]): Map<string, KubeObject> {
  return new Map(
    objects
      .filter((o) => o.kind !== 'Namespace')
      .map((o) => [objectKey(o), comparable(o)] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** JSON paths at which two values differ. */
export function differences(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at === '' ? k : `${at}.${k}`),
    );
  }
  return a === b ? [] : [at];
}

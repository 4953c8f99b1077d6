/** A Compose snippet through the whole translation: the chart, its objects, and lookups. */
import { Testing } from 'cdk8s';
import { ComposeChart, type ComposeChartProps } from '../../lib/chart/compose-chart';
import { expectValidManifests } from './k8s-schema';
import { projectFrom, type SnippetOptions } from './project';

export type K8sObject = {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> } & Record<string, unknown>;
  // Tests read into objects freely; the schema check guarantees the shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec?: any;
  readonly data?: Record<string, string>;
} & Record<string, unknown>;

export interface Synthesized {
  readonly chart: ComposeChart;
  readonly objects: K8sObject[];
  find(kind: string, name: string): K8sObject;
  all(kind: string): K8sObject[];
  /** The pod spec of a service's workload. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  pod(name: string): any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  container(name: string): any;
  warnings(): string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const podTemplate = (workload: K8sObject): any =>
  workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template;

export function synthProject(
  yaml: string,
  props: Partial<Omit<ComposeChartProps, 'project'>> & SnippetOptions = {},
): Synthesized {
  const { workingDir, environment, profiles, fileName, ...chartProps } = props;
  const project = projectFrom(yaml, { workingDir, environment, profiles, fileName });
  const chart = new ComposeChart(Testing.app(), 'test', { project, ...chartProps });
  const objects = Testing.synth(chart) as K8sObject[];
  // External secrets and volumes are created by the user: references to them cannot resolve here.
  const external = chart.diagnostics.some((d) => d.code === 'external-object' || d.code === 'external-volume');
  if (!chart.diagnostics.some((d) => d.severity === 'error'))
    expectValidManifests(objects, { checkReferences: !external });
  const find = (kind: string, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found)
      throw new Error(`no ${kind}/${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
    return found;
  };
  const workload = (name: string) => {
    const found = objects.find(
      (o) => ['Deployment', 'Job', 'DaemonSet', 'StatefulSet', 'CronJob'].includes(o.kind) && o.metadata.name === name,
    );
    if (!found) throw new Error(`no workload ${name}`);
    return found;
  };
  return {
    chart,
    objects,
    find,
    all: (kind) => objects.filter((o) => o.kind === kind),
    pod: (name) => podTemplate(workload(name)).spec,
    container: (name) => podTemplate(workload(name)).spec.containers[0],
    warnings: () => chart.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.path}: ${d.message}`),
  };
}

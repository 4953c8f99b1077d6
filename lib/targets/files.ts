/**
 * The files beside a stack's manifests that make it run on its target: the kind cluster config,
 * the image build/load script, the one-command `up.sh`, and NOTES.md with the addresses. They
 * are rendered from one StackPlan, gathered from the synthesized chart so they cannot disagree
 * with the manifests (NodePorts, image names, workload names).
 */
import * as path from 'path';
import type { ComposeChart } from '../chart/compose-chart';
import type { StackExposure } from '../chart/exposure';
import type { OutputFile } from '../output/atomic-write';
import { ingressObjects } from '../output/ingress-objects';
import { stringifyDocuments } from '../output/yaml';
import { hostNetworkPorts } from '../expose/node-ports';
import { kindClusterConfig, planKindCluster, type KindClusterPlan } from './kind';
import { renderNotes } from './notes';
import { renderMermaid } from '../diagram/mermaid';
import { drawableGraph } from '../diagram/graph';
import type { StackGraph } from '../diagram/model';
import { displayHostSide } from '../compose/normalize/volumes';
import { externalVolumeFiles } from './external-volumes';
import { localImages } from './image-builds';
import {
  hostPathFromStack,
  type ExternalVolume,
  type NodeMount,
  type SourceMount,
  type StackPlan,
  type WorkloadRef,
} from './plan';
import { downInput, renderLoadImagesScript, renderUpScript } from './scripts';
import { keptObjects, objectId, renderDownScript } from './prune';
import { podTemplateOf } from '../pod-template';

interface ContainerJson {
  readonly image?: string;
}

interface WorkloadJson {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
}

interface PodTemplateJson {
  readonly spec?: { readonly containers?: readonly ContainerJson[] };
}

/** Image of each workload's main container, read back from the synthesized objects. */
function imagesByWorkload(objects: readonly unknown[]): Map<string, string> {
  const images = new Map<string, string>();
  for (const o of objects as WorkloadJson[]) {
    const pod = podTemplateOf(o) as PodTemplateJson | undefined;
    const image = pod?.spec?.containers?.[0]?.image;
    if (image && o.kind && o.metadata?.name) images.set(`${o.kind}/${o.metadata.name}`, image);
  }
  return images;
}

/** Every route of every Ingress in the chart, whether from x-k8s, kompose labels or chart code. */
export function ingressRoutes(objects: readonly unknown[]): StackPlan['ingressHosts'] {
  return ingressObjects(objects).flatMap((ingress) => {
    const tlsHosts = new Set((ingress.spec?.tls ?? []).flatMap((t) => t.hosts ?? []));
    const anyTls = (ingress.spec?.tls ?? []).length > 0;
    return (ingress.spec?.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? []).map((p) => ({
        host: rule.host,
        path: p.path ?? '/',
        service: p.backend?.service?.name ?? '?',
        tls: rule.host ? tlsHosts.has(rule.host) : anyTls,
      })),
    );
  });
}

function nodeMounts(chart: ComposeChart, projectDir: string): NodeMount[] {
  return chart.hostMounts.map((m) => ({
    hostPath: hostPathFromStack(m.host, projectDir),
    nodePath: m.nodePath,
    display: displayHostSide(m.host),
  }));
}

function sourceMounts(chart: ComposeChart): SourceMount[] {
  return [...chart.services.values()].flatMap((s) =>
    s.bindMounts
      .filter((b) => b.class === 'source' && b.becomes.startsWith('hostPath'))
      .map((b) => ({ service: s.serviceName, hostPath: b.hostPath, target: b.target })),
  );
}

/** The external volumes of the chart, whose claims the user creates. */
export function externalVolumes(chart: ComposeChart): ExternalVolume[] {
  return [...chart.externalClaims].map(([volume, c]) => ({ volume, ...c, users: [...c.users].sort() }));
}

const isWaitedFor = (kind: string): kind is WorkloadRef['kind'] =>
  ['DaemonSet', 'Deployment', 'Job', 'StatefulSet'].includes(kind);

export function stackPlan(
  chart: ComposeChart,
  exposure: StackExposure,
  stackDir: string,
  objects: readonly unknown[] = chart.toJson(),
  secretsCommand?: readonly string[],
): StackPlan {
  const images = imagesByWorkload(objects);
  const imageOf = (service: string) => {
    const s = chart.service(service);
    const image = images.get(`${s.workloadKind}/${s.kubernetesName}`);
    if (!image) throw new Error(`no image on the workload of ${service}`);
    return image;
  };
  const projectDir = path.relative(stackDir, chart.project.workingDir).split(path.sep).join('/') || '.';
  const workloads: WorkloadRef[] = [...chart.services.values()]
    .flatMap((s) => (isWaitedFor(s.workloadKind) ? [{ kind: s.workloadKind, name: s.kubernetesName }] : []))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    // kind cluster and minikube profile names allow no underscores (project names do).
    name: chart.node.id.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
    target: chart.target,
    namespace: chart.namespace,
    images: localImages(chart.project, stackDir, imageOf),
    // Notes and scripts speak of Kubernetes objects: use the (possibly sanitized) Service names.
    published: exposure.published.map((p) => ({ ...p, service: chart.service(p.service).kubernetesName })),
    hostNetwork: hostNetworkPorts(chart.project),
    ingressHosts: ingressRoutes(objects),
    replaceableProxies: [...chart.services.values()]
      .filter((s) => s.traefik.replaceableProxy === true)
      .map((s) => s.kubernetesName),
    workloads,
    project: chart.project.name,
    objects: keptObjects(objects.map(objectId)),
    nodeMounts: nodeMounts(chart, projectDir),
    sourceMounts: sourceMounts(chart),
    externalVolumes: externalVolumes(chart),
    projectDir,
    ...(secretsCommand ? { secretsCommand } : {}),
  };
}

export interface TargetFiles {
  readonly files: Map<string, OutputFile>;
  readonly kind?: KindClusterPlan;
}

/**
 * `stackDir` is where the files will live: build contexts in load-images.sh are written
 * relative to it, so the directory can be moved together with the project.
 */
export function targetFiles(
  chart: ComposeChart,
  exposure: StackExposure,
  stackDir: string,
  objects: readonly unknown[] = chart.toJson(),
  /** The stack's graph when it is small enough to draw (drawableGraph). */
  graph: StackGraph | undefined = drawableGraph(chart, objects),
  secretsCommand?: readonly string[],
): TargetFiles {
  const plan = stackPlan(chart, exposure, path.resolve(stackDir), objects, secretsCommand);
  const files = new Map<string, OutputFile>();
  let kind: KindClusterPlan | undefined;
  if (plan.target === 'kind') {
    kind = planKindCluster(plan.name, plan.published, plan.hostNetwork, plan.ingressHosts.length > 0, plan.nodeMounts);
    files.set('kind-cluster.yaml', {
      content: `# Generated by compose-cdk8s: kind create cluster --config kind-cluster.yaml\n${stringifyDocuments([kindClusterConfig(kind)])}`,
    });
  }
  const load = renderLoadImagesScript(plan);
  if (load) files.set('load-images.sh', { content: load, executable: true });
  files.set('up.sh', { content: renderUpScript(plan), executable: true });
  files.set('down.sh', { content: renderDownScript(downInput(plan)), executable: true });
  const diagram = graph ? { mermaid: renderMermaid(graph) } : { omittedServices: chart.services.size };
  files.set('NOTES.md', { content: renderNotes(plan, kind, diagram) });
  for (const [name, content] of externalVolumeFiles(plan)) files.set(name, { content });
  return { files, kind };
}

/**
 * Builds the StackGraph of a ComposeChart: the Compose project says what the services are, how
 * they wait for each other and which networks they share; the synthesized objects say what each
 * became (workload, image, replicas, mounts) and how it is reached (published ports, Ingress).
 */
import type { ComposeChart } from '../chart/compose-chart';
import type { ComposeService, DependsOnCondition as ComposeCondition } from '../compose/model';
import { entryPoints } from './entry-points';
import { DiagramIds } from './ids';
import {
  MAX_DRAWN_SERVICES,
  type DependsOnCondition,
  type DiagramEdge,
  type NetworkGroup,
  type ServiceNode,
  type StackGraph,
} from './model';
import { readObjects, type Workload } from './objects';
import { storage, type ServiceMounts } from './storage';

const CONDITIONS: Readonly<Record<ComposeCondition, DependsOnCondition>> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

/** `image@sha256:<64 hex>` is shortened to 12 hex digits: the node stays narrow, the image recognizable. */
export function shortImage(image: string): string {
  return image.replace(/@sha256:([0-9a-f]{12})[0-9a-f]{52}$/, '@sha256:$1');
}

function workloadLine(kind: ServiceNode['workload'], replicas: number | undefined): string {
  switch (kind) {
    case 'DaemonSet':
      return 'DaemonSet, one pod per node';
    case 'Job':
      return 'Job, runs to completion';
    default:
      return `${kind}, ${replicas} ${replicas === 1 ? 'replica' : 'replicas'}`;
  }
}

/** Where the service's network traffic goes, when the network subgraphs cannot show it. */
function networkLine(service: ComposeService): string | undefined {
  const mode = service.networkMode;
  if (mode?.kind === 'host') return 'host network';
  if (mode?.kind === 'none') return 'no network';
  if (mode?.kind === 'service') return `network of ${mode.service}`;
  if (mode?.kind === 'container') return `network of container ${mode.container}`;
  const networks = Object.keys(service.networks);
  return networks.length > 1 ? `networks: ${networks.sort().join(', ')}` : undefined;
}

function serviceNode(
  id: string,
  service: ComposeService,
  kubernetesName: string,
  kind: ServiceNode['workload'],
  workload: Workload | undefined,
): ServiceNode {
  const image = shortImage(workload?.image ?? '');
  const replicas = kind === 'Deployment' || kind === 'StatefulSet' ? (workload?.replicas ?? 1) : undefined;
  const network = networkLine(service);
  return {
    id,
    service: service.name,
    kubernetesName,
    workload: kind,
    image,
    replicas,
    label: [
      service.name,
      workloadLine(kind, replicas),
      image,
      ...(kubernetesName !== service.name ? [`named ${kubernetesName}`] : []),
      ...(network ? [network] : []),
    ],
  };
}

function networkGroups(chart: ComposeChart, ids: DiagramIds, serviceId: (name: string) => string): NetworkGroup[] {
  const groups: NetworkGroup[] = [];
  for (const name of Object.keys(chart.project.networks).sort()) {
    const def = chart.project.networks[name];
    const members = [...chart.services.keys()]
      .filter((s) => {
        const service = chart.project.services[s];
        const networks = Object.keys(service.networks);
        return !service.networkMode && networks.length === 1 && networks[0] === name;
      })
      .sort();
    if (members.length === 0) continue;
    const flags = [...(def.internal ? ['internal'] : []), ...(def.external ? ['external'] : [])];
    groups.push({
      id: ids.id('net', name),
      name,
      internal: def.internal,
      external: def.external,
      label: `network ${name}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`,
      services: members.map(serviceId),
    });
  }
  return groups;
}

function dependsOn(chart: ComposeChart, serviceId: (name: string) => string): DiagramEdge[] {
  const edges: DiagramEdge[] = [];
  for (const name of [...chart.services.keys()].sort()) {
    const service = chart.project.services[name];
    for (const dependency of Object.keys(service.dependsOn).sort()) {
      if (!chart.services.has(dependency)) continue;
      const { condition: compose, required } = service.dependsOn[dependency];
      const condition = CONDITIONS[compose];
      edges.push({
        kind: 'depends-on',
        from: serviceId(name),
        to: serviceId(dependency),
        condition,
        required,
        label: [required ? condition : `${condition}, optional`],
      });
    }
  }
  return edges;
}

/**
 * The graph of a stack small enough to draw (MAX_DRAWN_SERVICES), else undefined: a larger one
 * is neither drawn nor worth building (1.5 s of a 10 000-service convert went to it).
 */
export function drawableGraph(chart: ComposeChart, objects: readonly unknown[]): StackGraph | undefined {
  return chart.services.size <= MAX_DRAWN_SERVICES ? stackGraph(chart, objects) : undefined;
}

export function stackGraph(chart: ComposeChart, objects: readonly unknown[] = chart.toJson()): StackGraph {
  const synthesized = readObjects(objects);
  const ids = new DiagramIds();
  const names = [...chart.services.keys()].sort();
  const serviceIds = new Map(names.map((n) => [n, ids.id('svc', n)]));
  const serviceId = (name: string) => serviceIds.get(name) as string;

  const services: ServiceNode[] = [];
  const mounts: ServiceMounts[] = [];
  for (const name of names) {
    const construct = chart.service(name);
    const workload = synthesized.workloads.get(`${construct.workloadKind}/${construct.kubernetesName}`);
    services.push(
      serviceNode(
        serviceId(name),
        chart.project.services[name],
        construct.kubernetesName,
        construct.workloadKind,
        workload,
      ),
    );
    if (workload) mounts.push({ serviceId: serviceId(name), workload });
  }

  // Ingress backends and alias Services name Kubernetes Services: map each back to its Compose service.
  const byServiceName = new Map<string, string>();
  for (const name of names) {
    const construct = chart.service(name);
    byServiceName.set(construct.kubernetesName, serviceId(name));
    for (const alias of construct.extraServices.keys()) byServiceName.set(alias, serviceId(name));
  }
  const entries = entryPoints(chart, synthesized.ingresses, ids, serviceId, (backend) => byServiceName.get(backend));
  const stored = storage(mounts, ids, { claimSizes: synthesized.claimSizes, hostMounts: chart.hostMounts });

  return {
    name: chart.node.id,
    services,
    entryPoints: entries.nodes,
    storage: stored.nodes,
    edges: [...entries.edges, ...dependsOn(chart, serviceId), ...stored.edges],
    networks: networkGroups(chart, ids, serviceId),
  };
}

/**
 * How the stack is reached from outside, as diagram entry points: each published port (runs of
 * consecutive ports drawn once, as Compose writes `8000-8010:8000-8010`), each host-network
 * port, and each Ingress with the paths it routes to each service.
 */
import type { ComposeChart } from '../chart/compose-chart';
import type { Protocol } from '../compose/model';
import { hostNetworkPorts, type PublishedPort } from '../expose/node-ports';
import type { DiagramIds } from './ids';
import type { DiagramEdge, EntryNode } from './model';
import type { IngressJson } from './objects';

export interface EntryPoints {
  readonly nodes: EntryNode[];
  readonly edges: DiagramEdge[];
}

interface PortRun {
  readonly service: string;
  readonly hostIp?: string;
  readonly protocol: Protocol;
  readonly published: [number, number];
  readonly target: [number, number];
}

/** Consecutive published ports of one service that map to consecutive container ports. */
export function portRuns(ports: readonly PublishedPort[]): PortRun[] {
  const sorted = [...ports].sort(
    (a, b) =>
      a.service.localeCompare(b.service) ||
      (a.hostIp ?? '').localeCompare(b.hostIp ?? '') ||
      a.protocol.localeCompare(b.protocol) ||
      a.published - b.published,
  );
  const runs: PortRun[] = [];
  for (const p of sorted) {
    const last = runs[runs.length - 1];
    if (
      last &&
      last.service === p.service &&
      last.hostIp === p.hostIp &&
      last.protocol === p.protocol &&
      last.published[1] + 1 === p.published &&
      last.target[1] + 1 === p.target
    ) {
      last.published[1] = p.published;
      last.target[1] = p.target;
    } else {
      runs.push({
        service: p.service,
        hostIp: p.hostIp,
        protocol: p.protocol,
        published: [p.published, p.published],
        target: [p.target, p.target],
      });
    }
  }
  return runs;
}

const range = ([from, to]: readonly [number, number]) => (from === to ? String(from) : `${from}-${to}`);
const protocolSuffix = (protocol: Protocol) => (protocol === 'tcp' ? '' : `/${protocol}`);

function publishedPorts(chart: ComposeChart, ids: DiagramIds, serviceId: (name: string) => string): EntryPoints {
  const nodes: EntryNode[] = [];
  const edges: DiagramEdge[] = [];
  for (const run of portRuns(chart.exposure.published)) {
    const host = `${run.hostIp ?? 'localhost'}:${range(run.published)}`;
    const id = ids.id('port', `${run.service}-${host}-${run.protocol}`);
    const kubernetesName = chart.service(run.service).kubernetesName;
    nodes.push({
      id,
      kind: 'published-port',
      label: [`${host} -> ${kubernetesName}:${range(run.target)}${protocolSuffix(run.protocol)}`],
    });
    edges.push({ kind: 'route', from: id, to: serviceId(run.service), label: [] });
  }
  return { nodes, edges };
}

function hostNetwork(chart: ComposeChart, ids: DiagramIds, serviceId: (name: string) => string): EntryPoints {
  const nodes: EntryNode[] = [];
  const edges: DiagramEdge[] = [];
  for (const p of hostNetworkPorts(chart.project)) {
    const id = ids.id('hostnet', `${p.service}-${p.port}-${p.protocol}`);
    const kubernetesName = chart.service(p.service).kubernetesName;
    nodes.push({
      id,
      kind: 'host-network',
      label: [`node:${p.port}${protocolSuffix(p.protocol)} -> ${kubernetesName} (host network)`],
    });
    edges.push({ kind: 'route', from: id, to: serviceId(p.service), label: [] });
  }
  return { nodes, edges };
}

/** At most this many paths on one line of an Ingress edge label. */
const PATHS_PER_LINE = 3;

function ingresses(
  ingressObjects: readonly IngressJson[],
  ids: DiagramIds,
  serviceIdOfBackend: (backend: string) => string | undefined,
): EntryPoints {
  const nodes: EntryNode[] = [];
  const edges: DiagramEdge[] = [];
  for (const ingress of ingressObjects) {
    const id = ids.id('ing', ingress.name);
    const hosts = [...new Set(ingress.routes.flatMap((r) => (r.host ? [r.host] : [])))];
    const tls = new Set(ingress.tlsHosts);
    nodes.push({
      id,
      kind: 'ingress',
      label: [`Ingress ${ingress.name}`, ...hosts.map((h) => `${tls.has(h) ? 'https' : 'http'}://${h}`)],
    });
    // One edge per backend service, labelled with its paths (host-qualified when the Ingress has several hosts).
    const paths = new Map<string, string[]>();
    for (const route of ingress.routes) {
      const target = serviceIdOfBackend(route.backend);
      if (target === undefined) continue;
      const path = hosts.length > 1 && route.host ? `${route.host}${route.path}` : route.path;
      const list = paths.get(target) ?? [];
      if (!list.includes(path)) list.push(path);
      paths.set(target, list);
    }
    for (const [target, list] of [...paths.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const lines: string[] = [];
      for (let i = 0; i < list.length; i += PATHS_PER_LINE) lines.push(list.slice(i, i + PATHS_PER_LINE).join(' '));
      edges.push({ kind: 'route', from: id, to: target, label: lines });
    }
  }
  return { nodes, edges };
}

export function entryPoints(
  chart: ComposeChart,
  ingressObjects: readonly IngressJson[],
  ids: DiagramIds,
  serviceId: (name: string) => string,
  serviceIdOfBackend: (backend: string) => string | undefined,
): EntryPoints {
  const parts = [
    ingresses(ingressObjects, ids, serviceIdOfBackend),
    publishedPorts(chart, ids, serviceId),
    hostNetwork(chart, ids, serviceId),
  ];
  return { nodes: parts.flatMap((p) => p.nodes), edges: parts.flatMap((p) => p.edges) };
}

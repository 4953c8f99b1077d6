/**
 * Published ports -> NodePorts. Under Compose `ports: ["8000:8000"]` means http://localhost:8000
 * works; on kind that needs a NodePort the cluster config maps the host port to. NodePorts are
 * derived from the published port (not allocated by the API server) so the cluster config and
 * the Service agree, and the same input always gives the same numbers.
 */
import type { ComposeProject, Protocol } from '../compose/model';

export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
const NODE_PORT_COUNT = NODE_PORT_MAX - NODE_PORT_MIN + 1;

export interface PublishedPort {
  /** Compose service name. */
  readonly service: string;
  /** Container port. */
  readonly target: number;
  /** Host port, as published under Compose. */
  readonly published: number;
  readonly protocol: Protocol;
  /** Host address the port is bound on; undefined means all addresses. */
  readonly hostIp?: string;
  readonly nodePort: number;
  /** Set by the exposure: the type of the `-published` Service, and whether the NodePort is pinned by a label. */
  readonly serviceType?: 'NodePort' | 'LoadBalancer';
  readonly pinned?: boolean;
}

/**
 * The NodePort a published port prefers: 30000 + port for small ports (80 -> 30080,
 * 443 -> 30443), otherwise the port folded into the range. Collisions probe upwards.
 */
export function preferredNodePort(published: number): number {
  return NODE_PORT_MIN + (published % NODE_PORT_COUNT);
}

export interface NodePortAssignment {
  /** Published ports with their NodePort, sorted by host port, protocol, service. */
  readonly assigned: readonly PublishedPort[];
  /** Published ports beyond the 2768 NodePorts a protocol has: reachable only inside the cluster. */
  readonly unassigned: readonly Omit<PublishedPort, 'nodePort'>[];
}

/**
 * `pinned`: the NodePort a service asks for (`kompose.service.nodeport.port`) for its one
 * published port; reserved before the others are derived.
 */
export function assignNodePorts(
  project: ComposeProject,
  pinned: ReadonlyMap<string, number> = new Map(),
): NodePortAssignment {
  const wanted: Omit<PublishedPort, 'nodePort'>[] = [];
  for (const name of Object.keys(project.services).sort()) {
    const service = project.services[name];
    // Host-networked pods bind on the node itself: they need no NodePort (see hostPortMappings).
    if (service.networkMode?.kind === 'host') continue;
    for (const port of service.ports) {
      if (port.published === undefined) continue;
      wanted.push({
        service: name,
        target: port.target,
        published: port.published,
        protocol: port.protocol,
        hostIp: port.hostIp,
      });
    }
  }
  wanted.sort(
    (a, b) =>
      a.published - b.published ||
      a.protocol.localeCompare(b.protocol) ||
      a.service.localeCompare(b.service) ||
      a.target - b.target ||
      (a.hostIp ?? '').localeCompare(b.hostIp ?? ''),
  );
  const taken = new Set<string>();
  for (const port of wanted) {
    const pin = pinned.get(port.service);
    if (pin !== undefined) taken.add(`${port.protocol}/${pin}`);
  }
  const perProtocol = new Map<string, number>();
  const assigned: PublishedPort[] = [];
  const unassigned: Omit<PublishedPort, 'nodePort'>[] = [];
  // The same port published on two host addresses (127.0.0.1 and ::1) is one Service port.
  const shared = new Map<string, number>();
  for (const port of wanted) {
    const sameKey = `${port.service}/${port.protocol}/${port.published}/${port.target}`;
    const same = shared.get(sameKey);
    if (same !== undefined) {
      assigned.push({ ...port, nodePort: same });
      continue;
    }
    const used = perProtocol.get(port.protocol) ?? 0;
    if (used >= NODE_PORT_COUNT) {
      unassigned.push(port);
      continue;
    }
    const pin = pinned.get(port.service);
    if (pin !== undefined) {
      perProtocol.set(port.protocol, used + 1);
      shared.set(sameKey, pin);
      assigned.push({ ...port, nodePort: pin });
      continue;
    }
    let nodePort = preferredNodePort(port.published);
    while (taken.has(`${port.protocol}/${nodePort}`))
      nodePort = nodePort === NODE_PORT_MAX ? NODE_PORT_MIN : nodePort + 1;
    taken.add(`${port.protocol}/${nodePort}`);
    perProtocol.set(port.protocol, used + 1);
    shared.set(sameKey, nodePort);
    assigned.push({ ...port, nodePort });
  }
  return { assigned, unassigned };
}

export interface HostNetworkPort {
  readonly service: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly hostIp?: string;
}

/**
 * Ports of `network_mode: host` services: the pod binds them on the node directly, so a kind
 * cluster maps the host port straight to the same node port.
 */
export function hostNetworkPorts(project: ComposeProject): HostNetworkPort[] {
  const ports: HostNetworkPort[] = [];
  for (const name of Object.keys(project.services).sort()) {
    const service = project.services[name];
    if (service.networkMode?.kind !== 'host') continue;
    const seen = new Set<string>();
    const add = (port: number, protocol: Protocol, hostIp?: string) => {
      const key = `${protocol}/${port}`;
      if (seen.has(key)) return;
      seen.add(key);
      ports.push({ service: name, port, protocol, hostIp });
    };
    // Compose discards the host side of `ports` under host networking: the app listens on the target.
    for (const p of service.ports) add(p.target, p.protocol, p.hostIp);
    for (const p of service.expose) add(p.port, p.protocol);
  }
  return ports;
}

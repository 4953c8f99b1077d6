/**
 * The kind cluster config that makes a stack reachable from the host as under Compose:
 * published ports map to their NodePorts, host-networked ports map straight through, and the
 * node carries what ingress-nginx on kind needs (the `ingress-ready=true` label, ports 80/443).
 * Host directories behind hostPath volumes (bind mounts of code, data and host paths) are mounted
 * into the node from this machine, so a container sees what it saw under Compose.
 */
import type { Diagnostic } from '../compose/diagnostics';
import type { HostNetworkPort, PublishedPort } from '../expose/node-ports';
import type { NodeMount } from './plan';

export interface KindPortMapping {
  readonly containerPort: number;
  readonly hostPort: number;
  readonly listenAddress?: string;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface IngressHostPorts {
  readonly http: number;
  readonly https: number;
}

export interface KindClusterPlan {
  readonly clusterName: string;
  readonly portMappings: readonly KindPortMapping[];
  /** Where ingress-nginx answers on the host; undefined when the stack has no Ingress. */
  readonly ingress?: IngressHostPorts;
  /** Host directories the node container mounts, for the stack's hostPath volumes. */
  readonly mounts: readonly NodeMount[];
  readonly diagnostics: readonly Diagnostic[];
}

const protocolOf = (p: string) => p.toUpperCase() as KindPortMapping['protocol'];

export function planKindCluster(
  clusterName: string,
  published: readonly PublishedPort[],
  hostNetwork: readonly HostNetworkPort[],
  hasIngress: boolean,
  mounts: readonly NodeMount[] = [],
): KindClusterPlan {
  const diagnostics: Diagnostic[] = [];
  const mappings: KindPortMapping[] = [];
  const usedHost = new Map<string, string>();
  // NodePort -> the host port mapped to it: one node port may be published on several host addresses.
  const usedNode = new Map<string, number>();
  const claim = (m: KindPortMapping, owner: string): boolean => {
    const hostKey = `${m.protocol}/${m.listenAddress ?? '0.0.0.0'}/${m.hostPort}`;
    const nodeKey = `${m.protocol}/${m.containerPort}`;
    const previous = usedHost.get(hostKey) ?? usedHost.get(`${m.protocol}/0.0.0.0/${m.hostPort}`);
    const nodeTakenBy = usedNode.get(nodeKey);
    if (previous || (nodeTakenBy !== undefined && nodeTakenBy !== m.hostPort)) {
      diagnostics.push({
        severity: 'warning',
        code: 'host-port-conflict',
        service: owner,
        message: `host port ${m.hostPort}/${m.protocol.toLowerCase()} of ${owner} is already mapped for ${previous ?? 'another port'}; not mapped twice`,
      });
      return false;
    }
    usedHost.set(hostKey, owner);
    usedNode.set(nodeKey, m.hostPort);
    mappings.push(m);
    return true;
  };
  for (const p of published) {
    claim(
      { containerPort: p.nodePort, hostPort: p.published, listenAddress: p.hostIp, protocol: protocolOf(p.protocol) },
      p.service,
    );
  }
  for (const p of hostNetwork) {
    claim(
      { containerPort: p.port, hostPort: p.port, listenAddress: p.hostIp, protocol: protocolOf(p.protocol) },
      p.service,
    );
  }
  let ingress: IngressHostPorts | undefined;
  if (hasIngress) {
    // ingress-nginx's kind manifest binds hostPort 80/443 on the node; on the host we keep 80/443
    // unless the stack itself publishes them (a Compose proxy on 80), then the next free 8080+/8443+.
    const free = (preferred: number[]) => {
      for (const port of preferred)
        if (!usedHost.has(`TCP/0.0.0.0/${port}`) && !usedHost.has(`TCP/127.0.0.1/${port}`)) return port;
      return preferred[preferred.length - 1];
    };
    const http = free([80, 8080, 8081, 8082, 8083]);
    const https = free([443, 8443, 8444, 8445, 8446]);
    if (http !== 80 || https !== 443) {
      diagnostics.push({
        severity: 'warning',
        code: 'ingress-port-moved',
        message: `the stack publishes port 80 or 443 itself; the Ingress controller answers on host ports ${http} (HTTP) and ${https} (HTTPS) instead`,
      });
    }
    if (
      claim({ containerPort: 80, hostPort: http, protocol: 'TCP' }, 'ingress-nginx') &&
      claim({ containerPort: 443, hostPort: https, protocol: 'TCP' }, 'ingress-nginx')
    ) {
      ingress = { http, https };
    }
  }
  return { clusterName, portMappings: mappings, ingress, mounts, diagnostics };
}

/** The `kind.x-k8s.io/v1alpha4` Cluster document for `kind create cluster --config`. */
export function kindClusterConfig(plan: KindClusterPlan): Record<string, unknown> {
  const node: Record<string, unknown> = { role: 'control-plane' };
  if (plan.ingress) {
    node.kubeadmConfigPatches = [
      'kind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    node-labels: "ingress-ready=true"\n',
    ];
  }
  if (plan.portMappings.length > 0) {
    node.extraPortMappings = plan.portMappings.map((m) => ({
      containerPort: m.containerPort,
      hostPort: m.hostPort,
      ...(m.listenAddress ? { listenAddress: m.listenAddress } : {}),
      protocol: m.protocol,
    }));
  }
  // kind resolves a relative hostPath against the directory it runs in: up.sh runs it from here.
  if (plan.mounts.length > 0) {
    node.extraMounts = plan.mounts.map((m) => ({ hostPath: m.hostPath, containerPath: m.nodePath }));
  }
  return { kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: plan.clusterName, nodes: [node] };
}

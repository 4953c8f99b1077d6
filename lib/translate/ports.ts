/**
 * `ports` and `expose` -> containerPorts and the ports of the Service named after the service.
 * The Service port is the container port: other containers address `api:8000` under Compose,
 * whatever the host publishes. Host publishing is the exposure's business (lib/chart/exposure).
 */
import type { ComposeService, Protocol } from '../compose/model';
import { partial, type Finding } from './findings';
import { container, each, emptyIsNothing, on, part, translated, type KeyRules } from './key-rules';

export interface PortSpec {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** `tcp-8000`: an IANA service name (at most 15 characters, a letter included). */
  readonly name: string;
  readonly appProtocol?: string;
  /** Only for `mode: host` ports and host networking: bind on the node. */
  readonly hostPort?: number;
}

const upper = (p: Protocol) => p.toUpperCase() as PortSpec['protocol'];

/** The ports the service listens on: `ports` targets then `expose`, each port and protocol once. */
export function listeningPorts(service: ComposeService): { ports: PortSpec[]; findings: Finding[] } {
  const seen = new Map<string, PortSpec>();
  const findings: Finding[] = [];
  const hostNetwork = service.networkMode?.kind === 'host';
  const add = (port: number, protocol: Protocol, extra: Partial<PortSpec> = {}) => {
    const key = `${protocol}/${port}`;
    if (seen.has(key)) return;
    seen.set(key, { port, protocol: upper(protocol), name: `${protocol}-${port}`, ...extra });
  };
  service.ports.forEach((p, i) => {
    if (hostNetwork) return add(p.target, p.protocol, { hostPort: p.target });
    if (p.mode === 'host' && p.published !== undefined) {
      findings.push(
        partial(`ports[${i}]`, `mode: host binds port ${p.published} on the node with hostPort: one such pod per node`),
      );
      return add(p.target, p.protocol, { hostPort: p.published, appProtocol: p.appProtocol });
    }
    add(p.target, p.protocol, { appProtocol: p.appProtocol });
  });
  for (const e of service.expose) add(e.port, e.protocol, hostNetwork ? { hostPort: e.port } : {});
  return { ports: [...seen.values()], findings };
}

/** kompose.controller.port.expose: published ports bind on the node too, as hostPorts (with their host address). */
export function withHostPorts(ports: readonly PortSpec[], service: ComposeService): PortSpec[] {
  return ports.map((p) => {
    const published = service.ports.find(
      (m) => m.target === p.port && upper(m.protocol) === p.protocol && m.published !== undefined,
    );
    return published && p.hostPort === undefined ? { ...p, hostPort: published.published } : p;
  });
}

export function containerPorts(ports: readonly PortSpec[]) {
  return ports.map((p) => ({
    name: p.name,
    containerPort: p.port,
    protocol: p.protocol,
    ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
  }));
}

export function servicePorts(ports: readonly PortSpec[]) {
  return ports.map((p) => ({
    name: p.name,
    port: p.port,
    targetPort: p.port,
    protocol: p.protocol,
    ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
  }));
}

/**
 * `ports` become Service ports of the Service named after the service (the port other containers
 * use), containerPorts, and the published Service when a host port is given (lib/chart/exposure).
 */
export const PORT_KEYS: KeyRules = {
  ports: translated([on('service', 'spec.ports'), container('ports'), on('published', 'spec.ports')], {
    unless: emptyIsNothing,
  }),
  ...each(
    [
      'ports[]',
      'ports[].target',
      'ports[].published',
      'ports[].host_ip',
      'ports[].protocol',
      'ports[].mode',
      'ports[].name',
      'ports[].app_protocol',
    ],
    part,
  ),
  expose: translated([on('service', 'spec.ports'), container('ports')], { unless: emptyIsNothing }),
};

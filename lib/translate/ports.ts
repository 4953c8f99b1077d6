/**
 * `ports` and `expose` -> containerPorts and the ports of the Service named after the service.
 * The Service port is the container port: other containers address `api:8000` under Compose,
 * whatever the host publishes. Host publishing is the exposure's business (lib/chart/exposure).
 */
import type { ComposeService, Protocol } from '../compose/model';
import { partial, type Finding } from './findings';
import { container, each, emptyIsNothing, on, part, stackFile, translated, type KeyRules } from './key-rules';

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

/** Kubernetes' IANA_SVC_NAME: at most 15 of a-z, 0-9 and single inner hyphens, with a letter. */
export const isPortName = (name: string): boolean =>
  name.length <= 15 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) && /[a-z]/.test(name);

/** `ports[].name` names the Service and container port when Kubernetes accepts it, once per service. */
function portNames(service: ComposeService, findings: Finding[]): Map<string, string> {
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  // Unnamed ports are called tcp-8080: a Compose name equal to another port's would clash.
  for (const p of [...service.ports.map((m) => ({ port: m.target, protocol: m.protocol })), ...service.expose])
    owners.set(`${p.protocol}-${p.port}`, `${p.protocol}/${p.port}`);
  service.ports.forEach((p, i) => {
    if (p.name === undefined) return;
    const key = `${p.key ?? `ports[${i}]`}.name`;
    const port = `${p.protocol}/${p.target}`;
    const fallback = names.get(port) ?? `${p.protocol}-${p.target}`;
    let problem: string | undefined;
    if (!isPortName(p.name))
      problem = `"${p.name}" is no Kubernetes port name (at most 15 of a-z, 0-9 and -, a letter included)`;
    else if (names.has(port) && names.get(port) !== p.name)
      problem = `port ${port} is already named ${names.get(port)}`;
    else if (owners.has(p.name) && owners.get(p.name) !== port)
      problem = `"${p.name}" already names port ${owners.get(p.name)}`;
    if (problem !== undefined) {
      findings.push(partial(key, `${problem}: the port is named ${fallback}`));
      return;
    }
    names.set(port, p.name);
    owners.set(p.name, port);
  });
  return names;
}

/**
 * The ports the service listens on: `ports` targets then `expose`, then `undeclared` (TCP ports
 * its Traefik labels send to, or other services name for it), each port and protocol once.
 */
export function listeningPorts(
  service: ComposeService,
  undeclared: readonly number[] = [],
): { ports: PortSpec[]; findings: Finding[] } {
  const seen = new Map<string, PortSpec>();
  const findings: Finding[] = [];
  const hostNetwork = service.networkMode?.kind === 'host';
  const named = portNames(service, findings);
  const add = (port: number, protocol: Protocol, extra: Partial<PortSpec> = {}) => {
    const key = `${protocol}/${port}`;
    if (seen.has(key)) return;
    seen.set(key, { port, protocol: upper(protocol), name: named.get(key) ?? `${protocol}-${port}`, ...extra });
  };
  service.ports.forEach((p, i) => {
    if (hostNetwork) return add(p.target, p.protocol, { hostPort: p.target });
    if (p.mode === 'host' && p.published !== undefined) {
      findings.push(
        partial(
          p.key ?? `ports[${i}]`,
          `mode: host binds port ${p.published} on the node with hostPort: one such pod per node`,
        ),
      );
      return add(p.target, p.protocol, { hostPort: p.published, appProtocol: p.appProtocol });
    }
    add(p.target, p.protocol, { appProtocol: p.appProtocol });
  });
  for (const e of service.expose) add(e.port, e.protocol, hostNetwork ? { hostPort: e.port } : {});
  for (const port of undeclared) add(port, 'tcp', hostNetwork ? { hostPort: port } : {});
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
    ['ports[]', 'ports[].target', 'ports[].published', 'ports[].protocol', 'ports[].mode', 'ports[].app_protocol'],
    part,
  ),
  'ports[].name': translated([on('service', 'spec.ports[].name'), container('ports[].name')]),
  'ports[].host_ip': stackFile('kind-cluster.yaml', "the port mapping's listenAddress (other targets: reported)"),
  expose: translated([on('service', 'spec.ports'), container('ports')], { unless: emptyIsNothing }),
};

/**
 * How other containers reach a service by its Compose name (and `container_name`, aliases).
 *
 * On a Compose network the name resolves to the containers' own addresses, so every port a
 * container listens on answers. In Kubernetes the Service named after the service is a virtual IP
 * (ClusterIP) when the service declares ports: its address outlives the pods, so a client that
 * resolved the name once (nginx's `proxy_pass http://api:8000`, a connection pool) still reaches
 * the service after a rollout replaced its pods, where a pod's own address would be gone. It
 * forwards the declared ports and every port the stack itself names (`n8n:5679` in a worker's
 * variable, referenced-ports.ts). A service that declares none gets a headless Service (the name
 * resolves to the ready pods: every port answers), and so does one that asks for it
 * (`deploy.endpoint_mode: dnsrr`, `kompose.service.type: headless`) or a StatefulSet.
 */
import type { ComposeService } from '../compose/model';
import type { WorkloadKind } from './workload';
import { note, type Finding } from './findings';
import type { KomposeOptions } from './kompose-labels';
import type { PortSpec } from './ports';
import type { PortReference } from './referenced-ports';

export interface ServiceAddressing {
  /** `clusterIP: None` on the Service named after the service (and its other names). */
  readonly headless: boolean;
  /** What a client reaches by the name, for explain. */
  readonly findings: readonly Finding[];
}

export interface AddressingInput {
  readonly service: ComposeService;
  readonly kompose: KomposeOptions;
  readonly kind: WorkloadKind;
  /** Every port of the Service: declared, routed by labels, named by the stack. */
  readonly ports: readonly PortSpec[];
  /** The ports only the stack's references name, with where (added to `ports`). */
  readonly referenced?: readonly PortReference[];
  /** The Service names: the service's Kubernetes name, then its container_name and aliases. */
  readonly names: readonly string[];
}

/** The key that asked for the pods' addresses, if one did. */
function headlessRequest(service: ComposeService, kompose: KomposeOptions): string | undefined {
  if (kompose.serviceType === 'Headless') return 'labels.kompose.service.type';
  if (service.deploy.endpointMode === 'dnsrr') return 'deploy.endpoint_mode';
  return undefined;
}

const portList = (ports: readonly { port: number; protocol: string }[]) =>
  ports.map((p) => `${p.port}/${p.protocol.toLowerCase()}`).join(', ');

export function serviceAddressing(input: AddressingInput): ServiceAddressing {
  const { service, kompose, kind, ports, names } = input;
  const asked = headlessRequest(service, kompose);
  // A StatefulSet's governing Service must be headless for its pods to get their own names; a
  // Service without ports cannot have a cluster IP.
  const headless = kind === 'StatefulSet' || asked !== undefined || ports.length === 0;
  const portsKey = service.ports.length > 0 ? 'ports' : service.expose.length > 0 ? 'expose' : undefined;
  const key = asked ?? portsKey;
  const called = names.join(', ');
  const plural = names.length > 1;
  const findings: Finding[] = [];
  if (key === undefined || ports.length === 0) return { headless, findings };
  if (headless) {
    findings.push(
      note(
        key,
        `${called} resolve${plural ? '' : 's'} to the ready pods' addresses (headless Service), as on a Compose network: every port the containers listen on is reachable; a client that resolves the name once keeps a replaced pod's old address`,
      ),
    );
    return { headless, findings };
  }
  const referenced = input.referenced ?? [];
  const named =
    referenced.length > 0 ? `, and ${referenced.map((r) => `${r.port}/tcp (named by ${r.where})`).join(', ')}` : '';
  const declared = ports.filter((p) => !referenced.some((r) => r.port === p.port && p.protocol === 'TCP'));
  findings.push(
    note(
      key,
      `${called} ${plural ? 'are virtual IPs' : 'is a virtual IP'} (ClusterIP, unchanged when pods are replaced) forwarding ${portList(declared)}${named}: a port the containers listen on that the stack neither declares nor names is not reachable by the name (add it under expose, or deploy.endpoint_mode: dnsrr resolves the name to the pods, every port, as Compose's DNS)`,
    ),
  );
  return { headless, findings };
}

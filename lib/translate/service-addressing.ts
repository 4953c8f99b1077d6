/**
 * How other containers reach a service by its Compose name. On a Compose network the name
 * resolves to the containers' own addresses, so every port a container listens on answers,
 * declared under `ports`/`expose` or not (a worker reaching `n8n:5679` while `n8n` lists only
 * 5678), and several replicas answer in turn. A headless Service (`clusterIP: None`) does the same
 * in Kubernetes: the name resolves to the ready pods' addresses. A ClusterIP Service would forward
 * only the ports it lists, so it is made only when the stack asks for a virtual IP.
 */
import type { ComposeService } from '../compose/model';
import type { WorkloadKind } from './workload';
import { note, type Finding } from './findings';
import type { KomposeOptions } from './kompose-labels';
import type { PortSpec } from './ports';

export interface ServiceAddressing {
  /** `clusterIP: None` on the Service named after the service (and its other names). */
  readonly headless: boolean;
  /** What a client reaches by the name, for explain. */
  readonly findings: readonly Finding[];
}

/** What asked for a virtual IP, as the key that says it; undefined when nothing did. */
function virtualIpRequest(service: ComposeService, kompose: KomposeOptions): string | undefined {
  if (kompose.serviceType === 'ClusterIP') return 'labels.kompose.service.type';
  if (service.deploy.endpointMode === 'vip') return 'deploy.endpoint_mode';
  return undefined;
}

const portList = (ports: readonly PortSpec[]) => ports.map((p) => `${p.port}/${p.protocol.toLowerCase()}`).join(', ');

export function serviceAddressing(
  service: ComposeService,
  kompose: KomposeOptions,
  kind: WorkloadKind,
  ports: readonly PortSpec[],
  names: readonly string[],
): ServiceAddressing {
  const asked = virtualIpRequest(service, kompose);
  // A StatefulSet's governing Service must be headless for its pods to get their own names.
  // A Service without ports cannot have a cluster IP: the name resolves to the pods then too.
  const headless =
    kind === 'StatefulSet' || asked === undefined || kompose.serviceType === 'Headless' || ports.length === 0;
  const portsKey = service.ports.length > 0 ? 'ports' : service.expose.length > 0 ? 'expose' : undefined;
  const findings: Finding[] = [];
  const called = names.join(', ');
  if (headless && portsKey !== undefined)
    findings.push(
      note(
        portsKey,
        `${called} resolve${names.length > 1 ? '' : 's'} to the ready pods' addresses (headless Service), as on a Compose network: every port the containers listen on is reachable, not only ${portList(ports)}`,
      ),
    );
  else if (asked !== undefined && ports.length === 0)
    findings.push(
      note(
        asked,
        `no port is declared, so ${called} resolve${names.length > 1 ? '' : 's'} to the pods (headless Service)`,
      ),
    );
  else if (!headless && asked !== undefined)
    findings.push(
      note(
        asked,
        `${called} ${names.length > 1 ? 'are virtual IPs' : 'is a virtual IP'} (ClusterIP) forwarding only ${portList(ports)}: a port the containers listen on without declaring it is not reachable by the name`,
      ),
    );
  return { headless, findings };
}

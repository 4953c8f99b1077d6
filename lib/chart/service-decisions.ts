/**
 * What the chart decides about every service before building any of them, because services
 * depend on each other's decisions: a dependent's start-order wait needs its dependency's workload
 * kind, ports and Service; an Ingress needs the ports a service's routing labels name; a Service
 * forwards the ports other services name for it.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { traefikRouting, type TraefikRouting } from '../expose/traefik-labels';
import { komposeLabels, type KomposeLabels } from '../translate/kompose-labels';
import { joinsAnotherNamespace } from '../translate/networks';
import { listeningPorts } from '../translate/ports';
import { namedPorts, referencedPorts, type PortReference } from '../translate/referenced-ports';
import { serviceAddressing } from '../translate/service-addressing';
import type { Dependency } from '../translate/start-order';
import { awaitedCompletions, decideWorkload, type WorkloadDecision } from '../translate/workload';

export interface ServiceDecision {
  readonly kompose: KomposeLabels;
  readonly workload: WorkloadDecision;
  readonly traefik: TraefikRouting;
  /** Ports only other texts of the stack name, which its Service forwards too. */
  readonly referencedPorts: readonly PortReference[];
  /** What a dependent's start-order wait needs to know about it. */
  readonly dependency: Dependency;
}

/** Why no Ingress can route to the service (it has no Service), as the service construct decides. */
function unroutable(service: ComposeService, decision: WorkloadDecision): string | undefined {
  if (decision.kind === 'CronJob') return 'a CronJob gets no Service, so no Ingress routes to it';
  if (joinsAnotherNamespace(service) && decision.kind !== 'StatefulSet')
    return "the service shares another's network (network_mode), so it has no Service for an Ingress to route to";
  return undefined;
}

export function decideServices(
  project: ComposeProject,
  names: readonly { readonly service: ComposeService; readonly kubernetesName: string }[],
): Map<string, ServiceDecision> {
  const awaited = awaitedCompletions(project);
  const referenced = referencedPorts(project);
  const decisions = new Map<string, ServiceDecision>();
  for (const { service, kubernetesName } of names) {
    const kompose = komposeLabels(service);
    const workload = decideWorkload(service, awaited, kompose.options);
    const traefik = traefikRouting(project, service, unroutable(service, workload));
    const named = namedPorts(service, traefik.ports, referenced.get(service.name));
    const ports = listeningPorts(service, [...traefik.ports, ...named.map((r) => r.port)]).ports;
    const { headless } = serviceAddressing({
      service,
      kompose: kompose.options,
      kind: workload.kind,
      ports,
      names: [kubernetesName],
    });
    decisions.set(service.name, {
      kompose,
      workload,
      traefik,
      referencedPorts: named,
      dependency: {
        service: service.name,
        kubernetesName,
        tcpPort: ports.find((p) => p.protocol === 'TCP')?.port,
        headless,
        // As the service construct decides: a StatefulSet needs its governing Service regardless.
        hasService: workload.kind === 'StatefulSet' || !joinsAnotherNamespace(service),
        isJob: workload.kind === 'Job',
        isCronJob: workload.kind === 'CronJob',
      },
    });
  }
  return decisions;
}

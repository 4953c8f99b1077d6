/**
 * The pod-level kompose labels that need more than a field copy: the init container kompose
 * adds, the claims a StatefulSet owns, and what the cluster must hold for the labels to work.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { dropped, note, partial, type Finding } from './findings';
import type { KomposeOptions } from './kompose-labels';
import { claimProblem } from './claims';
import type { ClaimRequest, VolumePlan } from './volumes';
import type { WorkloadKind } from './workload';

/** kompose.init.containers.*: runs after the start-order waits and volume fills, as the last init container. */
export function komposeInitContainer(init: NonNullable<KomposeOptions['initContainer']>): Record<string, unknown> {
  return { name: init.name, image: init.image, ...(init.command.length > 0 ? { command: init.command } : {}) };
}

/**
 * The claims a StatefulSet turns into volumeClaimTemplates, by pod volume name: every claim
 * that is not external. Each pod then has its own; another service mounting the same named
 * volume keeps the shared claim and no longer sees the StatefulSet's data.
 */
export function statefulClaims(
  plan: Pick<VolumePlan, 'claims' | 'volumes'>,
  project: ComposeProject,
  service: ComposeService,
  findings: Finding[],
): Map<string, ClaimRequest> {
  const templates = new Map<string, ClaimRequest>();
  for (const claim of plan.claims) {
    if (claim.external) continue;
    const volume = plan.volumes.find(
      (v) => (v.persistentVolumeClaim as { claimName?: string } | undefined)?.claimName === claim.claimName,
    );
    if (!volume) continue;
    const problem = claimProblem(claim);
    if (problem) {
      findings.push({ key: 'volumes', status: 'dropped', severity: 'error', message: problem });
      continue;
    }
    templates.set(volume.name as string, claim);
    const others = Object.values(project.services)
      .filter((s) => s.name !== service.name && s.volumes.some((v) => v.type === 'volume' && v.source === claim.volume))
      .map((s) => s.name);
    if (claim.volume !== undefined && others.length > 0)
      findings.push(
        partial(
          'labels.kompose.controller.type',
          `volume ${claim.volume} is also mounted by ${others.join(', ')}: the StatefulSet's pods get claims of their own, so they no longer share its data`,
        ),
      );
  }
  return templates;
}

/** What the cluster must hold, or what changes on a node, for the labels to work as kompose meant. */
export function komposeRuntimeNotes(options: KomposeOptions, service: ComposeService, kind: WorkloadKind): Finding[] {
  const findings: Finding[] = [];
  if (options.serviceAccountName)
    findings.push({
      ...partial(
        'labels.kompose.serviceaccount-name',
        `create the ServiceAccount "${options.serviceAccountName}" before applying: pods of a missing account are refused`,
      ),
      code: 'external-object',
    });
  if (options.imagePullSecret)
    findings.push(
      note(
        'labels.kompose.image-pull-secret',
        `the docker-registry Secret "${options.imagePullSecret}" must exist (kubectl create secret docker-registry ${options.imagePullSecret} ...)`,
      ),
    );
  if (options.hostPorts) {
    const published = service.ports.some((p) => p.published !== undefined);
    findings.push(
      published
        ? partial(
            'labels.kompose.controller.port.expose',
            'hostPort binds the published ports on the node: one such pod per node',
          )
        : dropped('labels.kompose.controller.port.expose', 'the service publishes no port to bind on the node'),
    );
  }
  if (options.serviceType === 'ClusterIP')
    findings.push(
      note(
        'labels.kompose.service.type',
        'the Service named after the service is a ClusterIP already; published ports keep their own Service',
      ),
    );
  if (options.serviceType === 'Headless' && kind === 'CronJob')
    findings.push(dropped('labels.kompose.service.type', 'a CronJob gets no Service'));
  return findings;
}

/**
 * Which workload runs a service. Long-running services are Deployments; one-shot services
 * (`restart: "no"`, `on-failure` without anything to serve, or what others wait to complete)
 * are Jobs, which Kubernetes does not restart after success; `deploy.mode: global` is a DaemonSet.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { partial, type Finding } from './findings';

export type WorkloadKind = 'Deployment' | 'Job' | 'DaemonSet' | 'StatefulSet';

export interface WorkloadDecision {
  readonly kind: WorkloadKind;
  /** For Jobs: pod restartPolicy and backoffLimit. */
  readonly restartPolicy?: 'OnFailure' | 'Never';
  readonly backoffLimit?: number;
  readonly findings: Finding[];
}

/** Services some other service waits on with `service_completed_successfully`: one pass over all. */
export function awaitedCompletions(project: ComposeProject): Set<string> {
  const awaited = new Set<string>();
  for (const s of Object.values(project.services)) {
    for (const [dep, d] of Object.entries(s.dependsOn))
      if (d.condition === 'service_completed_successfully') awaited.add(dep);
  }
  return awaited;
}

const serves = (s: ComposeService) => s.ports.length > 0 || s.expose.length > 0 || s.healthcheck !== undefined;

export function decideWorkload(service: ComposeService, awaited: ReadonlySet<string>): WorkloadDecision {
  const findings: Finding[] = [];
  const restart = service.restart;
  const mode = service.deploy.mode;
  if (mode === 'global') return { kind: 'DaemonSet', findings };
  if (mode === 'replicated-job' || mode === 'global-job') {
    return {
      kind: 'Job',
      restartPolicy: 'OnFailure',
      backoffLimit: service.deploy.restartPolicy?.maxAttempts ?? 6,
      findings,
    };
  }
  const policyCondition = service.deploy.restartPolicy?.condition;
  if (restart?.kind === 'no' || policyCondition === 'none') {
    return { kind: 'Job', restartPolicy: 'Never', backoffLimit: 0, findings };
  }
  const onFailure = restart?.kind === 'on-failure' || policyCondition === 'on-failure';
  const maxRetries = restart?.kind === 'on-failure' ? restart.maxRetries : service.deploy.restartPolicy?.maxAttempts;
  if (awaited.has(service.name) || (onFailure && !serves(service))) {
    return { kind: 'Job', restartPolicy: 'OnFailure', backoffLimit: maxRetries ?? 6, findings };
  }
  if (onFailure) {
    findings.push(partial('restart', 'a Deployment restarts the container after any exit, also after a clean one'));
  }
  return { kind: 'Deployment', findings };
}

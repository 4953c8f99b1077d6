/**
 * Which workload runs a service. Long-running services are Deployments; one-shot services
 * (`restart: "no"`, `on-failure` without anything to serve, or what others wait to complete)
 * are Jobs, which Kubernetes does not restart after success; `deploy.mode: global` is a DaemonSet.
 * kompose labels choose explicitly: `kompose.cronjob.schedule` makes a CronJob,
 * `kompose.controller.type` a Deployment, DaemonSet or StatefulSet.
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import { dropped, note, partial, type Finding } from './findings';
import type { KomposeOptions } from './kompose-labels';
import { group, noEquivalent, pod, translated, workload, type KeyRules } from './key-rules';

export type WorkloadKind = 'Deployment' | 'Job' | 'DaemonSet' | 'StatefulSet' | 'CronJob';

export interface WorkloadDecision {
  readonly kind: WorkloadKind;
  /** For Jobs and CronJobs: pod restartPolicy and backoffLimit. */
  readonly restartPolicy?: 'OnFailure' | 'Never';
  readonly backoffLimit?: number;
  /** For CronJobs. */
  readonly schedule?: string;
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
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

/** A CronJob runs the service's pod on a schedule; a pod that exits cleanly is done until the next run. */
function cronJob(service: ComposeService, cron: NonNullable<KomposeOptions['cronJob']>): WorkloadDecision {
  const findings: Finding[] = [];
  const never = service.restart?.kind === 'no' || service.deploy.restartPolicy?.condition === 'none';
  const maxRetries =
    service.restart?.kind === 'on-failure' ? service.restart.maxRetries : service.deploy.restartPolicy?.maxAttempts;
  if (service.ports.length > 0 || service.expose.length > 0)
    findings.push(partial('ports', 'a CronJob gets no Service: its pods come and go on the schedule'));
  return {
    kind: 'CronJob',
    restartPolicy: never ? 'Never' : 'OnFailure',
    backoffLimit: cron.backoffLimit ?? maxRetries ?? (never ? 0 : 6),
    schedule: cron.schedule,
    ...(cron.concurrencyPolicy ? { concurrencyPolicy: cron.concurrencyPolicy } : {}),
    findings,
  };
}

export function decideWorkload(
  service: ComposeService,
  awaited: ReadonlySet<string>,
  kompose?: Pick<KomposeOptions, 'cronJob' | 'controller'>,
): WorkloadDecision {
  if (kompose?.cronJob) {
    const decision = cronJob(service, kompose.cronJob);
    if (kompose.controller)
      decision.findings.push(
        dropped('labels.kompose.controller.type', 'kompose.cronjob.schedule makes the service a CronJob'),
      );
    return decision;
  }
  if (kompose?.controller) return chosenController(service, kompose.controller);
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

/** `kompose.controller.type`: the label wins over `deploy.mode` and `restart`, as in kompose. */
function chosenController(service: ComposeService, kind: NonNullable<KomposeOptions['controller']>): WorkloadDecision {
  const findings: Finding[] = [];
  if (service.deploy.mode === 'global' && kind !== 'DaemonSet')
    findings.push(partial('deploy', `deploy.mode: global runs as a ${kind} (kompose.controller.type)`));
  const once = service.restart?.kind === 'no' || service.restart?.kind === 'on-failure';
  if (once)
    findings.push(partial('restart', `a ${kind} (kompose.controller.type) restarts the container after any exit`));
  if (kind === 'StatefulSet')
    findings.push(
      note(
        'labels.kompose.controller.type',
        'StatefulSet: each pod gets its own claims (volumeClaimTemplates); the Service is its headless governing Service',
      ),
    );
  return { kind, findings };
}

/**
 * Replicas: a Deployment's or StatefulSet's `replicas`; a Job runs N pods to completion, N at a
 * time, as Compose runs N containers (and Swarm a replicated job: completions and concurrency N).
 */
const REPLICAS = [
  workload('spec.replicas'),
  workload('spec.parallelism'),
  workload('spec.completions'),
  workload('spec.jobTemplate.spec.parallelism'),
  workload('spec.jobTemplate.spec.completions'),
];

/** What decides the workload: its kind, restarts and replicas. */
export const WORKLOAD_KEYS: KeyRules = {
  restart: translated([workload('kind'), pod('restartPolicy')]),
  scale: translated(REPLICAS),
  deploy: group,
  'deploy.mode': translated(workload('kind')),
  'deploy.replicas': translated(REPLICAS),
  'deploy.restart_policy': group,
  'deploy.restart_policy.condition': translated([workload('kind'), pod('restartPolicy')]),
  'deploy.restart_policy.max_attempts': translated([
    workload('spec.backoffLimit'),
    workload('spec.jobTemplate.spec.backoffLimit'),
  ]),
  'deploy.restart_policy.delay': noEquivalent('the kubelet backs off restarts by itself (10 s doubling to 5 min)'),
  'deploy.restart_policy.window': noEquivalent('Kubernetes counts every restart, with no window'),
};

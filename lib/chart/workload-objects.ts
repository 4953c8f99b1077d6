/**
 * The workload object of a service (Deployment, Job, DaemonSet, StatefulSet or CronJob) and its
 * HorizontalPodAutoscaler. A StatefulSet owns its claims as volumeClaimTemplates, one set per
 * pod, instead of the claim a Deployment would share; it is governed by the headless Service
 * named after the Compose service.
 */
import { ApiObject, type ApiObjectProps } from 'cdk8s';
import { PlainApiObject } from './kube-object';
import type { Construct } from 'constructs';
import type { ComposeService } from '../compose/model';
import { note, partial, type Finding } from '../translate/findings';
import type { KomposeOptions } from '../translate/kompose-labels';
import { claimSpec, type ClaimRequest } from '../translate/claims';
import type { DeployPlan } from '../translate/deploy';
import type { WorkloadDecision } from '../translate/workload';

export interface WorkloadInput {
  readonly service: ComposeService;
  readonly decision: WorkloadDecision;
  readonly metadata: { name: string; labels: Record<string, string>; annotations?: Record<string, string> };
  readonly selector: Record<string, string>;
  readonly template: { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  /** The workload object's own labels, annotations and spec fields (update strategy...). */
  readonly deploy: Pick<DeployPlan, 'labels' | 'annotations' | 'workloadSpec'>;
  /** StatefulSet only: claims that become volumeClaimTemplates, by pod volume name. */
  readonly claimTemplates: ReadonlyMap<string, ClaimRequest>;
  readonly defaultVolumeSize: string;
  readonly storageClassName?: string;
  /** The HPA, when one sets the replicas instead. */
  readonly autoscaled: boolean;
}

function claimTemplate(volumeName: string, claim: ClaimRequest, input: WorkloadInput) {
  return {
    metadata: { name: volumeName, labels: input.metadata.labels },
    spec: claimSpec(claim, input.defaultVolumeSize, input.storageClassName),
  };
}

/** The pod spec without the volumes that volumeClaimTemplates provide. */
function withoutTemplateVolumes(spec: Record<string, unknown>, templates: ReadonlyMap<string, ClaimRequest>) {
  const volumes = ((spec.volumes as { name: string }[] | undefined) ?? []).filter((v) => !templates.has(v.name));
  const rest = Object.fromEntries(Object.entries(spec).filter(([k]) => k !== 'volumes'));
  return { ...rest, ...(volumes.length > 0 ? { volumes } : {}) };
}

/** The workload's metadata: the stack's labels, then its own (deploy.ts keeps those from replacing the stack's). */
function workloadMetadata(input: WorkloadInput) {
  const { metadata, deploy } = input;
  const annotations = { ...deploy.annotations, ...metadata.annotations };
  return {
    ...metadata,
    labels: { ...metadata.labels, ...deploy.labels },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

export function createWorkload(scope: Construct, input: WorkloadInput): ApiObject {
  const { decision, template } = input;
  const metadata = workloadMetadata(input);
  const replicas = input.autoscaled ? undefined : input.service.deploy.replicas;
  // A Job runs N pods to completion, N at a time, as Compose runs N containers of a one-shot
  // service; a global job has no replicas (deploy.ts reports them).
  const perJob = replicas !== undefined && input.service.deploy.mode !== 'global-job';
  const runs = perJob ? { parallelism: replicas, completions: replicas } : {};
  const selector = { matchLabels: { ...input.selector } };
  const object = (apiVersion: string, kind: string, spec: Record<string, unknown>) =>
    new PlainApiObject(scope, 'workload', { apiVersion, kind, metadata, spec });
  switch (decision.kind) {
    case 'Job':
      return object('batch/v1', 'Job', { ...runs, backoffLimit: decision.backoffLimit, template });
    case 'CronJob':
      return object('batch/v1', 'CronJob', {
        schedule: decision.schedule,
        ...(decision.concurrencyPolicy ? { concurrencyPolicy: decision.concurrencyPolicy } : {}),
        jobTemplate: { spec: { ...runs, backoffLimit: decision.backoffLimit, template } },
      });
    case 'DaemonSet':
      return object('apps/v1', 'DaemonSet', { selector, ...input.deploy.workloadSpec, template });
    case 'StatefulSet': {
      const templates = [...input.claimTemplates.entries()].map(([name, claim]) => claimTemplate(name, claim, input));
      return object('apps/v1', 'StatefulSet', {
        serviceName: metadata.name,
        ...(replicas !== undefined ? { replicas } : {}),
        selector,
        ...input.deploy.workloadSpec,
        template: { ...template, spec: withoutTemplateVolumes(template.spec, input.claimTemplates) },
        ...(templates.length > 0 ? { volumeClaimTemplates: templates } : {}),
      });
    }
    default:
      return object('apps/v1', 'Deployment', {
        ...(replicas !== undefined ? { replicas } : {}),
        selector,
        // strategy: Recreate when the pods mount a claim (rollout.ts), else update_config's.
        ...input.deploy.workloadSpec,
        template,
      });
  }
}

export interface AutoscalerPlan {
  readonly hpa?: ApiObjectProps;
  readonly findings: Finding[];
}

const hasQuantity = (resources: Record<string, unknown> | undefined, name: string) =>
  ['requests', 'limits'].some((k) => (resources?.[k] as Record<string, unknown> | undefined)?.[name] !== undefined);

/**
 * kompose.hpa.* -> an autoscaling/v2 HorizontalPodAutoscaler with kompose's two utilization
 * targets. Utilization is measured against the container's requests (Kubernetes copies limits
 * to requests when only limits are set): without them the HPA cannot compute the metric and does
 * not scale, which kompose does not tell; this does.
 */
export function planAutoscaler(
  name: string,
  kind: WorkloadDecision['kind'],
  hpa: NonNullable<KomposeOptions['hpa']>,
  labels: Record<string, string>,
  service: ComposeService,
  resources: Record<string, unknown> | undefined,
): AutoscalerPlan {
  const first = Object.keys(service.labels)
    .filter((l) => l.startsWith('kompose.hpa.'))
    .sort()[0];
  const key = (label: string) => `labels.${service.labels[label] !== undefined ? label : first}`;
  if (kind !== 'Deployment' && kind !== 'StatefulSet')
    return { findings: [partial(key(first), `a ${kind} has no replicas to scale: no HorizontalPodAutoscaler`)] };
  const findings: Finding[] = [];
  for (const [metric, label, compose] of [
    ['cpu', 'kompose.hpa.cpu', 'cpus'],
    ['memory', 'kompose.hpa.memory', 'memory'],
  ] as const) {
    if (!hasQuantity(resources, metric))
      findings.push(
        partial(
          key(label),
          `the container has no ${metric} request (deploy.resources.reservations.${compose}): the HPA cannot compute ${metric} utilization and will not scale down`,
        ),
      );
  }
  if (service.deploy.replicas !== undefined)
    findings.push(
      note(key(first), `replicas are left to the HorizontalPodAutoscaler (${hpa.minReplicas}-${hpa.maxReplicas})`),
    );
  const metric = (resource: string, averageUtilization: number) => ({
    type: 'Resource',
    resource: { name: resource, target: { type: 'Utilization', averageUtilization } },
  });
  return {
    hpa: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind, name },
        minReplicas: hpa.minReplicas,
        maxReplicas: hpa.maxReplicas,
        metrics: [metric('cpu', hpa.cpu), metric('memory', hpa.memory)],
      },
    },
    findings,
  };
}

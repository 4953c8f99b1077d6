/**
 * The rest of `deploy` (and `platform`, `gpus`), planned once per service: where the pods run
 * (placement.ts), how they are replaced (rollout.ts), the GPUs they get (gpus.ts), the workload
 * object's own labels, and what the workload kind makes of replicas, restart limits and the
 * endpoint mode. The pod template takes its fields with `withDeploy`; the workload object takes
 * `workloadSpec`, `labels` and `annotations`.
 */
import type { ExclusiveMount } from './volume-plan';
import { childPath } from '../compose/parse';
import type { ComposeService } from '../compose/model';
import { isLabelKey, LABEL_VALUE } from '../k8s-grammar';
import { dropped, note, partial, type Finding } from './findings';
import { planGpus } from './gpus';
import { container, emptyIsNothing, on, translated, workload, type KeyRules } from './key-rules';
import { objectLabels } from './names';
import { planPlacement } from './placement';
import { planRollout } from './rollout';
import type { WorkloadDecision, WorkloadKind } from './workload';

export interface DeployInput {
  readonly project: { readonly name: string };
  readonly service: ComposeService;
  readonly kubernetesName: string;
  readonly workload: WorkloadDecision;
  readonly selector: Readonly<Record<string, string>>;
}

export interface DeployPlan {
  /** Pod spec fields: nodeSelector, affinity, tolerations, topologySpreadConstraints. */
  readonly podFields: Record<string, unknown>;
  /** For the service's container: extended resource limits and the variables that go with them. */
  readonly container: {
    readonly limits: Record<string, string>;
    readonly env: readonly { readonly name: string; readonly value: string }[];
  };
  /** Fields of the workload's spec: its update strategy and minReadySeconds. */
  readonly workloadSpec: Record<string, unknown>;
  /** `deploy.labels` for the workload object: as labels when Kubernetes allows them, else as annotations. */
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly findings: Finding[];
}

/** Deploy labels that instruct kompose (resources.ts), not labels of the workload. */
const KOMPOSE_DEPLOY_LABEL = /^kompose\.ephemeral-storage\./;

/**
 * `deploy.labels` are the Swarm service's labels: the workload object's. The stack's own labels
 * (name, part-of, managed-by) stay as they are, since selectors and `kubectl delete -l` use them.
 */
function workloadLabels(
  service: ComposeService,
  stack: Readonly<Record<string, string>>,
): Pick<DeployPlan, 'labels' | 'annotations' | 'findings'> {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const findings: Finding[] = [];
  for (const [key, value] of Object.entries(service.deploy.labels)) {
    const at = childPath('deploy.labels', key);
    if (KOMPOSE_DEPLOY_LABEL.test(key) || stack[key] === value) continue;
    // Annotation keys follow the label key grammar; only their values are free.
    if (!isLabelKey(key)) {
      findings.push(dropped(at, `"${key}" is not a valid Kubernetes label or annotation key`));
    } else if (stack[key] !== undefined) {
      annotations[key] = value;
      findings.push(partial(at, `an annotation: the stack's own label ${key}=${stack[key]} is kept`));
    } else if (!LABEL_VALUE.test(value)) {
      annotations[key] = value;
      findings.push(note(at, `an annotation: "${value}" is not a valid label value`));
    } else labels[key] = value;
  }
  return { labels, annotations, findings };
}

/** The replicas key as written: `deploy.replicas`, or the legacy `scale`. */
const replicasKey = (service: ComposeService) =>
  service.keys.some((k) => k.path === 'deploy.replicas') ? 'deploy.replicas' : 'scale';

/** What the workload kind makes of replicas and of a restart limit. */
function kindFindings(service: ComposeService, kind: WorkloadKind): Finding[] {
  const findings: Finding[] = [];
  if (kind === 'DaemonSet' && service.deploy.replicas !== undefined)
    findings.push(dropped(replicasKey(service), 'a DaemonSet runs one pod per node: replicas do not apply'));
  if (service.deploy.mode === 'global-job' && kind === 'Job' && service.deploy.replicas !== undefined)
    findings.push(dropped(replicasKey(service), 'a global job runs once per node: replicas do not apply'));
  const longRunning = kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet';
  if (longRunning && service.deploy.restartPolicy?.maxAttempts !== undefined)
    findings.push(
      dropped(
        'deploy.restart_policy.max_attempts',
        `a ${kind} restarts its container for as long as it runs: Kubernetes has no restart limit for a long-running pod`,
      ),
    );
  return findings;
}

/** `deploy.endpoint_mode`: `dnsrr` makes the Service headless (service-construct.ts). */
function endpointModeFindings(service: ComposeService): Finding[] {
  const mode = service.deploy.endpointMode;
  if (mode === undefined || mode === 'vip' || mode === 'dnsrr') return [];
  return [dropped('deploy.endpoint_mode', `"${mode}" is not an endpoint mode (vip, dnsrr)`)];
}

export function planDeploy(input: DeployInput, exclusive: ExclusiveMount | undefined): DeployPlan {
  const { service } = input;
  const kind = input.workload.kind;
  const placement = planPlacement(service, kind, input.selector);
  const rollout = planRollout(service, kind, exclusive);
  const gpus = planGpus(service);
  const own = workloadLabels(service, objectLabels(input.project.name, input.kubernetesName));
  return {
    podFields: placement.fields,
    container: { limits: gpus.limits, env: gpus.env },
    workloadSpec: rollout.spec,
    labels: own.labels,
    annotations: own.annotations,
    findings: [
      ...kindFindings(service, kind),
      ...placement.findings,
      ...rollout.findings,
      ...gpus.findings,
      ...own.findings,
      ...endpointModeFindings(service),
    ],
  };
}

type Json = Record<string, unknown>;

/** The pod spec with the deploy plan's fields, and its container with the GPU limits and variables. */
export function withDeploy(spec: Json, plan: DeployPlan): Json {
  const { limits, env } = plan.container;
  const [main, ...rest] = (spec.containers as Json[] | undefined) ?? [];
  if (main === undefined || (Object.keys(limits).length === 0 && env.length === 0))
    return { ...spec, ...plan.podFields };
  const resources = (main.resources as Json | undefined) ?? {};
  const withLimits =
    Object.keys(limits).length > 0
      ? { resources: { ...resources, limits: { ...(resources.limits as Json | undefined), ...limits } } }
      : {};
  const withEnv = env.length > 0 ? { env: [...((main.env as Json[] | undefined) ?? []), ...env] } : {};
  return { ...spec, ...plan.podFields, containers: [{ ...main, ...withLimits, ...withEnv }, ...rest] };
}

export const DEPLOY_KEYS: KeyRules = {
  'deploy.labels': translated(
    [
      workload('metadata.labels'),
      workload('metadata.annotations'),
      container('resources.limits.ephemeral-storage'),
      container('resources.requests.ephemeral-storage'),
    ],
    { unless: emptyIsNothing, doc: "the workload object's labels (annotations when not valid labels)" },
  ),
  'deploy.endpoint_mode': translated(on('service', 'spec.clusterIP'), {
    unless: (v) => (v === 'vip' ? 'vip: a Service with a cluster IP, the default' : undefined),
  }),
};

/**
 * How the pods are replaced on an update: Swarm's `deploy.update_config` as the Deployment's
 * `strategy` (the DaemonSet's and StatefulSet's `updateStrategy`) and `minReadySeconds`. What a
 * workload cannot say (a Job has no rollout; a Deployment that mounts a claim is replaced whole;
 * a StatefulSet replaces one pod at a time) is reported at the key that asked for it.
 */
import type { ComposeService, UpdateConfig } from '../compose/model';
import type { ExclusiveMount } from './volume-plan';
import { parseDuration } from '../compose/units';
import { dropped, note, type Finding } from './findings';
import { each, group, noEquivalent, part, translated, workload, type KeyRules } from './key-rules';
import type { WorkloadKind } from './workload';

export interface RolloutPlan {
  /** Fields of the workload's spec: `strategy` or `updateStrategy`, `minReadySeconds`. */
  readonly spec: Record<string, unknown>;
  readonly findings: Finding[];
}

const UPDATE = 'deploy.update_config';

/** The update_config keys the file sets, among those this module translates. */
function writtenUpdateKeys(service: ComposeService): ('parallelism' | 'order' | 'delay')[] {
  return (['parallelism', 'order', 'delay'] as const).filter((k) =>
    service.keys.some((w) => w.path === `${UPDATE}.${k}`),
  );
}

/**
 * `parallelism` N tasks at a time (0: all), stopping the old ones first (`stop-first`, Swarm's
 * default) or starting the new ones first: the pods a rollout may take down, or add, at once.
 */
function rollingUpdate(update: UpdateConfig): Record<string, unknown> {
  const n = update.parallelism === 0 ? '100%' : (update.parallelism ?? 1);
  return update.order === 'start-first' ? { maxSurge: n, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: n };
}

const stopsAllFirst = (update: UpdateConfig) => update.order !== 'start-first' && update.parallelism === 0;

/**
 * `delay` between batches -> minReadySeconds: a rollout goes on to the next pods once the new
 * ones have been ready that long, so batches start `delay` apart as in Swarm. (New pods also
 * count as available only after it, on the first rollout too.)
 */
function minReadySeconds(update: UpdateConfig | undefined): { spec: Record<string, unknown>; findings: Finding[] } {
  const ms = update?.delayMs;
  if (ms === undefined || ms === 0) return { spec: {}, findings: [] };
  const seconds = Math.ceil(ms / 1000);
  return {
    spec: { minReadySeconds: seconds },
    findings: [
      note(
        `${UPDATE}.delay`,
        `minReadySeconds ${seconds}: the next pods are replaced once the new ones have been ready ${seconds}s${
          seconds * 1000 !== ms ? ' (rounded up to whole seconds)' : ''
        }; pods also count as available only after it`,
      ),
    ],
  };
}

function deploymentRollout(service: ComposeService, exclusive: ExclusiveMount | undefined): RolloutPlan {
  const update = service.deploy.updateConfig;
  const asked = writtenUpdateKeys(service);
  if (exclusive) {
    const sameAsRecreate = update !== undefined && stopsAllFirst(update);
    return {
      spec: { strategy: { type: 'Recreate' } },
      findings: [
        // On the mount's own row: explain says why the Deployment never runs two pods at once.
        note(
          exclusive.key,
          `strategy Recreate (an update stops the old pod before it starts the new one): ${exclusive.why}, and ${exclusive.risk}`,
        ),
        ...asked
          .filter((k) => !(sameAsRecreate && k !== 'delay'))
          .map((k) =>
            dropped(
              `${UPDATE}.${k}`,
              `overridden: ${exclusive.why}, so its pods are replaced all at once (strategy Recreate); ${exclusive.risk}`,
            ),
          ),
      ],
    };
  }
  const ready = minReadySeconds(update);
  if (update !== undefined && (asked.includes('parallelism') || asked.includes('order'))) {
    // Swarm stops every task, then starts the new ones: Recreate waits for the old pods to be
    // gone, where a 100% maxUnavailable would let them overlap with the new ones.
    const strategy = stopsAllFirst(update)
      ? { type: 'Recreate' }
      : { type: 'RollingUpdate', rollingUpdate: rollingUpdate(update) };
    return { spec: { strategy, ...ready.spec }, findings: ready.findings };
  }
  if ((service.deploy.placement.maxReplicasPerNode ?? 0) > 0) {
    // Surge pods of a default rollout could find no node under the per-node limit: Swarm's
    // default update (one task at a time, stop-first) never needs one.
    return {
      spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }, ...ready.spec },
      findings: [
        ...ready.findings,
        note(
          'deploy.placement.max_replicas_per_node',
          "rolled one pod at a time, stopping the old one first (Swarm's default update): a surge pod could find no node under the limit",
        ),
      ],
    };
  }
  return ready;
}

function daemonSetRollout(service: ComposeService): RolloutPlan {
  const update = service.deploy.updateConfig;
  const ready = minReadySeconds(update);
  const asked = writtenUpdateKeys(service);
  if (update === undefined || !(asked.includes('parallelism') || asked.includes('order'))) return ready;
  return {
    spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: rollingUpdate(update) }, ...ready.spec },
    findings: ready.findings,
  };
}

/**
 * A StatefulSet replaces its pods one at a time, each stopped before its successor starts (it
 * keeps the pod's name and claims): Swarm's default update. Other parallelisms need the alpha
 * maxUnavailable of Kubernetes 1.27, which API servers drop unless enabled.
 */
function statefulSetRollout(service: ComposeService): RolloutPlan {
  const update = service.deploy.updateConfig;
  const ready = minReadySeconds(update);
  const findings = [...ready.findings];
  if (update === undefined) return ready;
  const asked = writtenUpdateKeys(service);
  if (asked.includes('parallelism') && update.parallelism !== 1)
    findings.push(
      dropped(
        `${UPDATE}.parallelism`,
        'a StatefulSet replaces one pod at a time (its maxUnavailable is alpha in Kubernetes 1.27)',
      ),
    );
  if (asked.includes('order') && update.order === 'start-first')
    findings.push(
      dropped(
        `${UPDATE}.order`,
        'a StatefulSet stops each pod before starting its replacement, which takes over its name and claims',
      ),
    );
  for (const k of asked.filter((a) => a !== 'delay' && !findings.some((f) => f.key === `${UPDATE}.${a}`)))
    findings.push(note(`${UPDATE}.${k}`, 'one pod at a time, stop-first: how a StatefulSet updates'));
  return { spec: ready.spec, findings };
}

export function planRollout(
  service: ComposeService,
  kind: WorkloadKind,
  exclusive: ExclusiveMount | undefined,
): RolloutPlan {
  switch (kind) {
    case 'Deployment':
      return deploymentRollout(service, exclusive);
    case 'DaemonSet':
      return daemonSetRollout(service);
    case 'StatefulSet':
      return statefulSetRollout(service);
    default:
      return {
        spec: {},
        findings: writtenUpdateKeys(service).map((k) =>
          dropped(`${UPDATE}.${k}`, `a ${kind} runs to completion: it has no rolling update`),
        ),
      };
  }
}

const zeroDuration = (v: unknown): string | undefined =>
  (typeof v === 'string' || typeof v === 'number') && parseDuration(v) === 0 ? '0: no delay' : undefined;

const ROLLED = [workload('spec.strategy'), workload('spec.updateStrategy')];

export const ROLLOUT_KEYS: KeyRules = {
  [UPDATE]: group,
  [`${UPDATE}.parallelism`]: translated(ROLLED),
  [`${UPDATE}.order`]: translated(ROLLED),
  [`${UPDATE}.delay`]: translated(workload('spec.minReadySeconds'), { unless: zeroDuration }),
  [`${UPDATE}.monitor`]: noEquivalent(
    'Kubernetes counts no failures after an update: a new pod that does not become ready holds the rollout, whenever it fails',
  ),
  [`${UPDATE}.failure_action`]: noEquivalent(
    'a Deployment never rolls back or goes on by itself: a rollout stops at new pods that do not become ready (kubectl rollout undo rolls back)',
    {
      unless: (v) =>
        v === 'pause' ? 'pause: a rollout stops at new pods that do not become ready, as Swarm pauses' : undefined,
    },
  ),
  [`${UPDATE}.max_failure_ratio`]: noEquivalent(
    'Kubernetes tolerates no failed pod in a rollout: it stops at new pods that do not become ready',
    { unless: (v) => (Number(v) === 0 ? '0: no failure tolerated, as in a Kubernetes rollout' : undefined) },
  ),
  'deploy.rollback_config': noEquivalent(
    'Kubernetes never rolls back by itself; kubectl rollout undo rolls back with the update strategy (update_config)',
  ),
  ...each(
    ['parallelism', 'delay', 'failure_action', 'monitor', 'max_failure_ratio', 'order'].map(
      (k) => `deploy.rollback_config.${k}`,
    ),
    part,
  ),
};

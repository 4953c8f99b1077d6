/**
 * The rest of `deploy` (and `platform`), planned once per service: where the pods run
 * (placement.ts) and how they are replaced (rollout.ts). The pod template takes its fields with
 * `withDeploy`; the workload object takes `workloadSpec`.
 */
import type { ComposeService } from '../compose/model';
import type { Finding } from './findings';
import { planPlacement } from './placement';
import { planRollout } from './rollout';
import type { WorkloadDecision } from './workload';

export interface DeployInput {
  readonly service: ComposeService;
  readonly workload: WorkloadDecision;
  readonly selector: Readonly<Record<string, string>>;
}

export interface DeployPlan {
  /** Pod spec fields: nodeSelector, affinity, tolerations, topologySpreadConstraints. */
  readonly podFields: Record<string, unknown>;
  /** Fields of the workload's spec: its update strategy and minReadySeconds. */
  readonly workloadSpec: Record<string, unknown>;
  readonly findings: Finding[];
}

export function planDeploy(input: DeployInput, mountsClaim: boolean): DeployPlan {
  const { service } = input;
  const kind = input.workload.kind;
  const placement = planPlacement(service, kind, input.selector);
  const rollout = planRollout(service, kind, mountsClaim);
  return {
    podFields: placement.fields,
    workloadSpec: rollout.spec,
    findings: [...placement.findings, ...rollout.findings],
  };
}

type Json = Record<string, unknown>;

/** The pod spec with the deploy plan's fields. */
export function withDeploy(spec: Json, plan: DeployPlan): Json {
  return { ...spec, ...plan.podFields };
}

/**
 * The rest of `deploy` (and `platform`), planned once per service: where the pods run
 * (placement.ts). The pod template takes its fields with `withDeploy`.
 */
import type { ComposeService } from '../compose/model';
import type { Finding } from './findings';
import { planPlacement } from './placement';
import type { WorkloadDecision } from './workload';

export interface DeployInput {
  readonly service: ComposeService;
  readonly workload: WorkloadDecision;
  readonly selector: Readonly<Record<string, string>>;
}

export interface DeployPlan {
  /** Pod spec fields: nodeSelector, affinity, tolerations, topologySpreadConstraints. */
  readonly podFields: Record<string, unknown>;
  readonly findings: Finding[];
}

export function planDeploy(input: DeployInput): DeployPlan {
  const placement = planPlacement(input.service, input.workload.kind, input.selector);
  return { podFields: placement.fields, findings: placement.findings };
}

type Json = Record<string, unknown>;

/** The pod spec with the deploy plan's fields. */
export function withDeploy(spec: Json, plan: DeployPlan): Json {
  return { ...spec, ...plan.podFields };
}

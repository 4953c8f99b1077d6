/**
 * Compose's service hooks: `post_start` and `pre_stop` become the container's lifecycle handlers
 * (lifecycle.ts), `pre_start` init containers (pre-start.ts; their env is environment.ts's).
 */
import type { ComposeService } from '../compose/model';
import type { Finding } from './findings';
import type { KeyRules } from './key-rules';
import { LIFECYCLE_KEYS, lifecycleHooks } from './lifecycle';
import { PRE_START_KEYS, preStartFindings } from './pre-start';
import type { WorkloadDecision } from './workload';

export function planHooks(
  service: ComposeService,
  workload: WorkloadDecision,
): { lifecycle?: Record<string, unknown>; findings: Finding[] } {
  const { lifecycle, findings } = lifecycleHooks(service);
  return { lifecycle, findings: [...findings, ...preStartFindings(service, workload)] };
}

export const HOOK_KEYS: KeyRules = { ...LIFECYCLE_KEYS, ...PRE_START_KEYS };

/**
 * Compose's service hooks: `post_start` and `pre_stop` become the container's lifecycle handlers
 * (lifecycle.ts), `pre_start` init containers (pre-start.ts; their env is environment.ts's).
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import type { Finding } from './findings';
import type { KeyRules } from './key-rules';
import { LIFECYCLE_KEYS, lifecycleHooks } from './lifecycle';
import { PRE_START_KEYS, preStartFindings } from './pre-start';
import { secretValuesOf } from './secret-values';
import type { WorkloadDecision } from './workload';

export function planHooks(
  project: ComposeProject,
  service: ComposeService,
  workload: WorkloadDecision,
): { lifecycle?: Record<string, unknown>; findings: Finding[] } {
  const secrets = secretValuesOf(project);
  const { lifecycle, findings } = lifecycleHooks(
    service,
    (name, value) => secrets.classify(service, name, value).secret,
  );
  return { lifecycle, findings: [...findings, ...preStartFindings(service, workload)] };
}

export const HOOK_KEYS: KeyRules = { ...LIFECYCLE_KEYS, ...PRE_START_KEYS };

/**
 * Compose's service hooks: `post_start` and `pre_stop` become the container's lifecycle handlers
 * (lifecycle.ts), `pre_start` init containers (pre-start.ts; their env is environment.ts's).
 */
import type { ComposeProject, ComposeService } from '../compose/model';
import type { Finding } from './findings';
import type { KeyRules } from './key-rules';
import { hookVariable, LIFECYCLE_KEYS, lifecycleHooks } from './lifecycle';
import { PRE_START_KEYS, preStartFindings } from './pre-start';
import { secretValuesOf } from './secret-values';
import type { WorkloadDecision } from './workload';

/**
 * The hooks, and what their secret variables need: each value in the service's Secret
 * (`secretName`, key `post_start-0.TOKEN`) and a container variable set from it, which the hook's
 * command reads through sh; the value itself is never written in the pod spec.
 */
export function planHooks(
  project: ComposeProject,
  service: ComposeService,
  workload: WorkloadDecision,
  secretName: string,
): {
  lifecycle?: Record<string, unknown>;
  findings: Finding[];
  env: Record<string, unknown>[];
  secretData: Record<string, string>;
} {
  const secrets = secretValuesOf(project);
  const env: Record<string, unknown>[] = [];
  const secretData: Record<string, string> = {};
  const { lifecycle, findings } = lifecycleHooks(service, (key, index, name, value) => {
    if (!secrets.classify(service, name, value).secret) return undefined;
    const from = hookVariable(key, index, name);
    const dataKey = `${key}-${index}.${name}`;
    secretData[dataKey] = value;
    env.push({ name: from, valueFrom: { secretKeyRef: { name: secretName, key: dataKey } } });
    return from;
  });
  return { lifecycle, findings: [...findings, ...preStartFindings(service, workload)], env, secretData };
}

export const HOOK_KEYS: KeyRules = { ...LIFECYCLE_KEYS, ...PRE_START_KEYS };

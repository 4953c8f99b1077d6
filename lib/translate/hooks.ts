/**
 * Compose's service hooks: `post_start` and `pre_stop` become the container's lifecycle handlers
 * (lifecycle.ts).
 */
import type { ComposeService } from '../compose/model';
import type { Finding } from './findings';
import type { KeyRules } from './key-rules';
import { LIFECYCLE_KEYS, lifecycleHooks } from './lifecycle';

export function planHooks(service: ComposeService): { lifecycle?: Record<string, unknown>; findings: Finding[] } {
  return lifecycleHooks(service);
}

export const HOOK_KEYS: KeyRules = { ...LIFECYCLE_KEYS };

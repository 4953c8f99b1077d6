/**
 * What a rule could not carry over, as data: each finding names the Compose key, says whether it
 * was partly translated or dropped, and why. Findings become the warnings of `convert` and the
 * notes of `explain`.
 */
import type { Diagnostic } from '../compose/diagnostics';
import type { ComposeProject, ComposeService } from '../compose/model';
import { childPath } from '../compose/parse';

export interface Finding {
  /** Key path under the service: `logging`, `ports[2]`, `volumes[0]`, `depends_on.db`. */
  readonly key: string;
  /** `note`: translated faithfully, with something a reviewer should know (explain shows it; no warning). */
  readonly status: 'partial' | 'dropped' | 'note';
  readonly message: string;
  readonly severity?: 'warning' | 'error';
  /** A diagnostic code other than the status's (`external-object`: something to create before applying). */
  readonly code?: string;
}

export const partial = (key: string, message: string): Finding => ({ key, status: 'partial', message });
export const dropped = (key: string, message: string): Finding => ({ key, status: 'dropped', message });
export const note = (key: string, message: string): Finding => ({ key, status: 'note', message });

/** Findings that the user is warned about (notes only show in explain). */
export const isWarning = (f: Finding): boolean => f.status !== 'note';

export function topKey(key: string): string {
  return /^[^.[]+/.exec(key)?.[0] ?? key;
}

/** `labels.<label>` findings point at the label itself. */
function labelLocation(service: ComposeService, key: string) {
  return key.startsWith('labels.') ? service.labelLocations[key.slice('labels.'.length)] : undefined;
}

export function findingDiagnostic(service: ComposeService, f: Finding): Diagnostic {
  return {
    severity: f.severity ?? 'warning',
    code:
      f.code ??
      (f.severity === 'error' ? 'invalid-value' : f.status === 'dropped' ? 'untranslated-key' : 'partly-translated'),
    service: service.name,
    path: `services.${service.name}.${f.key}`,
    message: f.status === 'dropped' && f.severity !== 'error' ? `not translated: ${f.message}` : f.message,
    location: labelLocation(service, f.key) ?? service.keyLocations[topKey(f.key)] ?? service.location,
  };
}

/**
 * Load warnings about the service's `x-k8s` (an unknown key, options for a volume it does not
 * mount), as findings for `explain` only: `convert` already printed them as load warnings.
 */
export function xk8sLoadFindings(project: ComposeProject, service: ComposeService): Finding[] {
  const servicePath = `${childPath('services', service.name)}.`;
  return project.warnings.flatMap((d) => {
    const key = d.path?.startsWith(servicePath) ? d.path.slice(servicePath.length) : undefined;
    return key !== undefined && topKey(key) === 'x-k8s' ? [partial(key, d.message)] : [];
  });
}

/**
 * What a rule could not carry over, as data: each finding names the Compose key, says whether it
 * was partly translated or dropped, and why. Findings become the warnings of `convert` and the
 * notes of `explain`.
 */
import type { Diagnostic, SourceLocation } from '../compose/diagnostics';
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
  /** Where the key is written, when the service's key list does not hold it (an item of a list of strings). */
  readonly location?: SourceLocation;
}

export const partial = (key: string, message: string): Finding => ({ key, status: 'partial', message });
export const dropped = (key: string, message: string): Finding => ({ key, status: 'dropped', message });
export const note = (key: string, message: string): Finding => ({ key, status: 'note', message });

/** Findings that the user is warned about (notes only show in explain). */
export const isWarning = (f: Finding): boolean => f.status !== 'note';

export function topKey(key: string): string {
  return /^[^.[]+/.exec(key)?.[0] ?? key;
}

/**
 * Where a key of the service is written: the key itself, or the nearest key above it that is
 * (`labels.<label>` at the label, `volumes[2]` at the item, `depends_on.db` at `db`).
 */
export function keyLocation(service: ComposeService, key: string): SourceLocation | undefined {
  if (key.startsWith('labels.')) {
    const label = service.labelLocations[key.slice('labels.'.length)];
    if (label) return label;
  }
  let best: { length: number; location?: SourceLocation } | undefined;
  for (const k of service.keys) {
    if (k.location && (key === k.path || key.startsWith(`${k.path}.`) || key.startsWith(`${k.path}[`))) {
      if (!best || k.path.length > best.length) best = { length: k.path.length, location: k.location };
    }
  }
  return best?.location ?? service.keyLocations[topKey(key)] ?? service.location;
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
    location: f.location ?? keyLocation(service, f.key),
  };
}

/** A diagnostic the chart made about a service (its exposure, say) as a finding of that service's account. */
export function diagnosticFinding(service: ComposeService, d: Diagnostic): Finding | undefined {
  const prefix = `${childPath('services', service.name)}.`;
  if (d.path === undefined || !d.path.startsWith(prefix)) return undefined;
  const key = d.path.slice(prefix.length);
  return d.message.startsWith('not translated: ')
    ? dropped(key, d.message.slice('not translated: '.length))
    : partial(key, d.message);
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

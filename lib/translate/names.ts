/**
 * Names are DNS: every object is named after the Compose name it comes from, so containers reach
 * `db:5432` as under Compose. Names Kubernetes would reject are sanitized (and reported).
 */
import { LABEL_VALUE } from '../k8s-grammar';

const MAX_LABEL = 63;

/**
 * DNS-1035 label (what a Service name must be): lowercase alphanumerics and `-`, starting with
 * a letter, ending alphanumeric, at most 63 characters.
 */
export function dnsLabel(name: string): string {
  let out = name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+/, '');
  if (!/^[a-z]/.test(out)) out = `s-${out}`;
  out = out.slice(0, MAX_LABEL).replace(/-+$/, '');
  return out || 's';
}

/** DNS-1123 subdomain (ConfigMap, Secret, PVC, NetworkPolicy names): dot-separated labels, up to 253. */
export function dnsSubdomain(name: string): string {
  const labels = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .split('.')
    .map((label) => label.replace(/-+/g, '-').replace(/^-+|-+$/g, ''))
    .filter((label) => label !== '');
  const out = labels
    .join('.')
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, '');
  return out || 'x';
}

/** `<base>-<suffix>` that stays a DNS label, shortening the base side. */
export function suffixed(base: string, suffix: string, max = MAX_LABEL): string {
  const room = max - suffix.length - 1;
  return `${base.slice(0, room).replace(/[-.]+$/, '')}-${suffix}`;
}

/** `wanted`, or `wanted-2`, `wanted-3`... when taken; the name returned is taken from then on. */
export function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = suffixed(wanted, String(i));
  taken.add(name);
  return name;
}

/** `/var/lib/postgresql/data` -> `var-lib-postgresql-data`: a readable name part for a mount path. */
export function pathSlug(target: string): string {
  return dnsSubdomain(target.replace(/^\/+/, '').replace(/[/.]+/g, '-')) || 'root';
}

export const LABELS = {
  name: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const MANAGED_BY = 'compose-cdk8s';

/** A valid label value (63 chars, alphanumerics, `-_.`, alphanumeric at both ends) or undefined. */
export function labelValue(value: string): string | undefined {
  return LABEL_VALUE.test(value) ? value : undefined;
}

export function objectLabels(project: string, name?: string): Record<string, string> {
  return {
    ...(name ? { [LABELS.name]: name } : {}),
    [LABELS.partOf]: labelValue(project) ?? dnsLabel(project),
    [LABELS.managedBy]: MANAGED_BY,
  };
}

export function selectorLabels(project: string, name: string): Record<string, string> {
  return { [LABELS.name]: name, [LABELS.partOf]: labelValue(project) ?? dnsLabel(project) };
}

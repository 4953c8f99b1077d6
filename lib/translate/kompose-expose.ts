/**
 * `kompose.service.expose`: `true` (an Ingress for any host), or comma-separated `host[/path]`
 * entries. kompose splits the value on commas and compares each entry with "true" exactly, so
 * `"True"` (as YAML users write booleans) becomes an Ingress for the host "True", which the API
 * server refuses. Here a boolean in any case means the boolean, with a warning saying kompose
 * would not read it so, and an entry that is neither a boolean nor a host the API server accepts
 * is an error at the label, never an Ingress that `kubectl apply` rejects.
 */
import { ingressHostProblem, ingressPathProblem } from '../k8s-grammar';
import type { LabelReader } from './kompose-label-values';

export const EXPOSE_LABEL = 'kompose.service.expose';

/** kompose's split (`[ ,]*,[ ,]*`), without the empty entries a trailing comma leaves. */
const entriesOf = (value: string) =>
  value
    .split(/[ ,]*,[ ,]*/)
    .map((e) => e.trim())
    .filter(Boolean);

/** Why an entry is no `host[/path]` the API server accepts (a Prefix path, as the Ingress has). */
function entryProblem(entry: string): string | undefined {
  const slash = entry.indexOf('/');
  const host = slash === -1 ? entry : entry.slice(0, slash);
  const path = slash === -1 ? '/' : entry.slice(slash);
  const hostProblem = host === '' ? undefined : ingressHostProblem(host);
  if (hostProblem) return `host "${host}" ${hostProblem}`;
  const pathProblem = ingressPathProblem(path, 'Prefix');
  return pathProblem ? `path "${path}" ${pathProblem}` : undefined;
}

/**
 * The label's value as the Ingress rules read it (entries joined by commas, each boolean entry
 * spelled `true`), or undefined for no Ingress: absent, empty, false, or in error.
 */
export function exposeLabel(r: LabelReader): string | undefined {
  const raw = r.get(EXPOSE_LABEL);
  if (raw === undefined) return undefined;
  const entries = entriesOf(raw);
  if (entries.length === 0) return undefined;
  const isTrue = (e: string) => /^true$/i.test(e);
  const off = entries.length === 1 && /^false$/i.test(entries[0]);
  const misspelt = entries.filter((e) => (off || isTrue(e)) && e !== e.toLowerCase());
  if (misspelt.length > 0) {
    const quoted = misspelt.map((e) => `"${e}"`).join(', ');
    r.replaced(
      EXPOSE_LABEL,
      `${quoted} read as ${misspelt[0].toLowerCase()}: kompose compares with "true" exactly and would take ${quoted} for a host name, an Ingress the API server refuses`,
    );
  }
  if (off) return undefined;
  const problems = entries.flatMap((e) => {
    if (isTrue(e)) return [];
    const problem = entryProblem(e);
    return problem ? [problem] : [];
  });
  if (problems.length > 0) {
    r.invalid(
      EXPOSE_LABEL,
      `"${raw}" is not true or a list of host[/path]: ${problems.join('; ')} (the API server would refuse the Ingress)`,
    );
    return undefined;
  }
  return entries.map((e) => (isTrue(e) ? 'true' : e)).join(',');
}

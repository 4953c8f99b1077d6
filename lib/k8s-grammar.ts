/** Kubernetes' grammars for free text that reaches a manifest, in one place for every check. */

/** resource.Quantity: `10Gi`, `500m`, `1e3`. */
export const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$/;

/** A DNS-1123 subdomain (object names such as Secrets, StorageClasses); the 253-character bound is separate. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label of at most 63 characters (container names). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A label value: at most 63 alphanumerics, `-`, `_` and `.`, alphanumeric at both ends, or empty. */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** The name part of a label key (after the optional `prefix/`): at most 63, alphanumeric at both ends. */
export const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;

/** A label key: `name` or `prefix/name`, the prefix a DNS subdomain of at most 253 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash < 0) return LABEL_NAME.test(key);
  const prefix = key.slice(0, slash);
  return DNS_SUBDOMAIN.test(prefix) && prefix.length <= 253 && LABEL_NAME.test(key.slice(slash + 1));
}

/** An IPv4 address as Go's net.ParseIP reads one (the API server refuses one as an Ingress host). */
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export const isIPv4 = (s: string): boolean => {
  const m = IPV4.exec(s);
  return m !== null && m.slice(1).every((n) => Number(n) <= 255);
};

/**
 * Why the API server refuses an Ingress host (a rule's or a TLS entry's), or undefined: a
 * lowercase DNS-1123 subdomain, or one with a leading `*.`, and not an IP address.
 */
export function ingressHostProblem(host: string): string | undefined {
  if (isIPv4(host)) return 'must be a DNS name, not an IP address';
  const name = host.startsWith('*.') ? host.slice(2) : host;
  if (host.length > 253) return 'must be no more than 253 characters';
  if (!DNS_SUBDOMAIN.test(name))
    return host.includes('*') && !host.startsWith('*.')
      ? 'a wildcard host is "*." followed by a DNS name (e.g. *.example.com)'
      : 'must be a lowercase DNS name: letters a-z, digits, "-" and ".", starting and ending with a letter or digit (e.g. example.com)';
  return undefined;
}

/** Why the API server refuses an Ingress path of this pathType, or undefined. */
export function ingressPathProblem(path: string, pathType: string): string | undefined {
  if (pathType === 'ImplementationSpecific')
    return path === '' || path.startsWith('/') ? undefined : 'must be an absolute path';
  if (!path.startsWith('/')) return 'must be an absolute path';
  const sequence = ['//', '/./', '/../', '%2f', '%2F'].find((s) => path.includes(s));
  if (sequence) return `must not contain '${sequence}'`;
  const suffix = ['/..', '/.'].find((s) => path.endsWith(s));
  return suffix ? `cannot end with '${suffix}'` : undefined;
}

/** An annotation key: a label key, but checked in lowercase (`Example.com/Note` is one). */
export const isAnnotationKey = (key: string): boolean => isLabelKey(key.toLowerCase());

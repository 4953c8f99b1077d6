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

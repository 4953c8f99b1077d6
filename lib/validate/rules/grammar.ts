/**
 * The API server's grammars for names, keys and paths (apimachinery's util/validation), each as
 * a function giving why a value is refused, or undefined when it is accepted.
 */
import { DNS_SUBDOMAIN } from '../../k8s-grammar';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

export type Grammar = (value: string) => string | undefined;

export const dnsLabel: Grammar = (v) =>
  DNS1123_LABEL.test(v) && v.length <= 63
    ? undefined
    : `"${v}" must be a DNS-1123 label (at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit)`;

export const dns1035Label: Grammar = (v) =>
  DNS1035_LABEL.test(v) && v.length <= 63
    ? undefined
    : `"${v}" must be a DNS-1035 label (lowercase letters, digits and "-", starting with a letter, at most 63 characters)`;

export const dnsSubdomain: Grammar = (v) =>
  DNS_SUBDOMAIN.test(v) && v.length <= 253
    ? undefined
    : `"${v}" must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")`;

/** A label key or annotation key: `name` or `prefix/name`, the prefix a DNS subdomain. */
export const qualifiedName: Grammar = (v) => {
  const parts = v.split('/');
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || (parts.length === 2 && parts[0] !== '' && !dnsSubdomain(parts[0]));
  return prefixOk && QUALIFIED_NAME.test(name) && name.length <= 63
    ? undefined
    : `"${v}" is not a valid key (an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit)`;
};

export const labelValue = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length <= 63 && LABEL_VALUE.test(v)
    ? undefined
    : `${JSON.stringify(v)} is not a valid label value (at most 63 characters: letters, digits, "-", "_", ".")`;

/** A port name (IANA service name): what a container port, a probe or a Service targetPort may be named. */
export const portName: Grammar = (v) =>
  v.length <= 15 && /^[-a-z0-9]+$/.test(v) && /[a-z]/.test(v) && !v.includes('--') && !/^-|-$/.test(v)
    ? undefined
    : `"${v}" must be an IANA service name (at most 15 lowercase letters, digits and "-", with a letter)`;

/** `.`, `..` and what starts with `..` are refused as environment variable names and config keys. */
const chdir = (v: string) =>
  v === '.' || v === '..' || v.startsWith('..') ? `"${v}" may not be or start with ".."` : undefined;

export const envVarName: Grammar = (v) =>
  ENV_NAME.test(v)
    ? chdir(v)
    : `"${v}" is not a valid environment variable name (letters, digits, "_", "-" and ".", not starting with a digit)`;

/** A key of a ConfigMap or Secret, and a key a volume item or an env var picks from one. */
export const configKey: Grammar = (v) =>
  CONFIG_KEY.test(v) && v.length <= 253
    ? chdir(v)
    : `"${v}" is not a valid key (at most 253 letters, digits, "-", "_" and ".")`;

export function portNumber(v: unknown): string | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535
    ? undefined
    : `${JSON.stringify(v)} is not a port number (1-65535)`;
}

/** A port given by number or by the name of a container port (probes, targetPort). */
export function portNumberOrName(v: unknown): string | undefined {
  return typeof v === 'string' ? portName(v) : portNumber(v);
}

/** No `..` element: the path cannot climb out of where it is mounted. */
export const noBacksteps: Grammar = (v) => (v.split('/').includes('..') ? `"${v}" must not contain ".."` : undefined);

/** A path below a directory: relative, without `..`. */
export const descendingPath: Grammar = (v) => (v.startsWith('/') ? `"${v}" must be a relative path` : noBacksteps(v));

/** A volume item's path: descending, and not starting with `..` either. */
export const itemPath: Grammar = (v) =>
  descendingPath(v) ?? (v.startsWith('..') ? `"${v}" must not start with ".."` : undefined);

/** Go's net.ParseIP: dotted IPv4, or IPv6 (checked loosely: hex groups and colons). */
export function isIP(v: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v);
  if (v4) return v4.slice(1).every((n) => Number(n) <= 255);
  return v.includes(':') && /^[0-9a-fA-F:.]+$/.test(v) && (v.match(/::/g) ?? []).length <= 1;
}

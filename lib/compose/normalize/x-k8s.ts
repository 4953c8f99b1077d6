/**
 * The `x-k8s` extension: the one place its keys and their types are defined. Compose's schema
 * lets any `x-*` value through, so this is its schema: a misspelt key (`ingres:`) is a warning
 * with a did-you-mean, a value of the wrong type an error, both at the key's file:line:column.
 * The types the translation rules read are inferred from the readers below, so adding a key is
 * one line in a `mapping({...})`.
 */
import { childPath } from '../parse';
import { suggest } from '../schema';
import type { Severity } from '../diagnostics';
import { DNS_SUBDOMAIN, ingressHostProblem, ingressPathProblem } from '../../k8s-grammar';

/** How a reader reports: the loader's `ctx.report`, which locates the key path in the files. */
export type Report = (path: string, message: string, code: string, severity?: Severity) => void;

/** Reads one value at `path`; reports and returns undefined when it has the wrong type. */
export type Reader<T> = (value: unknown, path: string, report: Report) => T | undefined;

type Out<R> = R extends Reader<infer T> ? T : never;

/** What a `mapping` reader yields: every declared key, optional. */
export type Shape<F> = { readonly [K in keyof F]?: Out<F[K]> };

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

const wrongType = (report: Report, path: string, wanted: string, v: unknown) =>
  report(path, `must be ${wanted}, not ${describe(v)}`, 'invalid-x-k8s');

export const string: Reader<string> = (v, path, report) => {
  if (typeof v === 'string') return v;
  // A number written where a name is expected (`storageClassName: 1`) is still a name.
  if (typeof v === 'number') return String(v);
  wrongType(report, path, 'a string', v);
  return undefined;
};

/** Interpolated values arrive as text: `"false"` from `${LIVENESS}` is a boolean too. */
export const boolean: Reader<boolean> = (v, path, report) => {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  wrongType(report, path, 'true or false', v);
  return undefined;
};

export const port: Reader<number> = (v, path, report) => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
  wrongType(report, path, 'a port number (1-65535)', v);
  return undefined;
};

export function oneOf<T extends string>(allowed: readonly T[]): Reader<T> {
  return (v, path, report) => {
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    const hint = typeof v === 'string' ? suggest(v, allowed) : undefined;
    report(
      path,
      `${describe(v)} is not one of ${allowed.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`,
      'invalid-x-k8s',
    );
    return undefined;
  };
}

export function list<T>(item: Reader<T>): Reader<T[]> {
  return (v, path, report) => {
    if (!Array.isArray(v)) {
      wrongType(report, path, 'a list', v);
      return undefined;
    }
    return v.map((x, i) => item(x, childPath(path, i), report)).filter((x): x is T => x !== undefined);
  };
}

/** A single value or a list of them (`paths: /api` or `paths: [/, /api]`). */
export function oneOrList<T>(item: Reader<T>): Reader<T[]> {
  const many = list(item);
  return (v, path, report) => {
    if (Array.isArray(v)) return many(v, path, report);
    const one = item(v, path, report);
    return one === undefined ? undefined : [one];
  };
}

/** A mapping with free keys (volume names), each value read by `item`. */
export function mapOf<T>(item: Reader<T>): Reader<Record<string, T>> {
  return (v, path, report) => {
    if (!isMapping(v)) {
      wrongType(report, path, 'a mapping', v);
      return undefined;
    }
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) {
      const read = item(x, childPath(path, k), report);
      if (read !== undefined) out[k] = read;
    }
    return out;
  };
}

/** A mapping with declared keys; any other key is a warning, with the nearest declared one. */
export function mapping<F extends Record<string, Reader<unknown>>>(fields: F): Reader<Shape<F>> {
  const known = Object.keys(fields);
  return (v, path, report) => {
    if (!isMapping(v)) {
      wrongType(report, path, 'a mapping', v);
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = childPath(path, k);
      const field = Object.prototype.hasOwnProperty.call(fields, k) ? fields[k] : undefined;
      if (!field) {
        const hint = suggest(k, known);
        report(
          p,
          `unknown key "${k}" in x-k8s, ignored (${hint ? `did you mean "${hint}"?` : `known here: ${known.join(', ')}`})`,
          'unknown-x-k8s-key',
          'warning',
        );
        continue;
      }
      // `key: null` (or `key:` with nothing) is "not set", as in the rest of Compose.
      if (x === null || x === undefined) continue;
      const read = field(x, p, report);
      if (read !== undefined) out[k] = read;
    }
    return out as Shape<F>;
  };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;

/** A string the API server must accept where it goes: `problem` says why it would not. */
function accepted(problem: (s: string) => string | undefined): Reader<string> {
  return (v, path, report) => {
    const s = string(v, path, report);
    const why = s === undefined ? undefined : problem(s);
    if (why) report(path, `"${String(s)}" ${why}`, 'invalid-x-k8s');
    return why ? undefined : s;
  };
}

const objectName = (s: string) =>
  DNS_SUBDOMAIN.test(s) && s.length <= 253
    ? undefined
    : 'must be a lowercase DNS name (letters a-z, digits, "-" and ".")';

/** `services.<name>.x-k8s.ingress`, or one item of its list form. */
const INGRESS = mapping({
  host: accepted(ingressHostProblem),
  /** `paths` and `path` are the same thing; both spellings are read. A path without its leading / gets one. */
  paths: oneOrList(accepted((p) => ingressPathProblem(p.startsWith('/') ? p : `/${p}`, 'Prefix'))),
  path: oneOrList(accepted((p) => ingressPathProblem(p.startsWith('/') ? p : `/${p}`, 'Prefix'))),
  port,
  tls: mapping({ secretName: accepted(objectName) }),
  className: accepted(objectName),
});

/** `services.<name>.x-k8s`. */
export const SERVICE_X_K8S = mapping({
  ingress: oneOrList(INGRESS),
  /** `false` keeps Docker's behaviour: an unhealthy container is never restarted (readiness only). */
  liveness: boolean,
  /** Per named volume the service mounts: claim options for this service's use of it. */
  volumes: mapOf(mapping({ size: string, storageClassName: string, subPath: string })),
  /** Variables whose Secret-or-not the name and value rules get wrong: `secret` forces a Secret, `plain` a plain value. */
  env: mapping({ secret: list(string), plain: list(string) }),
});

/** Top-level `volumes.<name>.x-k8s`: the claim made for the volume. */
export const VOLUME_X_K8S = mapping({
  size: string,
  storageClassName: string,
  accessModes: list(oneOf(ACCESS_MODES)),
});

export type ServiceK8s = NonNullable<Out<typeof SERVICE_X_K8S>>;
export type IngressK8s = NonNullable<Out<typeof INGRESS>>;
export type VolumeK8s = NonNullable<Out<typeof VOLUME_X_K8S>>;

function read<T extends object>(reader: Reader<T>, raw: Record<string, unknown>, parent: string, report: Report) {
  const value = raw['x-k8s'];
  if (value === undefined || value === null) return undefined;
  return reader(value, childPath(parent, 'x-k8s'), report);
}

/** `services.<name>.x-k8s` of a raw service; wrong types are reported and read as unset. */
export function readServiceK8s(raw: Record<string, unknown>, servicePath: string, report: Report): ServiceK8s {
  return read(SERVICE_X_K8S, raw, servicePath, report) ?? {};
}

/** `volumes.<name>.x-k8s` of a raw top-level volume. */
export function readVolumeK8s(raw: Record<string, unknown>, volumePath: string, report: Report): VolumeK8s {
  return read(VOLUME_X_K8S, raw, volumePath, report) ?? {};
}

/** `x-k8s` where nothing reads it (top level, networks, secrets, configs): a warning, not silence. */
export function warnUnreadXK8s(raw: unknown, parent: string, report: Report): void {
  if (!isMapping(raw) || raw['x-k8s'] === undefined) return;
  report(
    childPath(parent, 'x-k8s'),
    'x-k8s is only read under a service or a top-level volume: ignored here',
    'unknown-x-k8s-key',
    'warning',
  );
}

/**
 * Re-applying a changed stack restarts exactly the workloads whose configuration changed, as
 * `docker compose up -d` recreates exactly the containers whose configuration changed. The image,
 * command and literal env are in the pod template, so a change there rolls the pods by itself; the
 * content of ConfigMaps and Secrets is not, and the kubelet never refreshes a file mounted with
 * `subPath` nor a variable read at start. So each long-running pod template carries a digest of
 * the content it reads from the stack's own ConfigMaps and Secrets: a change to that content
 * changes the template, and the workload rolls.
 *
 * Only objects in the output count. A Secret the user creates (external secrets, `--secrets
 * external`) is left out: a hash of a low-entropy password that is nowhere in the manifests would
 * give it away to anyone who reads them. A Secret that is in the output gives away nothing the
 * output does not already hold; in a cluster, whoever may read the workload but not the Secret can
 * still test guesses of a weak value against the digest (as with Helm's usual checksum annotation).
 */
import { createHash } from 'crypto';
import { podTemplateOf } from '../pod-template';

export const CONFIG_DIGEST_ANNOTATION = 'compose-cdk8s.io/config-digest';

type Json = Record<string, unknown>;

export interface ObjectRef {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
}

/**
 * Kinds whose pods keep running and are replaced when the template changes. A Job's template
 * cannot change (`kubectl apply` would fail with "field is immutable"), and a CronJob starts every
 * run in a new pod, which reads the objects as they are then.
 */
const ROLLING_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const items = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const nameAt = (v: unknown, field = 'name'): string | undefined =>
  isObject(v) && typeof v[field] === 'string' ? v[field] : undefined;

export const refKey = (ref: ObjectRef): string => `${ref.kind}/${ref.name}`;

/**
 * The ConfigMaps and Secrets a pod spec reads: volumes (configMap, secret, projected sources) and,
 * in every container and init container, env valueFrom and envFrom. Sorted, each once.
 */
export function consumedObjects(podSpec: unknown): ObjectRef[] {
  const refs = new Map<string, ObjectRef>();
  const add = (kind: ObjectRef['kind'], name: string | undefined) => {
    if (name !== undefined) refs.set(refKey({ kind, name }), { kind, name });
  };
  const spec = isObject(podSpec) ? podSpec : {};
  for (const volume of items(spec.volumes)) {
    add('ConfigMap', nameAt(volume.configMap));
    add('Secret', nameAt(volume.secret, 'secretName'));
    for (const source of items(isObject(volume.projected) ? volume.projected.sources : undefined)) {
      add('ConfigMap', nameAt(source.configMap));
      add('Secret', nameAt(source.secret));
    }
  }
  for (const container of [...items(spec.initContainers), ...items(spec.containers)]) {
    for (const env of items(container.env)) {
      const from = isObject(env.valueFrom) ? env.valueFrom : {};
      add('ConfigMap', nameAt(from.configMapKeyRef));
      add('Secret', nameAt(from.secretKeyRef));
    }
    for (const source of items(container.envFrom)) {
      add('ConfigMap', nameAt(source.configMapRef));
      add('Secret', nameAt(source.secretRef));
    }
  }
  return [...refs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, ref]) => ref);
}

/** JSON with the keys of every object sorted and no spaces: one text per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * What a pod reads of a ConfigMap or Secret: its data, not its labels. The Helm chart computes the
 * same for a Secret from its rendered `data` (`dict "data" ... | toJson | sha256sum`): Go's JSON
 * of base64 text and key names is this one.
 */
export function contentDigest(object: Json): string {
  const { data, binaryData, stringData } = object;
  return sha256(canonicalJson({ data, binaryData, stringData }));
}

/** One line per object read, `Secret/db-password <digest of its content>`, in the order of `refs`. */
export const digestLine = (ref: ObjectRef, content: string): string => `${refKey(ref)} ${content}\n`;

/**
 * The digest of the objects of `refs` found in `objects` (by `Kind/name`), or undefined when
 * none is: what is not in the output is not digested.
 */
export function configDigest(refs: readonly ObjectRef[], objects: ReadonlyMap<string, Json>): string | undefined {
  const lines = refs.flatMap((ref) => {
    const object = objects.get(refKey(ref));
    return object ? [digestLine(ref, contentDigest(object))] : [];
  });
  return lines.length > 0 ? sha256(lines.join('')) : undefined;
}

/** The ConfigMaps and Secrets among `objects`, by `Kind/name`. */
export function configObjects(objects: readonly unknown[]): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const o of objects) {
    if (!isObject(o) || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) continue;
    const name = nameAt(o.metadata);
    if (name !== undefined) out.set(`${o.kind}/${name}`, o);
  }
  return out;
}

/** Whether a workload of this kind carries the digest (see ROLLING_KINDS). */
export const rollsOnChange = (kind: unknown): boolean => typeof kind === 'string' && ROLLING_KINDS.has(kind);

/** `object` with its pod template's annotation set to `digest`, or removed when undefined. */
function withDigest(object: Json, digest: string | undefined): Json {
  // Copied along the path to the annotation only (every rolling kind keeps its template at
  // spec.template): the rest is shared with `object`, which stays as it was.
  const spec = { ...(object.spec as Json) };
  const template = { ...(spec.template as Json) };
  const metadata = isObject(template.metadata) ? { ...template.metadata } : {};
  const annotations = { ...(isObject(metadata.annotations) ? metadata.annotations : {}) };
  delete annotations[CONFIG_DIGEST_ANNOTATION];
  if (digest !== undefined) annotations[CONFIG_DIGEST_ANNOTATION] = digest;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  template.metadata = metadata;
  spec.template = template;
  return { ...object, spec };
}

/**
 * The objects, each rolling workload's pod template annotated with the digest of what it reads
 * among them (none when it reads none of them). Computed from the objects alone, so it may run
 * again after objects are taken out (`--secrets external`): the digest then leaves them out.
 * Objects that need no change are returned as they are.
 */
export function withConfigDigests<T>(objects: readonly T[]): T[] {
  const configs = configObjects(objects);
  return objects.map((o) => {
    if (!isObject(o) || !rollsOnChange(o.kind)) return o;
    const template = podTemplateOf(o);
    if (!template) return o;
    const digest = configDigest(consumedObjects(template.spec), configs);
    const current =
      isObject(template.metadata) && isObject(template.metadata.annotations)
        ? template.metadata.annotations[CONFIG_DIGEST_ANNOTATION]
        : undefined;
    return current === digest ? o : (withDigest(o, digest) as T);
  });
}

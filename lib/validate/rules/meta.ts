/**
 * ObjectMeta as the API server checks it for every kind: the name by the kind's own grammar, the
 * namespace, label keys and values, annotation keys, and the 256 KiB bound on annotations that
 * `kubectl apply` (client-side, as up.sh applies) fills with a copy of the object.
 */
import { list, record, text, type Json } from '../problems';
import { at, grammar, type Emit } from './emit';
import { dns1035Label, dnsLabel, dnsSubdomain, labelValue, qualifiedName, type Grammar } from './grammar';

/** Role and binding names are path segments: anything but `.`, `..`, `/` and `%`. */
const pathSegment: Grammar = (v) =>
  v === '.' || v === '..' || /[/%]/.test(v) ? `"${v}" may not be "." or ".." nor contain "/" or "%"` : undefined;

const NAME_GRAMMAR: Readonly<Record<string, Grammar>> = {
  Service: dns1035Label,
  Namespace: dnsLabel,
  Role: pathSegment,
  ClusterRole: pathSegment,
  RoleBinding: pathSegment,
  ClusterRoleBinding: pathSegment,
};

/** The annotation `kubectl apply` writes, holding the whole object as JSON. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ANNOTATIONS_LIMIT = 256 * 1024;

export function checkLabels(labels: unknown, path: string, emit: Emit): void {
  for (const [key, value] of Object.entries(record(labels))) {
    const keyProblem = qualifiedName(key);
    if (keyProblem) emit(at(path, key), keyProblem.replace('is not a valid key', 'is not a valid label key'));
    const valueProblem = labelValue(value);
    if (valueProblem) emit(at(path, key), valueProblem);
  }
}

/** Go's json.Marshal escapes <, > and & as \u003c...: what kubectl stores is that long. */
const jsonLength = (v: unknown) => {
  const s = JSON.stringify(v) ?? '';
  return s.length + 5 * (s.match(/[<>&]/g) ?? []).length;
};

export function checkAnnotations(metadata: Json, path: string, emit: Emit, object?: Json): void {
  const annotations = record(metadata.annotations);
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const problem = qualifiedName(key.toLowerCase());
    if (problem) emit(at(path, key), problem.replace('is not a valid key', 'is not a valid annotation key'));
    size += key.length + String(value).length;
  }
  if (size > ANNOTATIONS_LIMIT) {
    emit(path, `annotations total ${size} bytes, more than the ${ANNOTATIONS_LIMIT} allowed`);
  } else if (object && !(LAST_APPLIED in annotations)) {
    const applied = size + LAST_APPLIED.length + jsonLength(object) + 1;
    if (applied > ANNOTATIONS_LIMIT)
      emit(
        path,
        `too large for kubectl apply: the copy of the object it keeps in the ${LAST_APPLIED} annotation makes the annotations ${applied} bytes, more than the ${ANNOTATIONS_LIMIT} allowed (apply it with kubectl apply --server-side, or make it smaller)`,
      );
  }
}

/** metadata of a top-level object of this kind. */
export function checkMetadata(kind: string, object: Json, emit: Emit): void {
  const metadata = record(object.metadata);
  const name = text(metadata.name);
  if (!name) emit('metadata.name', 'missing required field "name"');
  else grammar(name, NAME_GRAMMAR[kind] ?? dnsSubdomain, 'metadata.name', emit);
  if (name && kind === 'CronJob' && name.length > 52)
    emit('metadata.name', `"${name}" must be no more than 52 characters (the CronJob's Jobs add 11 to it)`);
  // The Job controller labels its pods job-name=<name>: a label value of at most 63 characters.
  if (name && kind === 'Job' && name.length > 63)
    emit('metadata.name', `"${name}" must be no more than 63 characters (its pods are labelled job-name=<name>)`);
  grammar(metadata.namespace, dnsLabel, 'metadata.namespace', emit);
  checkLabels(metadata.labels, 'metadata.labels', emit);
  checkAnnotations(metadata, 'metadata.annotations', emit, object);
  list(metadata.finalizers).forEach((f, i) => grammar(f, qualifiedName, `metadata.finalizers[${i}]`, emit));
}

/** The metadata of a template inside an object (a pod template, a claim template). */
export function checkTemplateMetadata(metadata: unknown, path: string, emit: Emit): void {
  checkLabels(record(metadata).labels, at(path, 'labels'), emit);
  checkAnnotations(record(metadata), at(path, 'annotations'), emit);
}

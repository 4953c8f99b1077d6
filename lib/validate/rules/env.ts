/**
 * A container's environment: variable names, `valueFrom` with exactly one source (a downward API
 * field the API server knows, a key of a ConfigMap or Secret), and `envFrom` sources and prefixes.
 */
import { list, record, text, type Json } from '../problems';
import { grammar, required, type Emit } from './emit';
import { configKey, dnsSubdomain, envVarName, qualifiedName } from './grammar';

const FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.podIP',
  'status.podIPs',
];
const RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
];
const VALUE_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const;

function checkFieldPath(fieldPath: unknown, path: string, emit: Emit): void {
  if (typeof fieldPath !== 'string' || fieldPath === '')
    return emit(`${path}.fieldPath`, 'required: must not be empty');
  const subscript = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath);
  if (subscript) {
    grammar(
      subscript[1].endsWith('annotations') ? subscript[2].toLowerCase() : subscript[2],
      qualifiedName,
      `${path}.fieldPath`,
      emit,
    );
    return;
  }
  if (!FIELD_PATHS.includes(fieldPath))
    emit(
      `${path}.fieldPath`,
      `"${fieldPath}" is not a field the downward API gives (${FIELD_PATHS.join(', ')}, metadata.labels['<key>'], metadata.annotations['<key>'])`,
    );
}

function checkValueFrom(e: Json, path: string, emit: Emit): void {
  const from = record(e.valueFrom);
  const sources = VALUE_SOURCES.filter((s) => from[s] !== undefined);
  if (sources.length === 0) return emit(path, `must name one of ${VALUE_SOURCES.join(', ')}`);
  if (text(e.value)) emit(path, 'may not be set when value is set');
  else if (sources.length > 1) emit(path, `names ${sources.join(' and ')}: one source only`);
  if (from.fieldRef !== undefined) checkFieldPath(record(from.fieldRef).fieldPath, `${path}.fieldRef`, emit);
  if (from.resourceFieldRef !== undefined) {
    const resource = record(from.resourceFieldRef).resource;
    if (!RESOURCE_FIELDS.includes(String(resource)))
      emit(`${path}.resourceFieldRef.resource`, `must be one of ${RESOURCE_FIELDS.join(', ')}`);
  }
  for (const ref of ['configMapKeyRef', 'secretKeyRef'] as const) {
    if (from[ref] === undefined) continue;
    const r = record(from[ref]);
    grammar(r.name ?? '', dnsSubdomain, `${path}.${ref}.name`, emit);
    required(r.key, `${path}.${ref}.key`, emit, configKey);
  }
}

/** A Secret or ConfigMap named for envFrom: the API server lets its name end in "-" (a prefix name). */
const envFromName = (v: string) => dnsSubdomain(v.endsWith('-') ? `${v}a` : v);

export function checkEnv(c: Json, path: string, emit: Emit): void {
  list(c.env)
    .map(record)
    .forEach((e, i) => {
      const ep = `${path}.env[${i}]`;
      required(e.name, `${ep}.name`, emit, envVarName);
      if (e.valueFrom !== undefined) checkValueFrom(e, `${ep}.valueFrom`, emit);
    });
  list(c.envFrom)
    .map(record)
    .forEach((e, i) => {
      const ep = `${path}.envFrom[${i}]`;
      if (text(e.prefix)) grammar(e.prefix, envVarName, `${ep}.prefix`, emit);
      const sources = (['configMapRef', 'secretRef'] as const).filter((s) => e[s] !== undefined);
      if (sources.length !== 1) emit(ep, 'must name exactly one of configMapRef, secretRef');
      for (const s of sources) required(record(e[s]).name, `${ep}.${s}.name`, emit, envFromName);
    });
}

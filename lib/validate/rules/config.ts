/**
 * ConfigMaps and Secrets as the API server checks them: keys, no key in both data and
 * binaryData, at most 1 MiB of values, base64 in a Secret's data (stringData is plain text the
 * server merges into data first), and what a typed Secret must hold.
 */
import { record, text, type Json } from '../problems';
import { grammar, type Emit } from './emit';
import { configKey } from './grammar';

const MAX_SIZE = 1024 * 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of a base64 value, or undefined when it is not base64 (the API server cannot decode it). */
function decoded(v: unknown): Buffer | undefined {
  const s = String(v);
  return BASE64.test(s) ? Buffer.from(s, 'base64') : undefined;
}

export function checkConfigMap(o: Json, emit: Emit): void {
  const data = record(o.data);
  const binary = record(o.binaryData);
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    grammar(key, configKey, `data.${key}`, emit);
    if (key in binary) emit(`data.${key}`, `duplicate key "${key}": also in binaryData`);
    size += Buffer.byteLength(String(value));
  }
  for (const [key, value] of Object.entries(binary)) {
    grammar(key, configKey, `binaryData.${key}`, emit);
    const bytes = decoded(value);
    if (!bytes) emit(`binaryData.${key}`, 'is not base64');
    size += bytes?.length ?? 0;
  }
  if (size > MAX_SIZE) emit('data', `${size} bytes of values: a ConfigMap holds at most ${MAX_SIZE}`);
}

function isJsonObject(bytes: Buffer | undefined): boolean {
  try {
    const v: unknown = JSON.parse(bytes?.toString('utf8') ?? '');
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

export function checkSecret(o: Json, emit: Emit): void {
  const values = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(record(o.data))) {
    grammar(key, configKey, `data.${key}`, emit);
    const bytes = decoded(value);
    if (!bytes) emit(`data.${key}`, "is not base64 (a Secret's data values are; stringData takes plain text)");
    values.set(key, bytes ?? Buffer.alloc(0));
  }
  for (const [key, value] of Object.entries(record(o.stringData))) {
    grammar(key, configKey, `stringData.${key}`, emit);
    values.set(key, Buffer.from(String(value)));
  }
  const size = [...values.values()].reduce((n, b) => n + b.length, 0);
  if (size > MAX_SIZE) emit('data', `${size} bytes of values: a Secret holds at most ${MAX_SIZE}`);
  const type = text(o.type) ?? 'Opaque';
  const need = (key: string) => {
    if (!values.has(key)) emit(`data.${key}`, `required: a Secret of type ${type} holds ${key}`);
  };
  switch (type) {
    case 'kubernetes.io/service-account-token':
      if (!text(record(record(o.metadata).annotations)['kubernetes.io/service-account.name']))
        emit(
          'metadata.annotations.kubernetes.io/service-account.name',
          'required: the ServiceAccount the token is for',
        );
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      need(key);
      if (values.has(key) && !isJsonObject(values.get(key))) emit(`data.${key}`, 'must be a JSON object');
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!values.has('username') && !values.has('password'))
        emit('data', 'a Secret of type kubernetes.io/basic-auth holds username or password');
      break;
    case 'kubernetes.io/ssh-auth':
      if (!values.get('ssh-privatekey')?.length)
        emit('data.ssh-privatekey', `required: a Secret of type ${type} holds a non-empty ssh-privatekey`);
      break;
    case 'kubernetes.io/tls':
      need('tls.crt');
      need('tls.key');
      break;
  }
}

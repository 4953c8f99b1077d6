/**
 * Strict validation against the Kubernetes 1.27 OpenAPI definitions (schemas/): every object
 * definition is closed (`additionalProperties: false`), so an unknown or misspelled field is an
 * error, as with `kubectl apply --validate=strict`. Validators are compiled per kind on first
 * use and cached: compiling all 547 definitions up front costs seconds.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { pointerToPath } from '../json-pointer';
import { QUANTITY } from '../k8s-grammar';
import { packageRoot } from '../package-root';
import { identity, record, text, type Json, type ManifestProblem } from './problems';

interface Loaded {
  readonly ajv: Ajv;
  readonly byKind: Map<string, string>;
  readonly cache: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description' || k.startsWith('x-kubernetes')) continue;
    out[k] = strict(v);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const DEFINITIONS = 'k8s-v1.27.0-definitions.json';

/**
 * The compiled library reads the trimmed copy `npm run build` writes (scripts/strip-k8s-schema.js),
 * the only one the published package carries; the sources read the full file.
 */
function definitionsFile(): string {
  const trimmed = path.join(packageRoot(), 'build', 'schemas', DEFINITIONS);
  if (__filename.endsWith('.js') && fs.existsSync(trimmed)) return trimmed;
  return path.join(packageRoot(), 'schemas', DEFINITIONS);
}

function load(): Loaded {
  if (loaded) return loaded;
  const file = definitionsFile();
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { definitions: Record<string, Json> };
  const byKind = new Map<string, string>();
  const definitions: Json = {};
  for (const [name, def] of Object.entries(raw.definitions)) {
    for (const gvk of (def['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[]) ??
      []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      // Several definitions claim the same GVK (e.g. DeleteOptions); the kind's own one wins.
      if (!byKind.has(`${apiVersion}/${gvk.kind}`) || name.endsWith(`.${gvk.kind}`))
        byKind.set(`${apiVersion}/${gvk.kind}`, name);
    }
    definitions[name] = strict(def);
  }
  definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = {
    oneOf: [{ type: 'string', pattern: QUANTITY.source }, { type: 'number' }],
  };
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, validateSchema: false, verbose: true });
  ajv.addSchema({ $id: 'k8s', definitions });
  loaded = { ajv, byKind, cache: new Map() };
  return loaded;
}

/** `/spec/template/spec/containers/0/name` -> `spec.template.spec.containers[0].name` */
export const fieldPath = (pointer: string): string => pointerToPath(pointer);

function messageOf(e: ErrorObject, group: readonly ErrorObject[]): { path: string; message: string } {
  const p = fieldPath(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(e.params.additionalProperty);
      return { path: p ? `${p}.${field}` : field, message: `unknown field "${field}"` };
    }
    case 'required':
      return { path: p, message: `missing required field "${String(e.params.missingProperty)}"` };
    case 'enum':
      return { path: p, message: `must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'pattern':
      return { path: p, message: `${JSON.stringify(e.data)} is not a valid quantity (e.g. 500m, 1Gi)` };
    case 'type': {
      const types = [...new Set(group.filter((g) => g.keyword === 'type').map((g) => String(g.params.type)))];
      return { path: p, message: `must be ${types.join(' or ')}` };
    }
    default:
      return { path: p, message: e.message ?? e.keyword };
  }
}

function problemsOf(errors: readonly ErrorObject[]): { path: string; message: string }[] {
  const meaningful = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  // A pattern failure inside oneOf(string|number) also reports "must be number": keep the pattern.
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of meaningful) {
    const key =
      e.keyword === 'additionalProperties'
        ? `${e.instancePath}/${String(e.params.additionalProperty)}`
        : `${e.instancePath}#${e.keyword === 'required' ? String(e.params.missingProperty) : ''}`;
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  return [...byPath.values()].map((group) => {
    const best = group.find((e) => e.keyword !== 'type') ?? group[0];
    return messageOf(best, group);
  });
}

export function validateSchema(object: unknown): ManifestProblem[] {
  const { kind, name } = identity(object);
  const o = record(object);
  const apiVersion = text(o.apiVersion);
  const base = { severity: 'error' as const, kind, name };
  if (!apiVersion || !kind) {
    return [{ ...base, path: apiVersion ? 'kind' : 'apiVersion', message: 'missing apiVersion or kind' }];
  }
  const l = load();
  const definition = l.byKind.get(`${apiVersion}/${kind}`);
  if (!definition)
    return [{ ...base, path: 'kind', message: `unknown kind ${kind} in ${apiVersion} (Kubernetes 1.27)` }];
  let validate = l.cache.get(definition);
  if (!validate) {
    validate = l.ajv.compile({ $ref: `k8s#/definitions/${definition}` });
    l.cache.set(definition, validate);
  }
  if (validate(object)) return [];
  return problemsOf(validate.errors ?? []).map((p) => ({ ...base, ...p }));
}

/**
 * Strict validation against the Kubernetes 1.27 OpenAPI definitions (schemas/): every object
 * definition is closed (`additionalProperties: false`), so an unknown or misspelled field is an
 * error, as with `kubectl apply --validate=strict` (./k8s-schema.ts). The built package runs the
 * validators `npm run build` compiled (build/schemas/k8s-validators.js,
 * scripts/generate-k8s-validators.js): compiling them here cost half of a `validate` run. The
 * sources compile each kind's validator on its first use.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { pointerToPath, valueAtPointer } from '../json-pointer';
import { packageRoot } from '../package-root';
import { identity, record, text, type ManifestProblem } from './problems';

/** Per kind (`apps/v1/Deployment`), the definition that describes it; per definition, its validator. */
export interface KindValidators {
  readonly byKind: ReadonlyMap<string, string>;
  validator(definition: string): ValidateFunction | undefined;
}

/** The module `npm run build` writes: one export per definition a kind names, and `byKind`. */
export function precompiledValidators(file: string): KindValidators {
  // A computed path: the module (~1 MB) is read only by validation, never bundled into the CLI.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(file) as { byKind: Record<string, string> } & Record<string, ValidateFunction>;
  return {
    byKind: new Map(Object.entries(exported.byKind)),
    validator: (definition) => (Object.hasOwn(exported, definition) ? exported[definition] : undefined),
  };
}

/** The same validators compiled here, on first use (the bundled CLI leaves ./k8s-schema and ajv out). */
export function compiledValidators(): KindValidators {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readK8sSchema, k8sAjv, definitionRef } = require('./k8s-schema') as typeof import('./k8s-schema');
  const { byKind, definitions } = readK8sSchema();
  const ajv = k8sAjv(definitions);
  return {
    byKind: new Map(Object.entries(byKind)),
    validator: (definition) => ajv.getSchema(definitionRef(definition)),
  };
}

let loaded: KindValidators | undefined;

function load(): KindValidators {
  if (loaded) return loaded;
  const generated = path.join(packageRoot(), 'build', 'schemas', 'k8s-validators.js');
  loaded =
    __filename.endsWith('.js') && fs.existsSync(generated) ? precompiledValidators(generated) : compiledValidators();
  return loaded;
}

/** `/spec/template/spec/containers/0/name` -> `spec.template.spec.containers[0].name` */
export const fieldPath = (pointer: string): string => pointerToPath(pointer);

function messageOf(e: ErrorObject, group: readonly ErrorObject[], object: unknown): { path: string; message: string } {
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
      return {
        path: p,
        message: `${JSON.stringify(valueAtPointer(object, e.instancePath))} is not a valid quantity (e.g. 500m, 1Gi)`,
      };
    case 'type': {
      const types = [...new Set(group.filter((g) => g.keyword === 'type').map((g) => String(g.params.type)))];
      return { path: p, message: `must be ${types.join(' or ')}` };
    }
    default:
      return { path: p, message: e.message ?? e.keyword };
  }
}

function problemsOf(errors: readonly ErrorObject[], object: unknown): { path: string; message: string }[] {
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
    return messageOf(best, group, object);
  });
}

export function validateSchema(object: unknown): ManifestProblem[] {
  return validateSchemaWith(load(), object);
}

export function validateSchemaWith(validators: KindValidators, object: unknown): ManifestProblem[] {
  const { kind, name } = identity(object);
  const o = record(object);
  const apiVersion = text(o.apiVersion);
  const base = { severity: 'error' as const, kind, name };
  if (!apiVersion || !kind) {
    return [{ ...base, path: apiVersion ? 'kind' : 'apiVersion', message: 'missing apiVersion or kind' }];
  }
  const definition = validators.byKind.get(`${apiVersion}/${kind}`);
  if (!definition)
    return [{ ...base, path: 'kind', message: `unknown kind ${kind} in ${apiVersion} (Kubernetes 1.27)` }];
  const validate = validators.validator(definition);
  if (!validate) throw new Error(`compose-cdk8s: no validator for ${definition}`);
  if (validate(object)) return [];
  return problemsOf(validate.errors ?? [], object).map((p) => ({ ...base, ...p }));
}

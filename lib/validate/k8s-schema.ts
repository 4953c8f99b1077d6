/**
 * What the Kubernetes 1.27 validators are compiled from: the definitions made strict and the ajv
 * options. `npm run build` compiles them ahead of time (scripts/generate-k8s-validators.js, from
 * the compiled copy of this module); the sources compile them at run time (./schema.ts). Both read
 * them from here, so both report the same errors; test/validate/precompiled.test.ts checks it.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { QUANTITY } from '../k8s-grammar';
import { packageRoot } from '../package-root';
import type { Json } from './problems';

/** Closed objects: an unknown or misspelled field is an error, as with `kubectl apply --validate=strict`. */
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

export interface K8sSchema {
  /** `apps/v1/Deployment` -> `io.k8s.api.apps.v1.Deployment` */
  readonly byKind: Readonly<Record<string, string>>;
  readonly definitions: Json;
}

export function readK8sSchema(file = path.join(packageRoot(), 'schemas', 'k8s-v1.27.0-definitions.json')): K8sSchema {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { definitions: Record<string, Json> };
  const byKind: Record<string, string> = {};
  const definitions: Json = {};
  for (const [name, def] of Object.entries(raw.definitions)) {
    for (const gvk of (def['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[]) ??
      []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      const key = `${apiVersion}/${gvk.kind}`;
      // Several definitions claim the same GVK (e.g. DeleteOptions); the kind's own one wins.
      if (!Object.hasOwn(byKind, key) || name.endsWith(`.${gvk.kind}`)) byKind[key] = name;
    }
    definitions[name] = strict(def);
  }
  definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = {
    oneOf: [{ type: 'string', pattern: QUANTITY.source }, { type: 'number' }],
  };
  return { byKind, definitions };
}

/**
 * Not verbose: the schema and data copied into every error would add ~30 kB compressed to the
 * generated module, and the one message that shows data reads it from the object. No inlined
 * `$ref`s: each definition is one function, shared by every kind that uses it (PodSpec by eight),
 * which keeps the generated module a quarter smaller.
 */
export function k8sAjv(definitions: Json, options: { readonly source?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    validateFormats: false,
    validateSchema: false,
    verbose: false,
    inlineRefs: false,
    code: { source: options.source ?? false },
  });
  ajv.addSchema({ $id: 'k8s', definitions });
  return ajv;
}

export const definitionRef = (definition: string): string => `k8s#/definitions/${definition}`;

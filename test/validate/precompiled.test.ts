/**
 * The Kubernetes validators `npm run build` compiles ahead of time (scripts/generate-k8s-validators.js,
 * which the built CLI and library run) report exactly what the ones the sources compile at run
 * time report: the same kinds, the same ajv errors and so the same problems, on every object of
 * the manifest fixtures and on broken copies of them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ErrorObject } from 'ajv';
import * as k8sSchema from '../../lib/validate/k8s-schema';
import { readManifestFiles } from '../../lib/validate';
import {
  compiledValidators,
  precompiledValidators,
  validateSchemaWith,
  type KindValidators,
} from '../../lib/validate/schema';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate } = require('../../scripts/generate-k8s-validators.js') as {
  generate(schema: typeof k8sSchema): string;
};

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'manifests');

let dir: string;
let precompiled: KindValidators;
let compiled: KindValidators;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-validators-'));
  const file = path.join(dir, 'k8s-validators.js');
  fs.writeFileSync(file, generate(k8sSchema));
  precompiled = precompiledValidators(file);
  compiled = compiledValidators();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Broken copies of an object, one fault each: every string a number, every number a string that is
 * no quantity, every mapping with an unknown key, every mapping without its first key (often a
 * required one), every list a string.
 */
function broken(object: Json): Json[] {
  const out: Json[] = [];
  const at = (
    root: Json,
    trail: readonly (string | number)[],
    change: (parent: Json | unknown[], key: string | number) => void,
  ) => {
    const copy = structuredClone(root);
    let node: unknown = copy;
    for (const key of trail.slice(0, -1)) node = (node as Json)[key as string];
    change(node as Json, trail[trail.length - 1]);
    out.push(copy);
  };
  const walk = (value: unknown, trail: (string | number)[]) => {
    if (trail.length > 0 && typeof value === 'string') at(object, trail, (p, k) => ((p as Json)[k as string] = 42));
    if (typeof value === 'number') at(object, trail, (p, k) => ((p as Json)[k as string] = 'lots'));
    if (Array.isArray(value)) {
      if (trail.length > 0) at(object, trail, (p, k) => ((p as Json)[k as string] = 'a list'));
      value.forEach((v, i) => walk(v, [...trail, i]));
    } else if (isRecord(value)) {
      const node = (root: Json) => trail.reduce<unknown>((n, k) => (n as Json)[k as string], root) as Json;
      const withExtra = structuredClone(object);
      node(withExtra).unknownField = true;
      out.push(withExtra);
      const first = Object.keys(value)[0];
      if (first !== undefined) {
        const without = structuredClone(object);
        delete node(without)[first];
        out.push(without);
      }
      for (const [k, v] of Object.entries(value)) walk(v, [...trail, k]);
    }
  };
  walk(object, []);
  return out;
}

/** The errors of the validator of `definition`: a broken copy may have lost its kind. */
function errorsOf(validators: KindValidators, definition: string, object: Json): ErrorObject[] | null | undefined {
  const validate = validators.validator(definition);
  if (!validate) throw new Error(`no validator for ${definition}`);
  validate(object);
  return validate.errors;
}

test('every kind has its definition and a precompiled validator', () => {
  expect([...precompiled.byKind].sort()).toEqual([...compiled.byKind].sort());
  expect(precompiled.byKind.size).toBeGreaterThan(250);
  const missing = [...new Set(precompiled.byKind.values())].filter((d) => !precompiled.validator(d));
  expect(missing).toEqual([]);
  expect(precompiled.byKind.get('apps/v1/Deployment')).toBe('io.k8s.api.apps.v1.Deployment');
});

test('precompiled and run-time compiled validators find the same errors in the fixtures and broken copies', () => {
  const read = readManifestFiles(['good', 'bad', 'rules'].map((d) => path.join(FIXTURES, d)));
  const objects = read.inputs.map((i) => i.object).filter(isRecord);
  expect(objects.length).toBeGreaterThan(50);
  const keywords = new Set<string>();
  let checked = 0;
  for (const object of objects) {
    const definition = compiled.byKind.get(`${String(object.apiVersion)}/${String(object.kind)}`);
    for (const candidate of [object, ...broken(object)]) {
      if (definition) {
        const expected = errorsOf(compiled, definition, candidate);
        // Whole error objects, not only the messages made of them: other ajv options show here.
        expect(errorsOf(precompiled, definition, candidate)).toEqual(expected);
        for (const e of expected ?? []) keywords.add(e.keyword);
      }
      expect(validateSchemaWith(precompiled, candidate)).toEqual(validateSchemaWith(compiled, candidate));
      checked++;
    }
  }
  // The copies reach every kind of error the Kubernetes definitions can give.
  expect([...keywords].sort()).toEqual(['additionalProperties', 'enum', 'oneOf', 'pattern', 'required', 'type']);
  expect(checked).toBeGreaterThan(4000);
});

test('a quantity that is not one is reported with its value', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web' },
    spec: { containers: [{ name: 'web', image: 'nginx', resources: { limits: { cpu: 'half' } } }] },
  };
  const expected = [
    {
      severity: 'error',
      kind: 'Pod',
      name: 'web',
      path: 'spec.containers[0].resources.limits.cpu',
      message: '"half" is not a valid quantity (e.g. 500m, 1Gi)',
    },
  ];
  expect(validateSchemaWith(precompiled, pod)).toEqual(expected);
  expect(validateSchemaWith(compiled, pod)).toEqual(expected);
});

/**
 * Stage 5: the merged, interpolated document checked against the official Compose
 * specification schema (schemas/compose-spec.json). The schema is compiled ahead of time by
 * scripts/generate-schema-validator.js: compiling it at run time costs ~110 ms per CLI start.
 * ajv's raw errors (one per oneOf branch) are reduced to the one a person would write.
 */
import * as path from 'path';
import type { Diagnostic } from './diagnostics';
import { pointerToPath, valueAtPointer } from '../json-pointer';
import { packageRoot } from '../package-root';

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
  readonly parentSchema?: { properties?: Record<string, unknown> };
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

let validator: Validator | undefined;

function load(): Validator {
  // A computed path: the generated module lives in lib/ and is shared by the sources and build/.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  validator ??= require(
    path.join(packageRoot(), 'lib', 'compose', 'generated', 'compose-schema-validator.js'),
  ) as Validator;
  return validator;
}

/** `/services/web/ports/0` -> `services.web.ports[0]` */
export function keyPath(pointer: string): string {
  return pointerToPath(pointer, { quoteOddKeys: true });
}

export function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

/** Reduces ajv's errors to one readable problem per offending key. */
export function schemaProblems(doc: unknown, errors: readonly AjvError[]): Omit<Diagnostic, 'location'>[] {
  const leaves = errors.filter(
    (e) =>
      e.keyword !== 'oneOf' &&
      e.keyword !== 'anyOf' &&
      e.keyword !== 'if' &&
      (e.keyword === 'additionalProperties' ||
        e.keyword === 'required' ||
        !errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath + '/') && o.keyword !== 'type')),
  );
  const byPath = new Map<string, AjvError[]>();
  for (const e of leaves.length > 0 ? leaves : errors) {
    const key =
      e.keyword === 'additionalProperties'
        ? `${e.instancePath}/${String(e.params.additionalProperty)}`
        : e.instancePath;
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  const out: Omit<Diagnostic, 'location'>[] = [];
  for (const [pointer, group] of byPath) {
    const unknown = group.find((e) => e.keyword === 'additionalProperties');
    const p = keyPath(pointer);
    if (unknown) {
      const name = String(unknown.params.additionalProperty);
      const known = Object.keys(unknown.parentSchema?.properties ?? {});
      const hint = suggest(name, known);
      out.push({
        severity: 'error',
        code: 'unknown-key',
        path: p,
        message: `unknown key "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
      });
      continue;
    }
    const specific = group.find((e) => e.keyword !== 'type') ?? group[0];
    const value = valueAtPointer(doc, pointer);
    let message: string;
    if (specific.keyword === 'type' || group.every((e) => e.keyword === 'type')) {
      const types = [...new Set(group.filter((e) => e.keyword === 'type').map((e) => String(e.params.type)))]
        .flatMap((t) => t.split(','))
        .map((t) => TYPE_NAMES[t] ?? t);
      message = `must be ${[...new Set(types)].join(' or ')}, not ${describeValue(value)}`;
    } else if (specific.keyword === 'enum') {
      const allowed = (specific.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      message = `${describeValue(value)} is not one of ${allowed}`;
    } else if (specific.keyword === 'required') {
      message = `missing required key "${String(specific.params.missingProperty)}"`;
    } else if (specific.keyword === 'pattern' || specific.keyword === 'format') {
      message = `${describeValue(value)} is not valid here (${specific.message ?? specific.keyword})`;
    } else {
      message = `${describeValue(value)}: ${specific.message ?? specific.keyword}`;
    }
    out.push({ severity: 'error', code: 'schema', path: p, message });
  }
  return out;
}

export function validateComposeSchema(doc: unknown): Omit<Diagnostic, 'location'>[] {
  const validate = load();
  if (validate(doc)) return [];
  return schemaProblems(doc, validate.errors ?? []);
}

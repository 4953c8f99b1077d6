/**
 * The fast path of stage 1 (parse.ts), for the YAML most Compose files are written in: block
 * mappings and sequences, one-line scalars, one-line flow collections, block scalars. The yaml
 * package's parser keeps a node for every token and reads ~2 MB/s (3 s for a 10 000-service
 * file); here js-yaml gives the value (~30 MB/s) and a line scanner gives where each key, item
 * and scalar value is written. Whatever the scanner does not know (anchors, aliases, tags, merge
 * keys, multi-line plain or quoted scalars, empty documents, tabs, keys that are not plain
 * strings) or any disagreement between the two answers `undefined`, and the caller takes the yaml
 * package's path, which also writes every error message. Compose files are one document
 * (parseBlockYaml, for parse.ts); `validate` reads manifests, mappings separated by `---` lines,
 * with YAML 1.1 scalars (parseBlockYamlStream, for lib/validate/read.ts). Tests check that both
 * paths agree on every YAML file in the repository (test/compose/parse-block.test.ts,
 * test/validate/read-fast-path.test.ts) and on damaged ones (test/fuzz/parse-paths.fuzz.test.ts).
 */
import { FAILSAFE_SCHEMA, load, loadAll, Type, type Schema } from 'js-yaml';
import type { SourceLocation } from './diagnostics';
import { outsideSubset, scan, type Skeleton } from './block-scanner';
import { readCore, type PlainScalarReader } from './core-scalars';
import { childPath } from './key-path';

export type { PlainScalarReader, Skeleton };

/** A js-yaml schema whose plain scalars read as `read` says; quoted ones stay strings, as in YAML. */
export function plainScalarSchema(read: PlainScalarReader): Schema {
  return FAILSAFE_SCHEMA.extend({
    implicit: [
      new Type('tag:yaml.org,2002:plain-scalar', {
        kind: 'scalar',
        resolve: (data: unknown) => typeof data === 'string' && read(data) !== undefined,
        construct: (data: string) => (read(data) ?? { value: data }).value,
      }),
    ],
  });
}
const CORE_SCHEMA = plainScalarSchema(readCore);

export interface BlockParse {
  readonly value: unknown;
  readonly skeleton: Skeleton;
}

/** The value and skeleton of a file in the subset, or undefined (then the yaml package parses it). */
export function parseBlockYaml(text: string, file: string, maxDepth: number): BlockParse | undefined {
  if (outsideSubset(text)) return undefined;
  const skeleton = scan(text, file, maxDepth);
  if (!skeleton) return undefined;
  try {
    return { value: load(text, { schema: CORE_SCHEMA, json: false }), skeleton };
  } catch {
    return undefined; // the yaml package reports the error at its place
  }
}

/**
 * The documents of a stream of block-YAML mappings separated by `---` lines (a manifests file),
 * plain scalars read by `read`; undefined when any document is outside the subset, empty, or read
 * otherwise by js-yaml than by the scanner.
 */
export function parseBlockYamlStream(text: string, read: PlainScalarReader, maxDepth = 64): unknown[] | undefined {
  if (outsideSubset(text)) return undefined;
  const segments: string[][] = [[]];
  for (const line of text.split('\n')) {
    if (/^---[ \r]*$/.test(line)) segments.push([]);
    else segments[segments.length - 1].push(line);
  }
  const hasContent = (lines: readonly string[]) => lines.some((l) => /^\s*[^\s#]/.test(l));
  // Comments before a first `---` belong to no document; an empty document anywhere else is the yaml package's.
  if (!hasContent(segments[0])) segments.shift();
  if (segments.length === 0 || !segments.every(hasContent)) return undefined;
  const skeletons = segments.map((lines) => scan(lines.join('\n'), '', maxDepth));
  let values: unknown[];
  try {
    values = loadAll(text, undefined, { schema: schemaFor(read), json: false });
  } catch {
    return undefined;
  }
  if (values.length !== skeletons.length) return undefined;
  for (const [i, skeleton] of skeletons.entries()) {
    if (!skeleton || !locateSkeleton(skeleton, values[i])) return undefined;
  }
  return values;
}

const schemas = new Map<PlainScalarReader, Schema>();
function schemaFor(read: PlainScalarReader): Schema {
  let schema = schemas.get(read);
  if (!schema) schemas.set(read, (schema = plainScalarSchema(read)));
  return schema;
}

export interface SkeletonLocations {
  /** Key path -> where it is written (the key for mapping entries, the item for sequence items). */
  readonly locations: Map<string, SourceLocation>;
  /** Key path -> where its scalar value is written. */
  readonly valueLocations: Map<string, SourceLocation>;
}

/**
 * The positions of a value read by the fast path, as parse.ts finds them in the yaml package's
 * nodes; undefined when the scanner's skeleton and js-yaml's value disagree anywhere.
 */
export function locateSkeleton(skeleton: Skeleton, value: unknown): SkeletonLocations | undefined {
  const locations = new Map<string, SourceLocation>();
  const valueLocations = new Map<string, SourceLocation>();
  const walk = (node: Skeleton, v: unknown, path: string): boolean => {
    if (node.kind === 'scalar') return typeof v !== 'object' || v === null;
    if (node.kind === 'map') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
      const record = v as Record<string, unknown>;
      if (Object.keys(record).length !== node.entries.length) return false;
      for (const entry of node.entries) {
        if (!Object.prototype.hasOwnProperty.call(record, entry.key)) return false;
        const p = childPath(path, entry.key);
        locations.set(p, entry.keyAt);
        if (entry.value.kind === 'scalar') valueLocations.set(p, entry.valueAt);
        if (!walk(entry.value, record[entry.key], p)) return false;
      }
      return true;
    }
    if (!Array.isArray(v) || v.length !== node.items.length) return false;
    for (const [i, item] of node.items.entries()) {
      const p = childPath(path, i);
      locations.set(p, item.at);
      const itemValue: unknown = v[i];
      // List forms of keyed entries (`depends_on: [db]`) are addressed by name too, as parse.ts does.
      if (item.value.kind === 'scalar' && typeof itemValue === 'string') {
        const named = childPath(path, itemValue);
        if (!locations.has(named)) locations.set(named, item.at);
      }
      if (!walk(item.value, itemValue, p)) return false;
    }
    return true;
  };
  return walk(skeleton, value, '') ? { locations, valueLocations } : undefined;
}

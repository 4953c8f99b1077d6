/**
 * The inventory of what a file sets: every Compose key path a service or a top-level element
 * writes, down to nested keys (`deploy.placement.constraints`, `volumes[2].bind.propagation`),
 * each with its pattern in the Compose schema's key tree and where it is written. The key
 * registry (lib/translate/registry.ts) gives each pattern its rule; the account built from both
 * is what lets `explain` and `convert` say, for every key, what it became or why not.
 */
import type { SourceLocation } from './diagnostics';
import { COMPOSE_KEYS, type KeyNode } from './generated/compose-keys';
import { isRecord } from './merge';
import { childPath } from './parse';

export interface WrittenKey {
  /** The key path below its owner (a service, or the document for top-level keys): `deploy.replicas`, `ports[0].target`. */
  readonly path: string;
  /** The same path in the key tree: `ports[].target`, `depends_on.*.condition`, `x-k8s`. */
  readonly pattern: string;
  readonly location?: SourceLocation;
  /** The value as written (after interpolation, extends and merging). */
  readonly value: unknown;
}

/** The key tree of one service: what `services.<name>` may hold. */
export const SERVICE_KEYS: KeyNode = COMPOSE_KEYS.services['*'];

export const patternChild = (pattern: string, key: string): string =>
  key === '[]' ? `${pattern}[]` : pattern ? `${pattern}.${key}` : key;

/**
 * Walks `value` along `tree`, listing each key path the tree knows. A mapping under a `*` node
 * is a set of named entries (`networks.<name>`); a leaf's value is data, not keys (`labels`,
 * `environment`). `x-` keys are extensions: only a service's own ones are listed, as `x-*`
 * (`x-k8s` by name), since those are the ones a reader could expect translated.
 */
export function writtenKeys(
  value: unknown,
  tree: KeyNode,
  locate: (fullPath: string) => SourceLocation | undefined,
  /** The owner's path in the document (`services.web`, or '' for the top level). */
  base: string,
  options: { readonly extensions?: boolean } = {},
): WrittenKey[] {
  const out: WrittenKey[] = [];
  const visit = (v: unknown, node: KeyNode, rel: string, pattern: string, full: string) => {
    if (Array.isArray(v)) {
      const items = node['[]'];
      if (!items) return;
      v.forEach((item, i) => {
        const r = childPath(rel, i);
        const f = childPath(full, i);
        const p = patternChild(pattern, '[]');
        out.push({ path: r, pattern: p, location: locate(f), value: item });
        visit(item, items, r, p, f);
      });
      return;
    }
    if (!isRecord(v)) return;
    for (const [key, child] of Object.entries(v)) {
      const r = childPath(rel, key);
      const f = childPath(full, key);
      if (key.startsWith('x-')) {
        if (options.extensions && rel === '') {
          out.push({ path: r, pattern: key === 'x-k8s' ? 'x-k8s' : 'x-*', location: locate(f), value: child });
        }
        continue;
      }
      const named = node[key];
      const free = named ? undefined : node['*'];
      const next = named ?? free;
      if (!next) continue;
      const p = patternChild(pattern, named ? key : '*');
      out.push({ path: r, pattern: p, location: locate(f), value: child });
      visit(child, next, r, p, f);
    }
  };
  visit(value, tree, '', '', base);
  return out;
}

/** The top-level keys a document sets, minus `services` (each service has its own inventory). */
export function writtenTopLevelKeys(
  doc: Record<string, unknown>,
  locate: (fullPath: string) => SourceLocation | undefined,
): WrittenKey[] {
  const rest = Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'services'));
  return writtenKeys(rest, COMPOSE_KEYS, locate, '', { extensions: true });
}

/** The segments of a key path as `childPath` writes them: `volumes[2].bind`, `labels."a.b"`. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\.?"((?:[^"\\]|\\.)*)"|\.?([^.[\]"]+)/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(`"${m[2]}"`) as string);
    else out.push(m[3]);
  }
  return out;
}

/**
 * The pattern of a concrete key path, and how much of the path the tree knows: the rest is data
 * (`labels.traefik.enable` -> pattern `labels`, since a label's name is not a key).
 */
export function patternOf(path: string, tree: KeyNode = SERVICE_KEYS): { pattern: string; known: string } {
  let node: KeyNode | undefined = tree;
  let pattern = '';
  let known = '';
  for (const seg of pathSegments(path)) {
    if (!node) break;
    if (typeof seg === 'number') {
      const items: KeyNode | undefined = node['[]'];
      if (!items) break;
      node = items;
      pattern = patternChild(pattern, '[]');
      known = childPath(known, seg);
      continue;
    }
    if (seg.startsWith('x-') && pattern === '') {
      return { pattern: seg === 'x-k8s' ? 'x-k8s' : 'x-*', known: childPath(known, seg) };
    }
    const named: KeyNode | undefined = node[seg];
    const next: KeyNode | undefined = named ?? node['*'];
    if (!next) break;
    node = next;
    pattern = patternChild(pattern, named ? seg : '*');
    known = childPath(known, seg);
  }
  return { pattern, known };
}

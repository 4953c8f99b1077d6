/**
 * The checks of a parsed YAML document that the `yaml` package would make in quadratic time,
 * made in one pass. Its duplicate-key check compares each key with every earlier key of the same
 * mapping (50 million comparisons for the 10 000 services of a generated stack), and its alias
 * limit multiplies counts per anchor, so a file that merges one shared anchor into each of its
 * thousands of services is refused as if it were an attack. Here a key is looked up in a set,
 * and an alias counts what it really adds: the nodes of what it names, aliases in it expanded.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

/** Aliases may add this many nodes per node written in the file, above the `maxAliasCount` floor. */
export const ALIAS_NODES_PER_WRITTEN_NODE = 10;

export interface DuplicateKey {
  /** Offset of the repeated key in the text. */
  readonly offset: number;
}

export type AliasProblem =
  | { readonly kind: 'too-many'; readonly offset: number; readonly budget: number }
  | { readonly kind: 'cycle'; readonly offset: number; readonly source: string };

export interface DocumentScan {
  readonly duplicates: readonly DuplicateKey[];
  readonly alias?: AliasProblem;
}

/**
 * Duplicate keys, and the first alias past the expansion budget (or naming a node that holds
 * it). Nodes deeper than `maxDepth` are not visited: the caller refuses the document for its depth.
 */
export function scanDocument(doc: Document, limits: { maxAliasCount: number; maxDepth: number }): DocumentScan {
  const duplicates: DuplicateKey[] = [];
  // Expanded size of each finished node that carries an anchor; an anchor still being read is absent.
  const sizes = new Map<Node, number>();
  const anchors = new Map<string, Node>();
  const aliasUses: { offset: number; adds: number; cycle?: string }[] = [];
  let written = 0;

  /** The node's size with its aliases expanded. */
  const visit = (node: unknown, depth: number): number => {
    if (node === null || node === undefined || depth > limits.maxDepth) return 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const offset = node.range?.[0] ?? 0;
      written += 1;
      if (target === undefined) return 1; // unresolved: toJS reports it
      const size = sizes.get(target);
      if (size === undefined) {
        aliasUses.push({ offset, adds: 0, cycle: node.source });
        return 1;
      }
      aliasUses.push({ offset, adds: size });
      return size;
    }
    const anchored = (node as Node).anchor;
    if (anchored) anchors.set(anchored, node as Node);
    written += 1;
    let size = 1;
    if (isMap(node)) {
      const seen = new Map<unknown, true>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        // As yaml compares keys: scalars by value (NaN never equal), anything else by identity.
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value)) duplicates.push({ offset: key.range?.[0] ?? 0 });
          else seen.set(key.value, true);
        }
        size += visit(key, depth + 1) + visit(pair.value, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) size += visit(item, depth + 1);
    }
    if (anchored) sizes.set(node as Node, size);
    return size;
  };
  visit(doc.contents, 0);

  const budget = Math.max(limits.maxAliasCount, ALIAS_NODES_PER_WRITTEN_NODE * written);
  let added = 0;
  for (const use of aliasUses) {
    if (use.cycle !== undefined) return { duplicates, alias: { kind: 'cycle', offset: use.offset, source: use.cycle } };
    added += use.adds;
    if (added > budget) return { duplicates, alias: { kind: 'too-many', offset: use.offset, budget } };
  }
  return { duplicates };
}

/**
 * Stage 1: YAML text -> plain value, with the position of every key so later stages can say
 * `compose.yaml:14:7: services.web.ports[0]`. Hostile input (huge files, alias bombs, absurd
 * nesting) is refused here, before anything expands it in memory.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
} from 'yaml';
import type { Diagnostic, SourceLocation } from './diagnostics';
import { childPath } from './key-path';
import { locateSkeleton, parseBlockYaml } from './parse-block';
import { scanDocument, type AliasProblem } from './yaml-guard';

export interface LoadLimits {
  /**
   * Bytes per Compose file. None by default: a file's size costs time in proportion, what could
   * exhaust memory is the expansion of aliases and the nesting, which the other two bound.
   */
  readonly maxFileBytes: number;
  /**
   * Nodes YAML aliases may add to a file once expanded: this many, or ten per node written in
   * the file when that is more (a stack that merges one anchor into each of its thousands of
   * services). A "billion laughs" document adds hundreds of millions from a few lines.
   */
  readonly maxAliasCount: number;
  /** Nesting depth of mappings and sequences; real Compose files stay under 10. */
  readonly maxDepth: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = {
  maxFileBytes: Number.POSITIVE_INFINITY,
  maxAliasCount: 100_000,
  maxDepth: 64,
};

export interface ParsedFile {
  /** The file name as shown to the user. */
  readonly file: string;
  readonly value: unknown;
  /** Key path -> where it is written (the key for mapping entries, the item for sequence items). */
  readonly locations: ReadonlyMap<string, SourceLocation>;
  /** Key path -> where its scalar value is written (`file: base.yaml`: at `base.yaml`). */
  readonly valueLocations: ReadonlyMap<string, SourceLocation>;
  /** Paths tagged `!reset` (remove what earlier files set) and `!override` (replace instead of merge). */
  readonly resets: ReadonlySet<string>;
  readonly overrides: ReadonlySet<string>;
}

/**
 * `documents` holds one entry per YAML document (`---`): compose-go reads each as one more file
 * merged over the ones before. `file` is the first.
 */
export { childPath };

export type ParseResult = { ok: true; file: ParsedFile; documents: readonly ParsedFile[] } | ParseFailure;

type ParseFailure = { ok: false; diagnostics: Diagnostic[] };

const MESSAGES: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'duplicate key',
  TAB_AS_INDENT: 'tabs are not allowed for indentation in YAML; use spaces',
};

function scalarKey(node: unknown): string | undefined {
  if (isScalar(node)) return String(node.value);
  return undefined;
}

export function parseYaml(text: string, file: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS): ParseResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxFileBytes) {
    return parseError(
      file,
      `file is ${bytes} bytes, over the limit of ${limits.maxFileBytes} bytes for a Compose file`,
      undefined,
      'file-too-large',
    );
  }
  const fast = parseBlockYaml(text, file, limits.maxDepth);
  const located = fast && locateSkeleton(fast.skeleton, fast.value);
  if (fast && located) {
    const parsed = { file, value: fast.value, ...located, resets: new Set<string>(), overrides: new Set<string>() };
    return { ok: true, file: parsed, documents: [parsed] };
  }
  return parseYamlNodes(text, file, limits);
}

/** The whole of YAML, through the yaml package's nodes: the path of every file the fast path does not take. */
export function parseYamlNodes(text: string, file: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS): ParseResult {
  const lineCounter = new LineCounter();
  // Duplicate keys are found by scanDocument: yaml's own check is quadratic in a mapping's size.
  const docs = Array.from(
    parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false, merge: true }),
  );
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const scans = docs.map((doc) => scanDocument(doc, limits));
  const errors = [
    ...docs.flatMap((doc) => doc.errors).map((e) => ({ offset: e.pos[0], code: e.code, message: e.message })),
    ...scans.flatMap((scan) => scan.duplicates).map((d) => ({ offset: d.offset, code: 'DUPLICATE_KEY', message: '' })),
  ].sort((a, b) => a.offset - b.offset);
  if (errors.length > 0) {
    return {
      ok: false,
      diagnostics: errors.map((e) => {
        const loc = at(e.offset);
        const key = e.code === 'DUPLICATE_KEY' ? /^["']?([^"':\n]+)/.exec(text.slice(e.offset))?.[1] : undefined;
        const duplicate = key ? ` "${key.trim()}"` : '';
        // yaml's composer recurses per level: nesting deep enough overflows the stack, which it reports.
        if (/Maximum call stack size exceeded/.test(e.message)) return tooDeepDiagnostic(loc, limits);
        const message = MESSAGES[e.code] ? MESSAGES[e.code] + duplicate : `invalid YAML: ${e.message.split('\n')[0]}`;
        return { severity: 'error', code: 'yaml-syntax', message, location: loc };
      }),
    };
  }
  const documents: ParsedFile[] = [];
  for (const [i, doc] of docs.entries()) {
    const alias = scans[i].alias;
    const parsed = parseDocumentValue(doc, file, at, limits, alias);
    if (!parsed.ok) return parsed;
    documents.push(parsed.file);
  }
  if (documents.length === 0) documents.push(emptyFile(file));
  return { ok: true, file: documents[0], documents };
}

function emptyFile(file: string): ParsedFile {
  return { file, value: {}, locations: new Map(), valueLocations: new Map(), resets: new Set(), overrides: new Set() };
}

function parseError(file: string, message: string, at: SourceLocation | undefined, code = 'yaml-syntax'): ParseFailure {
  return {
    ok: false,
    diagnostics: [{ severity: 'error', code, message, location: at ?? { file, line: 1, column: 1 } }],
  };
}

function tooDeepDiagnostic(location: SourceLocation, limits: LoadLimits): Diagnostic {
  const message = `nesting is deeper than the limit of ${limits.maxDepth} levels`;
  return { severity: 'error', code: 'too-deep', message, location };
}

function aliasFailure(file: string, problem: AliasProblem, location: SourceLocation): ParseFailure {
  return parseError(
    file,
    problem.kind === 'cycle'
      ? `YAML alias *${problem.source} is used inside the node it names: its value would contain itself`
      : `YAML aliases expand to more than ${problem.budget} nodes (the limit guards against alias bombs)`,
    location,
    problem.kind === 'cycle' ? 'alias-cycle' : 'too-many-aliases',
  );
}

function parseDocumentValue(
  doc: Document,
  file: string,
  at: (offset: number) => SourceLocation,
  limits: LoadLimits,
  alias: AliasProblem | undefined,
): { ok: true; file: ParsedFile } | ParseFailure {
  const locations = new Map<string, SourceLocation>();
  const valueLocations = new Map<string, SourceLocation>();
  const resets = new Set<string>();
  const overrides = new Set<string>();
  let tooDeep: SourceLocation | undefined;
  const walk = (node: unknown, path: string, depth: number): void => {
    if (tooDeep) return;
    if (depth > limits.maxDepth) {
      tooDeep = at((node as Node).range?.[0] ?? 0);
      return;
    }
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.tag === '!reset') resets.add(path);
      if (node.tag === '!override') overrides.add(path);
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = scalarKey(pair.key);
        if (key === undefined || key === '<<') continue;
        const p = childPath(path, key);
        const keyNode = pair.key as Node | null;
        if (keyNode?.range) locations.set(p, at(keyNode.range[0]));
        if (isScalar(pair.value) && pair.value.range) valueLocations.set(p, at(pair.value.range[0]));
        walk(pair.value, p, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = childPath(path, i);
        const n = item as Node | null;
        if (n?.range) {
          locations.set(p, at(n.range[0]));
          // List forms of keyed entries (`depends_on: [db]`, `networks: [back]`) are addressed by name.
          if (isScalar(n) && typeof n.value === 'string') {
            const named = childPath(path, n.value);
            if (!locations.has(named)) locations.set(named, at(n.range[0]));
          }
        }
        walk(item, p, depth + 1);
      });
    } else if (isAlias(node)) {
      return;
    }
  };
  walk(doc.contents, '', 0);
  if (tooDeep) return { ok: false, diagnostics: [tooDeepDiagnostic(tooDeep, limits)] };
  if (alias) return aliasFailure(file, alias, at(alias.offset));

  let value: unknown;
  try {
    // scanDocument bounded the expansion: yaml's own count would refuse legitimate large files.
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return parseError(file, `invalid YAML: ${message.split('\n')[0]}`, undefined);
  }
  return { ok: true, file: { file, value: value ?? {}, locations, valueLocations, resets, overrides } };
}

/** Where the scalar value at `path` is written, else where its key is. */
export function locateValue(files: readonly ParsedFile[], path: string): SourceLocation | undefined {
  for (let i = files.length - 1; i >= 0; i--) {
    const loc = files[i].valueLocations.get(path);
    if (loc) return loc;
  }
  return locate(files, path);
}

/** The position of `path`, or of its nearest written ancestor. */
export function locate(files: readonly ParsedFile[], path: string): SourceLocation | undefined {
  for (let p = path; p; p = parentPath(p)) {
    for (let i = files.length - 1; i >= 0; i--) {
      const loc = files[i].locations.get(p);
      if (loc) return loc;
    }
  }
  return files.length > 0 ? { file: files[0].file, line: 1, column: 1 } : undefined;
}

export function parentPath(path: string): string {
  const m = /^(.*?)(?:\[\d+\]|\.(?:"(?:[^"\\]|\\.)*"|[A-Za-z0-9_-]+))$/.exec(path);
  return m ? m[1] : '';
}

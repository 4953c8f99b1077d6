/**
 * The line scanner of the fast YAML path (parse-block.ts): reads block mappings and sequences,
 * one-line scalars, one-line flow collections and block scalars, and says where each key, item
 * and scalar value is written (the skeleton); anything else throws NotInSubset, inside this
 * module only: `scan` answers undefined, and the caller takes the yaml package's path.
 */
import type { SourceLocation } from './diagnostics';
import { coreRule } from './core-scalars';

/** Where the scanner saw each node; `at` is the node's first character (a key's for entries). */
export type Skeleton =
  | { readonly kind: 'map'; readonly entries: readonly Entry[] }
  | { readonly kind: 'seq'; readonly items: readonly Item[] }
  | { readonly kind: 'scalar' };
export interface Entry {
  readonly key: string;
  readonly keyAt: SourceLocation;
  readonly valueAt: SourceLocation;
  readonly value: Skeleton;
}
export interface Item {
  readonly at: SourceLocation;
  readonly value: Skeleton;
}

/** Thrown inside the scanner when the text leaves the subset it knows; never escapes this module. */
class NotInSubset extends Error {}
const notInSubset = (): never => {
  throw new NotInSubset();
};

const isBlank = (line: string) => /^ *$/.test(line);
const indentOf = (line: string) => {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
};
const skipSpaces = (line: string, from: number) => {
  let i = from;
  while (line.charCodeAt(i) === 32) i++;
  return i;
};
/** Nothing but spaces and maybe a comment from `from` on. */
const restIsEmpty = (line: string, from: number) => {
  const i = skipSpaces(line, from);
  // A comment needs a space before it: `'x'#c` is an error the yaml package reports.
  return i >= line.length || (line[i] === '#' && i > from);
};
const isSeqEntryAt = (line: string, col: number) =>
  line[col] === '-' && (col + 1 === line.length || line[col + 1] === ' ');

/** The end (index after the closing quote) of a one-line quoted scalar starting at `from`, or fail. */
function quotedEnd(line: string, from: number, allowEscapes: boolean): number {
  const quote = line[from];
  for (let i = from + 1; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === '\\') {
      if (!allowEscapes) notInSubset();
      i++;
    } else if (c === quote) {
      if (quote === "'" && line[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return notInSubset();
}

/** A key written as a plain string: not one the core schema reads as null, a boolean or a number. */
function plainKey(text: string): string {
  if (text === '' || text === '<<' || text === '__proto__' || text.length > 1024 || coreRule(text)) notInSubset();
  return text;
}

/** `key:` at `col`: the key and the index after the colon, or undefined when the text there is no key. */
function keyAt(line: string, col: number): { key: string; after: number } | undefined {
  const c = line[col];
  if (c === '"' || c === "'") {
    const end = quotedEnd(line, col, true);
    const colon = skipSpaces(line, end);
    if (line[colon] !== ':' || !(colon + 1 === line.length || line[colon + 1] === ' ')) return undefined;
    const inner = line.slice(col + 1, end - 1);
    // Keys are compared with js-yaml's: a key with escapes is left to the yaml package.
    if (c === '"' && inner.includes('\\')) notInSubset();
    return { key: plainOrQuotedKey(c === "'" ? inner.replace(/''/g, "'") : inner), after: colon + 1 };
  }
  if ('[]{}&*!|>%@`#,?:'.includes(c)) return undefined;
  for (let i = col; i < line.length; i++) {
    if (line[i] === '#' && line[i - 1] === ' ') return undefined;
    if (line[i] === ':' && (i + 1 === line.length || line[i + 1] === ' ')) {
      return { key: plainKey(line.slice(col, i).trimEnd()), after: i + 1 };
    }
  }
  return undefined;
}
const plainOrQuotedKey = (key: string) => {
  if (key === '<<' || key === '__proto__') notInSubset();
  return key;
};

class Scanner {
  private readonly lines: string[];
  /** The line the scanner is at (0-based). */
  private i = 0;

  constructor(
    text: string,
    private readonly file: string,
    private readonly maxDepth: number,
  ) {
    this.lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  private at(line: number, col: number): SourceLocation {
    return { file: this.file, line: line + 1, column: col + 1 };
  }

  /** Moves to the next line with content (not blank, not only a comment). */
  private skipToContent(): void {
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      const ind = indentOf(line);
      if (ind < line.length && line[ind] !== '#') return;
      this.i++;
    }
  }

  private get done(): boolean {
    return this.i >= this.lines.length;
  }

  document(): Skeleton {
    this.skipToContent();
    if (this.done) notInSubset();
    if (/^---( +#.*| *)$/.test(this.lines[this.i])) {
      this.i++;
      this.skipToContent();
    }
    if (this.done || indentOf(this.lines[this.i]) !== 0) notInSubset();
    const root = this.map(this.i, 0, 0);
    this.skipToContent();
    // A second document, `...`, or text the root mapping did not take.
    if (!this.done) notInSubset();
    return root;
  }

  /** Whether the node written on the following lines (more indented than `parent`) exists. */
  private nested(parent: number, sameIndentSeq: boolean): boolean {
    this.skipToContent();
    if (this.done) return false;
    const line = this.lines[this.i];
    const ind = indentOf(line);
    return ind > parent || (sameIndentSeq && ind === parent && isSeqEntryAt(line, ind));
  }

  private depthCheck(depth: number): void {
    if (depth > this.maxDepth) notInSubset();
  }

  /** A block node starting at the current line's indentation. */
  private block(depth: number): { at: SourceLocation; value: Skeleton } {
    const line = this.lines[this.i];
    const ind = indentOf(line);
    const at = this.at(this.i, ind);
    if (isSeqEntryAt(line, ind)) return { at, value: this.seq(ind, depth) };
    if (keyAt(line, ind)) return { at, value: this.map(this.i, ind, depth) };
    return notInSubset();
  }

  /** Whether the collection at column `col` goes on at the next line with content; more indented is not ours. */
  private continuesAt(col: number): boolean {
    this.skipToContent();
    if (this.done) return false;
    const ind = indentOf(this.lines[this.i]);
    if (ind > col) notInSubset();
    return ind === col;
  }

  /** A block mapping whose first key is at (`row`, `col`), which may follow `- ` on its line. */
  private map(row: number, col: number, depth: number): Skeleton {
    this.depthCheck(depth);
    const entries: Entry[] = [];
    this.i = row;
    for (let first = true; first || this.continuesAt(col); first = false) {
      const line = this.lines[this.i];
      if (col === 0 && /^(---|\.\.\.)( |$)/.test(line)) notInSubset();
      const key = keyAt(line, col) ?? notInSubset();
      const keyRow = this.i;
      const { at: valueAt, value } = this.value(keyRow, key.after, col, true, depth + 1);
      entries.push({ key: key.key, keyAt: this.at(keyRow, col), valueAt, value });
    }
    return { kind: 'map', entries };
  }

  private seq(col: number, depth: number): Skeleton {
    this.depthCheck(depth);
    const items: Item[] = [];
    for (let first = true; first || this.continuesAt(col); first = false) {
      const line = this.lines[this.i];
      // The mapping this sequence is the value of goes on (`ports:\n- 80\nimage: x`).
      if (!isSeqEntryAt(line, col)) break;
      const row = this.i;
      const start = skipSpaces(line, col + 1);
      if (isSeqEntryAt(line, start)) notInSubset(); // `- - x`
      if (start < line.length && line[start] !== '#' && keyAt(line, start)) {
        items.push({ at: this.at(row, start), value: this.map(row, start, depth + 1) });
        continue;
      }
      const { at, value } = this.value(row, col + 1, col, false, depth + 1);
      items.push({ at, value });
    }
    return { kind: 'seq', items };
  }

  /**
   * The value after `key:` or `-` (from index `from` of line `row`), whose container is at column
   * `parent`; leaves the scanner on the line after it. A mapping's value may be a sequence at the
   * mapping's own indentation (`sameIndentSeq`).
   */
  private value(
    row: number,
    from: number,
    parent: number,
    sameIndentSeq: boolean,
    depth: number,
  ): { at: SourceLocation; value: Skeleton } {
    const line = this.lines[row];
    const j = skipSpaces(line, from);
    const here = this.at(row, j);
    this.i = row + 1;
    if (j >= line.length || line[j] === '#') {
      if (this.nested(parent, sameIndentSeq)) return this.block(depth);
      return { at: here, value: { kind: 'scalar' } };
    }
    const c = line[j];
    let end: number;
    let value: Skeleton = { kind: 'scalar' };
    if (c === '|' || c === '>') {
      if (!/^[|>][+-]?( +#.*| *)$/.test(line.slice(j))) notInSubset();
      this.blockScalar(parent);
      return { at: here, value };
    } else if (c === '[' || c === '{') {
      const flow = new FlowScanner(line, row, this.file, depth, this.maxDepth);
      value = flow.collection(j);
      end = flow.index;
    } else if (c === '"' || c === "'") {
      end = quotedEnd(line, j, true);
    } else if ('&*!%@`,]}?:'.includes(c) || (c === '-' && (j + 1 === line.length || line[j + 1] === ' '))) {
      return notInSubset();
    } else {
      end = plainEnd(line, j);
    }
    if (!restIsEmpty(line, end)) notInSubset();
    // A more indented line after a one-line scalar continues it (or is an error): the yaml package's.
    this.skipToContent();
    if (!this.done && indentOf(this.lines[this.i]) > parent) notInSubset();
    return { at: here, value };
  }

  /** Skips a block scalar's lines: blank or more indented than its container, all at least as indented as the first. */
  private blockScalar(parent: number): void {
    let contentIndent = -1;
    let blankWidth = 0;
    for (; this.i < this.lines.length; this.i++) {
      const line = this.lines[this.i];
      if (isBlank(line)) {
        blankWidth = Math.max(blankWidth, line.length);
        continue;
      }
      const ind = indentOf(line);
      if (ind <= parent) break;
      if (contentIndent < 0) {
        contentIndent = ind;
        // Leading blank lines longer than the content's indentation are an error in YAML.
        if (blankWidth > contentIndent) notInSubset();
      } else if (ind < contentIndent) notInSubset();
    }
  }
}

/** The end of a plain scalar in block context: the line's end or a comment; `: ` inside is not ours. */
function plainEnd(line: string, from: number): number {
  let end = line.length;
  for (let i = from; i < line.length; i++) {
    if (line[i] === '#' && line[i - 1] === ' ') {
      end = i - 1; // the space before the comment
      break;
    }
    if (line[i] === ':' && (i + 1 === line.length || line[i + 1] === ' ')) notInSubset();
  }
  return end;
}

/** `[...]` and `{...}` written on one line. */
class FlowScanner {
  index = 0;
  constructor(
    private readonly line: string,
    private readonly row: number,
    private readonly file: string,
    private readonly depth: number,
    private readonly maxDepth: number,
  ) {}

  private at(col: number): SourceLocation {
    return { file: this.file, line: this.row + 1, column: col + 1 };
  }

  collection(start: number, depth = this.depth): Skeleton {
    if (depth > this.maxDepth) notInSubset();
    const close = this.line[start] === '[' ? ']' : '}';
    const entries: Entry[] = [];
    const items: Item[] = [];
    let k = start + 1;
    for (;;) {
      k = skipSpaces(this.line, k);
      if (this.line[k] === close && entries.length + items.length === 0) break;
      if (close === '}') {
        const keyStart = k;
        let key: string;
        if (this.line[k] === '"' || this.line[k] === "'") {
          const end = quotedEnd(this.line, k, false);
          const inner = this.line.slice(k + 1, end - 1);
          key = plainOrQuotedKey(this.line[k] === "'" ? inner.replace(/''/g, "'") : inner);
          k = skipSpaces(this.line, end);
          if (this.line[k] !== ':') notInSubset();
        } else {
          const end = this.plain(k);
          if (this.line[end] !== ':') notInSubset();
          key = plainKey(this.line.slice(k, end).trimEnd());
          k = end;
        }
        k = skipSpaces(this.line, k + 1);
        const valueAt = this.at(k);
        const value = this.item(k, depth);
        entries.push({ key, keyAt: this.at(keyStart), valueAt, value: value.value });
        k = value.end;
      } else {
        const at = this.at(k);
        const value = this.item(k, depth);
        if (this.line[skipSpaces(this.line, value.end)] === ':') notInSubset(); // `[a: b]`
        items.push({ at, value: value.value });
        k = value.end;
      }
      k = skipSpaces(this.line, k);
      if (this.line[k] === ',') {
        k = skipSpaces(this.line, k + 1);
        if (this.line[k] === close) notInSubset(); // a trailing comma
        continue;
      }
      if (this.line[k] === close) break;
      notInSubset();
    }
    this.index = k + 1;
    return close === ']' ? { kind: 'seq', items } : { kind: 'map', entries };
  }

  private item(k: number, depth: number): { value: Skeleton; end: number } {
    const c = this.line[k];
    if (c === '[' || c === '{') {
      const value = this.collection(k, depth + 1);
      return { value, end: this.index };
    }
    if (c === '"' || c === "'") return { value: { kind: 'scalar' }, end: quotedEnd(this.line, k, true) };
    if (c === undefined || '&*!|>%@`#,]}?:'.includes(c) || (c === '-' && this.line[k + 1] === ' '))
      return notInSubset();
    return { value: { kind: 'scalar' }, end: this.plain(k) };
  }

  /** A plain scalar in flow context ends at `,`, a closing bracket, `: ` or a comment. */
  private plain(from: number): number {
    for (let i = from; i < this.line.length; i++) {
      const c = this.line[i];
      if (c === ',' || c === ']' || c === '}') return trimmedEnd(this.line, from, i);
      if (c === '[' || c === '{') notInSubset();
      if (c === '#' && this.line[i - 1] === ' ') notInSubset();
      if (c === ':' && (i + 1 === this.line.length || ' ,]}'.includes(this.line[i + 1])))
        return trimmedEnd(this.line, from, i);
    }
    return notInSubset(); // the collection goes on on the next line
  }
}

const trimmedEnd = (line: string, from: number, end: number) => {
  let e = end;
  while (e > from && line[e - 1] === ' ') e--;
  if (e === from) notInSubset();
  return e;
};

/** Text the line scanner never takes: tabs, a byte-order mark, a carriage return alone (a line break for js-yaml only). */
export const outsideSubset = (text: string) =>
  text.includes('\t') || text.charCodeAt(0) === 0xfeff || /\r(?!\n)/.test(text);

export function scan(text: string, file: string, maxDepth: number): Skeleton | undefined {
  try {
    return new Scanner(text, file, maxDepth).document();
  } catch (error) {
    if (error instanceof NotInSubset) return undefined;
    throw error;
  }
}

/**
 * Template expressions spliced into serialized YAML. A templated field is first replaced in the
 * object by a token (a plain word no manifest contains), the object is serialized by the
 * project's YAML writer like any manifest, and only then are the tokens replaced by Go template
 * text. Every literal field is therefore written exactly as the plain output writes it, and a
 * value from values.yaml reaches the YAML only through `quote`, `toYaml` or a number.
 */
import { stringifyDocuments } from '../output/yaml';

export type Splice =
  /** The token is a scalar value: it becomes `{{ expr }}`. */
  | { readonly kind: 'inline'; readonly expr: string }
  /** The token is a key: `key:` then `toYaml expr`; `optional` leaves the key out when expr is empty. */
  | { readonly kind: 'block'; readonly key: string; readonly expr: string; readonly optional: boolean }
  /** The token is a key whose literal subtree is kept only when `cond` holds. */
  | { readonly kind: 'if'; readonly key: string; readonly cond: string }
  /** The token is a key: its line becomes these template lines, given the key's indentation. */
  | { readonly kind: 'lines'; readonly lines: (pad: string) => readonly string[] };

const KEY_LINE = /^( *)(\S+): ?(.*)$/;
const LEADING_SPACES = /^ */;

/** A token prefix that no literal text (`taken`: all of it, e.g. the objects' JSON) contains. */
export function tokenPrefix(taken: string): string {
  let prefix = '__helm';
  while (taken.includes(prefix)) prefix += 'x';
  return prefix;
}

/** Hands out tokens for one template file and turns its serialized YAML into template text. */
export class Splicer {
  private readonly splices = new Map<string, Splice>();

  /** `prefix` starts every token: see tokenPrefix. */
  constructor(private readonly prefix: string) {}

  token(splice: Splice): string {
    const token = `${this.prefix}${this.splices.size}__`;
    this.splices.set(token, splice);
    return token;
  }

  /** Serializes `objects` as YAML documents and replaces the tokens by template text. */
  render(objects: readonly unknown[]): string {
    // A literal `{{` (a Go or Jinja template in a config file) must reach the cluster unchanged.
    const yaml = stringifyDocuments(objects).replace(/\{\{/g, '{{ "{{" }}');
    return this.spliceInline(this.spliceKeys(yaml.split('\n')).join('\n'));
  }

  private spliceKeys(lines: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const match = KEY_LINE.exec(lines[i]);
      const splice = match ? this.splices.get(match[2]) : undefined;
      if (!match || !splice || splice.kind === 'inline') {
        out.push(lines[i]);
        continue;
      }
      const [, pad, , rest] = match;
      const nindent = pad.length + 2;
      if (splice.kind === 'lines') {
        out.push(...splice.lines(pad));
      } else if (splice.kind === 'block') {
        if (splice.optional) {
          out.push(`${pad}{{- with ${splice.expr} }}`, `${pad}${splice.key}:`);
          out.push(`${pad}  {{- toYaml . | nindent ${nindent} }}`, `${pad}{{- end }}`);
        } else {
          out.push(`${pad}${splice.key}:`, `${pad}  {{- toYaml ${splice.expr} | nindent ${nindent} }}`);
        }
      } else {
        // The subtree: deeper lines, and the empty lines a literal block may hold.
        let end = i + 1;
        while (end < lines.length && (lines[end] === '' || LEADING_SPACES.exec(lines[end])![0].length > pad.length))
          end++;
        // A literal block's blank last lines belong to what follows the subtree.
        while (end > i + 1 && lines[end - 1] === '') end--;
        out.push(`${pad}{{- if ${splice.cond} }}`, `${pad}${splice.key}:${rest === '' ? '' : ` ${rest}`}`);
        out.push(...lines.slice(i + 1, end), `${pad}{{- end }}`);
        i = end - 1;
      }
    }
    return out;
  }

  private spliceInline(text: string): string {
    return text.replace(new RegExp(`${this.prefix}[0-9]+__`, 'g'), (token) => {
      const splice = this.splices.get(token);
      if (splice?.kind !== 'inline') throw new Error(`template token ${token} is not at a value`);
      return `{{ ${splice.expr} }}`;
    });
  }
}

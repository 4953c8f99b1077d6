/**
 * The `.env` / `env_file` formats as docker compose reads them: its own (compose-go's dotenv
 * parser) and `format: raw` (`docker run --env-file`).
 */
import { interpolateString, type Environment } from './interpolate';

export interface EnvFileProblem {
  readonly line: number;
  readonly message: string;
}

export interface ParsedEnvFile {
  readonly values: Record<string, string>;
  /** The line each key is set on (the last time, when set twice). */
  readonly lines: Record<string, number>;
  readonly problems: readonly EnvFileProblem[];
}

/** compose-go's dotenv keys: letters and digits of any script, `_ . - [ ]`. */
const KEY = /^[\p{L}\p{N}_.[\]-]+$/u;
/** Whitespace within a line (a newline ends a statement). */
const INLINE_SPACE = /[ \t\v\f\r\u0085\u00a0]/;
/** Escapes compose-go expands in double quotes; `\$` is a literal `$`, never a variable. */
const ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
  $: '$$',
};

interface Cursor {
  readonly src: string;
  pos: number;
  line: number;
}

/** Past blank lines and comments; false at the end of the text. */
function nextStatement(c: Cursor): boolean {
  for (;;) {
    while (c.pos < c.src.length && /\s/.test(c.src[c.pos])) if (c.src[c.pos++] === '\n') c.line++;
    if (c.pos >= c.src.length) return false;
    if (c.src[c.pos] !== '#') return true;
    const nl = c.src.indexOf('\n', c.pos);
    if (nl < 0) return false;
    c.pos = nl;
  }
}

/** The text up to `=`, `:` (YAML style, as compose-go accepts) or the end of the line. */
function readKey(c: Cursor): { key: string; inherited: boolean } {
  const exported = /^export[ \t]+/.exec(c.src.slice(c.pos, c.pos + 16));
  if (exported) c.pos += exported[0].length;
  let end = c.pos;
  while (end < c.src.length && !'=:\n'.includes(c.src[end])) end++;
  const key = c.src.slice(c.pos, end).replace(/\s+$/, '');
  const inherited = end >= c.src.length || c.src[end] === '\n';
  c.pos = end + 1;
  if (inherited) c.line++;
  return { key, inherited };
}

function skipLine(c: Cursor): void {
  const nl = c.src.indexOf('\n', c.pos);
  c.pos = nl < 0 ? c.src.length : nl + 1;
  c.line++;
}

/** A quoted value, which may span lines: `\"` (or `\'`) is the quote, other backslashes stay for now. */
function readQuoted(c: Cursor, quote: string): string | undefined {
  let out = '';
  for (let i = c.pos + 1; i < c.src.length; i++) {
    const ch = c.src[i];
    if (ch === '\n') c.line++;
    if (ch === '\\' && c.src[i + 1] === quote) {
      out += quote;
      i++;
    } else if (ch === '\\' && i + 1 < c.src.length) {
      out += ch + c.src[++i];
      if (c.src[i] === '\n') c.line++;
    } else if (ch === quote) {
      c.pos = i + 1;
      return out;
    } else out += ch;
  }
  return undefined;
}

function expandEscapes(text: string): string {
  return text.replace(/\\([abfnrtv"\\$]|0[0-7]{0,3})/g, (_, e: string) =>
    e.startsWith('0') ? String.fromCharCode(parseInt(e, 8)) : ESCAPES[e],
  );
}

function readUnquoted(c: Cursor): string {
  const nl = c.src.indexOf('\n', c.pos);
  const raw = c.src.slice(c.pos, nl < 0 ? c.src.length : nl);
  c.pos = nl < 0 ? c.src.length : nl + 1;
  c.line++;
  // Only ` #` starts a comment: `a#b` and `a\t#b` are values.
  const comment = raw.indexOf(' #');
  return (comment >= 0 ? raw.slice(0, comment) : raw).replace(/\s+$/, '');
}

/**
 * The `.env` format, as compose-go's dotenv parser reads it: `KEY=value` or `KEY: value`,
 * `export KEY=value`, comments, single quotes (literal) and double quotes (escapes), both of which
 * may span lines, inline ` #` comments on unquoted values, and `${VAR}` from `env` first, then the
 * keys read before. A key alone takes its value from `env`, and is left out when unset there.
 */
export function parseEnvFile(text: string, env: Environment = {}, interpolate = true): ParsedEnvFile {
  const values: Record<string, string> = {};
  const at: Record<string, number> = {};
  const problems: EnvFileProblem[] = [];
  const c: Cursor = { src: text.replace(/^\uFEFF/, ''), pos: 0, line: 1 };
  while (nextStatement(c)) {
    const line = c.line;
    const { key, inherited } = readKey(c);
    if (key !== '' && !KEY.test(key)) {
      problems.push({ line, message: `"${key}" is not a valid variable name` });
      if (!inherited) skipLine(c);
      continue;
    }
    if (inherited) {
      if (env[key] !== undefined) [values[key], at[key]] = [env[key] as string, line];
      continue;
    }
    while (c.pos < c.src.length && INLINE_SPACE.test(c.src[c.pos])) c.pos++;
    const quote = c.src[c.pos] === '"' || c.src[c.pos] === "'" ? c.src[c.pos] : undefined;
    let value: string;
    if (quote) {
      const quoted = readQuoted(c, quote);
      if (quoted === undefined) {
        problems.push({
          line,
          message: `unterminated ${quote === '"' ? 'double' : 'single'} quote in the value of ${key}`,
        });
        break;
      }
      value = quote === "'" ? quoted : expandEscapes(quoted);
      if (quote === '"' && interpolate) value = expand(value, values, env);
      else if (quote === '"') value = value.replace(/\$\$/g, '$');
    } else {
      value = readUnquoted(c);
      if (interpolate) value = expand(value, values, env);
    }
    // compose-go keeps a value without a key (`=x`); nothing can read it.
    if (key === '') continue;
    values[key] = value;
    at[key] = line;
  }
  return { values, lines: at, problems };
}

/** Every name `$NAME` or `${NAME...}` may read, nested defaults included (more is harmless). */
const VARIABLE_NAMES = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

function expand(text: string, earlier: Record<string, string>, env: Environment): string {
  if (!text.includes('$')) return text;
  // The environment wins over the file's own earlier keys, as for interpolation in Compose files.
  // Only the names the text reads are taken from it: the caller may count what a parse looked up.
  const lookup: Record<string, string | undefined> = { ...earlier };
  for (const [, name] of text.matchAll(VARIABLE_NAMES)) if (name in env) lookup[name] = env[name];
  return interpolateString(text, lookup).value;
}

/**
 * `format: raw`: the `docker run --env-file` format docker compose registers for env_file. Every
 * value is taken as written, up to the end of the line: no quotes, no comments after it, no
 * `${VAR}`. A key alone still takes its value from `env`, and is left out when unset there.
 */
export function parseRawEnvFile(text: string, env: Environment = {}): ParsedEnvFile {
  const values: Record<string, string> = {};
  const at: Record<string, number> = {};
  const problems: EnvFileProblem[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/\r$/, '').trimStart();
      if (line === '' || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      const key = eq < 0 ? line : line.slice(0, eq);
      if (key === '') problems.push({ line: i + 1, message: `no variable name on line "${line}"` });
      else if (/\s/.test(key)) problems.push({ line: i + 1, message: `variable "${key}" contains whitespace` });
      else if (eq >= 0 || env[key] !== undefined) {
        values[key] = eq >= 0 ? line.slice(eq + 1) : (env[key] as string);
        at[key] = i + 1;
      }
    });
  return { values, lines: at, problems };
}

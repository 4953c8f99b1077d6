/**
 * Stage 2: variable interpolation, as Compose does it: `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, nested defaults,
 * and `$$` for a literal `$`. Values only, never keys. Errors name the variable.
 */
import type { Diagnostic } from './diagnostics';
import { childPath } from './parse';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface InterpolationResult {
  readonly value: string;
  readonly error?: string;
  /** Variables used without a value and without a default (Compose warns and uses ""). */
  readonly unset: readonly string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Finds the `}` closing a `${` that starts at `open`, skipping nested `${...}`. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      i++;
      continue;
    }
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export function interpolateString(text: string, env: Environment): InterpolationResult {
  if (!text.includes('$')) return { value: text, unset: [] };
  let out = '';
  const unset: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, i);
      if (end < 0) return { value: text, error: `invalid interpolation "${text.slice(i)}": missing "}"`, unset };
      const body = text.slice(i + 2, end);
      const name = NAME.exec(body)?.[0];
      if (!name) return { value: text, error: `invalid interpolation "\${${body}}": not a variable name`, unset };
      const rest = body.slice(name.length);
      const value = env[name];
      const expand = (word: string): string | { error: string } => {
        const r = interpolateString(word, env);
        unset.push(...r.unset);
        return r.error ? { error: r.error } : r.value;
      };
      let replacement: string | { error: string };
      if (rest === '') {
        if (value === undefined) unset.push(name);
        replacement = value ?? '';
      } else {
        const op = /^(:?[-?+])/.exec(rest)?.[1];
        if (!op) return { value: text, error: `invalid interpolation "\${${body}}": unknown operator`, unset };
        const word = rest.slice(op.length);
        const missing = op.startsWith(':') ? value === undefined || value === '' : value === undefined;
        switch (op.replace(':', '')) {
          case '-':
            replacement = missing ? expand(word) : (value ?? '');
            break;
          case '+':
            replacement = missing ? '' : expand(word);
            break;
          default: {
            if (missing) {
              const message = expand(word);
              const detail = typeof message === 'string' && message ? `: ${message}` : '';
              return { value: text, error: `required variable ${name} is missing a value${detail}`, unset };
            }
            replacement = value ?? '';
          }
        }
      }
      if (typeof replacement !== 'string') return { value: text, error: replacement.error, unset };
      out += replacement;
      i = end;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (!name) {
      // A lone `$` (e.g. at the end, or before a space) is kept, as Compose does.
      out += '$';
      continue;
    }
    const value = env[name];
    if (value === undefined) unset.push(name);
    out += value ?? '';
    i += name.length;
  }
  return { value: out, unset };
}

/** Interpolates every string value of a parsed document; keys are left as written. */
export function interpolateValue(
  value: unknown,
  env: Environment,
  path: string,
  report: (path: string, d: Omit<Diagnostic, 'location'>) => void,
  warned: Set<string>,
): unknown {
  if (typeof value === 'string') {
    const r = interpolateString(value, env);
    if (r.error) report(path, { severity: 'error', code: 'interpolation', path, message: r.error });
    for (const name of r.unset) {
      if (warned.has(name)) continue;
      warned.add(name);
      report(path, {
        severity: 'warning',
        code: 'unset-variable',
        path,
        message: `variable "${name}" is not set, defaulting to a blank string`,
      });
    }
    return r.value;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateValue(v, env, childPath(path, i), report, warned));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateValue(v, env, childPath(path, k), report, warned);
    return out;
  }
  return value;
}

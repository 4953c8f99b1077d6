/**
 * The `.env` / `env_file` format as docker compose reads it: `KEY=value`, `export KEY=value`,
 * comments, single quotes (literal), double quotes (escapes, multi-line), inline ` #` comments
 * on unquoted values, and `${VAR}` interpolation from earlier keys and the environment.
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

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

export function parseEnvFile(text: string, env: Environment = {}, interpolate = true): ParsedEnvFile {
  const values: Record<string, string> = {};
  const at: Record<string, number> = {};
  const problems: EnvFileProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const body = line.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!KEY.test(key)) {
      problems.push({ line: lineNo, message: `"${key}" is not a valid variable name` });
      continue;
    }
    if (eq < 0) {
      // `KEY` alone takes the value from the environment, and is skipped when unset there.
      const fromEnv = env[key];
      if (fromEnv !== undefined) {
        values[key] = fromEnv;
        at[key] = lineNo;
      }
      continue;
    }
    let raw = body.slice(eq + 1).trimStart();
    let value: string;
    if (raw.startsWith("'")) {
      const end = raw.indexOf("'", 1);
      if (end < 0) {
        problems.push({ line: lineNo, message: `unterminated single quote in the value of ${key}` });
        continue;
      }
      value = raw.slice(1, end);
    } else if (raw.startsWith('"')) {
      let j = 1;
      let out = '';
      let closed = false;
      for (;;) {
        for (; j < raw.length; j++) {
          const c = raw[j];
          if (c === '\\' && j + 1 < raw.length) {
            const e = raw[j + 1];
            out += ESCAPES[e] ?? `\\${e}`;
            j++;
          } else if (c === '"') {
            closed = true;
            break;
          } else out += c;
        }
        if (closed || i + 1 >= lines.length) break;
        // Double-quoted values may span lines.
        i++;
        out += '\n';
        raw = raw.slice(0, j) + lines[i];
      }
      if (!closed) {
        problems.push({ line: lineNo, message: `unterminated double quote in the value of ${key}` });
        continue;
      }
      value = interpolate ? expand(out, values, env) : out;
    } else {
      const comment = raw.search(/\s#/);
      if (comment >= 0) raw = raw.slice(0, comment);
      value = interpolate ? expand(raw.trim(), values, env) : raw.trim();
    }
    values[key] = value;
    at[key] = lineNo;
  }
  return { values, lines: at, problems };
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

function expand(text: string, earlier: Record<string, string>, env: Environment): string {
  // The environment wins over the file's own earlier keys, as for interpolation in Compose files.
  return interpolateString(text, { ...earlier, ...env }).value;
}

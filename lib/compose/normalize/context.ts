/** What every normalizer needs: where the project is, the variables, and a way to report. */
import { parseDuration } from '../units';
import type { Diagnostic, Severity } from '../diagnostics';
import type { Environment } from '../interpolate';
import type { ExtraHost, HostSide } from '../model';
import type { EnvFileReads } from './env-files';

export interface NormalizeContext {
  readonly workingDir: string;
  /** An absolute path as diagnostics show it (relative to the project when inside it). */
  displayPath(abs: string): string;
  /** Shell environment over `.env` values: what key-only `environment` entries read. */
  readonly env: Environment;
  report(path: string, message: string, code: string, severity?: Severity, service?: string): void;
  readonly diagnostics: Diagnostic[];
  /** Env files read (by format and path): their text, null when unreadable, and parses of it. */
  readonly envFileCache: Map<string, EnvFileReads>;
  /** Host paths located (volumes.ts locateHostPath), by the path as written: one env file shared by thousands of services is looked up once. */
  readonly hostPaths: Map<string, { readonly absolute: string; readonly side: HostSide }>;
}

export type Json = Record<string, unknown>;

export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = scalarText(v);
  } else if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== 'string') continue;
      const eq = item.indexOf('=');
      if (eq >= 0) out[item.slice(0, eq)] = item.slice(eq + 1);
      else out[item] = '';
    }
  }
  return out;
}

/** YAML scalars as Compose stringifies them: `true` -> "true", numbers as written. */
export function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '';
  return JSON.stringify(v);
}

export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(scalarText);
  return [];
}

export function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function optionalString(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : scalarText(value);
}

export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True' || value === 'yes' || value === '1';
}

/** `extra_hosts` of a service or a build: `host:ip`, `host=ip` or a mapping; several addresses allowed. */
export function normalizeExtraHosts(value: unknown): ExtraHost[] {
  const out: ExtraHost[] = [];
  const add = (hostname: string, ip: unknown) => {
    for (const one of stringList(ip)) out.push({ hostname, ip: one.replace(/^\[(.*)\]$/, '$1') });
  };
  if (isRecord(value)) for (const [host, ip] of Object.entries(value)) add(host, ip);
  else if (Array.isArray(value)) {
    for (const item of value) {
      const text = scalarText(item);
      const sep = text.search(/[=:]/);
      if (sep > 0) add(text.slice(0, sep), text.slice(sep + 1));
    }
  }
  return out;
}

/** `environment` (and `build.args`, a hook's `environment`) as a mapping or `KEY=value` list. */
export function normalizeEnvironment(value: unknown, ctx: NormalizeContext): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, v: unknown) => {
    if (v === null || v === undefined) {
      // `KEY` alone takes the value from the environment (shell, then .env), and is left out if unset.
      const fromEnv = ctx.env[key];
      if (fromEnv !== undefined) out[key] = fromEnv;
    } else out[key] = scalarText(v);
  };
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) put(k, v);
  else if (Array.isArray(value)) {
    for (const item of value) {
      const text = scalarText(item);
      const eq = text.indexOf('=');
      put(eq < 0 ? text : text.slice(0, eq), eq < 0 ? null : text.slice(eq + 1));
    }
  }
  return out;
}

/** A Compose duration (`1m30s`) in milliseconds; reported and undefined when it is not one. */
export function normalizeDuration(value: unknown, ctx: NormalizeContext, p: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = parseDuration(scalarText(value));
  if (ms === undefined)
    ctx.report(p, `"${scalarText(value)}" is not a valid duration (e.g. 10s, 1m30s)`, 'invalid-duration');
  return ms;
}

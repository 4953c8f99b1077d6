/**
 * `env_file` and `label_file`: files in the `.env` format a service reads its environment and
 * labels from, with the variables compose-go lets each of them see. Only files inside the project
 * are read: another machine's files must not change (or end up in) the output.
 */
import * as fs from 'fs';
import type { SourceLocation } from '../diagnostics';
import { parseEnvFile, parseRawEnvFile, type ParsedEnvFile } from '../env-file';
import type { Environment } from '../interpolate';
import type { EnvFile } from '../model';
import { childPath } from '../parse';
import { isRecord, optionalString, scalarText, truthy, type NormalizeContext } from './context';
import { displayHostSide, locateHostPath } from './volumes';

type Format = 'dotenv' | 'raw';

/** What one load read of an env file: its text once, and its parses by the variables each looked up. */
export interface EnvFileReads {
  readonly text: string | null;
  readonly parses: { readonly looked: ReadonlyMap<string, unknown>; readonly parsed: ParsedEnvFile }[];
}

/** Parses kept per file: services that each give a variable the file reads its own value are few. */
const PARSES_KEPT = 8;

const UNSET = Symbol('unset');
const valueIn = (env: Environment, name: string): unknown => (name in env ? env[name] : UNSET);

/**
 * `lookup` as a parser sees it, recording each variable it asks about; `looked` is undefined
 * once the parser listed them all (then the parse depends on every variable).
 */
function recordingLookup(lookup: Environment): { env: Environment; looked: () => Map<string, unknown> | undefined } {
  const looked = new Map<string, unknown>();
  let all = false;
  const record = (name: string | symbol) => {
    if (typeof name === 'string') looked.set(name, valueIn(lookup, name));
  };
  const env = new Proxy(lookup, {
    get: (target, name) => {
      record(name);
      return Reflect.get(target, name) as unknown;
    },
    has: (target, name) => {
      record(name);
      return Reflect.has(target, name);
    },
    ownKeys: (target) => {
      all = true;
      return Reflect.ownKeys(target);
    },
  });
  return { env, looked: () => (all ? undefined : looked) };
}

/**
 * The file parsed with `lookup` as the variables `${VAR}` and a key alone see. The file is read
 * once per load, and parsed again only when a variable it looks up has another value: services
 * sharing a common.env that names none of their own variables share one parse.
 */
function readEnvFormat(abs: string, format: Format, lookup: Environment, ctx: NormalizeContext): ParsedEnvFile | null {
  const key = `${format}\0${abs}`;
  let reads = ctx.envFileCache.get(key);
  if (reads === undefined) {
    let text: string | null;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch {
      text = null;
    }
    reads = { text, parses: [] };
    ctx.envFileCache.set(key, reads);
  }
  if (reads.text === null) return null;
  const same = reads.parses.find((p) => [...p.looked].every(([name, value]) => valueIn(lookup, name) === value));
  if (same) return same.parsed;
  const recording = recordingLookup(lookup);
  const parsed =
    format === 'raw' ? parseRawEnvFile(reads.text, recording.env) : parseEnvFile(reads.text, recording.env);
  const looked = recording.looked();
  if (looked && reads.parses.length < PARSES_KEPT) reads.parses.push({ looked, parsed });
  return parsed;
}

function fileEntries(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function envFileFormat(entry: unknown, ctx: NormalizeContext, p: string, service: string): Format | undefined {
  const format = isRecord(entry) ? optionalString(entry.format) : undefined;
  if (format === undefined || format === '') return 'dotenv';
  if (format === 'raw') return 'raw';
  // docker compose registers `raw` only; compose-go refuses any other name.
  ctx.report(
    childPath(p, 'format'),
    `unsupported env_file format "${format}" (only "raw")`,
    'invalid-env-file',
    'error',
    service,
  );
  return undefined;
}

/**
 * `env_file` entries in order. `${VAR}` and a key alone see the project's variables, then the
 * service's `environment`, then the files read before, as compose-go resolves them.
 */
export function normalizeEnvFiles(
  value: unknown,
  environment: Readonly<Record<string, string>>,
  ctx: NormalizeContext,
  p: string,
  service: string,
): EnvFile[] {
  const out: EnvFile[] = [];
  let earlier: Record<string, string> = {};
  fileEntries(value).forEach((entry, i) => {
    const file = isRecord(entry) ? optionalString(entry.path) : scalarText(entry);
    const required = isRecord(entry) && entry.required !== undefined ? truthy(entry.required) : true;
    const format = envFileFormat(entry, ctx, childPath(p, i), service);
    if (!file || !format) return;
    const raw = format === 'raw' ? ({ format: 'raw' } as const) : {};
    const { absolute: abs, side } = locateHostPath(file, ctx);
    // Only the project is read: another machine's env file (its tokens) must not reach a manifest.
    if (side.kind !== 'project') {
      out.push({ path: abs, required, values: {}, outside: displayHostSide(side), ...raw });
      return;
    }
    const parsed = readEnvFormat(abs, format, { ...earlier, ...environment, ...ctx.env }, ctx);
    if (parsed === null) {
      if (required) ctx.report(childPath(p, i), `env file ${file} not found`, 'missing-file', 'error', service);
      out.push({ path: abs, required, values: {}, ...raw });
      return;
    }
    for (const problem of parsed.problems) {
      ctx.report(childPath(p, i), `${file}:${problem.line}: ${problem.message}`, 'invalid-env-file', 'error', service);
    }
    earlier = { ...earlier, ...parsed.values };
    out.push({ path: abs, required, values: parsed.values, lines: parsed.lines, ...raw });
  });
  return out;
}

export interface LabelFiles {
  readonly labels: Record<string, string>;
  /** Where each label is set: the line of the label file. */
  readonly locations: Record<string, SourceLocation>;
}

/**
 * `label_file` (a path or a list), read in order, later files winning. compose-go lets `${VAR}`
 * in them see only the labels read before, not the project's variables.
 */
export function readLabelFiles(value: unknown, ctx: NormalizeContext, p: string, service: string): LabelFiles {
  const labels: Record<string, string> = {};
  const locations: Record<string, SourceLocation> = {};
  const entries = fileEntries(value);
  entries.forEach((entry, i) => {
    const at = Array.isArray(value) ? childPath(p, i) : p;
    const file = scalarText(entry);
    const { absolute: abs, side } = locateHostPath(file, ctx);
    if (side.kind !== 'project') {
      const message = `label file ${displayHostSide(side)} is outside the project and is not read, so its labels are left out: the output must not depend on the converting machine (copy it into the project, or write its labels under labels:)`;
      ctx.report(at, message, 'outside-label-file', 'warning', service);
      return;
    }
    const parsed = readEnvFormat(abs, 'dotenv', { ...labels }, ctx);
    if (parsed === null) {
      ctx.report(at, `label file ${file} not found`, 'missing-file', 'error', service);
      return;
    }
    for (const problem of parsed.problems) {
      ctx.report(at, `${file}:${problem.line}: ${problem.message}`, 'invalid-label-file', 'error', service);
    }
    Object.assign(labels, parsed.values);
    for (const [key, line] of Object.entries(parsed.lines)) {
      locations[key] = { file: ctx.displayPath(abs), line, column: 1 };
    }
  });
  return { labels, locations };
}

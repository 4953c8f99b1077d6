/**
 * `include`: what an entry says, and how an included project's resources join the including
 * file, as compose-go's ApplyInclude and importResources do. Loading the included project (its
 * own directory, `.env` and interpolation) is project-files.ts's job.
 */
import type { Severity } from './diagnostics';
import type { Environment } from './interpolate';
import { isRecord, mergeDocuments, type MergeTags } from './merge';
import { childPath } from './parse';

type Json = Record<string, unknown>;

/** A path as the including file writes it, and where. */
export interface IncludeRef {
  readonly written: string;
  readonly keyPath: string;
}

export interface IncludeEntry {
  /** The first file is the included project's main file; the others override it, like `-f`. */
  readonly paths: readonly IncludeRef[];
  readonly projectDirectory?: IncludeRef;
  /** Undefined when not given: the included project's own `.env` is read then. */
  readonly envFiles?: readonly IncludeRef[];
}

export type IncludeReport = (keyPath: string, message: string, code: string, severity: Severity) => void;

const ENTRY_KEYS = new Set(['path', 'project_directory', 'env_file']);

/** The resources an included project brings; its name, extensions and the rest stay behind. */
const RESOURCES = ['services', 'volumes', 'networks', 'secrets', 'configs', 'models'] as const;

/**
 * compose-go keeps a variable an included secret or config reads (`environment: TOKEN`) under
 * this key when the include's own variables have it, since the including project may not.
 */
export const INCLUDED_VALUE = 'x-#value';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

function refs(value: unknown, keyPath: string, report: IncludeReport): IncludeRef[] | undefined {
  if (typeof value === 'string') return [{ written: value, keyPath }];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.map((v: string, i) => ({ written: v, keyPath: childPath(keyPath, i) }));
  }
  report(keyPath, `must be a string or a list of strings, not ${describe(value)}`, 'schema', 'error');
  return undefined;
}

function longEntry(entry: Json, p: string, report: IncludeReport): IncludeEntry | undefined {
  // compose-go decodes the entry into a struct and drops keys it does not know.
  for (const key of Object.keys(entry).filter((k) => !ENTRY_KEYS.has(k))) {
    report(
      childPath(p, key),
      `unknown key "${key}" in an include entry: ignored, as docker compose does`,
      'unknown-key',
      'warning',
    );
  }
  const paths = entry.path === undefined ? [] : refs(entry.path, childPath(p, 'path'), report);
  const envFiles = entry.env_file === undefined ? undefined : refs(entry.env_file, childPath(p, 'env_file'), report);
  const dir = entry.project_directory;
  if (dir !== undefined && typeof dir !== 'string') {
    report(childPath(p, 'project_directory'), `must be a string, not ${describe(dir)}`, 'schema', 'error');
    return undefined;
  }
  if (!paths || (entry.env_file !== undefined && !envFiles)) return undefined;
  if (paths.length === 0) {
    report(p, 'include entry without a path: nothing is included', 'empty-include', 'warning');
    return undefined;
  }
  return {
    paths,
    ...(dir !== undefined ? { projectDirectory: { written: dir, keyPath: childPath(p, 'project_directory') } } : {}),
    ...(envFiles ? { envFiles } : {}),
  };
}

/** `include:` as compose-go reads it: a list of paths, or of `{ path, project_directory, env_file }`. */
export function readIncludeEntries(value: unknown, report: IncludeReport): IncludeEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report('include', `must be a list, not ${describe(value)}`, 'schema', 'error');
    return [];
  }
  return value.flatMap((entry: unknown, i): IncludeEntry[] => {
    const p = childPath('include', i);
    if (typeof entry === 'string') return [{ paths: [{ written: entry, keyPath: p }] }];
    if (isRecord(entry)) return [longEntry(entry, p, report)].filter((e): e is IncludeEntry => e !== undefined);
    report(p, `an include entry is a path or a mapping, not ${describe(entry)}`, 'schema', 'error');
    return [];
  });
}

/** `value` without the mapping keys the including file marks `!reset`: what compose-go's processor removes. */
function withoutResets(value: unknown, p: string, resets: ReadonlySet<string>): unknown {
  if (!isRecord(value)) return value;
  const kept = Object.entries(value).filter(([k]) => !resets.has(childPath(p, k)));
  return Object.fromEntries(kept.map(([k, v]) => [k, withoutResets(v, childPath(p, k), resets)]));
}

/**
 * The included resources, with the including file's definition of the same name merged on top
 * (compose-go v2.13.0 merges rather than refusing the conflict). Includes are imported in order,
 * so an earlier include's definition also wins over a later one's.
 */
export function importResources(imported: Json, doc: Json, tags: MergeTags): Json {
  const resources: Json = {};
  for (const key of RESOURCES) {
    if (isRecord(imported[key])) resources[key] = withoutResets(imported[key], key, tags.resets);
  }
  const own: Json = { ...doc };
  // `services:` left empty says nothing: it must not wipe out the included services.
  for (const key of RESOURCES) if (own[key] === null) delete own[key];
  return mergeDocuments(resources, own, tags);
}

function resolveList(environment: unknown, env: Environment): unknown {
  if (!Array.isArray(environment)) return environment;
  return environment.map((e) =>
    typeof e === 'string' && !e.includes('=') && env[e] !== undefined ? `${e}=${env[e]}` : e,
  );
}

function resolveValueSource(definition: unknown, env: Environment): unknown {
  if (!isRecord(definition) || typeof definition.environment !== 'string') return definition;
  const value = env[definition.environment];
  return value === undefined ? definition : { ...definition, [INCLUDED_VALUE]: value };
}

function mapSection(section: unknown, each: (v: unknown) => unknown): unknown {
  return isRecord(section) ? Object.fromEntries(Object.entries(section).map(([k, v]) => [k, each(v)])) : section;
}

/**
 * What compose-go resolves with the included project's variables before importing it (its
 * ResolveEnvironment): `environment` list entries without a value, and the variable a secret or
 * config reads. A `KEY:` mapping entry is left for the including project, as compose-go does.
 */
export function resolveIncludedEnvironment(doc: Json, env: Environment): Json {
  const out: Json = { ...doc };
  if ('services' in doc) {
    out.services = mapSection(doc.services, (s) =>
      isRecord(s) && 'environment' in s ? { ...s, environment: resolveList(s.environment, env) } : s,
    );
  }
  if ('secrets' in doc) out.secrets = mapSection(doc.secrets, (d) => resolveValueSource(d, env));
  if ('configs' in doc) out.configs = mapSection(doc.configs, (d) => resolveValueSource(d, env));
  return out;
}

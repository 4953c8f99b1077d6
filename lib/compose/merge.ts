/**
 * Stage 4: `-f a.yaml -f b.yaml` merged with the Compose merge rules: mappings merge deeply,
 * sequences append, `command`/`entrypoint`/`healthcheck.test` replace, and keyed lists
 * (`environment`, `labels`, `build.args`, `volumes` by target, `env_file` by path, `depends_on`
 * by service...) merge by key.
 * `!reset` removes what earlier files set; `!override` replaces instead of merging.
 */
import { childPath } from './parse';

type Json = Record<string, unknown>;

export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const APPEND = new Set([
  'ports',
  'expose',
  'dns',
  'dns_search',
  'dns_opt',
  'tmpfs',
  'cap_add',
  'cap_drop',
  'devices',
  'security_opt',
  'external_links',
  'links',
  'device_cgroup_rules',
  'group_add',
  'profiles',
]);
const REPLACE = new Set(['command', 'entrypoint']);
const KEYED_STRING_LISTS = new Set(['environment', 'labels', 'extra_hosts', 'sysctls', 'annotations']);
const BY_TARGET = new Set(['volumes', 'secrets', 'configs']);

/** `["A=1", "B"]` -> `{A: "1", B: null}`; mappings pass through. */
export function keyValueList(value: unknown, separator: RegExp = /=/): Json | undefined {
  if (isRecord(value)) return value;
  if (!Array.isArray(value)) return undefined;
  const out: Json = {};
  for (const item of value) {
    if (typeof item !== 'string') return undefined;
    const m = separator.exec(item);
    if (!m) out[item] = null;
    else out[item.slice(0, m.index)] = item.slice(m.index + m[0].length);
  }
  return out;
}

function asKeyed(key: string, value: unknown): Json | undefined {
  // extra_hosts are `host:ip` or `host=ip`; ip may be IPv6 with colons, so split at the first separator.
  return keyValueList(value, key === 'extra_hosts' ? /[=:]/ : /=/);
}

/** The container path a service `volumes`/`secrets`/`configs` entry is mounted at (its merge key). */
export function mountKey(kind: string, entry: unknown): string {
  if (typeof entry === 'string') {
    if (kind !== 'volumes') return entry;
    const parts = entry.split(':');
    return parts.length === 1 ? parts[0] : parts[1];
  }
  if (isRecord(entry)) {
    if (typeof entry.target === 'string') return entry.target;
    if (typeof entry.source === 'string') return entry.source;
  }
  return JSON.stringify(entry);
}

/** Both lists, an entry with the key of an earlier one replacing it in place (compose-go's EnforceUnicity). */
function uniqueBy(base: unknown[], extra: unknown[], key: (entry: unknown) => string): unknown[] {
  const out = new Map<string, unknown>();
  for (const e of [...base, ...extra]) out.set(key(e), e);
  return [...out.values()];
}

function mergeByTarget(kind: string, base: unknown[], extra: unknown[]): unknown[] {
  return uniqueBy(base, extra, (e) => mountKey(kind, e));
}

/** compose-go's mergeToSequence: a single string is a list of one. */
function asSequence(value: unknown): unknown[] | undefined {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value : undefined;
}

const envFilePath = (e: unknown): string => (isRecord(e) && typeof e.path === 'string' ? e.path : JSON.stringify(e));

/** Keys that take one or more entries, written as a string or a list; how repeated entries collapse. */
const SEQUENCES: Readonly<Record<string, (base: unknown[], extra: unknown[]) => unknown[]>> = {
  env_file: (a, b) => uniqueBy(a, b, (e) => (typeof e === 'string' ? e : envFilePath(e))),
  label_file: (a, b) => [...a, ...b],
  dns: appendUnique,
  dns_opt: appendUnique,
  dns_search: appendUnique,
  tmpfs: appendUnique,
};

const SEGMENT = '(?:"(?:[^"\\\\]|\\\\.)*"|[A-Za-z0-9_-]+)';
/** Nested `KEY=value` lists that merge by key, as compose-go's mergeToSequence plus EnforceUnicity do. */
const KEYED_NESTED = new RegExp(
  `^(?:services\\.${SEGMENT}\\.(?:build\\.(?:args|labels|additional_contexts)|deploy\\.labels)|(?:volumes|networks)\\.${SEGMENT}\\.labels)$`,
);
/** `x-*` extensions are this tool's (or other tools') own: their lists are replaced, not appended. */
const IN_EXTENSION = /(?:^|\.)"?x-/;

function appendUnique(base: unknown[], extra: unknown[]): unknown[] {
  const seen = new Set(base.map((v) => JSON.stringify(v)));
  const out = [...base];
  for (const v of extra) {
    const key = JSON.stringify(v);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  return out;
}

/** The long form of `depends_on` / `networks` lists, so both forms merge by name. */
function asMap(value: unknown, entry: () => unknown): Json | undefined {
  if (isRecord(value)) return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return Object.fromEntries(value.map((v) => [v as string, entry()]));
  }
  return undefined;
}

const NO_TAGS: MergeTags = { resets: new Set(), overrides: new Set() };

export interface MergeTags {
  readonly resets: ReadonlySet<string>;
  readonly overrides: ReadonlySet<string>;
}

function mergeServiceKey(key: string, base: unknown, extra: unknown, path: string, tags: MergeTags): unknown {
  if (REPLACE.has(key)) return extra;
  const sequence = SEQUENCES[key];
  const [baseList, extraList] = [asSequence(base), asSequence(extra)];
  if (sequence && baseList && extraList) return sequence(baseList, extraList);
  if (APPEND.has(key) && Array.isArray(base) && Array.isArray(extra)) return appendUnique(base, extra);
  if (KEYED_STRING_LISTS.has(key)) {
    const a = asKeyed(key, base);
    const b = asKeyed(key, extra);
    if (a && b) return { ...a, ...b };
  }
  if (BY_TARGET.has(key) && Array.isArray(base) && Array.isArray(extra)) return mergeByTarget(key, base, extra);
  if (key === 'depends_on' || key === 'networks' || key === 'models') {
    const entry = () => (key === 'depends_on' ? { condition: 'service_started' } : null);
    const a = asMap(base, entry);
    const b = asMap(extra, entry);
    if (a && b) return mergeMappings(a, b, path, tags, 'plain');
  }
  if (key === 'build' && typeof base === 'string' && isRecord(extra))
    return mergeValue({ context: base }, extra, path, tags);
  if (key === 'build' && isRecord(base) && typeof extra === 'string') return { ...base, context: extra };
  if (key === 'healthcheck' && isRecord(base) && isRecord(extra)) {
    const merged = mergeMappings(base, extra, path, tags, 'plain');
    if ('test' in extra) merged.test = extra.test;
    return merged;
  }
  return mergeValue(base, extra, path, tags);
}

/** Mappings merge deeply and lists append, as compose-go's MergeYaml does where no rule says otherwise. */
function mergeValue(base: unknown, extra: unknown, path: string, tags: MergeTags): unknown {
  if (KEYED_NESTED.test(path)) {
    const a = keyValueList(base);
    const b = keyValueList(extra);
    if (a && b) return { ...a, ...b };
  }
  if (isRecord(base) && isRecord(extra)) return mergeMappings(base, extra, path, tags, 'plain');
  if (Array.isArray(base) && Array.isArray(extra) && !IN_EXTENSION.test(path)) return [...base, ...extra];
  return extra;
}

type Level = 'top' | 'section' | 'service' | 'plain';

function mergeMappings(base: Json, extra: Json, path: string, tags: MergeTags, level: Level): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const p = childPath(path, key);
    if (tags.resets.has(p)) {
      delete out[key];
      continue;
    }
    if (tags.overrides.has(p) || !(key in out)) {
      out[key] = value;
      continue;
    }
    const current = out[key];
    if (level === 'top' && ['services', 'volumes', 'networks', 'secrets', 'configs', 'models'].includes(key)) {
      out[key] = isRecord(current) && isRecord(value) ? mergeMappings(current, value, p, tags, 'section') : value;
    } else if (level === 'section' && path === 'services') {
      out[key] = isRecord(current) && isRecord(value) ? mergeMappings(current, value, p, tags, 'service') : value;
    } else if (level === 'service') {
      out[key] = mergeServiceKey(key, current, value, p, tags);
    } else {
      out[key] = mergeValue(current, value, p, tags);
    }
  }
  return out;
}

/** Merges `extra` (a later -f file) into `base`. */
export function mergeDocuments(base: Json, extra: Json, tags: MergeTags): Json {
  return mergeMappings(base, extra, '', tags, 'top');
}

/** Merges one service definition over another (used by `extends`). */
export function mergeServices(base: Json, extra: Json, path: string, tags: MergeTags = NO_TAGS): Json {
  return mergeMappings(base, extra, path, tags, 'service');
}

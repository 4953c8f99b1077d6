/**
 * Stage 4: `-f a.yaml -f b.yaml` merged with the Compose merge rules: mappings merge deeply,
 * some sequences append, `command`/`entrypoint`/`healthcheck.test` replace, and keyed lists
 * (`environment`, `labels`, `volumes` by target, `depends_on` by service...) merge by key.
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

function mergeByTarget(kind: string, base: unknown[], extra: unknown[]): unknown[] {
  const out = new Map<string, unknown>();
  for (const e of [...base, ...extra]) out.set(mountKey(kind, e), e);
  return [...out.values()];
}

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

function mergeValue(base: unknown, extra: unknown, path: string, tags: MergeTags): unknown {
  if (isRecord(base) && isRecord(extra)) return mergeMappings(base, extra, path, tags, 'plain');
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

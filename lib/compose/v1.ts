/**
 * Compose file format v1: no `version`, no `services:`, each service a top-level key. Docker
 * Compose dropped it; kompose (through libcompose) read it, and stacks tuned for kompose still
 * use it. A v1 file is rewritten into its v2 twin right after parsing, key positions moved with
 * their keys, so every later stage and every message sees a normal file pointing at the text
 * as written.
 *
 * What v1 said differently:
 * - `net: host|none|container:x` is `network_mode` (`net: bridge` was v1's default network);
 * - `dockerfile:` beside `build: <dir>` is `build: { context, dockerfile }`;
 * - `log_driver` / `log_opt` are `logging: { driver, options }`;
 * - a named volume in `volumes:` needed no declaration (Docker created it), and `volume_driver`
 *   was the driver it was created with: each becomes a top-level volume.
 * `links`, `external_links` and `volumes_from` are valid Compose and stay as they are.
 */
import type { SourceLocation } from './diagnostics';
import type { ParsedFile } from './parse';
import { childPath } from './parse';

type Json = Record<string, unknown>;

/** Keys the Compose specification defines at the top level: never a v1 service. */
const TOP_LEVEL = new Set([
  'version',
  'name',
  'include',
  'services',
  'models',
  'networks',
  'volumes',
  'secrets',
  'configs',
]);

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A v1 file has no `services:` and at least one service at the top level. A `version` other than
 * 1 (kompose read "" and "1" as v1) means a v2+ file with stray keys: the schema reports those.
 */
export function isComposeV1(doc: Json): boolean {
  if ('services' in doc) return false;
  if (doc.version !== undefined && !['1', '1.0'].includes(String(doc.version))) return false;
  return Object.entries(doc).some(([k, v]) => !TOP_LEVEL.has(k) && !k.startsWith('x-') && isRecord(v));
}

/** A volume entry's source when it names a volume (`data:/x`), not a host path (`./d:/x`, `/d:/x`, `~/d:/x`). */
function namedVolume(entry: unknown): string | undefined {
  const source = typeof entry === 'string' ? entry.split(':')[0] : undefined;
  if (!source || entry === source) return undefined;
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source) ? source : undefined;
}

/** Moves the position of `from` (and everything under it) to `to`. */
function moveLocations(locations: Map<string, SourceLocation>, from: string, to: string): void {
  for (const [p, loc] of [...locations]) {
    if (p === from || p.startsWith(`${from}.`) || p.startsWith(`${from}[`)) {
      locations.delete(p);
      locations.set(to + p.slice(from.length), loc);
    }
  }
}

interface Locations {
  get(p: string): SourceLocation | undefined;
  set(p: string, loc: SourceLocation): void;
  move(from: string, to: string): void;
}

function serviceFromV1(name: string, raw: Json, locations: Locations): Json {
  const p = childPath('services', name);
  const out: Json = { ...raw };
  if (out.net !== undefined) {
    if (out.net !== 'bridge' && out.network_mode === undefined) {
      out.network_mode = out.net;
      locations.move(childPath(p, 'net'), childPath(p, 'network_mode'));
    }
    delete out.net;
  }
  if (typeof out.dockerfile === 'string') {
    const context = typeof out.build === 'string' ? out.build : isRecord(out.build) ? out.build.context : '.';
    const buildLoc = locations.get(childPath(p, 'build'));
    out.build = { ...(isRecord(out.build) ? out.build : {}), context, dockerfile: out.dockerfile };
    if (buildLoc) locations.set(childPath(childPath(p, 'build'), 'context'), buildLoc);
    locations.move(childPath(p, 'dockerfile'), childPath(childPath(p, 'build'), 'dockerfile'));
    delete out.dockerfile;
  }
  if (out.log_driver !== undefined || out.log_opt !== undefined) {
    out.logging = {
      ...(out.log_driver !== undefined ? { driver: out.log_driver } : {}),
      ...(out.log_opt !== undefined ? { options: out.log_opt } : {}),
    };
    const logging = childPath(p, 'logging');
    const first = locations.get(childPath(p, out.log_driver !== undefined ? 'log_driver' : 'log_opt'));
    if (first) locations.set(logging, first);
    locations.move(childPath(p, 'log_driver'), childPath(logging, 'driver'));
    locations.move(childPath(p, 'log_opt'), childPath(logging, 'options'));
    delete out.log_driver;
    delete out.log_opt;
  }
  delete out.volume_driver;
  return out;
}

export interface V1Conversion {
  readonly file: ParsedFile;
  /** Where to point the deprecation warning: the first service. */
  readonly at: SourceLocation;
}

/** The v2 twin of a v1 file, positions included. */
export function fromComposeV1(file: ParsedFile): V1Conversion {
  const doc = file.value as Json;
  const keyLocations = new Map(file.locations);
  const valueLocations = new Map(file.valueLocations);
  // Every key moved moves its value's position with it.
  const locations = {
    get: (p: string) => keyLocations.get(p),
    set: (p: string, loc: SourceLocation) => keyLocations.set(p, loc),
    delete: (p: string) => keyLocations.delete(p),
    move: (from: string, to: string) => {
      moveLocations(keyLocations, from, to);
      moveLocations(valueLocations, from, to);
    },
  };
  const prefix = (set: ReadonlySet<string>, keys: string[]) =>
    new Set(
      [...set].map((p) => {
        const key = keys.find((k) => p === k || p.startsWith(`${k}.`) || p.startsWith(`${k}[`));
        return key ? `services.${p}` : p;
      }),
    );

  const top: Json = {};
  const services: Json = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'version') continue;
    if (TOP_LEVEL.has(k) || k.startsWith('x-')) top[k] = v;
    else services[k] = v;
  }
  const keys = Object.keys(services).map((k) => childPath('', k));
  for (const k of keys) locations.move(k, `services.${k}`);
  locations.delete('version');
  const at = locations.get(`services.${keys[0]}`) ?? { file: file.file, line: 1, column: 1 };
  locations.set('services', at);

  const volumes: Json = isRecord(top.volumes) ? { ...top.volumes } : {};
  for (const [name, raw] of Object.entries(services)) {
    if (!isRecord(raw)) continue;
    const entries = Array.isArray(raw.volumes) ? raw.volumes : [];
    entries.forEach((entry, i) => {
      const volume = namedVolume(entry);
      if (volume === undefined || volume in volumes) return;
      volumes[volume] = typeof raw.volume_driver === 'string' ? { driver: raw.volume_driver } : {};
      const loc = locations.get(childPath(childPath(childPath('services', name), 'volumes'), i));
      if (loc) locations.set(childPath('volumes', volume), loc);
    });
    services[name] = serviceFromV1(name, raw, locations);
  }
  const value: Json = { ...top, services, ...(Object.keys(volumes).length > 0 ? { volumes } : {}) };
  return {
    file: {
      ...file,
      value,
      locations: keyLocations,
      valueLocations,
      resets: prefix(file.resets, keys),
      overrides: prefix(file.overrides, keys),
    },
    at,
  };
}

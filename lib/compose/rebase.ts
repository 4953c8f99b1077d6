/**
 * Host paths written in one directory and read from another. A service taken by `extends` from
 * a file in another directory, and everything an `include`d project defines, keep pointing at the
 * same files once they sit in the including project, whose directory every later stage resolves
 * relative paths against. The keys are the ones compose-go resolves (paths/resolve.go).
 */
import * as path from 'path';
import { isRecord } from './merge';

type Json = Record<string, unknown>;

interface Move {
  readonly from: string;
  readonly to: string;
}

/** `~/x`, `/x`, `C:\x` and `\\server\x` name the same place from anywhere. */
function isAnchored(value: string): boolean {
  return path.isAbsolute(value) || value.startsWith('~') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\');
}

/** Build contexts that are not directories on this machine: URLs, git remotes, `service:x`. */
function isRemoteContext(value: string): boolean {
  return (
    value.includes('://') ||
    value.startsWith('service:') ||
    ['github.com/', 'git@'].some((prefix) => value.startsWith(prefix))
  );
}

/**
 * The path `value` (relative to `from`) as a path relative to `to`. It always starts with `.`:
 * a short-syntax volume source without `./` would be read as a named volume.
 */
export function movePath(value: string, move: Move): string {
  const rel = path.relative(move.to, path.resolve(move.from, value)).split(path.sep).join('/');
  if (rel === '') return '.';
  return rel === '..' || rel.startsWith('../') ? rel : `./${rel}`;
}

function moveFile(value: unknown, move: Move): unknown {
  return typeof value === 'string' && value !== '' && !isAnchored(value) ? movePath(value, move) : value;
}

function moveContext(value: unknown, move: Move): unknown {
  return typeof value === 'string' && isRemoteContext(value) ? value : moveFile(value, move);
}

/** Short syntax: only a source starting with `.` is a relative host path; a bare name is a volume. */
function moveVolume(value: unknown, move: Move): unknown {
  if (typeof value === 'string') {
    const colon = value.indexOf(':');
    if (colon < 0 || !value.startsWith('.')) return value;
    return `${movePath(value.slice(0, colon), move)}${value.slice(colon)}`;
  }
  if (isRecord(value) && value.type === 'bind') return { ...value, source: moveFile(value.source, move) };
  return value;
}

/** `KEY=path` list entries, or a mapping of paths (`build.ssh`, `build.additional_contexts`). */
function moveKeyedPaths(value: unknown, move: Move, one: (v: unknown, m: Move) => unknown): unknown {
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, one(v, move)]));
  if (!Array.isArray(value)) return value;
  return value.map((entry) => {
    if (typeof entry !== 'string' || !entry.includes('=')) return entry;
    const eq = entry.indexOf('=');
    return `${entry.slice(0, eq + 1)}${String(one(entry.slice(eq + 1), move))}`;
  });
}

function listOrOne(value: unknown, each: (v: unknown) => unknown): unknown {
  return Array.isArray(value) ? value.map(each) : each(value);
}

function moveBuild(build: unknown, move: Move): unknown {
  if (typeof build === 'string') return moveContext(build, move);
  if (!isRecord(build)) return build;
  const out: Json = { ...build };
  if ('context' in out) out.context = moveContext(out.context, move);
  if ('additional_contexts' in out)
    out.additional_contexts = moveKeyedPaths(out.additional_contexts, move, moveContext);
  if ('ssh' in out) out.ssh = moveKeyedPaths(out.ssh, move, moveFile);
  return out;
}

function moveEnvFile(entry: unknown, move: Move): unknown {
  return isRecord(entry) ? { ...entry, path: moveFile(entry.path, move) } : moveFile(entry, move);
}

function moveDevelop(develop: unknown, move: Move): unknown {
  if (!isRecord(develop) || !Array.isArray(develop.watch)) return develop;
  return {
    ...develop,
    watch: develop.watch.map((w) => (isRecord(w) ? { ...w, path: moveFile(w.path, move) } : w)),
  };
}

/** Rewrites the relative host paths of a service written in `fromDir` so they resolve from `toDir`. */
export function rebaseService(service: Json, fromDir: string, toDir: string): Json {
  if (path.resolve(fromDir) === path.resolve(toDir)) return service;
  const move = { from: fromDir, to: toDir };
  const out: Json = { ...service };
  if ('build' in out) out.build = moveBuild(out.build, move);
  if ('env_file' in out) out.env_file = listOrOne(out.env_file, (e) => moveEnvFile(e, move));
  if ('label_file' in out) out.label_file = listOrOne(out.label_file, (f) => moveFile(f, move));
  if (Array.isArray(out.volumes)) out.volumes = out.volumes.map((v) => moveVolume(v, move));
  if (isRecord(out.extends)) out.extends = { ...out.extends, file: moveFile(out.extends.file, move) };
  if ('develop' in out) out.develop = moveDevelop(out.develop, move);
  return out;
}

/** A `local` volume with `o: bind` mounts `device`, a host path. */
function rebaseVolumeDefinition(volume: unknown, move: Move): unknown {
  if (!isRecord(volume) || volume.driver !== 'local' || !isRecord(volume.driver_opts)) return volume;
  const opts = volume.driver_opts;
  if (opts.o !== 'bind' || !('device' in opts)) return volume;
  return { ...volume, driver_opts: { ...opts, device: moveFile(opts.device, move) } };
}

function rebaseFileDefinition(definition: unknown, move: Move): unknown {
  return isRecord(definition) && 'file' in definition
    ? { ...definition, file: moveFile(definition.file, move) }
    : definition;
}

function mapValues(section: unknown, each: (v: unknown) => unknown): unknown {
  return isRecord(section) ? Object.fromEntries(Object.entries(section).map(([k, v]) => [k, each(v)])) : section;
}

/** Every host path of a whole document (services and top-level volumes, secrets, configs). */
export function rebaseDocument(doc: Json, fromDir: string, toDir: string): Json {
  if (path.resolve(fromDir) === path.resolve(toDir)) return doc;
  const move = { from: fromDir, to: toDir };
  const out: Json = { ...doc };
  if ('services' in out)
    out.services = mapValues(out.services, (s) => (isRecord(s) ? rebaseService(s, fromDir, toDir) : s));
  if ('volumes' in out) out.volumes = mapValues(out.volumes, (v) => rebaseVolumeDefinition(v, move));
  for (const key of ['secrets', 'configs'] as const) {
    if (key in out) out[key] = mapValues(out[key], (d) => rebaseFileDefinition(d, move));
  }
  return out;
}

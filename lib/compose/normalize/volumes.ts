/**
 * Service `volumes` (short and long syntax) and `tmpfs`. Bind mounts record what is on the host:
 * small files and directories are read so translation can turn configuration into ConfigMaps;
 * big trees are only measured, and the walk stops early so a mounted source tree stays cheap.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BindMount, HostPath, HostSide, ServiceVolume } from '../model';
import { parseByteSize } from '../units';
import { childPath } from '../parse';
import { isRecord, optionalString, scalarText, truthy, type NormalizeContext } from './context';

export const HOST_READ_LIMITS = { fileBytes: 1024 * 1024, dirFiles: 200, dirBytes: 2 * 1024 * 1024 } as const;
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '__pycache__', '.venv', 'venv']);

const inside = (root: string, p: string) => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};
const slashes = (p: string) => p.split(path.sep).join('/');

/** The real path, or undefined when nothing is there (a missing path cannot point anywhere). */
function realPath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Where a bind source is, anchored to the project, the home directory or the root. `written` is
 * the source as the file says it (after interpolation): `~/x` and `${HOME}/x` are both home paths.
 */
export function hostSideOf(written: string, absolute: string, projectDir: string, home: string): HostSide {
  if (inside(projectDir, absolute)) {
    const real = realPath(absolute);
    const realProject = realPath(projectDir) ?? projectDir;
    const rel = slashes(path.relative(projectDir, absolute));
    // A symlink in the project that points out is the outside, whatever its name says.
    if (real !== undefined && !inside(realProject, real)) return { kind: 'outside', path: rel };
    return { kind: 'project', path: rel };
  }
  const homePath = { kind: 'home', path: slashes(path.relative(home, absolute)) } as const;
  if (written === '~' || written.startsWith('~/')) return homePath;
  // `../shared` is relative to the project wherever the checkout sits, even under $HOME: naming
  // it from the home directory would put this machine's layout into the output.
  if (!path.isAbsolute(written)) return { kind: 'outside', path: slashes(path.relative(projectDir, absolute)) };
  // An absolute path under $HOME is how `${HOME}/x` reads after interpolation.
  if (inside(home, absolute)) return homePath;
  return { kind: 'absolute', path: absolute };
}

/**
 * What a bind source inside the project holds. Small files and directories are read (they may be
 * configuration); bigger trees are only measured, and the walk stops early. Symlinks that lead
 * out of the project are not followed: nothing outside the project is ever read.
 */
export function readHostPath(source: string, projectDir: string = source): HostPath {
  const realProject = realPath(projectDir) ?? projectDir;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    return { kind: 'missing' };
  }
  if (stat.isFile()) {
    const mode = stat.mode & 0o7777;
    return stat.size <= HOST_READ_LIMITS.fileBytes
      ? { kind: 'file', sizeBytes: stat.size, content: fs.readFileSync(source), mode }
      : { kind: 'file', sizeBytes: stat.size, mode };
  }
  if (!stat.isDirectory()) return { kind: 'missing' };
  const files: Record<string, Buffer> = {};
  const modes: Record<string, number> = {};
  const skippedLinks: string[] = [];
  let fileCount = 0;
  let totalBytes = 0;
  let complete = true;
  const list = (dir: string): fs.Dirent[] => {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return [];
    }
  };
  const walk = (dir: string, rel: string, entries: fs.Dirent[] = list(dir)): void => {
    for (const e of entries) {
      if (fileCount > HOST_READ_LIMITS.dirFiles || totalBytes > HOST_READ_LIMITS.dirBytes) {
        complete = false;
        return;
      }
      const full = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      let entry: fs.Stats;
      if (e.isSymbolicLink()) {
        const real = realPath(full);
        if (real === undefined) continue;
        if (!inside(realProject, real)) {
          skippedLinks.push(r);
          continue;
        }
        entry = fs.statSync(full);
      } else if (e.isDirectory() || e.isFile()) {
        entry = fs.statSync(full);
      } else continue;
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(e.name)) {
          complete = false;
          fileCount += HOST_READ_LIMITS.dirFiles;
          continue;
        }
        walk(full, r);
      } else if (entry.isFile()) {
        fileCount++;
        totalBytes += entry.size;
        if (fileCount <= HOST_READ_LIMITS.dirFiles && totalBytes <= HOST_READ_LIMITS.dirBytes) {
          files[r] = fs.readFileSync(full);
          modes[r] = entry.mode & 0o7777;
        }
      }
    }
  };
  // The directory's own entries are listed once: for `entries`, and as the walk's first level.
  const top = list(source);
  walk(source, '', top);
  complete = complete && fileCount <= HOST_READ_LIMITS.dirFiles && totalBytes <= HOST_READ_LIMITS.dirBytes;
  const entries = top.map((e) => e.name).sort();
  return {
    kind: 'directory',
    fileCount,
    totalBytes,
    entries,
    ...(complete ? { files, modes } : {}),
    ...(skippedLinks.length > 0 ? { skippedLinks } : {}),
  };
}

function isHostPath(source: string): boolean {
  return /^[./~]/.test(source) || /^[A-Za-z]:[\\/]/.test(source);
}

function homeDir(ctx: NormalizeContext): string {
  return ctx.env.HOME || os.homedir();
}

/** A host path as Compose resolves it: `~` is the home directory, relative paths the project's. */
function resolveHost(source: string, ctx: NormalizeContext): string {
  if (source === '~' || source.startsWith('~/')) return path.join(homeDir(ctx), source.slice(1));
  return path.resolve(ctx.workingDir, source);
}

/**
 * A host file or directory the Compose file names (bind source, env_file, secret or config
 * file): where it is, absolute, and where it sits (only `project` may be read).
 */
export function locateHostPath(written: string, ctx: NormalizeContext): { absolute: string; side: HostSide } {
  let located = ctx.hostPaths.get(written);
  if (!located) {
    const absolute = resolveHost(written, ctx);
    located = { absolute, side: hostSideOf(written, absolute, ctx.workingDir, homeDir(ctx)) };
    ctx.hostPaths.set(written, located);
  }
  return located;
}

/** A bind mount's host side: located, and read only when it is inside the project. */
function bindHost(source: string, ctx: NormalizeContext): Pick<BindMount, 'source' | 'hostSide' | 'host'> {
  const { absolute: abs, side: hostSide } = locateHostPath(source, ctx);
  const host: HostPath = hostSide.kind === 'project' ? readHostPath(abs, ctx.workingDir) : { kind: 'outside' };
  return { source: abs, hostSide, host };
}

function containerPath(target: string, ctx: NormalizeContext, p: string): string | undefined {
  if (!target.startsWith('/')) {
    ctx.report(p, `"${target}" is not an absolute container path`, 'invalid-volume');
    return undefined;
  }
  return target.length > 1 ? target.replace(/\/+$/, '') : target;
}

function shortVolume(spec: string, ctx: NormalizeContext, p: string): ServiceVolume | undefined {
  const parts = spec.split(':');
  // Windows drive letters (`C:\data:/data`) keep their colon.
  if (/^[A-Za-z]$/.test(parts[0]) && parts.length > 2) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
  if (/^[A-Za-z]$/.test(parts[1] ?? '') && /^[\\/]/.test(parts[2] ?? '')) {
    ctx.report(p, `"${parts[1]}:${parts[2]}" is a Windows container path: pods run Linux containers`, 'invalid-volume');
    return undefined;
  }
  if (parts.length > 3 || parts.some((x) => x === '')) {
    ctx.report(p, `"${spec}" is not a valid volume`, 'invalid-volume');
    return undefined;
  }
  if (parts.length === 1) {
    const target = containerPath(parts[0], ctx, p);
    return target ? { type: 'volume', target, readOnly: false, nocopy: false } : undefined;
  }
  const [source, rawTarget, mode = ''] = parts;
  const target = containerPath(rawTarget, ctx, p);
  if (!target) return undefined;
  const options = mode === '' ? [] : mode.split(',');
  // As compose-go: the last of ro and rw wins.
  const readOnly = options.filter((o) => o === 'ro' || o === 'rw').pop() === 'ro';
  const others = options.filter((o) => !['ro', 'rw', 'nocopy'].includes(o));
  const extra = others.length > 0 ? { options: others } : {};
  if (isHostPath(source)) {
    return { type: 'bind', ...bindHost(source, ctx), target, readOnly, createHostPath: true, ...extra };
  }
  return { type: 'volume', source, target, readOnly, nocopy: options.includes('nocopy'), ...extra };
}

function longVolume(v: Record<string, unknown>, ctx: NormalizeContext, p: string): ServiceVolume | undefined {
  const type = optionalString(v.type) ?? 'volume';
  const target = containerPath(optionalString(v.target) ?? '', ctx, childPath(p, 'target'));
  if (!target) return undefined;
  const readOnly = truthy(v.read_only);
  const source = optionalString(v.source);
  switch (type) {
    case 'bind': {
      if (!source) {
        ctx.report(p, 'a bind mount needs a source', 'invalid-volume');
        return undefined;
      }
      const bind = isRecord(v.bind) ? v.bind : {};
      return {
        type: 'bind',
        ...bindHost(source, ctx),
        target,
        readOnly,
        createHostPath: bind.create_host_path === undefined ? true : truthy(bind.create_host_path),
      };
    }
    case 'volume': {
      const volume = isRecord(v.volume) ? v.volume : {};
      return {
        type: 'volume',
        source: source || undefined,
        target,
        readOnly,
        nocopy: truthy(volume.nocopy),
        subpath: optionalString(volume.subpath),
      };
    }
    case 'tmpfs': {
      const tmpfs = isRecord(v.tmpfs) ? v.tmpfs : {};
      const size = tmpfs.size === undefined ? undefined : parseByteSize(scalarText(tmpfs.size));
      if (tmpfs.size !== undefined && size === undefined) {
        ctx.report(
          childPath(childPath(p, 'tmpfs'), 'size'),
          `"${scalarText(tmpfs.size)}" is not a valid size`,
          'invalid-size',
        );
      }
      return {
        type: 'tmpfs',
        target,
        readOnly,
        sizeBytes: size,
        mode: typeof tmpfs.mode === 'number' ? tmpfs.mode : undefined,
      };
    }
    case 'npipe':
    case 'cluster':
    case 'image':
      return { type, target, readOnly, source };
    default:
      ctx.report(childPath(p, 'type'), `"${type}" is not a volume type`, 'invalid-volume');
      return undefined;
  }
}

export function normalizeVolumes(
  volumes: unknown,
  tmpfs: unknown,
  ctx: NormalizeContext,
  path_: string,
): ServiceVolume[] {
  const out: ServiceVolume[] = [];
  if (Array.isArray(volumes)) {
    volumes.forEach((item, i) => {
      const p = childPath(path_, i);
      const v =
        typeof item === 'string' ? shortVolume(item, ctx, p) : isRecord(item) ? longVolume(item, ctx, p) : undefined;
      if (v) out.push(v);
      else if (typeof item !== 'string' && !isRecord(item))
        ctx.report(p, 'a volume must be a string or a mapping', 'invalid-volume');
    });
  }
  const tmpfsList = typeof tmpfs === 'string' ? [tmpfs] : Array.isArray(tmpfs) ? tmpfs : [];
  const tmpfsPath = path_.replace(/volumes$/, 'tmpfs');
  tmpfsList.forEach((item, i) => {
    const [target, options = ''] = scalarText(item).split(':');
    const size = /(?:^|,)size=([^,]+)/.exec(options)?.[1];
    const sizeBytes = size === undefined ? undefined : parseByteSize(size);
    if (size !== undefined && sizeBytes === undefined) {
      ctx.report(childPath(tmpfsPath, i), `"${size}" is not a valid size`, 'invalid-size');
    }
    const t = containerPath(target, ctx, childPath(tmpfsPath, i));
    if (t) out.push({ type: 'tmpfs', target: t, readOnly: false, sizeBytes });
  });
  return out;
}

/** A host side as a person writes it: `./conf`, `../shared`, `~/.aws`, `/var/run/docker.sock`. */
export function displayHostSide(side: HostSide): string {
  switch (side.kind) {
    case 'project':
      return side.path === '' ? '.' : `./${side.path}`;
    case 'outside':
      return side.path.startsWith('..') ? side.path : `./${side.path}`;
    case 'home':
      return side.path === '' ? '~' : `~/${side.path}`;
    default:
      return side.path;
  }
}

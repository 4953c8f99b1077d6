/**
 * Stage 3: `extends` (same file or another file), resolved per file before files are merged,
 * recursively, with cycle detection. Relative paths of a service taken from another file are
 * rebased (rebase.ts) onto what the extending file's paths are relative to, as Compose does.
 */
import * as path from 'path';
import { isRecord, mergeServices, type MergeTags } from './merge';
import { childPath } from './parse';
import { rebaseService } from './rebase';

type Json = Record<string, unknown>;

export interface ExtendsFile {
  /** Absolute path. */
  readonly path: string;
  /**
   * What its relative paths (and `extends.file`) are relative to: the project directory for the
   * project's own files, as in compose-go, and its own directory for a file loaded by `extends`.
   */
  readonly baseDir: string;
  readonly services: Json;
  /** `!reset` / `!override` tags of the file, which apply to what a service inherits too. */
  readonly tags?: MergeTags;
}

/** Where another file is named: a missing file is reported at this key, not in the file that is not there. */
export interface ExtendsReference {
  /** Absolute path of the file that names it. */
  readonly fromPath: string;
  /** Key path of `extends.file` in that file. */
  readonly keyPath: string;
  /** The path as written. */
  readonly written: string;
}

export interface ExtendsHost {
  /** Loads (parses and interpolates) another Compose file, or reports why it cannot. */
  loadFile(absolutePath: string, reference: ExtendsReference): ExtendsFile | undefined;
  report(file: string, path: string, message: string, code: string): void;
}

export function resolveExtends(file: ExtendsFile, host: ExtendsHost): Json {
  const cache = new Map<string, Json>();
  const resolve = (f: ExtendsFile, name: string, stack: string[]): Json | undefined => {
    const key = `${f.path}#${name}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const raw = f.services[name];
    if (!isRecord(raw)) return undefined;
    if (raw.extends === undefined) return raw;
    const servicePath = childPath(childPath('services', name), 'extends');
    if (stack.includes(key)) {
      host.report(
        f.path,
        servicePath,
        `extends cycle: ${[...stack, key].map((k) => k.split('#')[1]).join(' -> ')}`,
        'extends-cycle',
      );
      return undefined;
    }
    const ext = raw.extends;
    const baseName =
      typeof ext === 'string' ? ext : isRecord(ext) && typeof ext.service === 'string' ? ext.service : undefined;
    if (!baseName) {
      host.report(f.path, servicePath, 'extends needs a service name', 'invalid-extends');
      return undefined;
    }
    let baseFile = f;
    if (isRecord(ext) && typeof ext.file === 'string') {
      const other = host.loadFile(path.resolve(f.baseDir, ext.file), {
        fromPath: f.path,
        keyPath: childPath(servicePath, 'file'),
        written: ext.file,
      });
      if (!other) return undefined;
      baseFile = other;
    }
    if (!isRecord(baseFile.services[baseName])) {
      host.report(
        f.path,
        servicePath,
        `extends undefined service "${baseName}"${baseFile !== f ? ` in ${path.basename(baseFile.path)}` : ''}`,
        'undefined-service',
      );
      return undefined;
    }
    const base = resolve(baseFile, baseName, [...stack, key]);
    if (!base) return undefined;
    const rebased = rebaseService(base, baseFile.baseDir, f.baseDir);
    const own: Json = { ...raw };
    delete own.extends;
    // `extends` stays as written (merged, it could mix the base's keys in), for the account to list it.
    const merged = { ...mergeServices(rebased, own, childPath('services', name), f.tags), extends: ext };
    cache.set(key, merged);
    return merged;
  };
  const out: Json = {};
  for (const name of Object.keys(file.services)) {
    const resolved = resolve(file, name, []);
    out[name] = resolved ?? file.services[name];
  }
  return out;
}

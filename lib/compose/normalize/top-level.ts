/** Top-level `volumes`, `networks`, `secrets` and `configs`; secret and config bytes are read here. */
import * as fs from 'fs';
import type { SourceLocation } from '../diagnostics';
import type { ConfigDefinition, HostSide, NetworkDefinition, SecretDefinition, VolumeDefinition } from '../model';
import { INCLUDED_VALUE } from '../include';
import { childPath } from '../parse';
import { isRecord, optionalString, stringMap, truthy, type Json, type NormalizeContext } from './context';
import { displayHostSide, locateHostPath } from './volumes';
import { readVolumeK8s, warnUnreadXK8s } from './x-k8s';

type Locate = (path: string) => SourceLocation | undefined;

function entries(value: unknown): [string, Json][] {
  return isRecord(value) ? Object.entries(value).map(([k, v]) => [k, isRecord(v) ? v : {}]) : [];
}

function extensionsOf(v: Json): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).filter(([k]) => k.startsWith('x-')));
}

export function normalizeVolumeDefinitions(
  value: unknown,
  ctx: NormalizeContext,
  locate: Locate,
): Record<string, VolumeDefinition> {
  const out: Record<string, VolumeDefinition> = {};
  for (const [key, v] of entries(value)) {
    out[key] = {
      name: optionalString(v.name) ?? key,
      external: truthy(v.external) || isRecord(v.external),
      driver: optionalString(v.driver),
      driverOpts: stringMap(v.driver_opts),
      labels: stringMap(v.labels),
      extensions: extensionsOf(v),
      k8s: readVolumeK8s(v, childPath('volumes', key), ctx.report),
      location: locate(childPath('volumes', key)),
    };
  }
  return out;
}

export function normalizeNetworkDefinitions(
  value: unknown,
  ctx: NormalizeContext,
  locate: Locate,
): Record<string, NetworkDefinition> {
  const out: Record<string, NetworkDefinition> = {};
  for (const [key, v] of entries(value)) {
    warnUnreadXK8s(v, childPath('networks', key), ctx.report);
    out[key] = {
      name: optionalString(v.name) ?? key,
      external: truthy(v.external) || isRecord(v.external),
      internal: truthy(v.internal),
      driver: optionalString(v.driver),
      labels: stringMap(v.labels),
      extensions: extensionsOf(v),
      location: locate(childPath('networks', key)),
    };
  }
  return out;
}

function content(
  kind: 'secrets' | 'configs',
  key: string,
  v: Json,
  ctx: NormalizeContext,
): { file?: string; fileSide?: HostSide; outsideFile?: string; environment?: string; content?: Buffer } {
  const p = childPath(kind, key);
  const file = optionalString(v.file);
  const environment = optionalString(v.environment);
  if (file) {
    const { absolute: abs, side } = locateHostPath(file, ctx);
    // Only the project is read: a key from ~/.ssh must never end up in a manifest.
    if (side.kind !== 'project') return { file: abs, fileSide: side, outsideFile: displayHostSide(side) };
    try {
      return { file: abs, fileSide: side, content: fs.readFileSync(abs) };
    } catch {
      ctx.report(
        childPath(p, 'file'),
        `${kind === 'secrets' ? 'secret' : 'config'} file ${file} not found`,
        'missing-file',
      );
      return { file: abs, fileSide: side };
    }
  }
  if (environment) {
    const included = v[INCLUDED_VALUE];
    const value = typeof included === 'string' ? included : ctx.env[environment];
    if (value === undefined) {
      ctx.report(childPath(p, 'environment'), `variable ${environment} is not set`, 'missing-variable', 'warning');
    }
    return { environment, content: Buffer.from(value ?? '') };
  }
  if (kind === 'configs' && typeof v.content === 'string') return { content: Buffer.from(v.content) };
  const sources = kind === 'secrets' ? 'file, environment or external' : 'file, environment, content or external';
  ctx.report(p, `${kind === 'secrets' ? 'secret' : 'config'} "${key}" needs one of ${sources}`, 'invalid-definition');
  return {};
}

function fileDefinitions(
  kind: 'secrets' | 'configs',
  value: unknown,
  ctx: NormalizeContext,
  locate: Locate,
): Record<string, SecretDefinition> {
  const out: Record<string, SecretDefinition> = {};
  for (const [key, v] of entries(value)) {
    warnUnreadXK8s(v, childPath(kind, key), ctx.report);
    const external = truthy(v.external) || isRecord(v.external);
    out[key] = {
      name: optionalString(v.name) ?? key,
      external,
      ...(external ? {} : content(kind, key, v, ctx)),
      labels: stringMap(v.labels),
      location: locate(childPath(kind, key)),
    };
  }
  return out;
}

export function normalizeSecretDefinitions(
  value: unknown,
  ctx: NormalizeContext,
  locate: Locate,
): Record<string, SecretDefinition> {
  return fileDefinitions('secrets', value, ctx, locate);
}

/** Configs have the shape of secrets, plus inline `content` (read in `content`). */
export function normalizeConfigDefinitions(
  value: unknown,
  ctx: NormalizeContext,
  locate: Locate,
): Record<string, ConfigDefinition> {
  return fileDefinitions('configs', value, ctx, locate);
}

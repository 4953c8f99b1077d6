/**
 * `services.<name>.build` -> BuildConfig: every key of the Compose `build` definition, in the
 * form the build scripts pass on (paths located like compose-go resolves them, sizes in bytes).
 */
import * as path from 'path';
import type { BuildConfig, BuildContextRef, BuildSecretRef, BuildSsh } from '../model';
import { childPath } from '../parse';
import {
  isRecord,
  normalizeEnvironment,
  normalizeExtraHosts,
  optionalNumber,
  optionalString,
  scalarText,
  stringList,
  stringMap,
  truthy,
  type Json,
  type NormalizeContext,
} from './context';
import { normalizeSize } from './runtime';
import { readDockerfileCopies } from './dockerfile';
import { locateHostPath } from './volumes';

/** compose-go's remote contexts: fetched by the builder, never resolved against the project. */
const REMOTE_PREFIXES = ['https://', 'http://', 'git://', 'ssh://', 'github.com/', 'git@'];
export const isRemoteContext = (context: string): boolean =>
  /^[a-z]+:\/\//i.test(context) || REMOTE_PREFIXES.some((p) => context.startsWith(p));

/** `KEY=value` list or mapping entries, values kept as written (null stays null). */
function entries(value: unknown): [string, unknown][] {
  if (isRecord(value)) return Object.entries(value);
  if (!Array.isArray(value)) return [];
  return value.map((item): [string, unknown] => {
    const text = scalarText(item);
    const eq = text.indexOf('=');
    return eq < 0 ? [text, null] : [text.slice(0, eq), text.slice(eq + 1)];
  });
}

/** As compose-go: `docker-image://`, URLs and `service:` are the builder's; anything else is a directory. */
function contextRef(value: string, ctx: NormalizeContext): BuildContextRef {
  if (value.startsWith('service:')) return { kind: 'service', service: value.slice('service:'.length) };
  if (value.includes('://') || isRemoteContext(value)) return { kind: 'url', url: value };
  return { kind: 'path', side: locateHostPath(value, ctx).side };
}

function secrets(value: unknown): BuildSecretRef[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): BuildSecretRef[] => {
    const r: Json = isRecord(item) ? item : { source: scalarText(item) };
    const source = optionalString(r.source);
    // Compose hands the secret to the builder under its target, else its name.
    return source ? [{ source, id: optionalString(r.target) ?? source }] : [];
  });
}

/** `default`, `id=path[,path]`: paths resolved against the project (`~` is the home directory). */
function ssh(value: unknown, ctx: NormalizeContext): BuildSsh[] {
  return entries(value).map(([id, paths]) => ({
    id,
    paths:
      paths === null || paths === undefined || scalarText(paths) === ''
        ? []
        : scalarText(paths)
            .split(',')
            .map((p) => locateHostPath(p, ctx).side),
  }));
}

function ulimits(value: unknown): BuildConfig['ulimits'] {
  const out: Record<string, { soft: number; hard: number }> = {};
  if (!isRecord(value)) return out;
  for (const [name, v] of Object.entries(value)) {
    const single = optionalNumber(v);
    const soft = isRecord(v) ? optionalNumber(v.soft) : single;
    const hard = isRecord(v) ? optionalNumber(v.hard) : single;
    if (soft !== undefined && hard !== undefined) out[name] = { soft, hard };
  }
  return out;
}

function additionalContexts(value: unknown, ctx: NormalizeContext): Record<string, BuildContextRef> {
  const out: Record<string, BuildContextRef> = {};
  for (const [name, v] of entries(value)) if (v !== null && v !== undefined) out[name] = contextRef(scalarText(v), ctx);
  return out;
}

export function normalizeBuild(value: unknown, ctx: NormalizeContext, p: string): BuildConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const b: Json = isRecord(value) ? value : { context: scalarText(value) };
  const context = optionalString(b.context) ?? '.';
  const dockerfile = optionalString(b.dockerfile);
  const dockerfileInline = optionalString(b.dockerfile_inline);
  const target = optionalString(b.target);
  const copies = isRemoteContext(context)
    ? []
    : readDockerfileCopies(ctx.workingDir, path.resolve(ctx.workingDir, context), dockerfile, dockerfileInline, target);
  return {
    context: isRemoteContext(context) ? context : path.resolve(ctx.workingDir, context),
    ...(copies.length > 0 ? { copies } : {}),
    dockerfile,
    dockerfileInline,
    target,
    // compose-go resolves an `ARG` without a value like `environment`, and leaves it out when unset.
    args: normalizeEnvironment(b.args, ctx),
    platforms: stringList(b.platforms),
    labels: stringMap(b.labels),
    network: optionalString(b.network),
    shmSizeBytes: normalizeSize(b.shm_size, ctx, childPath(p, 'shm_size')),
    extraHosts: normalizeExtraHosts(b.extra_hosts),
    noCache: truthy(b.no_cache),
    noCacheFilter: stringList(b.no_cache_filter),
    pull: truthy(b.pull),
    cacheFrom: stringList(b.cache_from),
    cacheTo: stringList(b.cache_to),
    secrets: secrets(b.secrets),
    ssh: ssh(b.ssh, ctx),
    additionalContexts: additionalContexts(b.additional_contexts, ctx),
    tags: stringList(b.tags),
    ulimits: ulimits(b.ulimits),
    privileged: truthy(b.privileged),
    entitlements: stringList(b.entitlements),
    isolation: optionalString(b.isolation),
    provenance: optionalString(b.provenance),
    sbom: optionalString(b.sbom),
  };
}

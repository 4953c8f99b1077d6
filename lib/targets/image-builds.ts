/**
 * The images Compose would build, as the build scripts take them: each service's `build` with
 * its paths made relative to the stack directory (or `${HOME}/...`, so no generated file holds a
 * machine's layout), its platform chosen as `docker compose up` chooses it, and the services
 * whose images its build uses (`additional_contexts: service:`) built before it.
 */
import * as path from 'path';
import type { BuildConfig, BuildContextRef, ComposeProject, ComposeService } from '../compose/model';
import { isRemoteContext } from '../compose/normalize/build';
import { hostPathFromStack, type BuilderRef, type LocalImage, type LocalSecret } from './plan';

/**
 * The platform built for running the image, as `docker compose up` picks it: the service's
 * `platform`, or the only one of `build.platforms`; with several, the builder's own (the node's).
 */
export function runPlatform(service: ComposeService): string | undefined {
  const platforms = service.build?.platforms ?? [];
  return service.platform ?? (platforms.length === 1 ? platforms[0] : undefined);
}

/** What `docker compose build` builds: every listed platform, else the service's. */
function buildPlatforms(service: ComposeService): string[] {
  const platforms = service.build?.platforms ?? [];
  return platforms.length > 0 ? [...platforms] : service.platform ? [service.platform] : [];
}

/**
 * `type=local` caches are directories the build reads or writes: Compose leaves their relative
 * paths to the directory it runs in (the project's), the scripts run in the stack directory.
 */
export function cacheRef(entry: string, projectDir: string): BuilderRef {
  const fields = entry.split(',');
  if (!fields.includes('type=local') || entry.includes('"')) return { value: entry, local: false };
  const rebased = fields.map((f) => {
    const m = /^(src|dest)=(.*)$/.exec(f);
    if (!m || path.posix.isAbsolute(m[2])) return f;
    return `${m[1]}=${path.posix.normalize(`${projectDir}/${m[2]}`)}`;
  });
  return { value: rebased.join(','), local: true };
}

function contextRef(ref: BuildContextRef, projectDir: string, imageOf: (service: string) => string): BuilderRef {
  switch (ref.kind) {
    case 'path':
      return { value: hostPathFromStack(ref.side, projectDir), local: true };
    case 'service':
      // Built before this one (see orderByContexts): the builder finds it among the local images.
      return { value: `docker-image://${imageOf(ref.service)}`, local: false };
    default:
      return { value: ref.url, local: false };
  }
}

/** File secrets from the stack directory, variable secrets by name; external ones have nothing to pass. */
function secrets(project: ComposeProject, build: BuildConfig, projectDir: string): LocalSecret[] {
  return build.secrets.flatMap((s): LocalSecret[] => {
    const def = project.secrets[s.source];
    if (!def || def.external) return [];
    if (def.fileSide) return [{ id: s.id, file: hostPathFromStack(def.fileSide, projectDir) }];
    return def.environment ? [{ id: s.id, env: def.environment }] : [];
  });
}

function allow(build: BuildConfig): string[] {
  return [...new Set([...build.entitlements, ...(build.privileged ? ['security.insecure'] : [])])];
}

const nonEmpty = <T>(list: readonly T[]): readonly T[] | undefined => (list.length > 0 ? list : undefined);

function localImage(
  project: ComposeProject,
  service: ComposeService,
  build: BuildConfig,
  where: { readonly stackDir: string; readonly projectDir: string },
  imageOf: (service: string) => string,
): LocalImage {
  const { projectDir } = where;
  const platforms = buildPlatforms(service);
  return {
    service: service.name,
    image: imageOf(service.name),
    context: isRemoteContext(build.context) ? build.context : path.relative(where.stackDir, build.context) || '.',
    dockerfile: build.dockerfile,
    target: build.target,
    args: build.args,
    dockerfileInline: build.dockerfileInline,
    tags: nonEmpty(build.tags),
    platform: runPlatform(service),
    platforms: nonEmpty(platforms),
    labels: Object.keys(build.labels).length > 0 ? build.labels : undefined,
    network: build.network,
    shmSizeBytes: build.shmSizeBytes,
    extraHosts: nonEmpty(build.extraHosts.map((h) => `${h.hostname}=${h.ip}`)),
    noCache: build.noCache || undefined,
    noCacheFilter: nonEmpty(build.noCacheFilter),
    pull: build.pull || undefined,
    cacheFrom: nonEmpty(build.cacheFrom.map((c) => cacheRef(c, projectDir))),
    cacheTo: nonEmpty(build.cacheTo.map((c) => cacheRef(c, projectDir))),
    secrets: nonEmpty(secrets(project, build, projectDir)),
    ssh: nonEmpty(
      build.ssh.map((s) => ({ id: s.id, paths: s.paths.map((side) => hostPathFromStack(side, projectDir)) })),
    ),
    contexts: nonEmpty(
      Object.entries(build.additionalContexts).map(([name, ref]) => ({
        name,
        ...contextRef(ref, projectDir, imageOf),
      })),
    ),
    ulimits: nonEmpty(
      Object.entries(build.ulimits).map(([n, l]) => `${n}=${l.soft === l.hard ? l.soft : `${l.soft}:${l.hard}`}`),
    ),
    allow: nonEmpty(allow(build)),
    provenance: build.provenance,
    sbom: build.sbom,
  };
}

/** Services in name order, each after the services whose images its build uses. */
export function orderByContexts(project: ComposeProject, names: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const build = project.services[name]?.build;
    for (const ref of Object.values(build?.additionalContexts ?? {})) {
      if (ref.kind === 'service' && names.includes(ref.service)) visit(ref.service);
    }
    out.push(name);
  };
  [...names].sort().forEach(visit);
  return out;
}

/** JSON with object keys sorted, so two equal values give the same text whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What makes the image: every input of the build (context, Dockerfile or inline Dockerfile,
 * target, args, platforms, secrets, SSH, caches, labels...), all but the names it is given. Two
 * services with the same inputs get the same image from Compose too (a second build is all
 * cache hits): built once here. Anything that differs, even a cache export, keeps them apart.
 */
export function buildInputs(image: LocalImage): string {
  const { service: _service, image: _image, tags: _tags, sameBuild: _same, ...inputs } = image;
  // No `dockerfile` is the context's Dockerfile: the same file as `dockerfile: ./Dockerfile`.
  const dockerfile =
    image.dockerfileInline === undefined ? path.posix.normalize(image.dockerfile ?? 'Dockerfile') : undefined;
  return canonical({ ...inputs, dockerfile });
}

/**
 * One image per distinct build, in build order (the first service's place): services with the
 * same inputs join the first one's build, their image names and tags added to it.
 */
export function distinctBuilds(images: readonly LocalImage[]): LocalImage[] {
  const byInputs = new Map<string, LocalImage>();
  for (const image of images) {
    const key = buildInputs(image);
    const first = byInputs.get(key);
    if (!first) {
      byInputs.set(key, image);
      continue;
    }
    const tags = [...new Set([...(first.tags ?? []), ...(image.tags ?? [])])];
    byInputs.set(key, {
      ...first,
      sameBuild: [...(first.sameBuild ?? []), { service: image.service, image: image.image }],
      tags: tags.length > 0 ? tags : undefined,
    });
  }
  return [...byInputs.values()];
}

/**
 * The images Compose would build, each distinct build once, with the image names the manifests
 * use. `imageOf` is the chart's own naming rule, passed in so this file never re-derives it.
 */
export function localImages(
  project: ComposeProject,
  stackDir: string,
  imageOf: (service: string) => string,
): LocalImage[] {
  const projectDir = path.relative(stackDir, project.workingDir).split(path.sep).join('/') || '.';
  const built = Object.keys(project.services).filter((name) => project.services[name].build);
  return distinctBuilds(
    orderByContexts(project, built).flatMap((name) => {
      const service = project.services[name];
      return service.build ? [localImage(project, service, service.build, { stackDir, projectDir }, imageOf)] : [];
    }),
  );
}

/**
 * The argument vectors of the generated builds, one per builder, from a LocalImage:
 * - `docker build` (BuildKit, as `docker compose build` runs it): every build key has its flag;
 * - `minikube image build`: it takes `-t` and `-f`, and hands each `--build-opt=X` to the node's
 *   builder as `--X`, which is docker build on minikube's docker runtime. What lives only on this
 *   machine (secrets, the SSH agent, local contexts and caches) the node cannot reach: those are
 *   left out, and lib/translate/build.ts reports each (test/targets/build-args.test.ts holds the two
 *   to the same list).
 * Paths are from the stack directory; `${HOME}/...` becomes "$HOME" at run time.
 */
import * as path from 'path';
import { isRemoteContext } from '../compose/normalize/build';
import { HOME_PLACEHOLDER, imageNames, type LocalImage } from './plan';
import { joined, type Word } from './shell';

/** A path from the stack directory, with `${HOME}` read from the environment at run time. */
function hostPath(p: string): Word {
  return p.startsWith(HOME_PLACEHOLDER) ? joined([{ shell: '"$HOME"' }, p.slice(HOME_PLACEHOLDER.length)]) : p;
}

/** A CSV field as buildx reads `--secret` (a path holding `,` or `"` is quoted). */
const csv = (field: string): string => (/[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);

/** The Dockerfile as `docker build -f` takes it: from the stack directory, or inside a remote context. */
export function dockerfileFromStack(image: LocalImage): string | undefined {
  const file = image.dockerfile;
  if (file === undefined || isRemoteContext(image.context) || path.posix.isAbsolute(file)) return file;
  return `${image.context}/${file}`;
}

/** Options given alike to every docker-build-like builder: name -> values, in the order written. */
function options(image: LocalImage): [string, string[]][] {
  return [
    ['target', image.target === undefined ? [] : [image.target]],
    [
      'build-arg',
      Object.keys(image.args)
        .sort()
        .map((k) => `${k}=${image.args[k]}`),
    ],
    [
      'label',
      Object.keys(image.labels ?? {})
        .sort()
        .map((k) => `${k}=${image.labels?.[k] ?? ''}`),
    ],
    ['network', image.network === undefined ? [] : [image.network]],
    ['shm-size', image.shmSizeBytes === undefined ? [] : [String(image.shmSizeBytes)]],
    ['no-cache-filter', [...(image.noCacheFilter ?? [])]],
    ['ulimit', [...(image.ulimits ?? [])]],
    ['allow', [...(image.allow ?? [])]],
    ['provenance', image.provenance === undefined ? [] : [image.provenance]],
    ['sbom', image.sbom === undefined ? [] : [image.sbom]],
  ];
}

/** `docker build` options (everything but the context) for one image; `platforms` as it is to be built. */
export function dockerBuildOptions(image: LocalImage, platforms: readonly string[]): Word[] {
  const words: Word[] = [];
  for (const name of [...imageNames(image), ...(image.tags ?? [])]) words.push('-t', name);
  const dockerfile = dockerfileFromStack(image);
  // An inline Dockerfile is read on standard input (load-images.ts writes it as a heredoc).
  if (image.dockerfileInline !== undefined) words.push('-f', '-');
  else if (dockerfile !== undefined) words.push('-f', dockerfile);
  const [target, buildArgs, ...rest] = options(image);
  for (const [name, values] of [target, buildArgs]) for (const v of values) words.push(`--${name}`, v);
  if (platforms.length > 0) words.push('--platform', platforms.join(','));
  for (const [name, values] of rest) for (const v of values) words.push(`--${name}`, v);
  for (const host of image.extraHosts ?? []) words.push('--add-host', host);
  if (image.noCache) words.push('--no-cache');
  if (image.pull) words.push('--pull');
  for (const c of image.cacheFrom ?? []) words.push('--cache-from', c.value);
  for (const c of image.cacheTo ?? []) words.push('--cache-to', c.value);
  for (const s of image.secrets ?? []) {
    const id = csv(`id=${s.id}`);
    if ('env' in s) words.push('--secret', `${id},${csv(`env=${s.env}`)}`);
    else if (s.file.startsWith(HOME_PLACEHOLDER)) words.push('--secret', joined([`${id},src=`, hostPath(s.file)]));
    else words.push('--secret', `${id},${csv(`src=${s.file}`)}`);
  }
  for (const s of image.ssh ?? []) {
    const keys = s.paths.flatMap((p, i) => (i === 0 ? [hostPath(p)] : [',', hostPath(p)]));
    words.push('--ssh', keys.length === 0 ? s.id : joined([`${s.id}=`, ...keys]));
  }
  for (const c of image.contexts ?? []) words.push('--build-context', joined([`${c.name}=`, hostPath(c.value)]));
  return words;
}

/** How minikube gets the Dockerfile: in the context, or copied into the node first. */
export type MinikubeDockerfile =
  | { readonly kind: 'context'; readonly file?: string }
  | { readonly kind: 'copy'; readonly from: string; readonly to: string }
  | { readonly kind: 'inline'; readonly content: string; readonly to: string };

/**
 * minikube sends the context directory to the node and resolves `-f` inside it: a Dockerfile
 * outside the context (or inline) is copied into the node and named by its path there.
 */
export function minikubeDockerfile(image: LocalImage): MinikubeDockerfile {
  const to = `/tmp/compose-cdk8s-${image.service}.Dockerfile`;
  if (image.dockerfileInline !== undefined) return { kind: 'inline', content: image.dockerfileInline, to };
  const file = image.dockerfile;
  if (file === undefined || isRemoteContext(image.context)) return { kind: 'context', file };
  const inside = !path.posix.isAbsolute(file) && !path.posix.normalize(file).startsWith('../');
  return inside ? { kind: 'context', file } : { kind: 'copy', from: dockerfileFromStack(image) ?? file, to };
}

/** The host-gateway address as this machine's, seen from the minikube node (set by load-images.sh). */
export const MINIKUBE_HOST_GATEWAY = '"$HOST_GATEWAY"';

/**
 * `minikube image build` words after `image build`, context last. Options go through
 * `--build-opt`; what the node cannot reach is left out (see the file comment).
 */
export function minikubeBuildWords(image: LocalImage): Word[] {
  const words: Word[] = ['-t', image.image];
  const dockerfile = minikubeDockerfile(image);
  if (dockerfile.kind === 'context' && dockerfile.file !== undefined) words.push('-f', dockerfile.file);
  if (dockerfile.kind !== 'context') words.push('-f', dockerfile.to);
  words.push(...minikubeBuildOpts(image).map((o) => joined(['--build-opt=', o])), image.context);
  return words;
}

/** What `--build-opt` carries, without its prefix: `target=runtime`, `no-cache`, `add-host=h="$HOST_GATEWAY"`. */
export function minikubeBuildOpts(image: LocalImage): Word[] {
  const opts: Word[] = [];
  const [target, buildArgs, ...rest] = options(image);
  for (const [name, values] of [target, buildArgs]) for (const v of values) opts.push(`${name}=${v}`);
  if (image.platform !== undefined) opts.push(`platform=${image.platform}`);
  for (const [name, values] of rest) for (const v of values) opts.push(`${name}=${v}`);
  for (const host of image.extraHosts ?? []) {
    // host-gateway would be the node's own gateway: this machine is host.minikube.internal there.
    const [name, ip] = [host.slice(0, host.indexOf('=')), host.slice(host.indexOf('=') + 1)];
    opts.push(
      ip === 'host-gateway' ? joined([`add-host=${name}=`, { shell: MINIKUBE_HOST_GATEWAY }]) : `add-host=${host}`,
    );
  }
  if (image.noCache) opts.push('no-cache');
  if (image.pull) opts.push('pull');
  for (const c of image.cacheFrom ?? []) if (!c.local) opts.push(`cache-from=${c.value}`);
  for (const c of image.cacheTo ?? []) if (!c.local) opts.push(`cache-to=${c.value}`);
  for (const c of image.contexts ?? []) if (!c.local) opts.push(`build-context=${c.name}=${c.value}`);
  for (const tag of image.tags ?? []) opts.push(`tag=${tag}`);
  return opts;
}

/** Whether a build asks for the host gateway (load-images.sh then looks it up in the node). */
export const usesHostGateway = (image: LocalImage): boolean =>
  (image.extraHosts ?? []).some((h) => h.endsWith('=host-gateway'));

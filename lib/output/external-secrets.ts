/**
 * `convert --secrets external`: manifests that can go to git. No Secret object is written; the
 * workloads reference them by name, carry them as user-created (so `validate` reminds instead of
 * failing), and up.sh creates them at deploy time by converting again with `--secrets only
 * --stdout` piped into `kubectl apply`: the values come from the project's own files (.env, env
 * files, secret files) on the deploying machine and are never written to the stack directory.
 */
import * as path from 'path';
import { withConfigDigests } from '../chart/config-digest';
import { USER_CREATED_ANNOTATION } from '../validate/references';

export type SecretsMode = 'inline' | 'external' | 'only';

type Json = Record<string, unknown>;

const isSecret = (o: unknown): boolean => typeof o === 'object' && o !== null && (o as Json).kind === 'Secret';
const nameOf = (o: unknown): string => String(((o as Json).metadata as Json | undefined)?.name ?? '');

/** The Secrets a pod template names: envFrom, env valueFrom, volumes, image pull secrets. */
function secretNames(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) secretNames(v, out);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const o = value as Json;
  for (const [k, v] of Object.entries(o)) {
    if ((k === 'secretRef' || k === 'secretKeyRef') && typeof v === 'object' && v !== null) {
      const name = (v as Json).name;
      if (typeof name === 'string') out.add(name);
    } else if (k === 'secret' && typeof v === 'object' && v !== null) {
      const name = (v as Json).secretName;
      if (typeof name === 'string') out.add(name);
    }
    secretNames(v, out);
  }
}

/**
 * The objects without their Secrets; each object naming a removed Secret lists it as user-created,
 * and the config digests of the pod templates leave the Secrets out: a hash of their values would
 * otherwise stay in manifests meant for git.
 */
export function withoutSecrets(objects: readonly unknown[]): { objects: unknown[]; secrets: string[] } {
  const removed = new Set(objects.filter(isSecret).map(nameOf));
  const kept = objects
    .filter((o) => !isSecret(o))
    .map((o) => {
      const named = new Set<string>();
      secretNames((o as Json).spec, named);
      const created = [...named].filter((n) => removed.has(n)).map((n) => `Secret/${n}`);
      if (created.length === 0) return o;
      const metadata = ((o as Json).metadata ?? {}) as Json;
      const annotations = (metadata.annotations ?? {}) as Record<string, string>;
      const before = (annotations[USER_CREATED_ANNOTATION] ?? '').split(/\s+/).filter(Boolean);
      return {
        ...(o as Json),
        metadata: {
          ...metadata,
          annotations: { ...annotations, [USER_CREATED_ANNOTATION]: [...new Set([...before, ...created])].join(' ') },
        },
      };
    });
  return { objects: withConfigDigests(kept), secrets: [...removed].sort() };
}

/** Only the Secrets: what `--secrets only --stdout` prints for up.sh to apply. */
export const onlySecrets = (objects: readonly unknown[]): unknown[] => objects.filter(isSecret);

export interface ProjectArgs {
  readonly files: readonly string[];
  readonly projectDirectory?: string;
  readonly projectName?: string;
  readonly envFiles: readonly string[];
  readonly profiles: readonly string[];
  readonly target: string;
  readonly namespace?: string;
  readonly hostMounts?: string;
}

/**
 * The command up.sh runs from the stack directory to create the Secrets: the same conversion,
 * Secrets only, its paths made relative to the stack directory.
 */
export function secretsCommand(args: ProjectArgs, stackDir: string): string[] {
  const rel = (p: string) => path.relative(stackDir, p).split(path.sep).join('/') || '.';
  const words = [
    'convert',
    '--secrets',
    'only',
    '--stdout',
    '-q',
    ...args.files.flatMap((f) => ['-f', rel(f)]),
    ...(args.projectDirectory ? ['--project-directory', rel(args.projectDirectory)] : []),
    ...(args.projectName ? ['-p', args.projectName] : []),
    ...args.envFiles.flatMap((f) => ['--env-file', rel(f)]),
    ...args.profiles.flatMap((p) => ['--profile', p]),
    '--target',
    args.target,
    ...(args.namespace ? ['-n', args.namespace] : []),
    ...(args.hostMounts ? ['--host-mounts', args.hostMounts] : []),
  ];
  return words;
}
